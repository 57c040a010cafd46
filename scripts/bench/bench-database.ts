import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { copyDatabase, databaseOf, dropDatabase } from '../../tests/support/native-postgres.js';

/** The Supabase-shaped base the native benchmarks copy (BENCH_DATABASE_URL, else TEST_DATABASE_URL). */
export const benchBaseUrl = (): string | undefined =>
  process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || undefined;

/**
 * A fresh, migrated native database for a benchmark, copied from the Supabase-shaped base that
 * scripts/ci/prepare-native-postgres.sh prepares; dropped by `drop`. Its name starts with `prefix`, so a
 * crashed run's leftover is easy to find. Undefined when no base is set.
 */
export async function benchDatabase(
  opts: { prefix?: string; max?: number } = {},
): Promise<{ db: Database; url: string; name: string; drop(): Promise<void> } | undefined> {
  const base = benchBaseUrl();
  if (!base) return undefined;
  const name = `${opts.prefix ?? 'lore_scale_bench_'}${randomBytes(4).toString('hex')}`;
  const url = await copyDatabase(base, databaseOf(base), name);
  const db = createPostgresDatabase(url, { max: opts.max ?? 4 });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    await dropDatabase(base, name);
    throw err;
  }
  return {
    db,
    url,
    name,
    async drop() {
      await db.close();
      await dropDatabase(base, name);
    },
  };
}
