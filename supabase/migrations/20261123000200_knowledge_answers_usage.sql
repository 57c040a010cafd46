-- Lore v1, part 2: knowledge base (documents, versions, chunks), answers with citations and feedback,
-- knowledge gaps, usage events and daily rollups. Every table is tenant-owned and under RLS.

CREATE TABLE lore.documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  -- The name it was uploaded under: a new upload with the same name becomes a new version.
  source_name text NOT NULL CHECK (length(source_name) BETWEEN 1 AND 500),
  source_kind text NOT NULL DEFAULT 'upload' CHECK (source_kind IN ('upload', 'api', 'cli', 'sample')),
  active_version_id uuid,
  latest_version integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'parsing', 'embedding', 'ready', 'failed')),
  progress_done integer NOT NULL DEFAULT 0,
  progress_total integer NOT NULL DEFAULT 0,
  error_reason text,
  chunk_count integer NOT NULL DEFAULT 0,
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX documents_name_key ON lore.documents (tenant_id, source_name);
CREATE INDEX documents_tenant_updated_idx ON lore.documents (tenant_id, updated_at DESC);
CREATE TRIGGER documents_touch BEFORE UPDATE ON lore.documents FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

CREATE TABLE lore.document_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES lore.documents (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version > 0),
  checksum_sha256 text NOT NULL CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  byte_size bigint NOT NULL CHECK (byte_size >= 0),
  media_type text NOT NULL,
  blob_key text NOT NULL,
  page_count integer,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'parsing', 'embedding', 'ready', 'failed')),
  error_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, version)
);
CREATE INDEX document_versions_checksum_idx ON lore.document_versions (tenant_id, checksum_sha256);
ALTER TABLE lore.documents ADD CONSTRAINT documents_active_version_fk
  FOREIGN KEY (active_version_id) REFERENCES lore.document_versions (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

-- Only the active version's chunks exist: a new version's chunks replace the old ones in one transaction.
CREATE TABLE lore.chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES lore.documents (id) ON DELETE CASCADE,
  version_id uuid NOT NULL REFERENCES lore.document_versions (id) ON DELETE CASCADE,
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  title text NOT NULL,
  section text NOT NULL DEFAULT '',
  page_start integer,
  page_end integer,
  content text NOT NULL CHECK (length(content) > 0),
  token_count integer NOT NULL CHECK (token_count > 0),
  -- Title and section weigh more than body text in full-text ranking.
  fts tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', section), 'B') ||
    setweight(to_tsvector('english', content), 'C')
  ) STORED,
  embedding halfvec(1536),
  embedding_model text,
  embedding_dims integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (version_id, ordinal),
  CHECK ((embedding IS NULL) = (embedding_model IS NULL))
);
CREATE INDEX chunks_tenant_doc_idx ON lore.chunks (tenant_id, document_id, ordinal);
CREATE INDEX chunks_fts_idx ON lore.chunks USING gin (fts);
CREATE INDEX chunks_embedding_hnsw_idx ON lore.chunks USING hnsw (embedding halfvec_cosine_ops);

-- A Slack thread (or DM thread, /ask, assistant thread, dashboard playground) with its questions.
CREATE TABLE lore.conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  surface text NOT NULL CHECK (surface IN ('mention', 'dm', 'thread', 'ask', 'assistant', 'playground')),
  slack_channel_id text NOT NULL DEFAULT '',
  slack_thread_ts text NOT NULL DEFAULT '',
  slack_user_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_thread_idx ON lore.conversations (tenant_id, slack_channel_id, slack_thread_ts);

