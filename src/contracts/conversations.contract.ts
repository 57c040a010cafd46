import { z } from 'zod';

/** Conversations (recent questions and answers) and the knowledge-gap inbox. */
export const conversationsQuery = z.object({
  search: z.string().trim().max(200).optional(),
  outcome: z
    .enum(['answered', 'extractive', 'no_sources', 'small_talk', 'failed', 'rate_limited', 'over_quota'])
    .optional(),
  feedback: z.enum(['up', 'down']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export interface ConversationDto {
  id: string;
  createdAt: string;
  slackUserId: string;
  slackChannelId: string;
  surface: string | null;
  question: string;
  answerText: string | null;
  outcome: string;
  latencyMs: number | null;
  totalTokens: number;
  sources: Array<{
    position: number;
    documentId: string | null;
    title: string;
    section: string;
    score: number;
  }>;
  thumbsUp: number;
  thumbsDown: number;
  feedbackReasons: string[];
}

export const gapsQuery = z.object({
  status: z.enum(['open', 'resolved', 'dismissed']).default('open'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const gapIdParams = z.object({ id: z.uuid() });

/** Close a gap: resolved (optionally by the document that now covers it) or dismissed. */
export const updateGapBody = z.object({
  status: z.enum(['resolved', 'dismissed', 'open']),
  documentId: z.uuid().nullable().optional(),
});

export interface GapDto {
  id: string;
  question: string;
  reason: 'no_sources' | 'downvoted';
  status: 'open' | 'resolved' | 'dismissed';
  answerId: string | null;
  feedbackReason: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedDocument: { id: string; title: string } | null;
  /** How many times the question was asked (gaps of the same question are one entry). */
  count: number;
}
