import { createEmbeddedDatabase, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';

/** A fresh in-memory PGlite with every migration applied: the same SQL as production. */
export async function createTestDatabase(): Promise<Database> {
  const db = await createEmbeddedDatabase('memory://');
  await migrate(db);
  return db;
}
