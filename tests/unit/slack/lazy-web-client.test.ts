import { inspect } from 'node:util';
import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { boundBoltClientPools, lazyWebClient } from '../../../src/slack/bounded-client-pools.js';

const SLACK = 'https://slack.lazy.test';
const options = { slackApiUrl: `${SLACK}/api/`, retryConfig: { retries: 0 } };

describe('the WebClient Bolt hands a listener (built on first use)', () => {
  it('is a WebClient that calls Slack with its own token, nested methods included', async () => {
    const client = lazyWebClient('xoxb-lazy-1', options);
    expect(client).toBeInstanceOf(WebClient);
    expect(client.token).toBe('xoxb-lazy-1');
    const posted = nock(SLACK)
      .post('/api/chat.postMessage', (body) => body.channel === 'C1' && body.text === 'hi')
      .matchHeader('authorization', 'Bearer xoxb-lazy-1')
      .reply(200, { ok: true, ts: '1.2' });
    const res = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(res.ts).toBe('1.2');
    expect(posted.isDone()).toBe(true);
  });

  it('keeps a Slack error a Slack error (the listener sees the platform error code)', async () => {
    const client = lazyWebClient('xoxb-lazy-2', options);
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C404', text: 'hi' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'channel_not_found' },
    });
  });

  it('can be logged and inspected like the client it stands for', () => {
    const client = lazyWebClient('xoxb-lazy-3', options);
    expect(() => inspect(client, { depth: 4 })).not.toThrow();
    expect(Object.keys(client)).toEqual(Object.keys(new WebClient('xoxb-lazy-3', options)));
  });
});

describe("Bolt's per-workspace client pools, bounded", () => {
  it('hands out one client per workspace and token, and a new pool once a workspace was evicted', () => {
    const app = new App({ signingSecret: 'lazy', authorize: async () => ({}) });
    boundBoltClientPools(app, 2);
    type Pool = { getOrCreate(token: string, o: typeof options): WebClient };
    const pools = (app as unknown as { clients: Record<string, Pool> }).clients;
    const pool = (team: string, token: string) => pools[team]?.getOrCreate(token, options);
    const first = pool('T1', 'xoxb-a');
    expect(pool('T1', 'xoxb-a')).toBe(first);
    expect(pool('T1', 'xoxb-b')).not.toBe(first);
    pool('T2', 'xoxb-c');
    pool('T3', 'xoxb-d'); // T1 is now the least recently used of three: dropped
    expect(pool('T1', 'xoxb-a')).not.toBe(first);
  });
});
