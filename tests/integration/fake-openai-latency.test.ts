import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../../scripts/fake-openai-server.js';

/**
 * The fake model of fixed latency that `npm run bench -- worker-scale` measures against: its first word
 * must not come before `firstTokenMs` nor the end before `totalMs`, or the benchmark's ideal is wrong.
 * Upper bounds are loose: this machine is shared.
 */
describe('the fake OpenAI server with a fixed latency', () => {
  let openai: Awaited<ReturnType<typeof startFakeOpenAi>>;
  beforeAll(async () => {
    openai = await startFakeOpenAi({
      answer: 'one two three four',
      latency: { firstTokenMs: 300, totalMs: 900 },
    });
  });
  afterAll(() => openai.close());

  it('streams the first word after firstTokenMs and ends at totalMs, every word sent', async () => {
    const started = performance.now();
    const res = await fetch(`${openai.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [] }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    let firstAt: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (firstAt === undefined && text.includes('"content"')) firstAt = performance.now() - started;
    }
    const endAt = performance.now() - started;
    expect(firstAt).toBeGreaterThanOrEqual(290);
    expect(firstAt).toBeLessThan(850);
    expect(endAt).toBeGreaterThanOrEqual(890);
    expect(endAt).toBeLessThan(2_500);
    const words = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('');
    expect(words).toBe('one two three four');
    expect(text).toContain('[DONE]');
  });
});