CREATE TABLE lore.answers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES lore.conversations (id) ON DELETE CASCADE,
  -- The Slack event id (or command trigger id): a retried job finds its answer instead of making another.
  idempotency_key text NOT NULL,
  slack_user_id text NOT NULL DEFAULT '',
  slack_channel_id text NOT NULL DEFAULT '',
  question text NOT NULL,
  answer_text text,
  outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN
    ('pending', 'answered', 'extractive', 'no_sources', 'failed', 'rate_limited', 'over_quota')),
  model text,
  key_source text CHECK (key_source IN ('platform', 'tenant', 'none')),
  prompt_tokens integer NOT NULL DEFAULT 0,
  completion_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  latency_ms integer,
  -- Where the reply was posted: a job retried after a crash updates this message instead of posting again.
  posted_channel_id text,
  posted_ts text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX answers_tenant_created_idx ON lore.answers (tenant_id, created_at DESC);

CREATE TABLE lore.answer_citations (
  answer_id uuid NOT NULL REFERENCES lore.answers (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position > 0),
  document_id uuid REFERENCES lore.documents (id) ON DELETE SET NULL,
  chunk_id bigint REFERENCES lore.chunks (id) ON DELETE SET NULL,
  title text NOT NULL,
  section text NOT NULL DEFAULT '',
  score double precision NOT NULL,
  PRIMARY KEY (answer_id, position)
);
CREATE INDEX answer_citations_tenant_doc_idx ON lore.answer_citations (tenant_id, document_id);

-- One vote per user per answer, changeable.
CREATE TABLE lore.answer_feedback (
  answer_id uuid NOT NULL REFERENCES lore.answers (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  slack_user_id text NOT NULL,
  vote smallint NOT NULL CHECK (vote IN (-1, 1)),
  reason text CHECK (length(reason) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (answer_id, slack_user_id)
);
CREATE INDEX answer_feedback_tenant_idx ON lore.answer_feedback (tenant_id, updated_at DESC);
CREATE TRIGGER answer_feedback_touch BEFORE UPDATE ON lore.answer_feedback
  FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

-- Questions the knowledge base could not answer well: the admin closes them by adding a document.
CREATE TABLE lore.knowledge_gaps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  answer_id uuid REFERENCES lore.answers (id) ON DELETE CASCADE,
  question text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('no_sources', 'downvoted')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  resolved_document_id uuid REFERENCES lore.documents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  UNIQUE (answer_id, reason)
);
CREATE INDEX knowledge_gaps_open_idx ON lore.knowledge_gaps (tenant_id, status, created_at DESC);

-- Metered usage, one row per billable operation; idempotency_key makes a retried job record it once.
CREATE TABLE lore.usage_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('answer', 'embedding')),
  idempotency_key text NOT NULL,
  answer_id uuid REFERENCES lore.answers (id) ON DELETE SET NULL,
  slack_channel_id text NOT NULL DEFAULT '',
  slack_user_id text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  key_source text NOT NULL DEFAULT 'platform' CHECK (key_source IN ('platform', 'tenant', 'none')),
  prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  total_tokens integer GENERATED ALWAYS AS (prompt_tokens + completion_tokens) STORED,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  latency_ms integer,
  outcome text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX usage_events_tenant_created_idx ON lore.usage_events (tenant_id, created_at DESC);

CREATE TABLE lore.usage_daily (
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  day date NOT NULL,
  questions integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  unanswered integer NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  embedding_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  latency_ms_sum bigint NOT NULL DEFAULT 0,
  thumbs_up integer NOT NULL DEFAULT 0,
  thumbs_down integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, day)
);

-- Row-level security and grants for every table above.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['documents', 'document_versions', 'chunks', 'conversations', 'answers',
                           'answer_citations', 'answer_feedback', 'knowledge_gaps', 'usage_events', 'usage_daily']
  LOOP
    EXECUTE format('ALTER TABLE lore.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_rows ON lore.%I USING (tenant_id = lore.current_tenant_id()) '
                   'WITH CHECK (tenant_id = lore.current_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON lore.%I TO lore_app', t);
  END LOOP;
END $$;

-- Metered usage is append-only for the app.
REVOKE UPDATE, DELETE ON lore.usage_events FROM lore_app;
