-- Installations whose token Slack refused (invalid_auth, account_inactive, token_revoked, not_authed) on a
-- Web API call. One row per tenant while it is broken: the dashboard shows a reinstall banner, the operator
-- view and /metrics count them, and jobs that need Slack stop retrying. Marked by the server (owner role).
CREATE TABLE lore.broken_installations (
  tenant_id uuid PRIMARY KEY REFERENCES lore.tenants (id) ON DELETE CASCADE,
  -- Slack's error string and the method that got it (never the token or the request).
  error_code text NOT NULL,
  method text NOT NULL,
  broken_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE lore.broken_installations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.broken_installations
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
-- The dashboard reads its own tenant's row; only the server (owner) marks and clears.
GRANT SELECT ON lore.broken_installations TO lore_app;

-- A new install (OAuth) brings new tokens: whatever was broken is not any more. In the database, so no
-- path that stores an installation can forget it.
CREATE FUNCTION lore.clear_broken_installation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lore.broken_installations WHERE tenant_id = NEW.tenant_id;
  RETURN NEW;
END $$;

CREATE TRIGGER installations_clear_broken AFTER INSERT ON lore.installations
  FOR EACH ROW EXECUTE FUNCTION lore.clear_broken_installation();
