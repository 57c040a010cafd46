-- Issue 11: a tenant's full-text search read every tenant's matching rows. lore.full_text_chunk_ids finds a
-- question's candidates through the GIN index on lore.chunks(fts), which holds every tenant's rows: the
-- bitmap it builds has the matches of all tenants, and each is read from the heap to be dropped by the
-- `tenant_id` filter. Tenants share a language, so a small tenant's search paid for the matches of every
-- other one. With `tenant_id` in the GIN index (btree_gin gives uuid a GIN operator class), the bitmap holds
-- the tenant's own matches only. Measured at 1M chunks (BENCHMARKS.md, "Retrieval on native pgvector"):
-- full-text half of lore.hybrid_search p50 34.6 -> 19 ms for the 500,000-chunk tenant, 7.4 -> 1.8 ms for a
-- 5,000-chunk one. The index on (fts) alone had no other user: under row-level security the planner does not
-- use it for `@@` (not leakproof), which is why full_text_chunk_ids exists, and the owner's branch of
-- hybrid_search also filters by tenant. Building it takes about as long as that one did (13 s at 1M).

-- btree_gin is a trusted extension (no superuser needed) and ships with PostgreSQL's contrib and Supabase.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX IF NOT EXISTS chunks_tenant_fts_idx ON lore.chunks USING gin (tenant_id, fts);
DROP INDEX IF EXISTS lore.chunks_fts_idx;
