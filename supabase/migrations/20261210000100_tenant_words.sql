-- The words of each tenant's documents (issue 12): where a typo in a question is read as the documents' word
-- when the passages the question's other words found do not hold it ("vaccation?" alone finds nothing to
-- compare with). Plain lowercase words of 4 to 30 letters, each with how many of the tenant's chunks hold it,
-- kept by a trigger on lore.chunks: every insert and delete (a document replaced, deleted, or its tenant
-- removed) adds or takes away its chunks' words in the same transaction, so a deleted document's words go
-- with it. Counted per chunk, not per document: chunks are inserted in batches, and a chunk is one row of
-- one statement, so the counts stay exact whatever the batching.

CREATE TABLE lore.tenant_words (
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  word text COLLATE "C" NOT NULL CHECK (word ~ '^[a-z]{4,30}$'),
  chunks integer NOT NULL CHECK (chunks >= 0),
  PRIMARY KEY (tenant_id, word)
);

ALTER TABLE lore.tenant_words ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON lore.tenant_words
  USING (tenant_id = lore.current_tenant_id()) WITH CHECK (tenant_id = lore.current_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON lore.tenant_words TO lore_app;

-- The distinct words of one chunk: the 'simple' text search configuration's tokens (lowercase, not stemmed;
-- the parts of a hyphenated word too), of plain letters only. Postgres's own parser and ltrim, about twice as
-- fast as regular expressions over the text or the tokens.
CREATE FUNCTION lore.chunk_words(p_title text, p_section text, p_content text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
  SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', p_title || ' ' || p_section || ' ' || p_content))) AS w
  WHERE length(w) BETWEEN 4 AND 30 AND ltrim(w, 'abcdefghijklmnopqrstuvwxyz') = ''
$$;

CREATE FUNCTION lore.count_tenant_words() RETURNS trigger
LANGUAGE plpgsql SET search_path = lore, pg_catalog AS $$
DECLARE
  v_tenants uuid[];
  v_words text[];
BEGIN
  -- One writer of a tenant's words at a time, until its transaction ends: two ingests of one tenant would
  -- otherwise lock the rows they share in different orders and could deadlock.
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_advisory_xact_lock(hashtext('lore.tenant_words'), hashtext(t::text))
    FROM (SELECT DISTINCT tenant_id AS t FROM new_rows ORDER BY 1) x;
    INSERT INTO lore.tenant_words AS w (tenant_id, word, chunks)
    SELECT n.tenant_id, cw.word, count(*)::int
    FROM new_rows n, lore.chunk_words(n.title, n.section, n.content) AS cw(word)
    GROUP BY n.tenant_id, cw.word
    ON CONFLICT (tenant_id, word) DO UPDATE SET chunks = w.chunks + EXCLUDED.chunks;
  ELSE
    PERFORM pg_advisory_xact_lock(hashtext('lore.tenant_words'), hashtext(t::text))
    FROM (SELECT DISTINCT tenant_id AS t FROM old_rows ORDER BY 1) x;
    -- Counted down, then the words no chunk holds any more deleted (found from the update itself: no index
    -- on the count, which would keep every update from being a cheap in-place one).
    WITH gone AS (
      SELECT o.tenant_id, cw.word, count(*)::int AS chunks
      FROM old_rows o, lore.chunk_words(o.title, o.section, o.content) AS cw(word)
      GROUP BY o.tenant_id, cw.word
    ), counted AS (
      UPDATE lore.tenant_words w SET chunks = greatest(w.chunks - g.chunks, 0)
      FROM gone g WHERE w.tenant_id = g.tenant_id AND w.word = g.word
      RETURNING w.tenant_id, w.word, w.chunks
    )
    SELECT array_agg(c.tenant_id), array_agg(c.word) INTO v_tenants, v_words FROM counted c WHERE c.chunks = 0;
    DELETE FROM lore.tenant_words w
    USING unnest(v_tenants, v_words) AS z(tenant_id, word)
    WHERE w.tenant_id = z.tenant_id AND w.word = z.word AND w.chunks = 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER chunks_count_words_insert AFTER INSERT ON lore.chunks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lore.count_tenant_words();
CREATE TRIGGER chunks_count_words_delete AFTER DELETE ON lore.chunks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lore.count_tenant_words();

-- The chunks already stored.
INSERT INTO lore.tenant_words (tenant_id, word, chunks)
SELECT c.tenant_id, cw.word, count(*)::int
FROM lore.chunks c, lore.chunk_words(c.title, c.section, c.content) AS cw(word)
GROUP BY c.tenant_id, cw.word;
