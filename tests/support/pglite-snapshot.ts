import { readFile, writeFile } from 'node:fs/promises';
import { type Database, openEmbeddedEngine } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { pooledMigratedDatabase } from './pglite-engine-pool.js';

/**
 * A migrated PGlite, once per run. A fresh PGlite spends most of its start in initdb (PGlite runs it in a
 * second engine and copies the result in); the migrations add little on top. So the run's globalSetup
 * migrates one in-memory engine and dumps its data directory to a tarball, and every test database is
 * that tarball loaded into a new engine: already migrated, and nothing shared with other files.
 */

/** Migrates a new in-memory PGlite and writes its data directory to `file` (an uncompressed tar). */
export async function writeMigratedSnapshot(file: string): Promise<void> {
  const { engine, db } = await openEmbeddedEngine('memory://');
  try {
    await migrate(db);
    // Nothing in a test database connects to the template databases (a copy never runs CREATE DATABASE), and
    // they are 14 of the snapshot's 42 MB: dropped, every copy loads a third less (measured: about 0.3 s less
    // CPU per test database, most of it the kernel's time for the bigger buffers).
    for (const template of ['template1', 'template0']) {
      await db.pool.query(`ALTER DATABASE ${template} IS_TEMPLATE false`);
      await db.pool.query(`DROP DATABASE ${template}`);
    }
    // Flushed to the data files, so a copy starts without replaying the migrations' WAL.
    await db.pool.query('CHECKPOINT');
    // Uncompressed: 28 MB in a temp folder once per run, and each copy skips a gunzip.
    const tarball = await engine.dumpDataDir('none');
    await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  } finally {
    await db.close();
  }
}

let snapshotBytes: Promise<Uint8Array> | undefined;

/**
 * A new PGlite loaded from the run's migrated snapshot: in memory by default, or in `dataDir` (an empty
 * folder: the engine's files on disk, as the app's embedded mode keeps them). In memory, the engine is one of
 * this worker's reused ones when one is idle (`pglite-engine-pool.ts`); on disk, closing it closes the engine.
 */
export async function openMigratedPglite(file: string, dataDir = 'memory://'): Promise<Database> {
  snapshotBytes ??= readFile(file);
  const bytes = snapshotBytes;
  // A Blob with no type and no name: PGlite reads it as a plain tar.
  const open = async () => openEmbeddedEngine(dataDir, new Blob([await bytes]));
  if (dataDir !== 'memory://') return (await open()).db;
  return pooledMigratedDatabase(async () => (await open()).engine);
}
