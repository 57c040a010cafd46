-- pgvector may live outside `public`: Supabase installs it in schema `extensions` (its database's
-- search_path lists that schema, so the migrations' `halfvec` and `<=>` resolve for the owner). Two things
-- the earlier migrations assumed from `public`:
-- 1. The tenant role needs USAGE on that schema, or `halfvec` does not exist for it (every chunk insert
--    and every search with an embedding runs as lore_app). Supabase grants the schema to its API roles,
--    and to `postgres` (the owner) with the right to pass it on; lore_app was never granted it.
-- 2. lore.hybrid_search pins `SET search_path = lore, public, pg_catalog`, which hides the schema's
--    operators: `operator does not exist: extensions.halfvec <=> extensions.halfvec`. The function now
--    searches the schema pgvector is in (a search_path naming `public` twice, or a schema later dropped,
--    is harmless).
DO $$
DECLARE
  v_schema name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'vector');
BEGIN
  IF v_schema IS NULL THEN
    RAISE EXCEPTION 'pgvector is not enabled in this database';
  END IF;
  IF NOT has_schema_privilege('lore_app', v_schema, 'USAGE') THEN
    -- Without the grant option GRANT only warns, so the result is checked below.
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO lore_app', v_schema);
  END IF;
  IF NOT has_schema_privilege('lore_app', v_schema, 'USAGE') THEN
    RAISE EXCEPTION 'Lore''s tenant role lore_app needs USAGE on schema % (where pgvector is), and role % may not grant it: run GRANT USAGE ON SCHEMA % TO lore_app as the schema''s owner, then migrate again',
      v_schema, current_user, quote_ident(v_schema);
  END IF;
END $$;

DO $$
DECLARE
  v_schema name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'vector');
BEGIN
  EXECUTE format(
    'ALTER FUNCTION lore.hybrid_search(uuid, text, halfvec, integer, double precision, double precision, '
    'integer, text, integer, text, integer) SET search_path = lore, public, %I, pg_catalog', v_schema);
END $$;
