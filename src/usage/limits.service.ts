import type { DbClient } from '../infra/db/database.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { PlanLimits } from '../tenants/plans.repo.js';
import { monthlyPlatformUsage } from './usage.repo.js';

/** Why a question was not answered: which limit, and when it lifts. */
export interface LimitHit {
  kind: 'rate_limited' | 'over_quota';
  scope: 'user' | 'workspace';
  resetAt: Date;
}

const MINUTE = 60_000;

/**
 * Per-user, then per-workspace, questions per minute (Redis fixed windows, atomic). A user over their
 * limit does not use up the workspace's allowance.
 */
export async function checkRateLimits(
  kv: KeyValueStore,
  p: {
    tenantId: string;
    userId: string;
    limits: Pick<PlanLimits, 'userRatePerMinute' | 'tenantRatePerMinute'>;
  },
): Promise<LimitHit | null> {
  const user = await kv.incrementWindow(`rate:user:${p.tenantId}:${p.userId}`, 1, MINUTE);
  if (user.count > p.limits.userRatePerMinute) {
    return { kind: 'rate_limited', scope: 'user', resetAt: new Date(user.resetAtMs) };
  }
  const tenant = await kv.incrementWindow(`rate:tenant:${p.tenantId}`, 1, MINUTE);
  if (tenant.count > p.limits.tenantRatePerMinute) {
    return { kind: 'rate_limited', scope: 'workspace', resetAt: new Date(tenant.resetAtMs) };
  }
  return null;
}

/** The first instant of next month (UTC): when monthly quotas reset. */
export function nextMonthStart(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** Whether the workspace has used up its monthly platform allowance (own OpenAI keys are never capped). */
export async function checkMonthlyQuota(c: DbClient, limits: PlanLimits): Promise<LimitHit | null> {
  const used = await monthlyPlatformUsage(c);
  if (used.tokens >= limits.monthlyTokenQuota || used.questions >= limits.monthlyQuestionQuota) {
    return { kind: 'over_quota', scope: 'workspace', resetAt: nextMonthStart() };
  }
  return null;
}

/** The message a user sees for a limit, with when it resets (Slack renders the date in their time zone). */
export function limitMessage(hit: LimitHit): string {
  const epoch = Math.ceil(hit.resetAt.getTime() / 1000);
  const when = `<!date^${epoch}^{date_short_pretty} at {time}|${hit.resetAt.toISOString()}>`;
  if (hit.kind === 'over_quota') {
    return `This workspace has used its Lore allowance for this month. It resets ${when}. An admin can raise the limit or add the workspace's own OpenAI key in the Lore dashboard.`;
  }
  return hit.scope === 'user'
    ? `You're asking faster than this workspace allows. Try again ${when}.`
    : `Lore is answering as many questions as this workspace's plan allows right now. Try again ${when}.`;
}
