-- Issue 12: "which node version do we run?" found nothing in a page saying "we run Node.js 20". Postgres's
-- text search parser reads `Node.js`, `package.json`, `CI/CD`, `src/config.ts` and `hr@acme.example` as one
-- token each (a host, a file, an email), so none of their parts ("node", "json", "ci", "config", "hr") is a
-- lexeme a question can match; Lore's own word reading (words.ts) already splits them.
--
-- lore.searchable_text puts a space after a letter or digit when a dot, slash or @ joins it to a letter:
-- the parser then reads each part as a word. Versions ("v1.2.3", "3.5"), times ("24/7") and paths that start
-- with a slash keep their form (a digit or nothing on one side). "401(k)" becomes "401k", as words.ts reads it
-- and as people type it (the parser made it '401' and 'k'). "IT", in capitals and not beside another word in
-- capitals ("IT IS", "READ IT"), is written "information technology": as "it" it is a stop word, so "who do I
-- ask in IT?" and "IT portal" had no word in common. The chunks' tsvector is rebuilt over it,
-- and lore.hybrid_search's caller passes the question through the same function (hybrid-search.repo.ts), so
-- a question typed "Node.js" and a passage saying "Node.js" still meet ('node' & 'js').
--
-- The same function feeds the tenant's words (20261210000100), so "node" and "json" can correct a typo; their
-- counts are rebuilt here, since a chunk stored before would otherwise be counted down by words it was never
-- counted up by.
--
-- Cost: one table rewrite of lore.chunks (the stored column is generated again), its full-text index built
-- again and the tenants' words counted again, all while lore.chunks is locked: 100,000 chunks of 1,500
-- characters took 67-79 s on native Postgres (docs/deploy-supabase.md). Afterwards the regular expression
-- adds about a third to the tsvector's own parse of each chunk stored (BENCHMARKS.md, "Compound words").

CREATE FUNCTION lore.searchable_text(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.regexp_replace(
  pg_catalog.regexp_replace(
    -- words.ts IT_DEPARTMENT, the same expression, on the text as written (as words.ts reads it: "IT/HR" is
    -- the department beside HR, not "IT HR").
    pg_catalog.regexp_replace(p_text,
      '(?<![A-Z]{2} )(?<![A-Za-z0-9])IT(?![A-Za-z0-9])(?! [A-Z]{2})', 'information technology', 'g'),
    '([A-Za-z0-9])[./@](?=[A-Za-z])', '\1 ', 'g'),
  '([0-9])\(([A-Za-z])\)', '\1\2', 'g');

GRANT EXECUTE ON FUNCTION lore.searchable_text(text) TO lore_app;

ALTER TABLE lore.chunks
  DROP COLUMN fts,
  -- Title and section weigh more than body text in full-text ranking (as before).
  ADD COLUMN fts tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', lore.searchable_text(title)), 'A') ||
    setweight(to_tsvector('english', lore.searchable_text(section)), 'B') ||
    setweight(to_tsvector('english', lore.searchable_text(content)), 'C')
  ) STORED;

-- Dropped with the column; the same index as 20261208000100.
CREATE INDEX chunks_tenant_fts_idx ON lore.chunks USING gin (tenant_id, fts);

CREATE OR REPLACE FUNCTION lore.chunk_words(p_title text, p_section text, p_content text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
  SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple',
    lore.searchable_text(p_title || ' ' || p_section || ' ' || p_content)))) AS w
  WHERE length(w) BETWEEN 4 AND 30 AND ltrim(w, 'abcdefghijklmnopqrstuvwxyz') = ''
$$;

-- No chunk can be stored or deleted in between: the ALTER TABLE above holds lore.chunks until this
-- migration's transaction commits.
DELETE FROM lore.tenant_words;
INSERT INTO lore.tenant_words (tenant_id, word, chunks)
SELECT c.tenant_id, cw.word, count(*)::int
FROM lore.chunks c, lore.chunk_words(c.title, c.section, c.content) AS cw(word)
GROUP BY c.tenant_id, cw.word;
