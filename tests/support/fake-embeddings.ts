import nock from 'nock';

/** Dimensions of the fake vectors: the chunks.embedding column's (text-embedding-3-small). */
export const FAKE_DIMENSIONS = 1536;

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i if in is it my of on or our should the to we what when where which who why will with you your'.split(
    ' ',
  ),
);

/** A crude stemmer: enough that "reimbursed", "reimbursing" and "reimburses" share a feature. */
function stem(word: string): string {
  return word.replace(/(ing|ed|es|s|ly|ment|ments)$/, '').slice(0, 12);
}

function bucket(feature: string): number {
  let h = 2166136261;
  for (let i = 0; i < feature.length; i++) h = Math.imul(h ^ feature.charCodeAt(i), 16777619);
  return (h >>> 0) % FAKE_DIMENSIONS;
}

/**
 * A deterministic stand-in for an embedding model: hashed bag of stemmed words plus character trigrams,
 * L2-normalised, so texts sharing words (or word parts) get similar vectors and unrelated texts do not.
 * It knows no synonyms: it is a fuzzy lexical matcher, not a semantic model.
 */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(FAKE_DIMENSIONS).fill(0);
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  for (const word of words) {
    const s = stem(word);
    const i = bucket(`w:${s}`);
    v[i] = (v[i] ?? 0) + 1;
    const padded = `^${s}$`;
    for (let j = 0; j + 3 <= padded.length; j++) {
      const t = bucket(`t:${padded.slice(j, j + 3)}`);
      v[t] = (v[t] ?? 0) + 0.25;
    }
  }
  const norm = Math.hypot(...v);
  // Empty or stop-word-only text still gets a valid unit vector.
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

/** Counts of what the fake endpoint served, for tests that assert on batching. */
export interface FakeEmbeddingsStats {
  requests: number;
  inputs: number;
  /** Every text embedded, in order. */
  texts: string[];
}

/**
 * Serves OpenAI's embeddings endpoint (POST {baseUrl}/embeddings, {model, input}) from `fakeEmbedding`
 * through nock until nock.cleanAll(). Honours `encoding_format: 'base64'` (the SDK's default).
 */
export function mockOpenAiEmbeddings(baseUrl = 'https://api.openai.com/v1'): FakeEmbeddingsStats {
  const url = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const stats: FakeEmbeddingsStats = { requests: 0, inputs: 0, texts: [] };
  nock(url.origin)
    .persist()
    .post(`${url.pathname}embeddings`)
    .reply(200, (_uri, body) => {
      const req = body as { model: string; input: string | string[]; encoding_format?: string };
      const inputs = Array.isArray(req.input) ? req.input : [req.input];
      stats.requests++;
      stats.inputs += inputs.length;
      stats.texts.push(...inputs);
      const tokens = inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
      return {
        object: 'list',
        model: req.model,
        data: inputs.map((text, index) => {
          const vector = fakeEmbedding(text);
          const embedding =
            req.encoding_format === 'base64'
              ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
              : vector;
          return { object: 'embedding', index, embedding };
        }),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      };
    });
  return stats;
}
