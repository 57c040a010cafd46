import { type AskedAbout, PASSAGES_FOR_EXTRACT } from '../../ai/answer.types.js';
import { EMBEDDING_DIMENSIONS } from '../../ai/llm-client.js';
import { badRequest, embeddingInvalid } from '../../errors.js';
import type { DbClient } from '../../infra/db/database.js';
import {
  assessRelevance,
  type ConfidenceThresholds,
  DEFAULT_CONFIDENCE,
  type Relevance,
} from './confidence.js';
import { fuseRankedLists } from './fuse-lists.js';
import {
  type FullTextMode,
  type HybridSearchParams,
  hybridSearch,
  type SearchHit,
} from './hybrid-search.repo.js';
import { inPassages, mergeAdjacentHits, neighbourIndexes, type Passage } from './merge-adjacent.js';
import { searchableQuestion, topicWords, withoutFraming, wordsInCapitals } from './question-terms.js';
import { quotableHits } from './quotable-hits.js';
import { readSituation } from './situation-words.js';
import type { CosineCache } from './soft-coverage.js';
import { applySpellingFixes, type SpellingFix, spellingFixes, type TenantWordsLookup } from './spelling.js';
import { expandQuery } from './synonyms.js';
import { tenantWordsNear } from './tenant-words.repo.js';
import { hitCoverages, termsOfWords, termWeights, withoutTerms } from './term-weights.js';
import { PAIR_SHARE, rankedByPairs } from './word-pairs.js';

/** Fusion weights: RRF adds weight / (rrfK + rank) from each list (Supabase's hybrid-search defaults). */
export interface SearchWeights {
  fullText: number;
  semantic: number;
  rrfK: number;
}

export const DEFAULT_WEIGHTS: SearchWeights = { fullText: 1, semantic: 1, rrfK: 60 };

export interface SearchOptions {
  query: string;
  /** The query's embedding (same model as the chunks); null or absent: full-text search only. */
  embedding?: number[] | null;
  /** The model the embedding came from: chunks embedded by another model are left out of the vector half. */
  embeddingModel?: string | null;
  k: number;
  weights?: Partial<SearchWeights>;
  fullTextMode?: FullTextMode;
  confidence?: Partial<ConfidenceThresholds>;
  /**
   * Only documents of these collections, filtered inside lore.hybrid_search (a channel's scope); null or
   * absent: every collection of the tenant (admin tools, evaluation).
   */
  collectionIds?: string[] | null;
  /** How much word pairs raise a hit's BM25 score (word-pairs.ts; default PAIR_SHARE, 0 to measure without). */
  pairShare?: number;
  /** Search the question's synonyms too (default true; false to measure without). */
  expandSynonyms?: boolean;
  /** Read a typo as the documents' word and search again (spelling.ts; default true; false to measure without). */
  fixSpelling?: boolean;
  /**
   * Embeds the question again once its typos are read, so the vector half searches the fixed question too (a
   * second embedding call, only for such questions). Resolves to null when it fails (never rejects): then, as
   * without it, the embedding as typed is kept.
   */
  embedQuery?: (text: string) => Promise<number[] | null>;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The hits with neighbouring chunks of one document joined, best first: what to put in the prompt. */
  passages: Passage[];
  /** With the question's topic terms, and those no hit holds (words the documents never use nearby). */
  relevance: Relevance & { terms: string[]; unmatchedTerms: string[] };
  /** Typos read as the documents' words: the question was searched again with them fixed. */
  spelling: SpellingFix[];
  /** The words of the member's situation (situation-words.ts), as typed: a passage need not hold them. */
  situation: string[];
  /**
   * What the question asks about (quotable-hits.ts), as typed, and whether a top hit holds it: the thing named
   * ("is there a bonus…", a passage quoted as the answer must hold it), or, in a message telling a situation, the
   * weightiest word of what is asked (a passage quoted for what is asked alone must).
   */
  askedAbout: AskedAbout | null;
  /**
   * What is asked points back at the situation ("… for that?", situation-words.ts), the situation as told, and
   * whether a top hit holds a word of it (a passage quoted as the answer by what is asked alone must).
   */
  pointsBack: { held: boolean; told: string } | null;
}

/** The fixed question's embedding (`embedQuery`), or, without one or should it fail, the one typed. */
async function embeddingOf(query: string, opts: SearchOptions): Promise<number[] | null> {
  const typed = opts.embedding ?? null;
  if (!typed || !opts.embedQuery) return typed;
  return (await opts.embedQuery(query)) ?? typed;
}

