-- Full-text ranking by BM25 (Okapi, Lucene's idf) instead of ts_rank_cd, which has no inverse document
-- frequency: on long questions common words ("cell", "patients", "company") outweighed the rare word that
-- decides relevance. Measured with `npm run eval` (BENCHMARKS.md): full-text nDCG@10 0.761 -> 0.843 on the
-- shipped set and 0.431 -> 0.685 on SciFact (Anserini's BM25 reference there: 0.676), and faster on
-- PGlite (SciFact, 6,587 chunks: about 70-85 ms per query, was 100-115 ms).
--
-- Vector search, fusion, tenant scoping (SECURITY INVOKER under RLS plus the p_tenant filter), the
-- signature and the returned columns stay as in 20261123002000_hybrid_search.sql. Besides the full-text
-- list, only the final lookup of the fused rows changes (row by row by primary key, see below).
--
-- score(chunk) = sum over query lexemes t held by the chunk of
--   idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avglen)),  idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
-- with, all within the tenant (chosen by measurement, see BENCHMARKS.md):
-- - candidates: every chunk holding any query lexeme (OR of the lexemes). These are all the chunks that
--   can score, so each lexeme's document frequency df is counted from them exactly, at no extra cost
--   (counting each lexeme through the GIN index took longer than the whole search; a per-tenant term
--   table would add work and lock contention to every ingest for numbers the candidates already give);
-- - tf: the lexeme's positions in the chunk's tsvector. setweight(..., 'D', query lexemes) then
--   ts_filter(..., '{d}') cuts the tsvector down to the query's lexemes in C (fts weighs every part A, B or
--   C, so only query lexemes carry D; the lexeme filter below keeps that true whatever fts becomes):
--   unnesting whole tsvectors made that step 4x slower. Title, section and body count alike (weighting
--   the title 2x moved nDCG@10 by at most 0.005 and doubled the time);
-- - len: the chunk's token_count, avglen: the mean over the candidates. Lexeme positions and the tenant-wide
--   mean ranked within 0.004 nDCG@10 of this, but need a scan of every tenant chunk per query or a
--   stored column (a table rewrite);
-- - N: the tenant's searchable chunks, from documents.chunk_count (kept with the chunks in one transaction);
-- - k1 0.9, b 0.4: Anserini's defaults, the reference run above. Elasticsearch's 1.2 / 0.75 scored
--   +0.014 on SciFact and -0.012 on the shipped set: not tuned to either set.
-- 'all_then_any' still ranks chunks holding every query word first ('all' keeps only those).
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
  p_exact_below integer DEFAULT NULL            -- NULL: from the index size, see 20261123002000
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
      WHERE d.tenant_id = p_tenant AND d.active_version_id IS NOT NULL;
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
    WHERE v_any IS NOT NULL AND c.tenant_id = p_tenant AND c.fts @@ v_any
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
    OFFSET 0
  ) h
  ORDER BY f.rrf DESC, h.id
  LIMIT v_k;
END
$$;

-- CREATE OR REPLACE keeps the grants; restated so this file reads whole.
REVOKE ALL ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision,
  integer, text, integer, text, integer) TO lore_app;
