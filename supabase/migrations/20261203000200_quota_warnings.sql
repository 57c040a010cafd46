-- Which monthly-quota thresholds a workspace has been warned about. The primary key is what makes "once per
-- threshold per month" hold across processes and retries: the warning is sent only by whoever inserted the
-- row. `month` is the first day of the UTC month the usage belongs to.
CREATE TABLE lore.quota_warnings (
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  quota text NOT NULL CHECK (quota IN ('tokens', 'questions')),
  threshold smallint NOT NULL CHECK (threshold IN (80, 100)),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  used bigint NOT NULL CHECK (used >= 0),
  quota_limit bigint NOT NULL CHECK (quota_limit >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, quota, threshold, month)
);

ALTER TABLE lore.quota_warnings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.quota_warnings
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT ON lore.quota_warnings TO lore_app;