/** Longest question text searched; longer text is cut (a Slack message can be 40k characters). */
export const MAX_QUERY_CHARS = 1_000;
export const MAX_K = 100;

/** Runs one `lore.hybrid_search` call for the tenant searched (inside withTenant). */
export type HybridSearchRunner = (p: HybridSearchParams) => Promise<SearchHit[]>;

/**
 * Hybrid retrieval for one tenant: full-text and (with an embedding) vector search fused by RRF, with
 * citation data, passages and a relevance signal. `client` must come from withTenant(db, tenantId).
 */
export function searchKnowledge(
  client: DbClient,
  tenantId: string,
  opts: SearchOptions,
): Promise<SearchResult> {
  return searchKnowledgeWith(
    (p) => hybridSearch(client, p),
    tenantId,
    opts,
    (typed) => tenantWordsNear(client, { tenantId, typed }),
  );
}

/**
 * Candidates per list the function takes (its `v_n`: the number asked for, else 4 × k; at least 40, at most
 * 400), and the most rows one call returns (its `v_k`).
 */
const candidatesOf = (p: HybridSearchParams) => Math.min(Math.max(p.candidates ?? 4 * p.k, 40), 400);
const MAX_ROWS_PER_CALL = 100;

/**
 * One `lore.hybrid_search` call, or (`halvesAtOnce`) its two halves as two calls at once, each on a connection
 * of its own, fused here exactly as the function fuses them (fuse-lists.ts): the hybrid then takes as long as
 * the slower half instead of their sum (at 1M chunks each half is 15-25 ms for a tenant of 500,000,
 * BENCHMARKS.md). Only with a question and an embedding, and when one call can return a whole list (`k` up to
 * 25).
 */
export function hybridSearchRunner(run: HybridSearchRunner, halvesAtOnce: boolean): HybridSearchRunner {
  return async (p) => {
    const n = candidatesOf(p);
    if (!halvesAtOnce || !p.embedding || !p.query.trim() || n > MAX_ROWS_PER_CALL) return run(p);
    const [fullText, vector] = await Promise.all([
      run({ ...p, embedding: null, k: n, candidates: n }),
      run({ ...p, query: '', k: n, candidates: n }),
    ]);
    return fuseRankedLists(
      fullText,
      vector,
      { fullText: p.fullTextWeight, semantic: p.semanticWeight, rrfK: p.rrfK },
      p.k,
    );
  };
}

/**
 * `searchKnowledge` with the SQL call made by `search` (hybridSearchRunner: one call, or the halves at once),
 * and the tenant's words for typos looked up by `tenantWords` (none: only the hits' words are candidates).
 */
