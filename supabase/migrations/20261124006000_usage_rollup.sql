-- Usage rollups, filled by the `usage-rollup` job (src/usage/usage-rollup.job.ts): complete UTC days of
-- answers, usage events and feedback, per tenant and day (usage_daily) and per tenant, day, channel and user
-- (usage_daily_breakdown). The dashboard reads rolled days from these and computes only today, days not rolled
-- yet and days whose raw rows changed since (usage_daily_stale) from the raw tables: same numbers, less work.

-- The mean latency needs its count (answers without a latency do not count), and a day's 95th percentile
-- cannot be rebuilt from sums, so it is kept as computed for that one day (never combined across days).
ALTER TABLE lore.usage_daily
  ADD COLUMN latency_count integer NOT NULL DEFAULT 0,
  ADD COLUMN p95_latency_ms double precision;
COMMENT ON COLUMN lore.usage_daily.prompt_tokens IS 'All metered prompt tokens of the day, embeddings included';
COMMENT ON COLUMN lore.usage_daily.embedding_tokens IS 'The embedding part of prompt_tokens';
COMMENT ON COLUMN lore.usage_daily.latency_ms_sum IS 'Sum of latency_ms over the latency_count answers that have one';
-- Rollups are derived data the platform job writes; the app role only reads its tenant's rows.
REVOKE INSERT, UPDATE, DELETE ON lore.usage_daily FROM lore_app;
CREATE INDEX usage_daily_day_idx ON lore.usage_daily (day);

-- Questions (answers) and answer tokens and cost (usage events of kind 'answer') by channel and user.
CREATE TABLE lore.usage_daily_breakdown (
  tenant_id uuid NOT NULL REFERENCES lore.tenants (id) ON DELETE CASCADE,
  day date NOT NULL,
  slack_channel_id text NOT NULL,
  slack_user_id text NOT NULL,
  questions integer NOT NULL DEFAULT 0,
  tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, day, slack_channel_id, slack_user_id)
);
CREATE INDEX usage_daily_breakdown_day_idx ON lore.usage_daily_breakdown (day);

-- Every complete UTC day up to rolled_through is in the rollup tables, except the days in usage_daily_stale.
-- One row: the job rolls every tenant in one statement.
CREATE TABLE lore.usage_rollup_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  rolled_through date,
  rolled_at timestamptz
);
INSERT INTO lore.usage_rollup_state DEFAULT VALUES;
GRANT SELECT ON lore.usage_rollup_state TO lore_app;

-- Past days whose raw rows changed (a late or back-dated row, a vote changed days later, deleted answers):
-- read raw until the job rolls them again. A mark's version changes with every new change, so the job
-- clears only the marks it has rolled. No foreign key: marks are written while a purged tenant's rows go.
CREATE SEQUENCE lore.usage_daily_stale_version;
CREATE TABLE lore.usage_daily_stale (
  tenant_id uuid NOT NULL,
  day date NOT NULL,
  version bigint NOT NULL DEFAULT nextval('lore.usage_daily_stale_version'),
  PRIMARY KEY (tenant_id, day)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['usage_daily_breakdown', 'usage_daily_stale']
  LOOP
    EXECUTE format('ALTER TABLE lore.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_rows ON lore.%I USING (tenant_id = lore.current_tenant_id()) '
                   'WITH CHECK (tenant_id = lore.current_tenant_id())', t);
    EXECUTE format('GRANT SELECT ON lore.%I TO lore_app', t);
  END LOOP;
END $$;

-- Marks the past UTC days (never today: today is always read raw) of the rows a statement inserted, changed
-- or deleted. TG_ARGV[0] names the timestamp that places a row on a day. SECURITY DEFINER: the app role
-- cannot write marks itself; the rows come from a statement RLS already allowed.
CREATE FUNCTION lore.usage_mark_stale_days() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
    ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END;
BEGIN
  -- Ordered, so two statements marking the same days take their row locks in the same order.
  EXECUTE format(
    $sql$INSERT INTO lore.usage_daily_stale AS s (tenant_id, day)
         SELECT DISTINCT r.tenant_id, (r.%1$I AT TIME ZONE 'UTC')::date FROM (%2$s) r
         WHERE (r.%1$I AT TIME ZONE 'UTC')::date < (now() AT TIME ZONE 'UTC')::date
         ORDER BY 1, 2
         ON CONFLICT (tenant_id, day) DO UPDATE SET version = nextval('lore.usage_daily_stale_version')$sql$,
    TG_ARGV[0], changed);
  RETURN NULL;
END $fn$;
REVOKE ALL ON FUNCTION lore.usage_mark_stale_days() FROM PUBLIC;

-- The raw rows the rollup reads, each placed on a day by the timestamp the dashboard groups it by.
DO $$
DECLARE src record;
BEGIN
  FOR src IN SELECT * FROM (VALUES ('answers', 'created_at'), ('usage_events', 'created_at'),
                                   ('answer_feedback', 'updated_at')) v (tbl, col)
  LOOP
    EXECUTE format('CREATE TRIGGER usage_stale_on_insert AFTER INSERT ON lore.%I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION lore.usage_mark_stale_days(%L)', src.tbl, src.col);
    EXECUTE format('CREATE TRIGGER usage_stale_on_update AFTER UPDATE ON lore.%I '
                   'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION lore.usage_mark_stale_days(%L)', src.tbl, src.col);
    EXECUTE format('CREATE TRIGGER usage_stale_on_delete AFTER DELETE ON lore.%I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION lore.usage_mark_stale_days(%L)', src.tbl, src.col);
  END LOOP;
END $$;
