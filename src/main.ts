import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Router } from 'express';
import {
  isProcessAlive,
  newAdminToken,
  readServerHandle,
  removeServerHandle,
  writeServerHandle,
} from './cli/server-handle.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createHttpApp } from './http/app.js';
import { adminRoutes } from './http/routes/admin.routes.js';
import type { ReadinessCheck } from './http/routes/health.routes.js';
import { createEmbeddedDatabase, createPostgresDatabase, type Database } from './infra/db/database.js';
import { migrate, pendingMigrations } from './infra/db/migrate.js';
import { createMetrics, type Metrics } from './infra/metrics.js';
import { createBullmqQueue } from './infra/queue/bullmq-queue.js';
import type { JobQueue } from './infra/queue/job-queue.js';
import { createMemoryQueue } from './infra/queue/memory-queue.js';
import type { KeyValueStore } from './infra/redis/key-value-store.js';
import { createMemoryStore } from './infra/redis/memory-store.js';
import { createRedisStore } from './infra/redis/redis-store.js';
import { createJobRegistry } from './jobs/registry.js';
import { startWorker } from './jobs/worker.js';
import { createLogger, type Logger } from './logger.js';
import { ensureDemoTenant } from './tenants/demo-tenant.js';

/** The adapters every delivery layer shares. Built only here (the composition root). */
export interface Container {
  config: Config;
  logger: Logger;
  db: Database;
  kv: KeyValueStore;
  queue: JobQueue;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Connects the database, Redis (or in-memory stand-ins) and the queue; embedded mode also migrates. */
export async function createContainer(config: Config, logger: Logger): Promise<Container> {
  const db = config.databaseUrl
    ? createPostgresDatabase(config.databaseUrl)
    : await createEmbeddedDatabase(path.join(config.dataDir, 'pglite'));
  try {
    if (db.kind === 'pglite') {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied: applied.map((m) => m.version) }, 'migrations applied');
    }
    const kv = config.redisUrl
      ? createRedisStore(config.redisUrl, { logger })
      : createMemoryStore({ logger });
    const queue = config.redisUrl
      ? createBullmqQueue({ url: config.redisUrl, logger })
      : createMemoryQueue({ logger });
    const metrics = createMetrics({ queueCounts: async () => ({ ...(await queue.counts()) }) });
    return {
      config,
      logger,
      db,
      kv,
      queue,
      metrics,
      async close() {
        await queue.close();
        await kv.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

/** What /readyz checks: database reachable, migrations applied, Redis and queue answering. */
function readinessChecks(c: Container): ReadinessCheck[] {
  return [
    { name: 'database', check: async () => void (await c.db.pool.query('SELECT 1')) },
    {
      name: 'migrations',
      check: async () => {
        const pending = await pendingMigrations(c.db.pool);
        if (pending.length > 0)
          throw new Error(`${pending.length} migrations pending: run npm run db:migrate`);
      },
    },
    { name: 'redis', check: () => c.kv.ping() },
    { name: 'queue', check: () => c.queue.ping() },
  ];
}

/** A running Lore process (web, worker or both) and how to stop it gracefully. */
export interface RunningApp {
  container: Container;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** Starts the configured role(s): HTTP server (always, for probes), and the worker for worker/all. */
export async function startApp(
  config: Config,
  logger: Logger,
  opts: { extraRouters?: Router[] } = {},
): Promise<RunningApp> {
  if (config.embedded) await refuseSecondEmbeddedServer(config.dataDir);
  const container = await createContainer(config, logger);
  let shuttingDown = false;
  const routers: Router[] = [...(opts.extraRouters ?? [])];
  const adminToken = config.embedded ? newAdminToken() : undefined;
  if (adminToken) routers.push(adminRoutes(adminToken, container));
  if (config.embedded) {
    const demo = await ensureDemoTenant(container.db);
    if (demo.created) logger.info({ tenantId: demo.tenant.id }, 'demo workspace created');
  }
  const app = createHttpApp({
    logger,
    metrics: container.metrics,
    readiness: readinessChecks(container),
    isShuttingDown: () => shuttingDown,
    routers: config.appRole === 'worker' ? [] : routers,
  });
  if (config.appRole !== 'web') {
    await startWorker(container.queue, createJobRegistry({}), { logger, metrics: container.metrics });
  }
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;
  if (adminToken) await writeServerHandle(config.dataDir, { url, token: adminToken, pid: process.pid });

  return {
    container,
    server,
    url,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      // Stop taking requests; keep-alive sockets with no request in flight are closed now, busy ones after.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await container.close();
      if (adminToken) await removeServerHandle(config.dataDir);
    },
  };
}

async function refuseSecondEmbeddedServer(dataDir: string): Promise<void> {
  const handle = await readServerHandle(dataDir);
  if (handle && handle.pid !== process.pid && isProcessAlive(handle.pid)) {
    throw new Error(
      `Another Lore server (pid ${handle.pid}) is using the embedded database in ${dataDir}. Stop it first, or set DATA_DIR.`,
    );
  }
}

function printBanner(config: Config, url: string): void {
  const lines = [
    '',
    `  Lore is running (${config.appRole}, ${config.embedded ? 'embedded Postgres' : 'Postgres'}, ${config.redisUrl ? 'Redis' : 'in-memory queue'})`,
    `    Health:     ${url}/healthz   Ready: ${url}/readyz   Metrics: ${url}/metrics`,
    `    Operator:   npm run cli -- --help`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Entry point: load config, start, and shut down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  if (!config.redisUrl)
    logger.warn('REDIS_URL is not set: running in embedded single-process mode (in-memory queue)');
  const running = await startApp(config, logger).catch((err: unknown) => {
    logger.fatal({ err }, 'startup failed');
    process.stderr.write(`Lore could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
  printBanner(config, running.url);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    // A hung dependency must not keep a stopped container alive forever.
    setTimeout(() => process.exit(1), 25_000).unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void main();
}
