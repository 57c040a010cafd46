import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { AnswerResult } from '../../../src/ai/answer.types.js';
import { createLogger } from '../../../src/logger.js';
import { mentionsBot, stripBotMention } from '../../../src/slack/answers/listener-deps.js';
import {
  createStreamReply,
  createUpdatingReply,
  type ReplyTiming,
} from '../../../src/slack/answers/reply-handles.js';
import { tsBefore } from '../../../src/slack/answers/thread-history.js';

/** A WebClient stand-in that records chat.* calls. */
function recordingClient() {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const rec = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    return { ok: true };
  };
  const client = {
    chat: { appendStream: rec('appendStream'), stopStream: rec('stopStream'), update: rec('update') },
  } as unknown as WebClient;
  return { client, calls };
}

/** A clock the test moves by hand. */
function clock(): ReplyTiming & { advance(ms: number): void } {
  let t = 1_000_000;
  return {
    streamIntervalMs: 500,
    updateIntervalMs: 1000,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const result: AnswerResult = {
  outcome: 'answered',
  text: 'Fourteen days [1].',
  sources: [],
  usage: { model: 'm', promptTokens: 1, completionTokens: 1, keySource: 'platform' },
};
const logger = createLogger({ level: 'silent' });

describe('reply handles', () => {
  it('streams the first piece at once, then at most one append per interval, and finishes with the final blocks', async () => {
    const { client, calls } = recordingClient();
    const t = clock();
    const reply = createStreamReply(client, { channelId: 'C1', ts: '1.1' }, t, logger);
    await reply.append('Four');
    await reply.append('teen ');
    t.advance(499);
    await reply.append('days ');
    t.advance(1);
    await reply.append('[1].');
    await reply.finish('a1', result);
    expect(calls.map((c) => [c.method, c.args.markdown_text ?? null])).toEqual([
      ['appendStream', 'Four'],
      ['appendStream', 'teen days [1].'],
      ['stopStream', null],
      ['update', null],
    ]);
    expect(calls[3]?.args).toMatchObject({ channel: 'C1', ts: '1.1', text: 'Fourteen days [1].' });
  });

  it('the fallback edits the posted message at most once a second, and the final message replaces it', async () => {
    const { client, calls } = recordingClient();
    const t = clock();
    const reply = createUpdatingReply(client, { channelId: 'C1', ts: '1.1' }, t, { justPosted: true });
    // Five pieces 400 ms apart: only the one at 1,200 ms may edit the message before the final one.
    for (const word of ['Four', 'teen ', 'days ', 'ahead ', '[1].']) {
      await reply.append(word);
      t.advance(400);
    }
    await reply.finish('a1', result);
    const updates = calls.filter((c) => c.method === 'update');
    expect(updates.map((u) => u.args.text)).toEqual(['Fourteen days ahead  …', 'Fourteen days [1].']);
    expect(updates[1]?.args.blocks).toBeDefined();
  });

  it('escapes streamed passages and model output like the final message, even when a mention is split across pieces', async () => {
    const { client, calls } = recordingClient();
    const t = clock();
    const reply = createStreamReply(client, { channelId: 'C1', ts: '1.1' }, t, logger);
    const pieces = ['> quoted <!chan', 'nel> please read <@U0BOSS> & <#C0GEN', '>', '\n> next', ' a>b'];
    for (const piece of pieces) {
      await reply.append(piece);
      t.advance(500);
    }
    await reply.append(' <!here>');
    await reply.finish('a1', { ...result, text: pieces.join('') });
    const streamed = calls
      .filter((c) => c.method === 'appendStream' || c.method === 'stopStream')
      .map((c) => c.args.markdown_text ?? '')
      .join('');
    expect(streamed).not.toMatch(/<[!@#]/);
    expect(streamed).toBe(
      '> quoted &lt;!channel&gt; please read &lt;@U0BOSS&gt; &amp; &lt;#C0GEN&gt;\n> next a&gt;b &lt;!here&gt;',
    );
    // The same text as the final message shows.
    const final = calls.at(-1)?.args.text as string;
    expect(streamed.startsWith(final)).toBe(true);
  });

  it('abort replaces whatever was streamed with the apology and no blocks', async () => {
    const { client, calls } = recordingClient();
    const reply = createStreamReply(client, { channelId: 'C1', ts: '1.1' }, clock(), logger);
    await reply.append('Half an ans');
    await reply.abort('Sorry.');
    expect(calls.at(-1)).toEqual({
      method: 'update',
      args: { channel: 'C1', ts: '1.1', text: 'Sorry.', blocks: [] },
    });
  });
});

describe('question text', () => {
  it('strips the bot mention, keeps other mentions, and notices mentions of the bot', () => {
    expect(stripBotMention('<@U0LAN0Z89> is it   everything <@U999>?', 'U0LAN0Z89')).toBe(
      'is it everything <@U999>?',
    );
    expect(stripBotMention('<@U0LAN0Z89|lore>', 'U0LAN0Z89')).toBe('');
    expect(mentionsBot('hi <@U0LAN0Z89>', 'U0LAN0Z89')).toBe(true);
    expect(mentionsBot('hi <@U999>', 'U0LAN0Z89')).toBe(false);
  });

  it('orders Slack timestamps exactly, beyond what floats can tell apart', () => {
    expect(tsBefore('1700000000.000099', '1700000000.000100')).toBe(true);
    expect(tsBefore('1700000000.1', '1700000000.000100')).toBe(false);
    expect(tsBefore('1700000001.000000', '1700000000.999999')).toBe(false);
  });
});
