import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { renderThreadMarkdown } from '../../src/knowledge/threads/saved-thread.js';
import { createThreadReader } from '../../src/slack/threads/read-thread.js';
import { SLACK_API, SLACK_API_URL } from '../support/slack.js';

const THREAD_TS = '1700000000.000100';

/**
 * conversations.replies over HTTP for a thread of `total` messages, `pageSize` a page with cursors the way
 * Slack pages (has_more + next_cursor); records each request's cursor.
 */
function fakeLongThread(total: number): string[] {
  const cursors: string[] = [];
  nock(SLACK_API)
    .persist()
    .post('/api/conversations.replies')
    .reply((_uri, body) => {
      const q = new URLSearchParams(String(body));
      const cursor = q.get('cursor') ?? '';
      cursors.push(cursor);
      const from = cursor ? Number(cursor.replace('page-', '')) : 0;
      const limit = Number(q.get('limit'));
      const to = Math.min(total, from + limit);
      const messages = Array.from({ length: to - from }, (_, i) => ({
        type: 'message',
        user: 'UWRITER01',
        ts: `${1700000000 + from + i}.000100`,
        text: `message ${from + i + 1}`,
      }));
      const more = to < total;
      return [
        200,
        { ok: true, messages, has_more: more, response_metadata: { next_cursor: more ? `page-${to}` : '' } },
      ];
    });
  nock(SLACK_API)
    .persist()
    .post('/api/users.info')
    .reply(200, { ok: true, user: { id: 'UWRITER01', profile: { display_name: 'Wren' } } });
  nock(SLACK_API)
    .persist()
    .post('/api/chat.getPermalink')
    .reply(200, { ok: true, permalink: 'https://example.slack.com/archives/C1/p1700000000000100' });
  return cursors;
}

describe('saving a long thread (conversations.replies paged over HTTP, Slack faked with nock)', () => {
  const reader = createThreadReader({
    getClient: async () =>
      new WebClient('xoxb-paging', { slackApiUrl: SLACK_API_URL, retryConfig: { retries: 0 } }),
  });

  it('follows every page of a 450-message thread and keeps every message in order', async () => {
    const cursors = fakeLongThread(450);
    const thread = await reader('tenant', { channelId: 'C1', threadTs: THREAD_TS });
    expect(cursors).toEqual(['', 'page-200', 'page-400']);
    expect(thread.messages).toHaveLength(450);
    expect(thread.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 450 }, (_, i) => `message ${i + 1}`),
    );
    expect(thread.messages[0]?.author).toBe('Wren');
    expect(thread.truncated).toBe(false);
  });

  it('stops a 5,000-message thread at 1,000 messages and says so in the saved document', async () => {
    const cursors = fakeLongThread(5_000);
    const thread = await reader('tenant', { channelId: 'C1', threadTs: THREAD_TS });
    expect(cursors).toHaveLength(5);
    expect(thread.messages).toHaveLength(1_000);
    expect(thread.truncated).toBe(true);
    expect(renderThreadMarkdown('Long thread', thread)).toContain(
      '_(Only the first 1000 messages of this thread were saved.)_',
    );
  });
});
