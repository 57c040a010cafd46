import { z } from 'zod';

const day = z.iso.date();

/** A period of whole days (UTC), at most a year; default the last 30 days. */
export const usageQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

/**
 * One UTC day. Complete days are served from the daily rollup, today from the raw rows; the numbers are the
 * same either way. Tokens and cost include embeddings; the channel and user breakdowns count answers only.
 */
export interface UsageDayDto {
  day: string;
  questions: number;
  answered: number;
  unanswered: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Mean latency of the day's answers that have one; null when none has. */
  avgLatencyMs: number | null;
  /** The 95th percentile of that day's latencies (kept per day, never summed or averaged across days). */
  p95LatencyMs: number | null;
  /** 👍 and 👎 by the day the vote was cast or last changed. */
  thumbsUp: number;
  thumbsDown: number;
}

export interface UsageBreakdownDto {
  key: string;
  questions: number;
  tokens: number;
  costUsd: number;
}

export interface UsageReportDto {
  from: string;
  to: string;
  days: UsageDayDto[];
  byChannel: UsageBreakdownDto[];
  byUser: UsageBreakdownDto[];
  totals: {
    questions: number;
    answered: number;
    tokens: number;
    costUsd: number;
    /** Mean latency over every answer of the period that has one (no period percentile: days' do not add up). */
    avgLatencyMs: number | null;
    thumbsUp: number;
    thumbsDown: number;
  };
}
