import OpenAI from 'openai';
import { AppError } from '../errors.js';
import { EMBEDDING_DIMENSIONS, type LlmClient } from './llm-client.js';

/** Creates the OpenAI adapter. The SDK retries 429/5xx/timeouts with exponential backoff and jitter. */
export function createOpenAiClient(opts: {
  apiKey: string;
  baseUrl?: string;
  maxRetries?: number;
  timeoutMs?: number;
}): LlmClient {
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
          { signal },
        );
        let text = '';
        let promptTokens = 0;
        let completionTokens = 0;
        for await (const chunk of stream) {
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
        return { text, promptTokens, completionTokens, model };
      } catch (err) {
        throw providerError(err);
      }
    },
  };
}

/** Maps SDK errors to an AppError whose message is safe to show (the raw text stays in `cause`). */
function providerError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = err instanceof OpenAI.APIError ? err.status : undefined;
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return new AppError({
    code: status === 401 ? 'ai_key_invalid' : retryable ? 'ai_unavailable' : 'ai_request_rejected',
    message:
      status === 401
        ? 'The OpenAI key was rejected: check it in the dashboard settings.'
        : 'The AI provider is not available right now.',
    status: 502,
    expose: true,
    cause: err,
    details: { retryable },
  });
}
