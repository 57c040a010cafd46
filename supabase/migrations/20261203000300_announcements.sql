-- Operator announcements (system messages): shown as a banner in the dashboard and a section in App Home
-- of the workspaces they address, between starts_at and ends_at (or until an operator ends them early).
CREATE TABLE lore.announcements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  level text NOT NULL CHECK (level IN ('info', 'warning', 'maintenance')),
  -- Markdown, as the operator wrote it.
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  audience text NOT NULL CHECK (audience IN ('all', 'plan', 'tenants')),
  plan_id text REFERENCES lore.plans (id),
  tenant_ids uuid[] NOT NULL DEFAULT '{}',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK ((audience = 'plan') = (plan_id IS NOT NULL)),
  CHECK ((audience = 'tenants') = (cardinality(tenant_ids) > 0))
);
CREATE INDEX announcements_live_idx ON lore.announcements (ends_at) WHERE ended_at IS NULL;

-- A workspace sees only the announcements addressed to it: to everyone, to its plan, or naming it.
ALTER TABLE lore.announcements ENABLE ROW LEVEL SECURITY;
CREATE POLICY addressed_to_tenant ON lore.announcements FOR SELECT USING (
  audience = 'all'
  OR (audience = 'plan' AND plan_id = (SELECT t.plan_id FROM lore.tenants t WHERE t.id = lore.current_tenant_id()))
  OR lore.current_tenant_id() = ANY (tenant_ids)
);
GRANT SELECT ON lore.announcements TO lore_app;
