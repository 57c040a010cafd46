-- lore.hybrid_search reads the question through lore.searchable_text itself (20261211000100), so every caller
-- (Lore's repo, the benchmarks' direct SQL, an operator in psql) searches the way the chunks are indexed: "IT"
-- in capitals as "information technology", "Node.js" as 'node' & 'js', "401(k)" as '401k'. Before, only Lore's
-- repo passed the question through the function, and the function's own all/any queries did not.
-- The function is 20261207000100_tenant_vector_indexes.sql's with two lines changed (v_all and v_lexemes read
-- lore.searchable_text(p_query)): a plpgsql function is replaced whole, and landed migrations are frozen SQL.
-- Same signature, so CREATE OR REPLACE keeps its owner and grants.

CREATE OR REPLACE FUNCTION lore.hybrid_search(
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
-- No JIT: at a million chunks the planner's estimate for the final statement passes jit_above_cost (a
-- branch it prunes at run time costs a sequential scan of lore.chunks), and compiling it took 30-34 ms of a
-- call whose statements ran in under 2 ms (1M, a 500,000-chunk tenant: vector-only p50 77 -> 21 ms).
SET jit = off
SET hnsw.iterative_scan = 'relaxed_order'
-- The starting value; raised below with set_config(..., true) for a large tenant. This SET clause also
-- keeps that change local to the call: Postgres restores a variable named in a function's SET clause when
-- the function returns.
SET hnsw.ef_search = 100
-- pgvector 0.8: the cap on tuples an iterative scan visits after its first pass (the first pass, which
-- reads ef_search candidates, is not counted against it), so it stays independent of ef_search; 50,000
-- is 50x the largest ef_search set below.
SET hnsw.max_scan_tuples = 50000
-- Turned off below for the HNSW branch's nearest-neighbour statement only (see the header); named here so
-- the caller's value is back when the function returns.
SET enable_sort = on
AS $$
#variable_conflict use_column
DECLARE
  v_k integer := least(greatest(coalesce(p_k, 10), 1), 100);
  v_n integer := least(greatest(coalesce(p_candidates, 4 * least(greatest(coalesce(p_k, 10), 1), 100)), 40), 400);
  -- The question read as the chunks' tsvector reads its text (lore.searchable_text, above).
  v_all tsquery := websearch_to_tsquery('english', lore.searchable_text(coalesce(p_query, '')));
  v_lexemes text[] := tsvector_to_array(to_tsvector('english', lore.searchable_text(coalesce(p_query, ''))));
  v_any tsquery;
  v_docs double precision := 0;
  v_tenant_chunks bigint := 0;
  v_own_index boolean := false;
  v_exact boolean := true;
  v_limit bigint;
  v_ef integer;
  -- The HNSW branch's nearest neighbours (ids and distances, the same order in both; ranked below).
  v_ann_ids bigint[];
  v_ann_distances double precision[];
  -- The full-text candidates come from lore.full_text_chunk_ids (see above) when the tenant searched is the
  -- one the transaction acts for, as it always is in the app (withTenant). Otherwise (the owner calling
  -- for some tenant outside withTenant) they are found here, under the caller's own rights.
  -- coalesce: outside withTenant current_tenant_id() is NULL, and NULL would disable both branches.
  v_fenced CONSTANT boolean := coalesce(p_tenant = lore.current_tenant_id(), false);
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
  -- The searchable chunks of the tenant and of the scope (BM25's N, and what decides exact or HNSW).
  SELECT coalesce(sum(d.chunk_count), 0),
         coalesce(sum(d.chunk_count) FILTER (WHERE NOT v_scoped OR d.collection_id = ANY (p_collections)), 0)
    INTO v_tenant_chunks, v_docs
    FROM lore.documents d
    WHERE d.tenant_id = p_tenant AND d.active_version_id IS NOT NULL;

  IF p_embedding IS NOT NULL THEN
    -- Exact search for small tenants (or scopes), the HNSW index for large ones (see 20261123002000 and the
    -- header: the size is the scope's searchable chunks).
    v_limit := coalesce(p_exact_below, greatest(1000, ceil(sqrt(12.0 * v_n * greatest(
      (SELECT cl.reltuples FROM pg_class cl WHERE cl.oid = 'lore.chunks'::regclass), 0)))::bigint));
    v_exact := v_docs < v_limit;
    -- HNSW for a large tenant: the walk's candidate list (ef_search) grows with the tenant. On the shared
    -- index clamp(chunks / 200, 100, 1000) (with 100 fixed, a 150,000-chunk tenant of a 300,000-row index
    -- had recall@10 0.856; 750 gives 0.984); on the tenant's own index a quarter of that reaches the same
    -- recall (see the header).
    IF NOT v_exact THEN
      SELECT coalesce(bool_or(i.indisvalid), false) INTO v_own_index
        FROM pg_catalog.pg_index i
        WHERE i.indexrelid = to_regclass('lore.' || lore.tenant_vector_index_name(p_tenant));
      v_ef := least(greatest(v_tenant_chunks / CASE WHEN v_own_index THEN 750 ELSE 200 END, 100), 1000);
      PERFORM set_config('hnsw.ef_search', v_ef::text, true);
      -- The nearest neighbours through the HNSW index, as a statement of its own so that enable_sort can be
      -- off for it alone. The planner's choice between the index and an exact scan of the tenant's rows
      -- depends on ef_search (pgvector's cost estimate grows with it, the exact scan's ignores the TOASTed
      -- vectors it must read), and it took the exact scan for a tenant that was most of the index once
      -- ef_search grew (PGlite, 50,000 chunks: ~1 s per query). The decision is v_exact's, made above: every
      -- exact plan needs a Sort by distance, the index scan returns rows in distance order without one, so
      -- with sorts disabled the index is the plan whatever ef_search is. array_agg without ORDER BY (no sort
      -- either): both arrays aggregate the same rows in the same order, ranked by distance below.
      PERFORM set_config('enable_sort', 'off', true);
      SELECT array_agg(n.id), array_agg(n.distance) INTO v_ann_ids, v_ann_distances
        FROM (SELECT c.id, c.embedding <=> p_embedding AS distance
              FROM lore.chunks c
              WHERE c.tenant_id = p_tenant
                AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model) AND (NOT v_scoped OR EXISTS (
                       SELECT 1 FROM lore.documents sd
                       WHERE sd.id = c.document_id AND sd.collection_id = ANY (p_collections)))
              ORDER BY c.embedding <=> p_embedding
              LIMIT v_n) n;
      PERFORM set_config('enable_sort', 'on', true);
      -- Fewer rows than asked for: the walk ran out (max_scan_tuples) before finding enough of this
      -- tenant's rows with embeddings of this model in scope, so they are sparse in the index; the exact
      -- path below finds them all.
      IF coalesce(cardinality(v_ann_ids), 0) < v_n THEN
        v_exact := true;
        v_ann_ids := NULL;
        v_ann_distances := NULL;
      END IF;
    END IF;
  END IF;

  RETURN QUERY
  -- Each candidate list is MATERIALIZED: computed once, never re-run as the inner side of a join
  -- (inlined under RLS, the planner re-ran the HNSW scan once per chunk row: 78 s instead of 30 ms).
  -- Full-text candidates: the tenant's chunks holding any query lexeme, each with its tsvector cut down
  -- to the query's lexemes (qv). Inside withTenant their ids come from lore.full_text_chunk_ids (the GIN
  -- index, not a scan of every row RLS has to filter), and each row is then read here by primary key,
  -- under RLS as before; otherwise as before. One branch is pruned per call (custom plans).
  WITH cand AS MATERIALIZED (
    SELECT c.id, c.token_count::double precision AS len, (c.fts @@ v_all) AS all_terms,
           ts_filter(setweight(c.fts, 'D', v_lexemes), '{d}') AS qv
    FROM lore.full_text_chunk_ids(v_any) m
    JOIN lore.chunks c ON c.id = m.id
    WHERE v_any IS NOT NULL AND v_fenced AND c.tenant_id = p_tenant AND (NOT v_scoped OR EXISTS (
             SELECT 1 FROM lore.documents sd WHERE sd.id = c.document_id AND sd.collection_id = ANY (p_collections)))
    UNION ALL
    SELECT c.id, c.token_count::double precision AS len, (c.fts @@ v_all) AS all_terms,
           ts_filter(setweight(c.fts, 'D', v_lexemes), '{d}') AS qv
    FROM lore.chunks c
    WHERE v_any IS NOT NULL AND NOT v_fenced AND c.tenant_id = p_tenant AND c.fts @@ v_any AND (NOT v_scoped OR EXISTS (
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
  -- Small tenants (or scopes): every embedded chunk in scope, sorted by distance (MATERIALIZED keeps the
  -- planner from answering through the shared HNSW index, which would filter most rows away). A scope is
  -- read from its documents (chunks_tenant_doc_idx), so a small collection costs its own chunks only.
  tenant_vectors AS MATERIALIZED (
    SELECT c.id, c.embedding
    FROM lore.chunks c
    WHERE p_embedding IS NOT NULL AND v_exact AND NOT v_scoped AND c.tenant_id = p_tenant
      AND c.embedding IS NOT NULL AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model)
    UNION ALL
    SELECT c.id, c.embedding
    FROM lore.documents sd
    JOIN lore.chunks c ON c.tenant_id = p_tenant AND c.document_id = sd.id
    WHERE p_embedding IS NOT NULL AND v_exact AND v_scoped AND sd.tenant_id = p_tenant
      AND sd.collection_id = ANY (p_collections)
      AND c.embedding IS NOT NULL AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model)
  ),
  nearest AS (
    (SELECT t.id, t.embedding <=> p_embedding AS distance
     FROM tenant_vectors t
     ORDER BY t.embedding <=> p_embedding
     LIMIT v_n)
    UNION ALL
    -- Large tenants: what the HNSW statement above found (no rows when v_exact).
    SELECT u.id, u.distance
    FROM unnest(v_ann_ids, v_ann_distances) AS u(id, distance)
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


-- CREATE OR REPLACE replaced the SET clauses too: search the schema pgvector lives in again, as in
-- 20261204000300_collections.sql.
DO $$
DECLARE
  v_schema name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'vector');
BEGIN
  EXECUTE format(
    'ALTER FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision, '
    'integer, text, integer, text, integer, uuid[]) SET search_path = lore, public, %I, pg_catalog', v_schema);
END $$;
