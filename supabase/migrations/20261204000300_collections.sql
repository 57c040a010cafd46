-- Collections and channel scopes (issue 13). Documents are grouped into collections; each Slack channel
-- may be mapped to one or more of them, and answers there retrieve only from those. Every workspace has
-- exactly one default collection ("Everyone" until an admin picks another): DMs, /ask and the assistant
-- panel answer from it, unmapped channels too, and a document added without a collection goes into it.

CREATE TABLE lore.collections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 80 AND name = btrim(name)),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Target of the composite foreign keys below: a row can only point at its own tenant's collection
  -- (foreign-key checks bypass row-level security, so a plain id would let one tenant name another's).
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX collections_name_key ON lore.collections (tenant_id, lower(name));
CREATE UNIQUE INDEX collections_one_default ON lore.collections (tenant_id) WHERE is_default;

ALTER TABLE lore.collections ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.collections
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON lore.collections TO lore_app;

-- Every tenant, old and new, starts with "Everyone" as its default.
INSERT INTO lore.collections (tenant_id, name, is_default) SELECT id, 'Everyone', true FROM lore.tenants;

CREATE FUNCTION lore.create_default_collection() RETURNS trigger
LANGUAGE plpgsql SET search_path = lore, pg_catalog AS $$
BEGIN
  INSERT INTO lore.collections (tenant_id, name, is_default) VALUES (NEW.id, 'Everyone', true);
  RETURN NEW;
END
$$;
CREATE TRIGGER tenants_default_collection AFTER INSERT ON lore.tenants
  FOR EACH ROW EXECUTE FUNCTION lore.create_default_collection();

-- A document belongs to exactly one collection. Deleting a collection that still holds documents is
-- refused by the database (the dashboard says which documents first).
ALTER TABLE lore.documents ADD COLUMN collection_id uuid;
UPDATE lore.documents d SET collection_id = c.id
  FROM lore.collections c WHERE c.tenant_id = d.tenant_id AND c.is_default;
ALTER TABLE lore.documents ALTER COLUMN collection_id SET NOT NULL;
ALTER TABLE lore.documents ADD CONSTRAINT documents_collection_fk
  FOREIGN KEY (tenant_id, collection_id) REFERENCES lore.collections (tenant_id, id) ON DELETE RESTRICT;
CREATE INDEX documents_collection_idx ON lore.documents (tenant_id, collection_id);

-- Whoever adds a document without naming a collection (uploads, samples, web pages, saved threads) gets
-- the workspace's default: no code path has to know about collections to stay correct.
CREATE FUNCTION lore.document_default_collection() RETURNS trigger
LANGUAGE plpgsql SET search_path = lore, pg_catalog AS $$
BEGIN
  IF NEW.collection_id IS NULL THEN
    SELECT c.id INTO NEW.collection_id FROM lore.collections c WHERE c.tenant_id = NEW.tenant_id AND c.is_default;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER documents_default_collection BEFORE INSERT ON lore.documents
  FOR EACH ROW EXECUTE FUNCTION lore.document_default_collection();

-- Per-channel settings: instructions added to the prompt there (tone, audience), and its collections.
CREATE TABLE lore.channel_scopes (
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  channel_id text NOT NULL CHECK (channel_id ~ '^[CG][A-Z0-9]{2,30}$'),
  instructions text NOT NULL DEFAULT '' CHECK (char_length(instructions) <= 1000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel_id)
);
CREATE TRIGGER channel_scopes_touch BEFORE UPDATE ON lore.channel_scopes
  FOR EACH ROW EXECUTE FUNCTION lore.touch_updated_at();

-- A channel with no rows here answers from the default collection.
CREATE TABLE lore.channel_collections (
  tenant_id uuid NOT NULL,
  channel_id text NOT NULL,
  collection_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, channel_id, collection_id),
  FOREIGN KEY (tenant_id, channel_id) REFERENCES lore.channel_scopes (tenant_id, channel_id) ON DELETE CASCADE,
  -- A collection still used by a channel cannot be deleted (the dashboard names the channels).
  FOREIGN KEY (tenant_id, collection_id) REFERENCES lore.collections (tenant_id, id) ON DELETE RESTRICT
);
CREATE INDEX channel_collections_collection_idx ON lore.channel_collections (tenant_id, collection_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['channel_scopes', 'channel_collections'] LOOP
    EXECUTE format('ALTER TABLE lore.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_rows ON lore.%I USING (tenant_id = lore.current_tenant_id()) '
      'WITH CHECK (tenant_id = lore.current_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON lore.%I TO lore_app', t);
  END LOOP;
END
$$;

-- lore.hybrid_search gains p_collections: with it, only chunks of documents in those collections are
-- candidates in either list, and N (BM25's document count) counts only them, so nothing about a
-- document out of scope (its text, or its share of the statistics) can shape the answer. The old
-- signature is dropped rather than overloaded: calls by name that omit p_collections would otherwise be
-- ambiguous. Everything else is as in 20261124008000_bm25_full_text.sql.
DROP FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer);

CREATE FUNCTION lore.hybrid_search(
  p_tenant uuid,
  p_query text,
  p_embedding halfvec(1536) DEFAULT NULL,       -- NULL: full-text search only
  p_k integer DEFAULT 10,
  p_full_text_weight double precision DEFAULT 1,
  p_semantic_weight double precision DEFAULT 1,
  p_rrf_k integer DEFAULT 60,
  p_embedding_model text DEFAULT NULL,          -- compare only with chunks embedded by this model
  p_candidates integer DEFAULT NULL,            -- per-list candidates before fusion (default 4 * k, >= 40)
  p_full_text_mode text DEFAULT 'all_then_any', -- 'all' (websearch AND), 'any' (OR of the lexemes), or both
  p_exact_below integer DEFAULT NULL,           -- NULL: from the index size, see 20261123002000
  p_collections uuid[] DEFAULT NULL             -- NULL: every collection (admin tools); else only these
)
RETURNS TABLE (
  chunk_id bigint,
  document_id uuid,
  title text,
  source_name text,
  section text,
  page_start integer,
  page_end integer,
  ordinal integer,
  content text,
  full_text_rank integer,
  full_text_score real,
  matched_all_terms boolean,
  term_coverage real,
  semantic_rank integer,
  similarity double precision,
  score double precision
)
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = lore, public, pg_catalog
SET client_min_messages = warning
-- The best plan depends on the values (tenant size, query words, an embedding or not): plan each call.
SET plan_cache_mode = force_custom_plan
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 100
SET hnsw.max_scan_tuples = 50000
AS $$
#variable_conflict use_column
DECLARE
  v_k integer := least(greatest(coalesce(p_k, 10), 1), 100);
  v_n integer := least(greatest(coalesce(p_candidates, 4 * least(greatest(coalesce(p_k, 10), 1), 100)), 40), 400);
  v_all tsquery := websearch_to_tsquery('english', coalesce(p_query, ''));
  v_lexemes text[] := tsvector_to_array(to_tsvector('english', coalesce(p_query, '')));
  v_any tsquery;
  v_docs double precision := 0;
  v_exact boolean := true;
  v_limit bigint;
  -- BM25 term-frequency saturation and length normalisation (Anserini's defaults, see above).
  v_scoped CONSTANT boolean := p_collections IS NOT NULL;
  v_k1 CONSTANT double precision := 0.9;
  v_b CONSTANT double precision := 0.4;
BEGIN
  IF p_full_text_mode NOT IN ('all', 'any', 'all_then_any') THEN
    RAISE EXCEPTION 'hybrid_search: unknown full-text mode %', p_full_text_mode USING ERRCODE = '22023';
  END IF;
  -- Every lexeme of the query OR-ed: the candidates (every mode scores them, so df is exact).
  -- Built from the stemmed lexemes and cast directly, so nothing is stemmed twice.
  SELECT string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
    INTO v_any
    FROM unnest(v_lexemes) AS l;
  -- A query of stop words or punctuation has no lexemes: full-text then contributes nothing (no error).
  IF numnode(v_any) = 0 THEN
    v_any := NULL;
  END IF;
  IF v_any IS NOT NULL THEN
    SELECT coalesce(sum(d.chunk_count), 0) INTO v_docs
      FROM lore.documents d
      WHERE d.tenant_id = p_tenant AND d.active_version_id IS NOT NULL
        AND (NOT v_scoped OR d.collection_id = ANY (p_collections));
  END IF;

  IF p_embedding IS NOT NULL THEN
    -- Exact search for small tenants, the HNSW index for large ones (see 20261123002000).
    v_limit := coalesce(p_exact_below, greatest(1000, ceil(sqrt(12.0 * v_n * greatest(
      (SELECT cl.reltuples FROM pg_class cl WHERE cl.oid = 'lore.chunks'::regclass), 0)))::bigint));
    SELECT count(*) < v_limit INTO v_exact
      FROM (SELECT 1 FROM lore.chunks c
            WHERE c.tenant_id = p_tenant AND c.embedding IS NOT NULL LIMIT greatest(v_limit, 0)) s;
  END IF;

  RETURN QUERY
  -- Each candidate list is MATERIALIZED: computed once, never re-run as the inner side of a join
  -- (inlined under RLS, the planner re-ran the HNSW scan once per chunk row: 78 s instead of 30 ms).
  -- Full-text candidates: the tenant's chunks holding any query lexeme, each with its tsvector cut down
  -- to the query's lexemes (qv).
  WITH cand AS MATERIALIZED (
    SELECT c.id, c.token_count::double precision AS len, (c.fts @@ v_all) AS all_terms,
           ts_filter(setweight(c.fts, 'D', v_lexemes), '{d}') AS qv
    FROM lore.chunks c
    WHERE v_any IS NOT NULL AND c.tenant_id = p_tenant AND c.fts @@ v_any AND (NOT v_scoped OR EXISTS (
             SELECT 1 FROM lore.documents sd WHERE sd.id = c.document_id AND sd.collection_id = ANY (p_collections)))
  ),
  -- One row per candidate and query lexeme it holds, with the lexeme's frequency in the chunk.
  postings AS MATERIALIZED (
    SELECT cd.id, cd.len, cd.all_terms, u.lexeme, coalesce(cardinality(u.positions), 1)::double precision AS tf
    FROM cand cd CROSS JOIN LATERAL unnest(cd.qv) AS u
    WHERE u.lexeme = ANY (v_lexemes)
  ),
  term_idf AS MATERIALIZED (
    SELECT p.lexeme, ln(1 + (greatest(v_docs, count(*)) - count(*) + 0.5) / (count(*) + 0.5)) AS idf
    FROM postings p
    GROUP BY p.lexeme
  ),
  avg_len AS MATERIALIZED (
    SELECT coalesce(avg(cd.len), 1) AS len FROM cand cd
  ),
  bm25 AS (
    SELECT p.id, bool_or(p.all_terms) AS all_terms,
           sum(t.idf * p.tf * (v_k1 + 1) / (p.tf + v_k1 * (1 - v_b + v_b * p.len / a.len))) AS rank_score
    FROM postings p
    JOIN term_idf t ON t.lexeme = p.lexeme
    CROSS JOIN avg_len a
    WHERE p_full_text_mode <> 'all' OR p.all_terms
    GROUP BY p.id
  ),
  full_text AS MATERIALIZED (
    SELECT b.id, b.all_terms, b.rank_score,
           row_number() OVER (ORDER BY b.tier DESC, b.rank_score DESC, b.id)::integer AS rank_ix
    FROM (
      SELECT s.id, s.all_terms, s.rank_score, (p_full_text_mode = 'all_then_any' AND s.all_terms) AS tier
      FROM bm25 s
      ORDER BY tier DESC, s.rank_score DESC, s.id
      LIMIT v_n
    ) b
  ),
  -- Small tenants: every embedded chunk of the tenant, sorted by distance (MATERIALIZED keeps the
  -- planner from answering through the shared HNSW index, which would filter most rows away).
  tenant_vectors AS MATERIALIZED (
    SELECT c.id, c.embedding
    FROM lore.chunks c
    WHERE p_embedding IS NOT NULL AND v_exact AND c.tenant_id = p_tenant AND c.embedding IS NOT NULL
      AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model) AND (NOT v_scoped OR EXISTS (
               SELECT 1 FROM lore.documents sd WHERE sd.id = c.document_id AND sd.collection_id = ANY (p_collections)))
  ),
  nearest AS (
    (SELECT t.id, t.embedding <=> p_embedding AS distance
     FROM tenant_vectors t
     ORDER BY t.embedding <=> p_embedding
     LIMIT v_n)
    UNION ALL
    (SELECT c.id, c.embedding <=> p_embedding AS distance
     FROM lore.chunks c
     WHERE p_embedding IS NOT NULL AND NOT v_exact AND c.tenant_id = p_tenant
       AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model) AND (NOT v_scoped OR EXISTS (
                SELECT 1 FROM lore.documents sd WHERE sd.id = c.document_id AND sd.collection_id = ANY (p_collections)))
     ORDER BY c.embedding <=> p_embedding
     LIMIT v_n)
  ),
  semantic AS MATERIALIZED (
    SELECT n.id, 1 - n.distance AS similarity,
           row_number() OVER (ORDER BY n.distance, n.id)::integer AS rank_ix
    FROM nearest n
  ),
  fused AS MATERIALIZED (
    SELECT coalesce(ft.id, s.id) AS id, ft.rank_ix AS ft_rank, ft.rank_score, ft.all_terms,
           s.rank_ix AS sem_rank, s.similarity,
           coalesce(p_full_text_weight / (p_rrf_k + ft.rank_ix), 0.0)
             + coalesce(p_semantic_weight / (p_rrf_k + s.rank_ix), 0.0) AS rrf
    FROM full_text ft
    FULL OUTER JOIN semantic s ON s.id = ft.id
  )
  SELECT h.id, h.document_id, h.title, h.source_name, h.section, h.page_start, h.page_end, h.ordinal,
         h.content, f.ft_rank, f.rank_score::real, coalesce(f.all_terms, h.fts @@ v_all),
         -- Share of the query's distinct words (stemmed, stop words dropped) found in the chunk: a
         -- query-independent relevance signal the answer step uses to decide "I don't know". Unweighted:
         -- an idf-weighted share was measured and was no better at telling answerable from unanswerable.
         (CASE WHEN cardinality(v_lexemes) = 0 THEN 0 ELSE
           cardinality(ARRAY(SELECT unnest(v_lexemes) INTERSECT SELECT unnest(tsvector_to_array(h.fts))))::real
            / cardinality(v_lexemes) END)::real,
         f.sem_rank, f.similarity, f.rrf::double precision
  FROM fused f
  -- Each fused row (at most 2 x candidates) is looked up by primary key. OFFSET 0 keeps the planner from
  -- flattening this into a join it may drive from the tenant's whole documents table instead: it did when
  -- table statistics lagged a bulk ingest (SciFact, 6,587 chunks: 145 ms per query instead of 70).
  CROSS JOIN LATERAL (
    SELECT c.id, c.document_id, d.title, d.source_name, c.section, c.page_start, c.page_end, c.ordinal,
           c.content, c.fts
    FROM lore.chunks c
    -- Only the searchable version of a document (the pipeline keeps active_version_id on it).
    JOIN lore.documents d ON d.id = c.document_id AND d.active_version_id = c.version_id
    WHERE c.id = f.id AND c.tenant_id = p_tenant
      AND (NOT v_scoped OR d.collection_id = ANY (p_collections))
    OFFSET 0
  ) h
  ORDER BY f.rrf DESC, h.id
  LIMIT v_k;
END
$$;

REVOKE ALL ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer, uuid[]) TO lore_app;

-- As in 20261202000100_vector_schema_for_app_role.sql: search the schema pgvector lives in (Supabase puts
-- it in `extensions`), or `<=>` on halfvec does not resolve inside the function.
DO $$
DECLARE
  v_schema name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'vector');
BEGIN
  EXECUTE format(
    'ALTER FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision, '
    'integer, text, integer, text, integer, uuid[]) SET search_path = lore, public, %I, pg_catalog', v_schema);
END $$;
