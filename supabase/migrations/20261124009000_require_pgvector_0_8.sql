-- Tenant-filtered vector search (lore.hybrid_search, 20261124008000) sets hnsw.iterative_scan and
-- hnsw.max_scan_tuples, which arrived in pgvector 0.8.0. An older extension would let the function exist
-- and fail at the first search; this refuses the migration instead, with the fix in the message.
-- (Forward-only: added here rather than edited into 20261123002000_hybrid_search.sql.)
DO $$
BEGIN
  IF (SELECT string_to_array(extversion, '.')::int[] FROM pg_extension WHERE extname = 'vector') < ARRAY[0, 8] THEN
    RAISE EXCEPTION 'Lore needs pgvector 0.8.0 or later for tenant-filtered vector search: run ALTER EXTENSION vector UPDATE';
  END IF;
END $$;
