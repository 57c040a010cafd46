import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { quietestActiveTenants, type TenantLastActivity } from '../tenants.repo.js';

/** How many of the quietest workspaces the health view lists. */
export const QUIET_TENANTS_SHOWN = 10;

/**
 * The active workspaces whose last answered question is oldest (never-active ones first), for the operator:
 * a workspace that went silent often has a broken install or lost its channels. The full list, sortable by
 * last activity, is the operator's tenants table.
 */
export function quietestTenants(db: Database, limit = QUIET_TENANTS_SHOWN): Promise<TenantLastActivity[]> {
  return withTransaction(db, (c) => quietestActiveTenants(c, limit));
}
