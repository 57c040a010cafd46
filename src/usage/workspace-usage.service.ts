import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
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
    const { rows } = await c.query<{ planName: string; ownKey: boolean }>(
      `SELECT p.name AS "planName", s.openai_key_encrypted IS NOT NULL AS "ownKey"
       FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id
       LEFT JOIN lore.tenant_settings s ON s.tenant_id = t.id
       WHERE t.id = $1`,
      [tenantId],
    );
    return {
      planName: rows[0]?.planName ?? limits.planId,
      questions: used.questions,
      questionQuota: limits.monthlyQuestionQuota,
      tokens: used.tokens,
      tokenQuota: limits.monthlyTokenQuota,
      ownKey: Boolean(rows[0]?.ownKey),
      resetsAt: nextMonthStart(),
    };
  });
}
