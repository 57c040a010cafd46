/**
 * Which tenant a Slack install or event belongs to: a workspace by its team id, or a whole Enterprise Grid
 * org (org-wide install) by its enterprise id. Every lookup, cache entry and lock is keyed by this.
 */
export type SlackKey = { kind: 'team'; teamId: string } | { kind: 'enterprise'; enterpriseId: string };

/** The ids Slack sends with an install or an event. */
export interface SlackIds {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean | null;
}

/** The key for a set of Slack ids: the enterprise for org-wide installs, the team otherwise; null when missing. */
export function slackKeyOf(ids: SlackIds): SlackKey | null {
  if (ids.isEnterpriseInstall)
    return ids.enterpriseId ? { kind: 'enterprise', enterpriseId: ids.enterpriseId } : null;
  return ids.teamId ? { kind: 'team', teamId: ids.teamId } : null;
}

/** A stable string form (`team:T123`, `enterprise:E123`) for cache keys, locks and logs. */
export function slackKeyString(key: SlackKey): string {
  return key.kind === 'team' ? `team:${key.teamId}` : `enterprise:${key.enterpriseId}`;
}

/** The id an operator types for this key (team id or enterprise id). */
export function slackKeyId(key: SlackKey): string {
  return key.kind === 'team' ? key.teamId : key.enterpriseId;
}

/** SQL that matches tenants (alias `t`) by key; `$n` is the parameter number to use. */
export function tenantKeyCondition(key: SlackKey, n: number): { sql: string; param: string } {
  return key.kind === 'team'
    ? { sql: `(NOT t.is_enterprise_install AND t.slack_team_id = $${n})`, param: key.teamId }
    : { sql: `(t.is_enterprise_install AND t.slack_enterprise_id = $${n})`, param: key.enterpriseId };
}

/** The Slack key a tenant is found by. */
export function keyOfTenant(t: {
  isEnterpriseInstall: boolean;
  slackTeamId: string | null;
  slackEnterpriseId: string | null;
}): SlackKey {
  return t.isEnterpriseInstall
    ? { kind: 'enterprise', enterpriseId: t.slackEnterpriseId ?? '' }
    : { kind: 'team', teamId: t.slackTeamId ?? '' };
}
