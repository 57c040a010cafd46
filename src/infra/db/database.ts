import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** A connection pool plus what kind of Postgres sits behind it. */
export interface Database {
  pool: pg.Pool;
  kind: 'postgres' | 'pglite';
  /** Closes the pool (and the embedded engine, when there is one). */
  close(): Promise<void>;
}

export type DbClient = pg.PoolClient;

/** Connects to a real Postgres (Supabase in production) through a `pg` pool. */
export function createPostgresDatabase(connectionString: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    // Fail fast when the database is unreachable instead of hanging a request or a readiness probe.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its connection emits 'error'; without a listener Node would crash.
  pool.on('error', () => {});
  return { pool, kind: 'postgres', close: () => pool.end() };
}

/**
 * Starts embedded Postgres (PGlite, WASM) with pgvector and wraps it in a `pg` pool, so the rest of the
 * app uses one driver and one SQL dialect. `dataDir` of `memory://` keeps everything in memory (tests).
 * PGlite is a single connection: the pool has size 1 and transactions are serialised.
 */
export async function createEmbeddedDatabase(dataDir: string): Promise<Database> {
  return (await openEmbeddedEngine(dataDir)).db;
}

/**
 * The engine behind `createEmbeddedDatabase`, for the callers that need it too (the tests' migrated
 * snapshot dumps and loads data directories). `loadDataDir`: a data-directory tarball to start from.
 */
export async function openEmbeddedEngine(
  dataDir: string,
  loadDataDir?: Blob,
): Promise<{ engine: PGlite; db: Database }> {
  // Loaded lazily so production (DATABASE_URL) never loads the WASM engine.
  const [{ PGlite }, { vector }, { btree_gin }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
    // A tenant's full-text index is on (tenant_id, fts): uuid's GIN operator class (20261208000100).
    import('@electric-sql/pglite/contrib/btree_gin'),
  ]);
  const location = dataDir === 'memory://' ? dataDir : path.resolve(dataDir);
  if (location !== 'memory://') await mkdir(location, { recursive: true });
  const engine = await PGlite.create({ dataDir: location, loadDataDir, extensions: { vector, btree_gin } });
  const pool = await poolOverEngine(engine);
  const close = async () => {
    await pool.end();
    await engine.close();
  };
  return { engine, db: { pool, kind: 'pglite', close } };
}

/** A `pg` pool (of one connection) over a running PGlite engine. Ending the pool leaves the engine running. */
export async function poolOverEngine(engine: PGlite): Promise<pg.Pool> {
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  return new pg.Pool(createPgConfig(engine) as unknown as pg.PoolConfig);
}

// Node's socket errors and Postgres's own codes for "no server to talk to" (SQLSTATE class 08: connection
// exception; 57P01-57P03: the server is shutting down, crashed, or not accepting connections yet).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
const UNREACHABLE = Symbol('lore.databaseUnreachable');

/**
 * Marks `err` as "the database could not be reached" when it is one. Called only where database errors
 * surface (a transaction), so a socket error from Slack or OpenAI is never taken for the database's.
 */
export function markIfUnreachable(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const unreachable =
    (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) ||
    UNREACHABLE_MESSAGES.test(err.message);
  if (unreachable) Object.defineProperty(err, UNREACHABLE, { value: true });
  return err;
}

/**
 * True when `err` (or what it wraps) is a database error marked unreachable, as opposed to a query the
 * database refused: the work should wait for the database rather than fail.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { [UNREACHABLE]?: boolean })[UNREACHABLE] === true) return true;
  }
  return false;
}
