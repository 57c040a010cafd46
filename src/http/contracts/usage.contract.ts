import { z } from 'zod';

const day = z.iso.date();

/** A period of whole days (UTC), at most a year; default the last 30 days. */
export const usageQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

export interface UsageDayDto {
  day: string;
  questions: number;
  answered: number;
  unanswered: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
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
    avgLatencyMs: number | null;
    thumbsUp: number;
    thumbsDown: number;
  };
}
