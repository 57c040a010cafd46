import OpenAI from 'openai';
import { AppError, aiError } from '../errors.js';
import { EMBEDDING_DIMENSIONS, type LlmClient } from './llm-client.js';

/**
 * Someone is waiting in Slack for a chat answer, so it gets tighter limits than embedding batches: the
 * first byte within 20 s (the SDK's timeout ends when the response starts), two retries, and a stream that
 * goes quiet for 20 s is cut. Worst case about a minute per job attempt instead of hanging the job forever.
 */
export const CHAT_LIMITS = { firstByteMs: 20_000, stallMs: 20_000, maxRetries: 2 };

/** Creates the OpenAI adapter. The SDK retries 429/5xx/timeouts with exponential backoff and jitter. */
export function createOpenAiClient(opts: {
  apiKey: string;
  baseUrl?: string;
  maxRetries?: number;
  timeoutMs?: number;
  chat?: Partial<typeof CHAT_LIMITS>;
}): LlmClient {
  const chat = { ...CHAT_LIMITS, ...opts.chat };
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl,
    maxRetries: opts.maxRetries ?? 3,
    timeout: opts.timeoutMs ?? 60_000,
  });
  return {
    async embed(texts, { model, signal }) {
      try {
        const res = await client.embeddings.create(
          { model, input: texts, dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
          { signal },
        );
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (vectors.length !== texts.length || vectors.some((v) => v.length !== EMBEDDING_DIMENSIONS)) {
          throw new Error(
            `provider returned ${vectors.length} vectors for ${texts.length} inputs or wrong dimensions`,
          );
        }
        return { vectors, promptTokens: res.usage?.prompt_tokens ?? 0, model };
      } catch (err) {
        throw providerError(err);
      }
    },

    async streamChat(messages, { model, maxTokens, temperature, signal }, onDelta) {
      const stall = stallGuard(chat.stallMs, signal);
      try {
        const stream = await client.chat.completions.create(
          {
            model,
            messages,
            stream: true,
            stream_options: { include_usage: true },
            max_completion_tokens: maxTokens,
            temperature,
          },
          { signal: stall.signal, timeout: chat.firstByteMs, maxRetries: chat.maxRetries },
        );
        stall.alive();
        let text = '';
        let promptTokens = 0;
        let completionTokens = 0;
        for await (const chunk of stream) {
          stall.alive();
          const delta = chunk.choices[0]?.delta?.content ?? '';
          if (delta) {
            text += delta;
            await onDelta(delta);
          }
          if (chunk.usage) {
            promptTokens = chunk.usage.prompt_tokens;
            completionTokens = chunk.usage.completion_tokens;
          }
        }
        // The SDK ends an aborted stream quietly: a cut stream is not a complete answer.
        if (stall.stalled) throw stall.reason;
        return { text, promptTokens, completionTokens, model };
      } catch (err) {
        throw stall.stalled ? stall.reason : providerError(err);
      } finally {
        stall.done();
      }
    },
  };
}

/** Maps SDK errors to an AppError whose message is safe to show (the raw text stays in `cause`). */
function providerError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = err instanceof OpenAI.APIError ? err.status : undefined;
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return aiError(
    status === 401 ? 'ai_key_invalid' : retryable ? 'ai_unavailable' : 'ai_request_rejected',
    status === 401
      ? 'The OpenAI key was rejected: check it in the dashboard settings.'
      : 'The AI provider is not available right now.',
    { cause: err, details: { retryable } },
  );
}

/**
 * Aborts a started stream that then sends nothing for `ms` (armed by the first `alive()`, so the SDK's own
 * timeout and retries govern the wait for the response), or when the caller's signal aborts.
 */
function stallGuard(ms: number, outer?: AbortSignal) {
  const controller = new AbortController();
  const reason = providerError(new Error(`the chat stream sent nothing for ${ms} ms`));
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(reason);
    }, ms);
  };
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    reason,
    get stalled() {
      return stalled;
    },
    alive: arm,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
