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
}

/** What retrieval returns: passages best first, and whether they are relevant enough to answer from. */
export interface Retrieval {
  passages: RetrievedPassage[];
  confident: boolean;
}

/** Tenant-scoped retrieval, injected so the answer service does not care how search works. */
export type Retriever = (tenantId: string, query: string) => Promise<Retrieval>;

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

export type AnswerOutcome = 'answered' | 'extractive' | 'no_sources';

export interface AnswerResult {
  outcome: AnswerOutcome;
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
