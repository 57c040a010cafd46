import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import {
  createPostgresDatabase,
  type Database,
  isDatabaseUnreachable,
  markIfUnreachable,
} from '../../src/infra/db/database.js';
import { withTransaction } from '../../src/infra/db/transaction.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';

/** A loopback port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// Jobs wait out a database they cannot reach without spending attempts, so telling "unreachable" from
// "refused the query" and from other services' socket errors decides between waiting and failing.
describe('telling an unreachable database from other failures', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  it('a transaction against a server that refuses connections fails as unreachable', async () => {
    const down = createPostgresDatabase(`postgresql://lore:lore@127.0.0.1:${await closedPort()}/lore`, {
      max: 1,
    });
    try {
      const err = await withTransaction(down, (c) => c.query('SELECT 1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnreachable(err)).toBe(true);
      // Still so when a caller wraps it.
      expect(isDatabaseUnreachable(new AppError({ code: 'unavailable', message: 'x', cause: err }))).toBe(
        true,
      );
    } finally {
      await down.close();
    }
  });

  // A session cut while a transaction holds its connection between queries (the server restarting): pg
  // emits 'error' on that client, which with no listener is an uncaught exception that ends the process.
  it.runIf(onNativePostgres)(
    'a session cut between two queries of a transaction fails the transaction, not the process',
    async () => {
      const err = await withTransaction(db, async (c) => {
        const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await withTransaction(db, (other) => other.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]));
        // No query in flight while the server's notice and the socket's end arrive.
        await new Promise((r) => setTimeout(r, 300));
        await c.query('SELECT 1');
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnreachable(err)).toBe(true);
      // The pool gives out working connections afterwards.
      expect((await db.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    },
  );

  it('a query the database refuses is not unreachable', async () => {
    const err = await withTransaction(db, (c) => c.query('SELECT * FROM no_such_table')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnreachable(err)).toBe(false);
  });

  it("the server shutting down mid-session is unreachable; another service's reset connection is not", () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isDatabaseUnreachable(markIfUnreachable(shutdown))).toBe(true);
    // OpenAI's or Slack's connection reset, wrapped by their adapters: never marked, so the job's own
    // attempts (and the apology) apply.
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isDatabaseUnreachable(new AppError({ code: 'ai_unavailable', message: 'x', cause: reset }))).toBe(
      false,
    );
  });
});
