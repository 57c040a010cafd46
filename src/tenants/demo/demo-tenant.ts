import { appendAudit } from '../../audit/audit.repo.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { findTenantBySlackId, insertTenant, type Tenant } from '../tenants.repo.js';

/** The Slack team id of the demo workspace seeded in embedded mode (no real team has this id). */
export const DEMO_TEAM_ID = 'T0LOREDEMO';

/** Creates the demo workspace once (embedded mode), so a fresh clone has something to look at. */
export async function ensureDemoTenant(db: Database): Promise<{ tenant: Tenant; created: boolean }> {
  return withTransaction(db, async (c) => {
    const existing = await findTenantBySlackId(c, DEMO_TEAM_ID);
    if (existing) return { tenant: existing, created: false };
    const tenant = await insertTenant(c, {
      slackTeamId: DEMO_TEAM_ID,
      slackEnterpriseId: null,
      isEnterpriseInstall: false,
      name: 'Demo workspace',
      planId: 'team',
      isDemo: true,
    });
    await appendAudit(c, {
      tenantId: tenant.id,
      actor: 'system',
      action: 'tenant.created',
      details: { demo: true },
    });
    return { tenant, created: true };
  });
}
