import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { ReplyTarget } from '../../../src/ai/answer-replier.js';
import { createLogger } from '../../../src/logger.js';
import { createSlackReplier } from '../../../src/slack/answers/slack-replier.js';

/** A WebClient stand-in: records every call; methods named in `fail` answer like Slack's `ok: false`. */
function fakeClient(fail: Record<string, string> = {}) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  let seq = 0;
  const call = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    if (fail[method])
      throw Object.assign(new Error(`An API error occurred: ${fail[method]}`), {
        data: { ok: false, error: fail[method] },
      });
    return { ok: true, channel: args.channel, ts: `1800000000.00000${++seq}` };
  };
  const client = {
    chat: {
      postMessage: call('chat.postMessage'),
      postEphemeral: call('chat.postEphemeral'),
      update: call('chat.update'),
      startStream: call('chat.startStream'),
      appendStream: call('chat.appendStream'),
      stopStream: call('chat.stopStream'),
    },
    assistant: { threads: { setStatus: call('assistant.threads.setStatus') } },
    conversations: { replies: call('conversations.replies') },
  } as unknown as WebClient;
  return { client, calls, methods: () => calls.map((c) => c.method) };
}

const target = (over: Partial<ReplyTarget> = {}): ReplyTarget => ({
  tenantId: 't1',
  surface: 'mention',
  channelId: 'C1',
  threadTs: '1700000000.000100',
  userId: 'U1',
  ...over,
});

function replierWith(fail: Record<string, string> = {}) {
  const fake = fakeClient(fail);
  const posts: { url: string; body: unknown }[] = [];
  const replier = createSlackReplier({
    clients: { getClient: async () => fake.client },
    installationOf: async () => ({ teamId: 'T1', botId: 'B1', botUserId: 'UB1' }),
    logger: createLogger({ level: 'silent' }),
    slackApiUrl: 'http://127.0.0.1:4999/api/',
    fetch: (async (url: string, init: RequestInit) => {
      posts.push({ url, body: JSON.parse(String(init.body)) });
      return new Response('ok');
    }) as typeof fetch,
  });
  return { replier, ...fake, posts };
}

describe('the Slack replier', () => {
  it('a retried job resumes the message it already posted: no new post, no new stream', async () => {
    const { replier, calls, methods } = replierWith({ 'chat.stopStream': 'message_not_in_streaming_state' });
    const reply = await replier.begin(target(), { channelId: 'C1', ts: '1700000000.000900' });
    await reply.abort('Sorry.');
    expect(methods()).toEqual(['chat.stopStream', 'chat.update']);
    expect(calls[1]?.args).toMatchObject({ channel: 'C1', ts: '1700000000.000900', text: 'Sorry.' });
  });

  it('after Slack refuses streaming once, the workspace goes straight to post-and-update', async () => {
    const { replier, methods } = replierWith({ 'chat.startStream': 'not_allowed' });
    await replier.begin(target(), null);
    await replier.begin(target(), null);
    expect(methods()).toEqual(['chat.startStream', 'chat.postMessage', 'chat.postMessage']);
  });

  it('a real Slack error while starting a stream is not mistaken for "no streaming": it fails the attempt', async () => {
    const { replier } = replierWith({ 'chat.startStream': 'channel_not_found' });
    await expect(replier.begin(target(), null)).rejects.toThrow(/channel_not_found/);
  });

  it('sends notices where only the asker sees them: ephemeral in channels, the DM itself, the response_url for /ask', async () => {
    const { replier, calls, posts } = replierWith();
    await replier.notice(target(), 'limit');
    await replier.notice(target({ channelId: 'D1', surface: 'dm' }), 'limit');
    await replier.notice(
      target({ surface: 'ask', threadTs: undefined, responseUrl: 'https://hooks.slack.com/x' }),
      'limit',
    );
    expect(calls.map((c) => [c.method, c.args.channel, c.args.user ?? null])).toEqual([
      ['chat.postEphemeral', 'C1', 'U1'],
      ['chat.postMessage', 'D1', null],
    ]);
    expect(posts).toEqual([
      {
        url: 'https://hooks.slack.com/x',
        body: { response_type: 'ephemeral', replace_original: true, text: 'limit' },
      },
    ]);
  });

  it('never POSTs to a response_url off Slack: not another host, not plain http, not a look-alike', async () => {
    const { replier, posts } = replierWith();
    for (const responseUrl of [
      'https://attacker.example/collect',
      'http://hooks.slack.com/commands/T1/1/x',
      'https://hooks.slack.com.attacker.example/x',
      'https://hooks.slack.com:8443/x',
      'https://user@hooks.slack.com/x',
      'http://127.0.0.1:5000/api/',
      'not a url',
    ]) {
      const t = target({ surface: 'ask', threadTs: undefined, responseUrl });
      await expect(replier.notice(t, 'passages')).rejects.toThrow(/response_url is not on Slack/);
      const reply = await replier.begin(t, null);
      await expect(reply.abort('Sorry.')).rejects.toThrow(/response_url is not on Slack/);
    }
    expect(posts).toEqual([]);
    // Slack's hooks host and the configured SLACK_API_URL origin (a local stand-in) are fine.
    await replier.notice(target({ responseUrl: 'http://127.0.0.1:4999/commands/1' }), 'ok');
    expect(posts.map((p) => p.url)).toEqual(['http://127.0.0.1:4999/commands/1']);
  });

  it('shows a thinking status only in assistant threads', async () => {
    const { replier, methods } = replierWith();
    await replier.thinking(target());
    await replier.thinking(target({ surface: 'assistant', channelId: 'D1' }));
    expect(methods()).toEqual(['assistant.threads.setStatus']);
  });
});
