-- Dashboard: "sign out everywhere" finds a user's live sessions across workspaces (and operator sessions,
-- which may have no tenant); the operator view sums usage across tenants by time.
CREATE INDEX dashboard_sessions_user_idx ON lore.dashboard_sessions (slack_user_id) WHERE revoked_at IS NULL;
CREATE INDEX dashboard_sessions_expiry_idx ON lore.dashboard_sessions (expires_at);
CREATE INDEX usage_events_created_idx ON lore.usage_events (created_at);
CREATE INDEX answers_created_idx ON lore.answers (created_at);
