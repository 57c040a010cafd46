-- Add to Slack: what Bolt's Installation carries beyond part 1's columns, so a fetched installation is
-- the one that was stored (names shown in the dashboard, the org's URL for org-wide installs).
ALTER TABLE lore.installations
  ADD COLUMN team_name text,
  ADD COLUMN enterprise_name text,
  ADD COLUMN enterprise_url text,
  ADD COLUMN auth_version text NOT NULL DEFAULT 'v2' CHECK (auth_version IN ('v1', 'v2'));

-- tokens_revoked names users, not tokens: revoking a user's token finds that user's rows in a tenant.
CREATE INDEX installations_tenant_user_idx ON lore.installations (tenant_id, installer_user_id)
  WHERE user_token_encrypted IS NOT NULL;

-- The purge job looks for tenants deactivated longer ago than the grace period.
CREATE INDEX tenants_deactivated_idx ON lore.tenants (deactivated_at) WHERE status = 'inactive';
