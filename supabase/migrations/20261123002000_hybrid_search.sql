-- Hybrid retrieval (design §3 "Knowledge base"): full-text and vector candidates ranked separately and
-- fused by Reciprocal Rank Fusion, following Supabase's hybrid-search design, strictly inside one tenant.
--
-- Safety: SECURITY INVOKER, so it runs as the caller (lore_app inside withTenant) and the chunks table's
-- RLS policy applies; it also filters by p_tenant itself. A p_tenant that differs from app.tenant_id
-- therefore returns nothing at all.
--
-- Vector recall (measured, see BENCHMARKS.md): a shared HNSW index filtered by tenant returns too few
-- rows for small tenants, so a tenant with fewer than p_exact_below embedded chunks is searched exactly
-- (its own rows through the tenant index, sorted by distance: recall 1.0 and cheap at that size); a
-- larger tenant uses the HNSW index with pgvector 0.8's iterative scan (relaxed order, re-sorted here)
-- and a wider ef_search. The SET clauses below apply only while the function runs.
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
  p_exact_below integer DEFAULT NULL            -- NULL: from the index size, see below
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
  v_match tsquery;
  v_exact boolean := true;
  v_limit bigint;
BEGIN
  IF p_full_text_mode NOT IN ('all', 'any', 'all_then_any') THEN
    RAISE EXCEPTION 'hybrid_search: unknown full-text mode %', p_full_text_mode USING ERRCODE = '22023';
  END IF;
  -- Every lexeme of the query OR-ed: recall when no chunk holds all the words (long, chatty questions).
  -- Built from the stemmed lexemes and cast directly, so nothing is stemmed twice.
  SELECT string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
    INTO v_any
    FROM unnest(v_lexemes) AS l;
  v_match := CASE p_full_text_mode WHEN 'all' THEN v_all ELSE coalesce(v_any, v_all) END;
  -- A query of stop words or punctuation has no lexemes: full-text then contributes nothing (no error).
  IF numnode(v_match) = 0 THEN
    v_match := NULL;
  END IF;

  IF p_embedding IS NOT NULL THEN
    -- Exact search costs one distance per tenant row; a tenant-filtered HNSW scan visits about
    -- candidates x (index rows / tenant rows) entries at ~12 distances each (measured). Exact is cheaper
    -- while tenant rows < sqrt(12 x candidates x index rows), and never worse in recall.
    v_limit := coalesce(p_exact_below, greatest(1000, ceil(sqrt(12.0 * v_n * greatest(
      (SELECT cl.reltuples FROM pg_class cl WHERE cl.oid = 'lore.chunks'::regclass), 0)))::bigint));
    SELECT count(*) < v_limit INTO v_exact
      FROM (SELECT 1 FROM lore.chunks c
            WHERE c.tenant_id = p_tenant AND c.embedding IS NOT NULL LIMIT greatest(v_limit, 0)) s;
  END IF;

  RETURN QUERY
  WITH full_text AS (
    SELECT f.id, f.all_terms, f.rank_score,
           row_number() OVER (ORDER BY f.tier DESC, f.rank_score DESC, f.id)::integer AS rank_ix
    FROM (
      -- 'all_then_any': chunks holding every query word rank above those holding only some of them.
      SELECT c.id, (c.fts @@ v_all) AS all_terms, ts_rank_cd(c.fts, v_match) AS rank_score,
             (p_full_text_mode = 'all_then_any' AND c.fts @@ v_all) AS tier
      FROM lore.chunks c
      WHERE v_match IS NOT NULL AND c.tenant_id = p_tenant AND c.fts @@ v_match
      ORDER BY tier DESC, rank_score DESC, c.id
      LIMIT v_n
    ) f
  ),
  -- Small tenants: every embedded chunk of the tenant, sorted by distance (MATERIALIZED keeps the
  -- planner from answering through the shared HNSW index, which would filter most rows away).
  tenant_vectors AS MATERIALIZED (
    SELECT c.id, c.embedding
    FROM lore.chunks c
    WHERE p_embedding IS NOT NULL AND v_exact AND c.tenant_id = p_tenant AND c.embedding IS NOT NULL
      AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model)
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
       AND (p_embedding_model IS NULL OR c.embedding_model = p_embedding_model)
     ORDER BY c.embedding <=> p_embedding
     LIMIT v_n)
  ),
  semantic AS (
    SELECT n.id, 1 - n.distance AS similarity,
           row_number() OVER (ORDER BY n.distance, n.id)::integer AS rank_ix
    FROM nearest n
  ),
  fused AS (
    SELECT coalesce(ft.id, s.id) AS id, ft.rank_ix AS ft_rank, ft.rank_score, ft.all_terms,
           s.rank_ix AS sem_rank, s.similarity,
           coalesce(p_full_text_weight / (p_rrf_k + ft.rank_ix), 0.0)
             + coalesce(p_semantic_weight / (p_rrf_k + s.rank_ix), 0.0) AS rrf
    FROM full_text ft
    FULL OUTER JOIN semantic s ON s.id = ft.id
  )
  SELECT c.id, c.document_id, d.title, d.source_name, c.section, c.page_start, c.page_end, c.ordinal,
         c.content, f.ft_rank, f.rank_score, coalesce(f.all_terms, c.fts @@ v_all),
         -- Share of the query's distinct words (stemmed, stop words dropped) found in the chunk: a
         -- query-independent relevance signal the answer step uses to decide "I don't know".
         (CASE WHEN cardinality(v_lexemes) = 0 THEN 0 ELSE
           cardinality(ARRAY(SELECT unnest(v_lexemes) INTERSECT SELECT unnest(tsvector_to_array(c.fts))))::real
            / cardinality(v_lexemes) END)::real,
         f.sem_rank, f.similarity, f.rrf::double precision
  FROM fused f
  JOIN lore.chunks c ON c.id = f.id
  -- Only the searchable version of a document (the pipeline keeps active_version_id on it).
  JOIN lore.documents d ON d.id = c.document_id AND d.active_version_id = c.version_id
  WHERE c.tenant_id = p_tenant
  ORDER BY f.rrf DESC, c.id
  LIMIT v_k;
END
$$;

REVOKE ALL ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer) TO lore_app;
