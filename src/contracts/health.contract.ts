import { z } from 'zod';

/** The operator's health view: `GET /api/platform/health`, built from what Lore already counts. */
export interface PlatformHealthDto {
  checkedAt: string;
  /** The /readyz checks, each with why it failed (for operators only). */
  checks: Array<{ name: string; ok: boolean; error: string | null }>;
  /** Jobs in the queue by state. */
  queue: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  /**
   * Jobs still to run by job type, the longest-waiting first: how many wait (ready, prioritized or delayed)
   * and when the oldest ready one was queued (null: all are delayed on purpose). Read from at most
   * `sampleSize` jobs per lane and state, the oldest; `sampled` says a lane held more, so counts are lower
   * bounds (the exact totals are in `queue`).
   */
  queueDepth: {
    jobs: Array<{ name: string; waiting: number; oldestQueuedAt: string | null }>;
    sampled: boolean;
    sampleSize: number;
  };
  /** Jobs that used up their attempts, newest first (at most 50), and how many of each kind. */
  failedJobs: Array<{ id: string; name: string; attempts: number; error: string; failedAt: string }>;
  failedByJob: Array<{ name: string; count: number }>;
  /** Documents that ended `failed`, by reason (most common first, at most 20 reasons). */
  ingestionFailures: Array<{ reason: string; documents: number }>;
  brokenInstallations: number;
  /**
   * Since this process started (its /metrics counters): Slack's deliveries to /slack/events and how many
   * got a 5xx; token-refresh jobs by outcome; requests refused by Lore's HTTP rate limits.
   */
  slackDeliveries: { total: number; failed: number; errorRate: number };
  /** Token-refresh attempts that completed, and that failed (each failed attempt is retried). */
  tokenRefresh: { completed: number; failed: number };
  httpRateLimited: number;
  /**
   * The active workspaces (demo ones aside) whose last answered question in Slack is oldest, never-active
   * ones first, at most 10; the operator's tenants table sorts all of them by last activity.
   */
  quietTenants: Array<{ id: string; name: string; lastActivityAt: string | null }>;
}

export const failedJobParams = z.object({ id: z.string().min(1).max(200) });
