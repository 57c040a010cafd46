-- The operator's health view lists, on every refresh, the active workspaces that have been quiet longest: a
-- partial index in that order keeps it to the first few entries instead of a sort of every tenant.
CREATE INDEX tenants_quiet_active_idx ON lore.tenants (last_activity_at NULLS FIRST, id)
  WHERE status = 'active' AND NOT is_demo;
