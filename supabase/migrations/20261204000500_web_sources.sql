-- Issue 13: web pages (and sitemaps) as sources, and Slack threads saved to Lore.

-- Documents may now come from a web page or a saved Slack thread; source_url is where a citation of one
-- links back to (the page, or the thread's permalink). Only http(s) URLs: a citation must never be a
-- javascript: or data: link.
ALTER TABLE lore.documents DROP CONSTRAINT documents_source_kind_check;
ALTER TABLE lore.documents ADD CONSTRAINT documents_source_kind_check
  CHECK (source_kind IN ('upload', 'api', 'cli', 'sample', 'web', 'slack_thread'));
ALTER TABLE lore.documents ADD COLUMN source_url text
  CHECK (source_url IS NULL OR (source_url ~ '^https?://' AND length(source_url) <= 2048));

-- Per plan: how many web pages a workspace may follow, and how large one page may be.
ALTER TABLE lore.plans ADD COLUMN max_web_pages integer NOT NULL DEFAULT 50 CHECK (max_web_pages >= 0);
ALTER TABLE lore.plans ADD COLUMN max_web_page_bytes bigint NOT NULL DEFAULT 2097152 CHECK (max_web_page_bytes > 0);
UPDATE lore.plans SET max_web_pages = 50, max_web_page_bytes = 2097152 WHERE id = 'free';
UPDATE lore.plans SET max_web_pages = 1000, max_web_page_bytes = 5242880 WHERE id = 'team';
UPDATE lore.plans SET max_web_pages = 10000, max_web_page_bytes = 10485760 WHERE id = 'business';

-- Who may save a thread to Lore from Slack: every member, or only the workspace's admins and owners.
ALTER TABLE lore.tenant_settings ADD COLUMN thread_save_policy text NOT NULL DEFAULT 'everyone'
  CHECK (thread_save_policy IN ('everyone', 'admins'));

-- One row per URL a workspace follows. A sitemap row lists pages; each page row feeds one document.
-- The validators (ETag, Last-Modified) and the checksum of the last body make an unchanged page free.
CREATE TABLE lore.web_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('page', 'sitemap')),
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  sitemap_id uuid REFERENCES lore.web_sources (id) ON DELETE CASCADE,
  document_id uuid REFERENCES lore.documents (id) ON DELETE CASCADE,
  etag text CHECK (length(etag) <= 512),
  last_modified text CHECK (length(last_modified) <= 128),
  checksum_sha256 text CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'failed')),
  error_code text,
  error_reason text,
  fetched_at timestamptz,
  next_fetch_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, url),
  CHECK ((kind = 'page') = (document_id IS NOT NULL))
);
-- The refresh job looks across tenants for what is due.
CREATE INDEX web_sources_due_idx ON lore.web_sources (next_fetch_at);
CREATE INDEX web_sources_document_idx ON lore.web_sources (document_id);

ALTER TABLE lore.web_sources ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.web_sources
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON lore.web_sources TO lore_app;
