import type { Embedder } from '../../src/ai/llm-client.js';
import { fakeEmbedding } from '../../tests/support/fake-embeddings.js';

/**
 * The tests' deterministic stand-in for an embedding model (hashed stemmed words and trigrams), in-process:
 * lets `npm run eval` measure the with-a-model path without a key. A fuzzy lexical matcher, not a semantic
 * model: figures produced with it are labelled as such.
 */
export const fakeEmbedder: Embedder = {
  embed: async (texts, { model }) => ({
    vectors: texts.map(fakeEmbedding),
    promptTokens: 0,
    model,
  }),
};
