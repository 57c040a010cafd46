import type { Embedder } from './llm-client.js';

/** A passage retrieval found for a question, with what a citation needs. */
export interface RetrievedPassage {
  chunkId: string;
  documentId: string;
  title: string;
  section: string;
  pageStart: number | null;
  ordinal: number;
  content: string;
  score: number;
  /** Share of the question's words the passage holds, and its cosine similarity (null: full-text only). */
  termCoverage: number;
  similarity: number | null;
  /**
   * Share of the whole message's words it holds, the member's situation included (`termCoverage` may count what is
   * asked alone): between passages covering the question alike, the one that also speaks to the situation.
   */
  messageCoverage?: number;
  /** The web page or Slack thread the document came from (citations link there), if any. */
  sourceUrl?: string | null;
}

/**
 * Without a model, how many passages a reply quotes (as the answer, or as the closest): what retrieval says is or
 * is not held in them ("I couldn't find anything about …") is said of these.
 */
export const PASSAGES_FOR_EXTRACT = 3;

/** What retrieval returns: passages best first, and how relevant they are. */
export interface Retrieval {
  passages: RetrievedPassage[];
  /** Strong enough to quote as the answer when no model judges them. */
  confident: boolean;
  /** Anything related came back at all (the only gate before a model). */
  relevant: boolean;
  /** Close enough, short of confident, to show as the closest passages when no model judges them. */
  close: boolean;
  /**
   * Typos of the question read as the documents' words ("vaccation" → "vacation"; retrieval/spelling.ts) or,
   * when they hold nothing near, as an English word (`english`: "advnace" → "advance"), and searched so. Its own
   * shape here: the dashboard reads these types, and must not pull in the search code.
   */
  spelling?: Array<{ typed: string; corrected: string; english?: true }>;
  /**
   * The words of the member's situation told around what they ask ("my grandad died yesterday."): a passage
   * covers the question without them (retrieval/situation-words.ts).
   */
  situation?: string[];
  /**
   * The thing the question asks whether there is ("is there a bonus…": "bonus"), and whether a top passage holds
   * it: without a model, a passage is quoted as the answer only if it does (retrieval/asked-object.ts).
   */
  askedAbout?: AskedAbout | null;
  /**
   * What is asked points back at the situation ("… for that?"), and whether a top passage holds a word of it:
   * without a model, a passage covering only what is asked is quoted as the answer only if it does.
   */
  pointsBack?: { held: boolean; told: string } | null;
}

/**
 * What a question asks about, as typed, and whether a top passage holds it: the thing it asks whether there is
 * ("is there a bonus…"; `named`), or in a message telling a situation the weightiest word of what is asked.
 */
export interface AskedAbout {
  word: string;
  held: boolean;
  named: boolean;
}

/** Which documents a question may draw on: its channel's collections, or every collection (null). */
export interface RetrievalScope {
  collectionIds: string[] | null;
}

/**
 * Tenant-scoped retrieval, injected so the answer service does not care how search works. `embedder` is the
 * tenant's client when the caller already has it (null: full-text only); unset, the retriever looks it up.
 */
export type Retriever = (
  tenantId: string,
  query: string,
  scope: RetrievalScope,
  embedder?: { llm: Embedder } | null,
) => Promise<Retrieval>;

/** One numbered source shown under an answer. */
export interface AnswerSource {
  position: number;
  documentId: string;
  chunkId: string;
  title: string;
  section: string;
  pageStart: number | null;
  score: number;
  url: string;
  excerpt: string;
}

export type AnswerOutcome = 'answered' | 'extractive' | 'no_sources' | 'small_talk';

/** Why an answer came out as it did, for the playground: what was searched, found, and who declined. */
export interface AnswerTrace {
  /** What retrieval searched: the question, or its standalone rewrite in a thread. */
  searchQuery: string;
  /** True when a thread follow-up was rewritten into `searchQuery` by the model. */
  rewritten: boolean;
  passages: Array<Pick<RetrievedPassage, 'title' | 'section' | 'score' | 'termCoverage' | 'similarity'>>;
  confident: boolean;
  relevant: boolean;
  /** 'retrieval': nothing (relevant enough) was found; 'model': the model said the sources do not answer. */
  declinedBy: 'retrieval' | 'model' | null;
  /** Typos read as the documents' (or English) words before searching (`searchQuery` is the fixed question). */
  spelling: Array<{ typed: string; corrected: string; english?: true }>;
  /** Words of the member's situation, which a passage need not hold to cover the question. */
  situation: string[];
  /** The thing asked about, which a passage quoted as the answer must hold, and whether a top passage does. */
  askedAbout: AskedAbout | null;
  /** What is asked points back at the situation, and whether a top passage holds a word of it. */
  pointsBack: { held: boolean } | null;
}

export interface AnswerResult {
  outcome: AnswerOutcome;
  trace?: AnswerTrace;
  /** Slack mrkdwn text with [n] citation markers. */
  text: string;
  sources: AnswerSource[];
  usage: {
    model: string;
    promptTokens: number;
    completionTokens: number;
    keySource: 'platform' | 'tenant' | 'none';
  };
}

/** A previous message of the conversation (thread context). */
export interface ThreadMessage {
  role: 'user' | 'assistant';
  text: string;
}
