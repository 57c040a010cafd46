-- A browser signed in to several workspaces, like Slack's own workspace switcher. Each workspace keeps its
-- own session row, verified at its own sign-in (installer, admin or owner) and expiring on its own; the rows
-- of one browser share browser_id. The row the cookie points at is current; the others are parked: a parked
-- row is never accepted as a cookie, and only a switch (which re-checks access) gives it a fresh id.
ALTER TABLE lore.dashboard_sessions
  ADD COLUMN browser_id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN parked_at timestamptz,
  ADD COLUMN team_icon_url text CHECK (team_icon_url IS NULL OR team_icon_url LIKE 'https://%');
CREATE INDEX dashboard_sessions_browser_idx ON lore.dashboard_sessions (browser_id) WHERE revoked_at IS NULL;
