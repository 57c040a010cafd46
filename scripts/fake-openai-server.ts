import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAiOptions {
  /** The answer every chat completion streams, word by word. */
  answer?: string;
  /** Pause between streamed words (default 0: all at once), to stand for a model's pace. */
  wordDelayMs?: number;
  /**
   * A model of fixed latency instead of `wordDelayMs`: the first word after `firstTokenMs`, the rest spread
   * evenly so the stream ends at `totalMs` (a benchmark's answer then takes the same time every time).
   */
  latency?: { firstTokenMs: number; totalMs: number };
  /** Called when a chat completion starts streaming. */
  onChat?: () => void;
  /** Pause before each embeddings response, to stand for a large batch's time at the provider. */
  embedDelayMs?: number;
  /** Called when an embeddings request is answered, with its number of inputs. */
  onEmbed?: (inputs: number) => void;
  /**
   * Fault injection, asked once per request: a status to answer with instead (429 with `retryAfterSec` sets
   * Retry-After), 'hang' to send nothing until the client gives up (a timeout), or 'stall' (chat only) to
   * stream the first words and then go quiet. Undefined: answer normally.
   */
  fault?: (kind: 'chat' | 'embeddings') => OpenAiFault | undefined;
}

export type OpenAiFault = { status: number; retryAfterSec?: number } | 'hang' | 'stall';

/** One request the fake received: what it was, when (performance.now()), and the fault it got, if any. */
export interface FakeOpenAiRequest {
  kind: 'chat' | 'embeddings';
  at: number;
  fault?: OpenAiFault;
}

const DEFAULT_ANSWER = 'Mention @Lore in a channel it has been added to [1].';

/** An OpenAI-compatible server on loopback: constant embeddings, and chat completions streamed word by word. */
export async function startFakeOpenAi(
  opts: FakeOpenAiOptions = {},
): Promise<{ url: string; requests: FakeOpenAiRequest[]; close(): Promise<void> }> {
  const unit = Array.from({ length: 1536 }, (_, i) => (i === 0 ? 1 : 0));
  const requests: FakeOpenAiRequest[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      const kind = req.url?.endsWith('/embeddings') ? 'embeddings' : 'chat';
      const fault = opts.fault?.(kind);
      requests.push({ kind, at: performance.now(), fault });
      if (fault === 'hang') return;
      if (fault && fault !== 'stall') {
        res.statusCode = fault.status;
        res.setHeader('content-type', 'application/json');
        if (fault.retryAfterSec !== undefined) res.setHeader('retry-after', String(fault.retryAfterSec));
        const type = fault.status === 429 ? 'rate_limit_exceeded' : 'server_error';
        res.end(JSON.stringify({ error: { message: `injected ${fault.status}`, type, code: type } }));
        return;
      }
      if (kind === 'embeddings') {
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        const respond = () => {
          if (res.destroyed) return;
          opts.onEmbed?.(inputs.length);
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              object: 'list',
              model: body.model,
              data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: unit })),
              usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
            }),
          );
        };
        if (opts.embedDelayMs) setTimeout(respond, opts.embedDelayMs);
        else respond();
        return;
      }
      res.setHeader('content-type', 'text/event-stream');
      opts.onChat?.();
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      const words = (opts.answer ?? DEFAULT_ANSWER).split(/(?<= )/);
      if (fault === 'stall') {
        // Half the answer, then silence with the connection open, as a stream that stalls upstream.
        for (const word of words.slice(0, Math.ceil(words.length / 2))) res.write(chunk(word));
        return;
      }
      const finish = () =>
        res.end(
          `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: 300, completion_tokens: 12, total_tokens: 312 } })}\n\ndata: [DONE]\n\n`,
        );
      if (opts.latency) {
        const { firstTokenMs, totalMs } = opts.latency;
        const step = (totalMs - firstTokenMs) / Math.max(1, words.length - 1);
        words.forEach((word, i) => {
          setTimeout(() => res.destroyed || res.write(chunk(word)), firstTokenMs + i * step);
        });
        setTimeout(() => res.destroyed || finish(), totalMs);
        return;
      }
      if (!opts.wordDelayMs) {
        for (const word of words) res.write(chunk(word));
        finish();
        return;
      }
      // Paced: one word per tick, stopping if the client went away (a worker killed mid-answer).
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= words.length) {
          clearInterval(timer);
          if (!res.destroyed) finish();
          return;
        }
        res.write(chunk(words[i++] as string));
      }, opts.wordDelayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
