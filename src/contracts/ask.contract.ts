import { z } from 'zod';

/** The Ask playground: `POST /api/ask`, the same answer pipeline Slack uses, metered the same way. */
export const askBody = z.object({
  question: z.string().trim().min(3, 'Ask a question of at least 3 characters').max(2000),
});

/** One Block Kit block as Slack receives it (rendered by the playground; unknown kinds are shown as JSON). */
export interface SlackBlock {
  type: string;
  block_id?: string;
  text?: { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean };
  elements?: Array<{
    type: string;
    text?: string | { type: string; text: string; emoji?: boolean };
    action_id?: string;
    value?: string;
    url?: string;
    style?: string;
  }>;
  fields?: Array<{ type: 'mrkdwn' | 'plain_text'; text: string }>;
}

export const askOutcome = z.enum([
  'answered',
  'extractive',
  'no_sources',
  'small_talk',
  'rate_limited',
  'over_quota',
  'failed',
]);

export interface AskSourceDto {
  position: number;
  documentId: string;
  title: string;
  section: string;
  pageStart: number | null;
  score: number;
  /** The dashboard document view, scrolled to the passage (`/app/documents/:id#chunk-<n>`). */
  url: string;
  excerpt: string;
}

/** Why the answer came out as it did: what was searched, what was found, and who declined. */
export interface AskTraceDto {
  /** What retrieval searched (the question without chat filler, or a thread follow-up's rewrite). */
  searchQuery: string;
  rewritten: boolean;
  /** Retrieved passages best first: fused score, share of the question's words, cosine similarity. */
  passages: Array<{
    title: string;
    section: string;
    score: number;
    termCoverage: number;
    similarity: number | null;
  }>;
  /** Retrieval was confident enough to quote (no model) / found anything related (the gate before a model). */
  confident: boolean;
  relevant: boolean;
  /** 'retrieval': declined before any model; 'model': the model said the passages do not answer. */
  declinedBy: 'retrieval' | 'model' | null;
  /** Typos read as the documents' words before searching ("vaccation" → "vacation"). */
  spelling: Array<{ typed: string; corrected: string }>;
  /** Words of the member's situation told around the question, which a passage need not hold. */
  situation: string[];
  /**
   * What the question asks about and whether a top passage holds it: the thing it asks whether there is (`named`;
   * a passage quoted as the answer must hold it), or in a message telling a situation the weightiest word of what
   * is asked (a passage quoted for what is asked alone must).
   */
  askedAbout: { word: string; held: boolean; named: boolean } | null;
  /** What is asked points back at the situation ("… for that?"), and whether a top passage holds a word of it. */
  pointsBack: { held: boolean } | null;
}

export interface AskResultDto {
  /** The recorded answer (for conversations and feedback), when the pipeline stored one. */
  answerId: string | null;
  outcome: z.infer<typeof askOutcome>;
  /** Slack mrkdwn with [n] citation markers. */
  text: string;
  /** The message exactly as Slack would get it. */
  blocks: SlackBlock[];
  sources: AskSourceDto[];
  /** Null when the pipeline stopped before retrieval (rate limit, quota, failure). */
  trace: AskTraceDto | null;
  /** For `rate_limited` and `over_quota`: when the limit lifts (ISO 8601); null otherwise. */
  retryAt: string | null;
  usage: {
    model: string;
    promptTokens: number;
    completionTokens: number;
    keySource: 'platform' | 'tenant' | 'none';
    costUsd: number;
    latencyMs: number;
  };
}
