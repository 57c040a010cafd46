import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPostgresDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import {
  copyDatabase,
  databaseOf,
  dropDatabase,
  TEST_DATABASE_URL,
  TEST_DB_PREFIX,
  uniqueName,
  withConnection,
} from './native-postgres.js';
import { writeMigratedSnapshot } from './pglite-snapshot.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's migrated template database on native Postgres ('' on PGlite). */
    nativeTemplate: string;
    /** What every database of this run is named with, so teardown finds leftovers. */
    nativeRunPrefix: string;
    /** A tarball of a migrated PGlite data directory, made once per run ('' when none was made). */
    pgliteSnapshot: string;
  }
}

/**
 * Migrates once per run, so no test file pays for it: a PGlite data-directory snapshot (every run: the
 * PGlite tests, and on native runs the ones that test the embedded engine), and with TEST_DATABASE_URL a
 * template database on native Postgres (each test database is then a cheap copy of it). Drops everything
 * the run made at the end.
 */
export default async function setup(project: TestProject) {
  const snapshotDir = await mkdtemp(path.join(tmpdir(), 'lore-test-snapshot-'));
  const snapshot = path.join(snapshotDir, 'pglite-migrated.tar');
  await writeMigratedSnapshot(snapshot);
  project.provide('pgliteSnapshot', snapshot);
  const removeSnapshot = () => rm(snapshotDir, { recursive: true, force: true });
  if (!TEST_DATABASE_URL) {
    project.provide('nativeTemplate', '');
    project.provide('nativeRunPrefix', '');
    return removeSnapshot;
  }
  const base = TEST_DATABASE_URL;
  const runPrefix = uniqueName(TEST_DB_PREFIX).concat('_');
  const template = `${runPrefix}template`;
  const url = await copyDatabase(base, databaseOf(base), template);
  const db = createPostgresDatabase(url, { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  project.provide('nativeTemplate', template);
  project.provide('nativeRunPrefix', runPrefix);

  return async () => {
    await removeSnapshot();
    // Test files drop their own databases; this catches any a crashed file left behind.
    const left = await withConnection(base, (c) =>
      c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
        runPrefix,
      ]),
    );
    for (const { datname } of left.rows) await dropDatabase(base, datname);
    // Roles are cluster-wide: drop the throwaway ones the configuration tests made (their databases are gone).
    await withConnection(base, async (c) => {
      const roles = await c.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)',
        [runPrefix],
      );
      for (const { rolname } of roles.rows) await c.query(`DROP ROLE IF EXISTS "${rolname}"`);
    });
  };
}
