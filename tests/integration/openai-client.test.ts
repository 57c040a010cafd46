import { PassThrough } from 'node:stream';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import { isAppError } from '../../src/errors.js';

const BASE = 'https://openai.test';

/** Server-sent events as OpenAI streams them, with usage in the last chunk. */
function sse(
  pieces: string[],
  usage = { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
): string {
  const chunk = (delta: object, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((p) => chunk({ content: p })),
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage })}\n\n`,
    'data: [DONE]\n\n',
  ].join('');
}

const client = (maxRetries = 2) =>
  createOpenAiClient({ apiKey: 'sk-test', baseUrl: `${BASE}/v1`, maxRetries, timeoutMs: 5_000 });
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('OpenAI adapter (real SDK, OpenAI faked over HTTP)', () => {
  it('streams deltas in order and reports token usage, using CHAT_MODEL and the given base URL', async () => {
    let body: { model?: string; stream?: boolean; stream_options?: unknown } = {};
    nock(BASE)
      .post('/v1/chat/completions', (b) => {
        body = b;
        return true;
      })
      .reply(200, sse(['Hello', ', world', ' [1].']), { 'content-type': 'text/event-stream' });
    const deltas: string[] = [];
    const r = await client().streamChat(messages, { model: 'gpt-4o-mini' }, (d) => {
      deltas.push(d);
    });
    expect(deltas).toEqual(['Hello', ', world', ' [1].']);
    expect(r).toEqual({
      text: 'Hello, world [1].',
      promptTokens: 42,
      completionTokens: 7,
      model: 'gpt-4o-mini',
    });
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('cuts a chat stream that goes quiet, with the friendly retryable error, keeping what arrived', async () => {
    const body = new PassThrough();
    nock(BASE)
      .post('/v1/chat/completions')
      .reply(200, () => body, { 'content-type': 'text/event-stream' });
    // The first piece arrives, then the provider never sends another byte.
    body.write(sse(['Hello']).split('\n\n').slice(0, 2).join('\n\n').concat('\n\n'));
    const quiet = createOpenAiClient({
      apiKey: 'sk-test',
      baseUrl: `${BASE}/v1`,
      chat: { stallMs: 200 },
    });
    const deltas: string[] = [];
    const err = await quiet
      .streamChat(messages, { model: 'gpt-4o-mini' }, (d) => {
        deltas.push(d);
      })
      .catch((e: unknown) => e);
    body.destroy();
    expect(deltas).toEqual(['Hello']);
    expect(isAppError(err) && { code: err.code, message: err.message, details: err.details }).toEqual({
      code: 'ai_unavailable',
      message: 'The AI provider is not available right now.',
      details: { retryable: true },
    });
  });

  it('gives up on a chat response that does not start in time, after its chat retries', async () => {
    const scope = nock(BASE)
      .post('/v1/chat/completions')
      .times(2)
      .delay(500)
      .reply(200, sse(['late']));
    const slow = createOpenAiClient({
      apiKey: 'sk-test',
      baseUrl: `${BASE}/v1`,
      chat: { firstByteMs: 100, maxRetries: 1 },
    });
    const err = await slow.streamChat(messages, { model: 'gpt-4o-mini' }, () => {}).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('ai_unavailable');
    expect(scope.isDone()).toBe(true);
  });

  it('retries a 429 and a 503 with backoff, then succeeds', async () => {
    const scope = nock(BASE)
      .post('/v1/chat/completions')
      .reply(429, { error: { message: 'Rate limit reached for org-secret123' } }, { 'retry-after-ms': '10' })
      .post('/v1/chat/completions')
      .reply(503, { error: { message: 'overloaded' } }, { 'retry-after-ms': '10' })
      .post('/v1/chat/completions')
      .reply(200, sse(['ok']), { 'content-type': 'text/event-stream' });
    const r = await client(2).streamChat(messages, { model: 'gpt-4o-mini' }, () => {});
    expect(r.text).toBe('ok');
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after its retries with a friendly error that hides the provider text', async () => {
    nock(BASE)
      .post('/v1/chat/completions')
      .times(3)
      .reply(
        500,
        { error: { message: 'internal error at shard-7 org-secret123' } },
        { 'retry-after-ms': '10' },
      );
    const err = await client(2)
      .streamChat(messages, { model: 'gpt-4o-mini' }, () => {})
      .catch((e: unknown) => e);
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'ai_unavailable',
      message: 'The AI provider is not available right now.',
    });
    expect(JSON.stringify({ message: (err as Error).message })).not.toContain('org-secret123');
  });

  it('reports a rejected key as such, without retrying', async () => {
    const scope = nock(BASE)
      .post('/v1/chat/completions')
      .once()
      .reply(401, { error: { message: 'Incorrect API key provided: sk-te***' } });
    await expect(client(2).streamChat(messages, { model: 'gpt-4o-mini' }, () => {})).rejects.toMatchObject({
      code: 'ai_key_invalid',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('embeds a batch and returns vectors in input order even when the server reorders them', async () => {
    const v = (x: number) => Array.from({ length: 1536 }, () => x);
    nock(BASE)
      .post('/v1/embeddings')
      .reply(200, {
        object: 'list',
        model: 'text-embedding-3-small',
        data: [
          { object: 'embedding', index: 1, embedding: v(0.2) },
          { object: 'embedding', index: 0, embedding: v(0.1) },
        ],
        usage: { prompt_tokens: 5, total_tokens: 5 },
      });
    const r = await client().embed(['a', 'b'], { model: 'text-embedding-3-small' });
    expect(r.vectors.map((x) => x[0])).toEqual([0.1, 0.2]);
    expect(r.promptTokens).toBe(5);
  });
});
