import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The native-Postgres side of the test database: when `TEST_DATABASE_URL` names a database (a
 * Supabase-shaped base made by scripts/ci/prepare-native-postgres.sh), each run migrates one copy of it
 * (the run's template, in vitest's globalSetup) and every test database is a fresh copy of that.
 * Unset, tests use embedded PGlite. Only test support reads this variable.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Every database the tests make starts with this, so leftovers are easy to find and drop. */
export const TEST_DB_PREFIX = 'lore_t_';

// Supabase sets this on its database; CREATE DATABASE … TEMPLATE does not copy per-database settings.
const SEARCH_PATH = '"$user", public, extensions';

/** The same server and credentials as `base`, another database. */
export function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `fn` on one connection to `url` (to the server's maintenance work: create, drop). */
export async function withConnection<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Copies `template` into a new database named `name`, with Supabase's search_path. Returns its URL. */
export async function copyDatabase(baseUrl: string, template: string, name: string): Promise<string> {
  await withConnection(baseUrl, async (c) => {
    await c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
    await c.query(`ALTER DATABASE ${ident(name)} SET search_path = ${SEARCH_PATH}`);
  });
  return urlFor(baseUrl, name);
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  await withConnection(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}
