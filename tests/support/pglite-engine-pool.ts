import type { PGlite } from '@electric-sql/pglite';
import { type Database, poolOverEngine } from '../../src/infra/db/database.js';

/**
 * In-memory PGlite engines reused between the test files of one worker. Loading the migrated snapshot
 * into a new engine costs about 1-1.7 s of CPU (a 128 MB WebAssembly memory, 28 MB of files unpacked,
 * Postgres started); putting a closed test database back as it was freshly migrated costs a few hundred
 * milliseconds. So a closed database's engine is kept when, and only when, it can be made exactly fresh
 * again:
 * - its catalog (relations, columns, functions, policies, triggers, roles, grants, settings, extensions,
 *   sequences) is unchanged since the snapshot, checked by a fingerprint (a test that altered the schema
 *   or a role gets its engine closed, as before);
 * - every table is emptied, the rows the migrations themselves wrote are put back, and every sequence is
 *   set back to where the migrations left it;
 * - the session is reset (DISCARD ALL: settings, role, prepared statements, temp tables, advisory locks).
 * Files still share nothing they could see: what the next file gets is the freshly migrated database.
 */

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast')`;

/** Everything about the schema a test could change, as one hash. */
const CATALOG_FINGERPRINT = `
  SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS fingerprint FROM (
    SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || c.relrowsecurity
        || c.relforcerowsecurity || coalesce(c.relacl::text, '') || coalesce(c.reloptions::text, '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
    UNION ALL
    SELECT 'col ' || c.oid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || a.attnotnull || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'fn ' || n.nspname || '.' || p.proname || ' ' || md5(coalesce(p.prosrc, '')) || coalesce(p.proconfig::text, '')
        || coalesce(p.proacl::text, '') || p.prosecdef
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT 'ns ' || nspname || coalesce(nspacl::text, '') FROM pg_namespace
    UNION ALL
    SELECT 'pol ' || polrelid::regclass::text || '.' || polname || polcmd::text || coalesce(polroles::text, '')
        || md5(coalesce(pg_get_expr(polqual, polrelid), '') || coalesce(pg_get_expr(polwithcheck, polrelid), ''))
      FROM pg_policy
    UNION ALL
    SELECT 'trg ' || tgrelid::regclass::text || '.' || tgname || tgenabled::text FROM pg_trigger
    UNION ALL
    SELECT 'con ' || conrelid::regclass::text || '.' || conname || md5(pg_get_constraintdef(oid)) FROM pg_constraint
    UNION ALL
    SELECT 'role ' || rolname || rolsuper || rolinherit || rolcreaterole || rolcreatedb || rolcanlogin
        || rolbypassrls || coalesce(rolconfig::text, '') FROM pg_roles
    UNION ALL
    SELECT 'member ' || roleid || ' ' || member FROM pg_auth_members
    UNION ALL
    SELECT 'setting ' || setdatabase || ' ' || setrole || ' ' || setconfig::text FROM pg_db_role_setting
    UNION ALL
    SELECT 'db ' || datname || coalesce(datacl::text, '') FROM pg_database
    UNION ALL
    SELECT 'ext ' || extname || extversion FROM pg_extension
    UNION ALL
    SELECT 'seq ' || seqrelid::regclass::text || seqstart || seqincrement FROM pg_sequence
  ) AS catalog(x)`;

const TABLES = `
  SELECT format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ${SYSTEM_SCHEMAS}
  ORDER BY 1`;

interface FreshState {
  fingerprint: string;
  tables: string[];
  /** The rows the migrations wrote, per table, as JSON, in the order the tables are listed. */
  seedRows: Array<{ table: string; rows: string }>;
  /** Every sequence as the migrations left it (all unused today), for `setval`. */
  sequences: Array<{ name: string; value: string; called: boolean }>;
}

let fresh: FreshState | undefined;
const idle: PGlite[] = [];
/** Enough for the files that hold three databases at once; more would only hold memory. */
const MAX_IDLE = 3;

async function fingerprint(engine: PGlite): Promise<string> {
  const res = await engine.query<{ fingerprint: string }>(CATALOG_FINGERPRINT);
  return res.rows[0]?.fingerprint ?? '';
}

/** Records what a freshly migrated engine holds, from the first one this worker opens. */
async function recordFresh(engine: PGlite): Promise<FreshState> {
  const tables = (await engine.query<{ name: string }>(TABLES)).rows.map((r) => r.name);
  const seedRows: FreshState['seedRows'] = [];
  for (const table of tables) {
    const res = await engine.query<{ rows: string | null }>(
      `SELECT json_agg(t)::text AS rows FROM ${table} AS t`,
    );
    const rows = res.rows[0]?.rows;
    if (rows) seedRows.push({ table, rows });
  }
  const sequences = await engine.query<FreshState['sequences'][number]>(
    `SELECT format('%I.%I', schemaname, sequencename) AS name, coalesce(last_value, start_value)::text AS value,
            last_value IS NOT NULL AS called
     FROM pg_sequences`,
  );
  return { fingerprint: await fingerprint(engine), tables, seedRows, sequences: sequences.rows };
}

/** Puts a used engine back to the freshly migrated state; false when that cannot be guaranteed. */
async function makeFresh(engine: PGlite, state: FreshState): Promise<boolean> {
  await engine.exec('ROLLBACK'); // a test that stopped mid-transaction (a warning, not an error, when none)
  await engine.exec('DISCARD ALL');
  if ((await fingerprint(engine)) !== state.fingerprint) return false;
  await engine.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${state.tables.join(', ')} CASCADE`);
    // Every sequence, owned by a table or not, back where the migrations left it.
    for (const { name, value, called } of state.sequences) {
      await tx.query('SELECT setval($1, $2, $3)', [name, value, called]);
    }
    // The seed rows go back as they were; no trigger of the schema runs for them.
    await tx.exec('SET LOCAL session_replication_role = replica');
    for (const { table, rows } of state.seedRows) {
      await tx.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1)`, [
        rows,
      ]);
    }
  });
  return true;
}

/**
 * A migrated in-memory database: an idle engine of this worker made fresh, or a new one from `open`.
 * Closing it ends its `pg` pool and hands the engine back (or closes it when it cannot be made fresh).
 */
export async function pooledMigratedDatabase(open: () => Promise<PGlite>): Promise<Database> {
  const engine = idle.pop() ?? (await open());
  fresh ??= await recordFresh(engine);
  const pool = await poolOverEngine(engine);
  let closed = false;
  return {
    pool,
    kind: 'pglite',
    async close() {
      if (closed) return;
      closed = true;
      // Ended first: nothing of the closing file can query the engine once the next file has it.
      await pool.end();
      const reusable =
        idle.length < MAX_IDLE && fresh !== undefined && (await makeFresh(engine, fresh).catch(() => false));
      if (reusable) idle.push(engine);
      else await engine.close();
    },
  };
}
