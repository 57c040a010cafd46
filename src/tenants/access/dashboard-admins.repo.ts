import type { DbClient } from '../../infra/db/database.js';

// Admins who stopped signing in long ago may no longer be admins; Slack is not asked again for a DM.
const RECENT_DAYS = 90;

/**
 * Slack users who signed in to the current tenant's dashboard in the last 90 days (only installers, admins
 * and owners can), operators excluded: they are not the workspace's people. Call inside withTenant.
 * Reads lore.dashboard_sessions (owned by dashboard-sessions.repo.ts).
 */
export async function recentDashboardAdmins(c: DbClient): Promise<string[]> {
  const { rows } = await c.query<{ slack_user_id: string }>(
    `SELECT DISTINCT slack_user_id FROM lore.dashboard_sessions
     WHERE NOT is_platform_admin AND created_at > now() - make_interval(days => $1)
     ORDER BY slack_user_id`,
    [RECENT_DAYS],
  );
  return rows.map((r) => r.slack_user_id);
}
