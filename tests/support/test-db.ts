import path from 'node:path';
import { inject } from 'vitest';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
  type Database,
} from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { copyDatabase, databaseOf, dropDatabase, TEST_DATABASE_URL, uniqueName } from './native-postgres.js';
import { openMigratedPglite } from './pglite-snapshot.js';

/** True when this run uses native Postgres (TEST_DATABASE_URL) rather than embedded PGlite. */
export const onNativePostgres = Boolean(TEST_DATABASE_URL);

/**
 * A fresh database with every migration applied: the same SQL as production. On PGlite an in-memory
 * engine loaded from the run's migrated snapshot; on native Postgres a new database copied from the run's
 * migrated template, dropped on close.
 */
export async function createTestDatabase(opts: { connections?: number } = {}): Promise<Database> {
  if (TEST_DATABASE_URL) return createNativeDatabaseFrom(inject('nativeTemplate'), opts);
  return createMigratedPglite('memory://');
}

/**
 * A new PGlite with every migration applied, in memory or in `dataDir` (an empty folder, where the app's
 * embedded mode keeps its files): a copy of the run's snapshot, or, under a vitest config without the
 * global setup that makes one, a fresh engine migrated here.
 */
export async function createMigratedPglite(dataDir: string): Promise<Database> {
  const snapshot = inject('pgliteSnapshot');
  if (snapshot) return openMigratedPglite(snapshot, dataDir);
  const db = await createEmbeddedDatabase(dataDir);
  await migrate(db);
  return db;
}

/**
 * A fresh database with no Lore migrations applied (pgvector as the platform provides it: PGlite's
 * bundled extension, or on native Postgres the base database's `extensions` schema).
 */
export async function createBlankTestDatabase(): Promise<Database> {
  if (TEST_DATABASE_URL) return createNativeDatabaseFrom(databaseOf(TEST_DATABASE_URL));
  return createEmbeddedDatabase('memory://');
}

/** A new native database copied from `template`, as the (non-superuser) owner role; dropped on close. */
export async function createNativeDatabaseFrom(
  template: string,
  opts: { connections?: number } = {},
): Promise<Database & { url: string }> {
  const base = TEST_DATABASE_URL;
  if (!base || !template) throw new Error('native test database requested without TEST_DATABASE_URL');
  const name = uniqueName(inject('nativeRunPrefix'));
  const url = await copyDatabase(base, template, name);
  // Small pools: several test files share one server (max_connections) with other users of it.
  const db = createPostgresDatabase(url, { max: opts.connections ?? 4 });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await dropDatabase(base, name);
    },
  };
}

/**
 * The database a test app runs on. On a native run, a fresh native database, unless the test set
 * DATABASE_URL itself or asked for the embedded engine (`pglite`). Otherwise a PGlite already migrated from
 * the snapshot: in memory, or, for a test of the embedded engine itself (`pglite`), in DATA_DIR/pglite where
 * `npm start` keeps it (a copy on disk costs about 0.5 s more CPU per app: 28 MB of files written and read
 * back). With `migrateAtBoot` (undefined) the app opens and migrates its own at boot, as `npm start` does.
 */
export async function databaseForTestApp(
  env: Record<string, string>,
  dataDir: string,
  opts: { pglite?: boolean; migrateAtBoot?: boolean },
): Promise<Database | undefined> {
  if (env.DATABASE_URL) return undefined;
  if (onNativePostgres && !opts.pglite) return createTestDatabase();
  if (opts.migrateAtBoot) return undefined;
  return createMigratedPglite(opts.pglite ? path.join(dataDir, 'pglite') : 'memory://');
}