export async function searchKnowledgeWith(
  search: HybridSearchRunner,
  tenantId: string,
  opts: SearchOptions,
  tenantWords?: TenantWordsLookup,
): Promise<SearchResult> {
  if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > MAX_K) {
    throw badRequest(`k must be a whole number from 1 to ${MAX_K}.`);
  }
  const embedding = opts.embedding ?? null;
  if (embedding && (embedding.length !== EMBEDDING_DIMENSIONS || !embedding.every(Number.isFinite))) {
    // A programming or provider error, not the user's: the message stays internal.
    throw embeddingInvalid(
      `Query embedding must be ${EMBEDDING_DIMENSIONS} finite numbers, got ${embedding.length}.`,
    );
  }
  // Chat filler ("hey", "pls", "thanks") is neither searched nor counted against a passage's coverage.
  const question = searchableQuestion(opts.query.slice(0, MAX_QUERY_CHARS));
  // Full-text searches what the question is about, not its framing ("do I need to get": question-terms.ts), and
  // also the other words of each synonym group it uses ("PTO" → "vacation").
  const topical = withoutFraming(question);
  const query = opts.expandSynonyms === false ? topical : expandQuery(topical);
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const params: HybridSearchParams = {
    tenantId,
    query,
    embedding,
    k: opts.k,
    fullTextWeight: weights.fullText,
    semanticWeight: weights.semantic,
    rrfK: weights.rrfK,
    embeddingModel: opts.embeddingModel ?? null,
    fullTextMode: opts.fullTextMode ?? 'all_then_any',
    collectionIds: opts.collectionIds ?? null,
  };
  const searched = query.trim() || embedding ? await search(params) : [];
  // Each topic term with the word the question typed for it (the near words need the word).
  const typed = topicWords(question);
  const terms = [...typed.keys()];
  // Each hit's words are read once: its terms (weights, coverage), its near words and its pairs come from them.
  // Hits holding two of the question's words side by side ("credit hours") move up (word-pairs.ts).
  const { hits: sqlHits, words: hitWords } = rankedByPairs(searched, question, typed, {
    ...weights,
    share: opts.pairShare ?? PAIR_SHARE,
  });
  // Coverage (the gate's signal, and what the playground shows) counts the question's topic words only (not
  // "how long", "can I get"), with synonyms as one meaning ("PTO" is covered by "vacation"), over what a
  // reader of the hit sees: title, section and text, each word weighted by how much it says (term-weights.ts).
  // The SQL share would count the synonyms searched too.
  const hitTerms = hitWords.map(termsOfWords);
  // The topic terms some hit holds: the others are words the documents never use nearby (or typos).
  const found = new Set(terms.filter((t) => hitTerms.some((have) => have.has(t))));
  // A typo ("vaccation") matched nothing and weighed most against every passage: search again as the
  // documents spell it, with the hits the question's other words found (else the tenant's words) telling which
  // word was meant.
  // Only when some topic word is held by no hit: then it may be a typo (most questions skip this).
  if (opts.fixSpelling !== false && found.size < typed.size) {
    // A word typed in capitals ("AWS", "HSA") is an acronym, whatever it is one letter from.
    const capitals = wordsInCapitals(question);
    const typos = new Map([...typed].filter(([, word]) => !capitals.has(word)));
    const spelling = await spellingFixes(typos, found, hitWords, tenantWords);
    if (spelling.length > 0) {
      const query = applySpellingFixes(opts.query, spelling);
      const fixed = { ...opts, query, embedding: await embeddingOf(query, opts), fixSpelling: false };
      const again = await searchKnowledgeWith(search, tenantId, fixed);
      // Kept only if a passage now holds each of the tenant's words read: a tenant word only documents outside
      // the searched collections hold is never put in the member's question. An English word tells nothing of
      // the tenant's documents.
      const unmatched = new Set(again.relevance.unmatchedTerms);
      const held = (f: SpellingFix) =>
        f.english === true || [...topicWords(f.corrected).keys()].every((t) => !unmatched.has(t));
      if (spelling.every(held)) return { ...again, spelling };
    }
  }
  // When the member's situation happens ("next month", "yesterday") is never what the passage must hold.
  const situation = readSituation(question);
  const wordWeights = withoutTerms(termWeights(question, hitTerms), situation.when);
  // A topic word a hit lacks counts in part for a near word it holds (soft-coverage.ts: "sunday", "weekend").
  // A hit is read with the retrieved chunks right next to it in its document: the chunker cuts a section
  // across chunks, and the answer step quotes such neighbours joined into one passage (merge-adjacent.ts), so a
  // topic word the chunk before or after holds counts for it.
  const groups = neighbourIndexes(sqlHits);
  const cosines: CosineCache = new Map();
  const coverages = hitCoverages(wordWeights, typed, hitWords, hitTerms, groups, cosines);
  // The member's situation told around the question ("my grandad died yesterday.") is rarely in the passage
  // that answers it: a hit covers the question when it covers the whole message or what is asked
  // (situation-words.ts).
  const askedWeights = withoutTerms(wordWeights, situation.terms);
  const asked = situation.terms.size
    ? hitCoverages(askedWeights, typed, hitWords, hitTerms, groups, cosines)
    : coverages;
  const covered = sqlHits.map((h, i) => ({
    ...h,
    termCoverage: Math.max(coverages[i] as number, asked[i] as number),
    messageCoverage: coverages[i] as number,
  }));
  // The passages the reply draws on: adjacent retrieved chunks of a document joined into one.
  const passages = mergeAdjacentHits(covered);
  // Without a model, a hit that lacks what is asked about, or ignores a situation the question points back at,
  // is not quoted as the answer (quotable-hits.ts).
  const thresholds = { ...DEFAULT_CONFIDENCE, ...opts.confidence };
  const { quotable, askedAbout, pointsBack } = quotableHits({
    question,
    situation,
    typed,
    askedWeights,
    hitTerms,
    hitWords,
    groups,
    wholeCoverages: coverages,
    cosines,
    topHits: thresholds.topHits,
    shown: inPassages(covered, passages.slice(0, PASSAGES_FOR_EXTRACT)),
    minTermCoverage: thresholds.minTermCoverage,
  });
  const relevance = assessRelevance(covered, thresholds, quotable);
  return {
    hits: covered,
    passages,
    relevance: { ...relevance, terms, unmatchedTerms: terms.filter((t) => !found.has(t)) },
    spelling: [],
    situation: [...situation.terms].map((t) => typed.get(t) ?? t),
    askedAbout,
    pointsBack,
  };
}
