import type { Database } from '../infra/db/database.js';
import { DEMO_TEAM_ID } from '../tenants/demo/demo-tenant.js';
import { findTenantBySlackId, type Tenant } from '../tenants/tenants.repo.js';

/** Finds the tenant a `--tenant` option names: a Slack team or enterprise id, or `demo`. */
export async function resolveTenantOption(db: Database, value: string | undefined): Promise<Tenant> {
  if (!value) throw new Error('Name the workspace with --tenant <team-or-enterprise-id> (or --tenant demo).');
  const slackId = value.toLowerCase() === 'demo' ? DEMO_TEAM_ID : value;
  const tenant = await findTenantBySlackId(db.pool, slackId);
  if (!tenant) throw new Error(`No workspace with Slack id "${value}". See: tenants list`);
  return tenant;
}
