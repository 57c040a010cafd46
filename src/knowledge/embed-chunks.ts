import type { Embedder } from '../ai/llm-client.js';
import { costUsd } from '../ai/prices.js';

/** Inputs per embeddings request: well over 100 chunks each, within OpenAI's per-request limits. */
export const EMBED_BATCH_SIZE = 256;
// OpenAI caps one embeddings request at 300k input tokens; stay clear of it.
const MAX_BATCH_TOKENS = 250_000;

export interface EmbedProgress {
  done: number;
  total: number;
}

/** Splits texts into request-sized batches by count and token budget. */
export function planBatches(tokenCounts: number[]): Array<[start: number, end: number]> {
  const batches: Array<[number, number]> = [];
  let start = 0;
  let tokens = 0;
  tokenCounts.forEach((n, i) => {
    if (i > start && (i - start >= EMBED_BATCH_SIZE || tokens + n > MAX_BATCH_TOKENS)) {
      batches.push([start, i]);
      start = i;
      tokens = 0;
    }
    tokens += n;
  });
  if (start < tokenCounts.length) batches.push([start, tokenCounts.length]);
  return batches;
}

/**
 * Embeds chunk texts in as few requests as the limits allow, reporting progress after each one.
 * Provider retries (429/5xx/timeouts) happen inside the client; a batch that still fails throws.
 */
export async function embedChunks(
  llm: Embedder,
  chunks: Array<{ content: string; tokenCount: number }>,
  opts: { model: string; onProgress?: (p: EmbedProgress) => Promise<void> },
): Promise<{ vectors: number[][]; promptTokens: number; costUsd: number; requests: number }> {
  const vectors: number[][] = [];
  let promptTokens = 0;
  const batches = planBatches(chunks.map((c) => c.tokenCount));
  for (const [start, end] of batches) {
    const res = await llm.embed(
      chunks.slice(start, end).map((c) => c.content),
      { model: opts.model },
    );
    vectors.push(...res.vectors);
    promptTokens += res.promptTokens;
    await opts.onProgress?.({ done: end, total: chunks.length });
  }
  return { vectors, promptTokens, costUsd: costUsd(opts.model, promptTokens) ?? 0, requests: batches.length };
}
