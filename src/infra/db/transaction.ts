import { type Database, type DbClient, markIfUnreachable } from './database.js';

/** The non-superuser role tenant work runs as, so row-level security applies (created by migrations). */
export const APP_ROLE = 'lore_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in one transaction on one connection: commit when it resolves, roll back when it throws.
 * Runs as the connecting (owner) role, so use it only for work that is not tenant data, or that must
 * find a tenant before one is known (resolving a Slack team, a session, an API key).
 */
export async function withTransaction<T>(db: Database, fn: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect().catch((err: unknown) => {
    throw markIfUnreachable(err);
  });
  // pg-pool listens for errors only on idle clients. A session cut while this one is held between queries
  // (the server restarting) would otherwise be an uncaught 'error' that ends the process; the next query
  // (or COMMIT) fails instead, and the broken connection is destroyed rather than pooled.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken ??= err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (!broken) await client.query('ROLLBACK').catch(() => {});
    throw markIfUnreachable(err);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/**
 * Runs `fn` in a transaction as the app role with `app.tenant_id` set, so every query sees and writes
 * only that tenant's rows, enforced by the database's row-level security policies.
 */
export async function withTenant<T>(
  db: Database,
  tenantId: string,
  fn: (client: DbClient) => Promise<T>,
): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: tenant id must be a uuid, got "${tenantId}"`);
  return withTransaction(db, async (client) => {
    await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return fn(client);
  });
}
