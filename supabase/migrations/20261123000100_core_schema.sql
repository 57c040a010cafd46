-- Lore v1, part 1: schema, roles, plans, tenants, installations, settings, audit, sessions, API keys.
-- App tables live in their own schema, not `public`, which Supabase exposes through its Data API.

CREATE EXTENSION IF NOT EXISTS vector;

-- The role tenant-scoped work runs as (`SET LOCAL ROLE lore_app`). It is not a superuser and does not
-- own the tables, so row-level security always applies to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lore_app') THEN
    CREATE ROLE lore_app NOLOGIN NOINHERIT;
  END IF;
END $$;
-- The connecting role must be a member to switch to it (on Supabase, `postgres` is not a superuser).
DO $$
BEGIN
  EXECUTE format('GRANT lore_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- already a member, or a superuser (who can always SET ROLE)
END $$;

CREATE SCHEMA IF NOT EXISTS lore;
GRANT USAGE ON SCHEMA lore TO lore_app;

-- The tenant the current transaction acts for; NULL outside withTenant(), which matches no rows.
CREATE OR REPLACE FUNCTION lore.current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
GRANT EXECUTE ON FUNCTION lore.current_tenant_id() TO lore_app;

-- Keeps updated_at honest without every UPDATE having to remember it.
CREATE OR REPLACE FUNCTION lore.touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- Plans: global (not tenant data), readable by the app role.
CREATE TABLE lore.plans (
  id text PRIMARY KEY,
  name text NOT NULL,
  monthly_token_quota bigint NOT NULL CHECK (monthly_token_quota >= 0),
  monthly_question_quota integer NOT NULL CHECK (monthly_question_quota >= 0),
  tenant_rate_per_minute integer NOT NULL CHECK (tenant_rate_per_minute > 0),
  user_rate_per_minute integer NOT NULL CHECK (user_rate_per_minute > 0),
  max_file_bytes bigint NOT NULL CHECK (max_file_bytes > 0),
  max_documents integer NOT NULL CHECK (max_documents > 0),
  max_chunks integer NOT NULL CHECK (max_chunks > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON lore.plans TO lore_app;

INSERT INTO lore.plans (id, name, monthly_token_quota, monthly_question_quota, tenant_rate_per_minute,
                        user_rate_per_minute, max_file_bytes, max_documents, max_chunks) VALUES
  ('free', 'Free', 500000, 300, 30, 5, 10485760, 50, 5000),
  ('team', 'Team', 5000000, 3000, 120, 15, 52428800, 1000, 100000),
  ('business', 'Business', 50000000, 30000, 600, 30, 104857600, 10000, 1000000);

-- A tenant is one Slack workspace, or one Enterprise Grid org for an org-wide install.
CREATE TABLE lore.tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slack_team_id text,
  slack_enterprise_id text,
  is_enterprise_install boolean NOT NULL DEFAULT false,
  name text NOT NULL,
  plan_id text NOT NULL DEFAULT 'free' REFERENCES lore.plans (id),
  -- Per-tenant overrides of the plan's quotas (NULL: the plan's value).
  monthly_token_quota bigint CHECK (monthly_token_quota >= 0),
  monthly_question_quota integer CHECK (monthly_question_quota >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
  is_demo boolean NOT NULL DEFAULT false,
  deactivated_at timestamptz,
  suspended_at timestamptz,
  last_activity_at timestamptz,
  welcomed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (is_enterprise_install OR slack_team_id IS NOT NULL),
  CHECK (NOT is_enterprise_install OR slack_enterprise_id IS NOT NULL)
);
CREATE UNIQUE INDEX tenants_team_key ON lore.tenants (slack_team_id) WHERE NOT is_enterprise_install;
CREATE UNIQUE INDEX tenants_enterprise_key ON lore.tenants (slack_enterprise_id) WHERE is_enterprise_install;
CREATE INDEX tenants_status_idx ON lore.tenants (status);
CREATE TRIGGER tenants_touch BEFORE UPDATE ON lore.tenants FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

-- Every install (and re-install) is a row: history is kept, the newest live row is the current one.
-- Tokens are AES-256-GCM ciphertexts ("<key id>:<iv>:<tag>:<data>"); key_id says which key wrote them.
CREATE TABLE lore.installations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  slack_team_id text,
  slack_enterprise_id text,
  is_enterprise_install boolean NOT NULL DEFAULT false,
  app_id text,
  token_type text,
  bot_id text,
  bot_user_id text,
  bot_scopes text[] NOT NULL DEFAULT '{}',
  bot_token_encrypted text,
  bot_refresh_token_encrypted text,
  bot_token_expires_at timestamptz,
  installer_user_id text,
  user_scopes text[] NOT NULL DEFAULT '{}',
  user_token_encrypted text,
  user_refresh_token_encrypted text,
  user_token_expires_at timestamptz,
  key_id text,
  incoming_webhook jsonb,
  metadata text,
  installed_at timestamptz NOT NULL DEFAULT now(),
  bot_revoked_at timestamptz,
  user_revoked_at timestamptz,
  uninstalled_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A plaintext Slack token can never be stored in these columns by mistake.
  CHECK (bot_token_encrypted IS NULL OR bot_token_encrypted !~ '^xox'),
  CHECK (user_token_encrypted IS NULL OR user_token_encrypted !~ '^xox'),
  CHECK (bot_refresh_token_encrypted IS NULL OR bot_refresh_token_encrypted !~ '^xox'),
  CHECK (user_refresh_token_encrypted IS NULL OR user_refresh_token_encrypted !~ '^xox')
);
CREATE INDEX installations_tenant_idx ON lore.installations (tenant_id, installed_at DESC);
CREATE INDEX installations_team_idx ON lore.installations (slack_team_id, installed_at DESC);
CREATE INDEX installations_enterprise_idx ON lore.installations (slack_enterprise_id, installed_at DESC);
CREATE INDEX installations_expiry_idx ON lore.installations (bot_token_expires_at)
  WHERE bot_token_expires_at IS NOT NULL AND uninstalled_at IS NULL;
CREATE TRIGGER installations_touch BEFORE UPDATE ON lore.installations
  FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

CREATE TABLE lore.tenant_settings (
  tenant_id uuid PRIMARY KEY REFERENCES lore.tenants (id) ON DELETE CASCADE,
  -- 'all': every channel the bot is in; 'selected': only allowed_channel_ids.
  channel_mode text NOT NULL DEFAULT 'all' CHECK (channel_mode IN ('all', 'selected')),
  allowed_channel_ids text[] NOT NULL DEFAULT '{}',
  answer_style text NOT NULL DEFAULT 'concise' CHECK (answer_style IN ('concise', 'detailed')),
  instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
  openai_key_encrypted text,
  openai_key_last4 text,
  user_rate_per_minute integer CHECK (user_rate_per_minute > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (openai_key_encrypted IS NULL OR openai_key_encrypted !~ '^sk-')
);
CREATE TRIGGER tenant_settings_touch BEFORE UPDATE ON lore.tenant_settings
  FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

-- Append-only: the app role may insert and read its tenant's entries, never change or delete them.
-- tenant_id is NULL for platform-level entries (operator actions not tied to one tenant).
CREATE TABLE lore.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid REFERENCES lore.tenants (id) ON DELETE SET NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON lore.audit_log (tenant_id, created_at DESC);
CREATE INDEX audit_log_action_idx ON lore.audit_log (action, created_at DESC);

-- Dashboard sessions: the cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE lore.dashboard_sessions (
  id_hash text PRIMARY KEY,
  tenant_id uuid REFERENCES lore.tenants (id) ON DELETE CASCADE,
  slack_user_id text NOT NULL,
  user_name text NOT NULL DEFAULT '',
  is_platform_admin boolean NOT NULL DEFAULT false,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX dashboard_sessions_tenant_idx ON lore.dashboard_sessions (tenant_id, slack_user_id);

-- API keys for scripted document syncs: shown once, stored as SHA-256, revocable.
CREATE TABLE lore.api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_tenant_idx ON lore.api_keys (tenant_id, created_at DESC);

-- Row-level security: each tenant table is visible and writable only for the tenant in app.tenant_id.
ALTER TABLE lore.tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_self ON lore.tenants
  USING (id = lore.current_tenant_id()) WITH CHECK (id = lore.current_tenant_id());
GRANT SELECT, UPDATE ON lore.tenants TO lore_app;

ALTER TABLE lore.installations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.installations
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT ON lore.installations TO lore_app;

ALTER TABLE lore.tenant_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.tenant_settings
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT, UPDATE ON lore.tenant_settings TO lore_app;

ALTER TABLE lore.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON lore.audit_log FOR SELECT USING (tenant_id = lore.current_tenant_id());
CREATE POLICY tenant_append ON lore.audit_log FOR INSERT WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT ON lore.audit_log TO lore_app;

ALTER TABLE lore.dashboard_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.dashboard_sessions
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, UPDATE ON lore.dashboard_sessions TO lore_app;

ALTER TABLE lore.api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.api_keys
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT, UPDATE ON lore.api_keys TO lore_app;
