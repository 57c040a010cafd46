import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { appRoot } from '../fs/app-root.js';
import type { Database } from './database.js';
import { checkMigrationRequirements, loadPgvector } from './requirements.repo.js';

/** A pool or a checked-out client: with PGlite's single connection, callers holding one must pass it. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** Where the SQL migrations live (the Supabase CLI's folder, so `supabase db push` sees the same files). */
export const MIGRATIONS_DIR = path.join(appRoot(), 'supabase', 'migrations');

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// An arbitrary constant: replicas starting together take turns instead of racing through migrations.
const MIGRATION_LOCK_KEY = 7_130_421_955;

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

/** Lists migration files in version order; a file that does not follow the naming rule is an error. */
export async function listMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match?.[1] || !match[2]) {
      throw new Error(`Migration file "${file}" must be named <YYYYMMDDHHMMSS>_<name>.sql`);
    }
    return { version: match[1], name: match[2], file: path.join(dir, file) };
  });
}

const ENSURE_HISTORY = `
  CREATE SCHEMA IF NOT EXISTS supabase_migrations;
  CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (
    version text PRIMARY KEY,
    statements text[],
    name text
  );`;

/** Versions already recorded as applied. */
export async function appliedVersions(q: Queryable): Promise<Set<string>> {
  const exists = await q.query(`SELECT to_regclass('supabase_migrations.schema_migrations') AS t`);
  if (!exists.rows[0]?.t) return new Set();
  const { rows } = await q.query<{ version: string }>(
    'SELECT version FROM supabase_migrations.schema_migrations',
  );
  return new Set(rows.map((r) => r.version));
}

/** Migration files not yet applied (empty when the schema is current). */
export async function pendingMigrations(q: Queryable, dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const [files, applied] = await Promise.all([listMigrationFiles(dir), appliedVersions(q)]);
  return files.filter((f) => !applied.has(f.version));
}

/**
 * Applies every pending migration, each in its own transaction, recording it in
 * `supabase_migrations.schema_migrations`. Running it again applies nothing. Returns what it applied.
 * Replicas starting together take turns on a transaction-scoped advisory lock; a session lock would
 * outlive its transaction behind a transaction-mode pooler (PgBouncer, Supavisor on 6543) and stay
 * held on whichever server connection took it.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const client = await db.pool.connect();
  const applied: MigrationFile[] = [];
  try {
    const pending = await pendingMigrations(client, dir);
    if (pending.length === 0) return applied;
    // A database or role that cannot take every migration is refused before the first one runs.
    await checkMigrationRequirements(client);
    await inLockedTransaction(client, () => client.query(ENSURE_HISTORY));
    for (const migration of pending) {
      const sql = await readFile(migration.file, 'utf8');
      try {
        const ran = await inLockedTransaction(client, async () => {
          // Another replica may have applied it while this one waited for the lock.
          const done = await client.query(
            'SELECT 1 FROM supabase_migrations.schema_migrations WHERE version = $1',
            [migration.version],
          );
          if (done.rowCount) return false;
          // In every transaction, not once per session: behind a transaction-mode pooler each transaction
          // may run on another server connection, one that has not loaded pgvector's settings yet.
          await loadPgvector(client);
          await client.query(sql);
          await client.query(
            'INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES ($1, $2, $3)',
            [migration.version, migration.name, [sql]],
          );
          return true;
        });
        if (ran) applied.push(migration);
      } catch (err) {
        throw new Error(`Migration ${path.basename(migration.file)} failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
  } finally {
    client.release();
  }
  return applied;
}

/** BEGIN, take the migration lock until COMMIT or ROLLBACK, run `fn`. */
async function inLockedTransaction<T>(client: Queryable, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
