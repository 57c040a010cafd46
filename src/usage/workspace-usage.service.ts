import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { getPlanLimits, planNameAndOwnKey } from '../tenants/plans.repo.js';
import { nextMonthStart } from './limits.service.js';
import { monthlyPlatformUsage } from './usage.repo.js';

/** This month's usage of a workspace against its plan, as the App Home shows it. */
export interface WorkspaceUsage {
  planName: string;
  questions: number;
  questionQuota: number;
  tokens: number;
  tokenQuota: number;
  /** The workspace answers with its own OpenAI key: metered, never capped. */
  ownKey: boolean;
  resetsAt: Date;
}

/** Reads a workspace's monthly usage (platform key) with its plan's allowance. */
export async function workspaceUsage(db: Database, tenantId: string): Promise<WorkspaceUsage> {
  return withTenant(db, tenantId, async (c) => {
    const limits = await getPlanLimits(c);
    const used = await monthlyPlatformUsage(c);
    const plan = await planNameAndOwnKey(c, tenantId);
    return {
      planName: plan?.planName ?? limits.planId,
      questions: used.questions,
      questionQuota: limits.monthlyQuestionQuota,
      tokens: used.tokens,
      tokenQuota: limits.monthlyTokenQuota,
      ownKey: Boolean(plan?.ownKey),
      resetsAt: nextMonthStart(),
    };
  });
}
