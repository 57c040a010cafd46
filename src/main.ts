import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Router } from 'express';
import type { LlmClient } from './ai/llm-client.js';
import { createLlmForTenant } from './ai/llm-for-tenant.js';
import { createOpenAiClient } from './ai/openai-client.js';
import {
  isProcessAlive,
  newAdminToken,
  readServerHandle,
  removeServerHandle,
  writeServerHandle,
} from './cli/server-handle.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createHttpApp } from './http/app.js';
import { createSessionRecheck } from './http/middleware/session-recheck.js';
import { adminRoutes } from './http/routes/admin.routes.js';
import { apiRoutes } from './http/routes/api.routes.js';
import { type SignInDeps, signInRoutes } from './http/routes/auth/sign-in.routes.js';
import { createPlaygroundAsk } from './http/routes/dashboard/playground-ask.js';
import { dashboardStaticRoutes } from './http/routes/dashboard-static.routes.js';
import type { ReadinessCheck } from './http/routes/health.routes.js';
import { rateLimitRoutes } from './http/routes/rate-limits.routes.js';
import { memberViewRoutes } from './http/routes/reader/member-view.routes.js';
import { webhookIngress, webhooksFirst } from './http/webhook-ingress.js';
import type { BlobStore } from './infra/blob/blob-store.js';
import { createLocalBlobStore } from './infra/blob/local-blob-store.js';
import { createSupabaseBlobStore } from './infra/blob/supabase-blob-store.js';
import { type CipherBox, createCipherBox } from './infra/crypto/cipher-box.js';
import { createEmbeddedDatabase, createPostgresDatabase, type Database } from './infra/db/database.js';
import { migrate, pendingMigrations } from './infra/db/migrate.js';
import { makePrivateDir } from './infra/fs/private-dir.js';
import { type AddressPolicy, anyAddress, publicAddressesOnly } from './infra/http/address-policy.js';
import { createSafeFetch, type SafeFetch } from './infra/http/safe-fetch.js';
import { createMetrics, type Metrics } from './infra/metrics.js';
import { createBullmqQueue } from './infra/queue/bullmq-queue.js';
import type { JobQueue } from './infra/queue/job-queue.js';
import { createMemoryQueue } from './infra/queue/memory-queue.js';
import type { KeyValueStore } from './infra/redis/key-value-store.js';
import { createMemoryStore } from './infra/redis/memory-store.js';
import { createRedisStore } from './infra/redis/redis-store.js';
import { createJobRegistry, JOB_LANES, type JobServices } from './jobs/registry.js';
import { scheduleRecurringJobs } from './jobs/schedules.js';
import { startWorker } from './jobs/worker.js';
import { INGEST_LANE } from './knowledge/ingest.job.js';
import { resumeUnfinishedIngests } from './knowledge/ingest-resume.js';
import {
  createDocumentReader,
  type DocumentReader,
  type ThreadBounds,
} from './knowledge/ingestion/extract-in-thread.js';
import { createRetriever } from './knowledge/retrieval/retriever.js';
import { seedSampleDocument } from './knowledge/sample-document.js';
import { createRobotsCheck, LORE_USER_AGENT } from './knowledge/web/robots.js';
import { createLogger, type Logger } from './logger.js';
import { createAdminDmSender } from './slack/admin-dm-sender.js';
import { createSlackReplier } from './slack/answers/slack-replier.js';
import { buildAnswerBlocks } from './slack/blocks/answer.js';
import { createChannelDirectory } from './slack/channel-directory.js';
import { createMemberChannels } from './slack/member-channels.js';
import { slackDeliveryGate } from './slack/middleware/delivery-gate.js';
import { SLACK_EVENTS_PATH, slackRequestWindow } from './slack/middleware/request-window.js';
import { createSlackSignIn } from './slack/sign-in-with-slack.js';
import { createSlackApp, type SlackApp } from './slack/slack-app.js';
import { createThreadReader } from './slack/threads/read-thread.js';
import { createTellMember } from './slack/threads/tell-member.js';
import { createWorkspaceRoleCheck } from './slack/workspace-roles.js';
import { createRoleCache } from './tenants/access/dashboard-access.service.js';
import { ensureDemoInstallation, isLocalSlackApi } from './tenants/demo/demo-installation.js';
import { ensureDemoTenant } from './tenants/demo/demo-tenant.js';
import { upgradeStoredSecrets } from './tenants/installations/key-rotation.service.js';
import { createAdminRecipients } from './tenants/notices/admin-recipients.service.js';
import { createTenantServices, type TenantServices } from './tenants/tenant-services.js';
import { createQuotaWatch } from './usage/quota-warnings.service.js';

/** The adapters every delivery layer shares. Built only here (the composition root). */
export interface Container {
  config: Config;
  logger: Logger;
  db: Database;
  kv: KeyValueStore;
  queue: JobQueue;
  blobs: BlobStore;
  metrics: Metrics;
  /** The platform's LLM client, or undefined without OPENAI_API_KEY (extractive answers, full-text search). */
  llm: LlmClient | undefined;
  /** AES-256-GCM over ENCRYPTION_KEYS (tokens, tenants' OpenAI keys). */
  cipher: CipherBox;
  /** Installations (encrypted, cached), provisioning and lifecycle. */
  tenants: TenantServices;
  /** Bolt's app, the /slack router, and the per-tenant Slack clients for jobs. */
  slack: SlackApp;
  /** Reads uploaded documents in bounded worker threads (time, heap, concurrency from INGEST_*). */
  reader: DocumentReader;
  /** Web sources: which addresses may be fetched (WEB_FETCH_ALLOW_PRIVATE) and the guarded client. */
  web: { policy: AddressPolicy; fetch: SafeFetch & { close(): Promise<void> } };
  close(): Promise<void>;
}

/** How this process's document reader is bounded: INGEST_* limits; job-running roles keep a thread warm. */
export function readerBounds(config: Config): ThreadBounds {
  return { ...config.ingest, warm: config.appRole !== 'web' };
}

/**
 * Connects the database, Redis (or in-memory stand-ins) and the queue; embedded mode also migrates.
 * `opts.database` hands in an already-open database instead (the tests run the whole app on a fresh
 * native Postgres database per file); the container closes it with everything else. `opts.reader` hands in
 * a document reader its caller owns and closes (the tests share one per process: each reader thread started
 * from source costs seconds of CPU).
 */
export async function createContainer(
  config: Config,
  logger: Logger,
  opts: { database?: Database; reader?: DocumentReader } = {},
): Promise<Container> {
  // Before anything writes there: embedded data and local originals are the tenants' data.
  await makePrivateDir(config.dataDir);
  const db =
    opts.database ??
    (config.databaseUrl
      ? createPostgresDatabase(config.databaseUrl)
      : await createEmbeddedDatabase(path.join(config.dataDir, 'pglite')));
  try {
    if (db.kind === 'pglite') {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied: applied.map((m) => m.version) }, 'migrations applied');
    }
    const kv = config.redisUrl
      ? createRedisStore(config.redisUrl, { logger })
      : createMemoryStore({ logger });
    // Ingestion runs in a lane of its own, so a tenant's documents never delay anyone's answer.
    const lanes = JOB_LANES;
    const { submitLimits } = config;
    const queue = config.redisUrl
      ? createBullmqQueue({ url: config.redisUrl, queueName: config.queueName, lanes, logger, submitLimits })
      : createMemoryQueue({ logger, lanes, submitLimits });
    // A Redis that does not answer would leave startup waiting on reconnects forever: stop here instead.
    if (config.redisUrl) await requireRedis(config.redisUrl, kv, queue);
    const metrics = createMetrics({
      queueCounts: async () => ({ ...(await queue.counts()) }),
      brokenInstallations: () => tenants.health.count(),
    });
    const blobs = config.supabase
      ? createSupabaseBlobStore(config.supabase)
      : createLocalBlobStore(path.join(config.dataDir, 'files'));
    const llm = config.openai.apiKey
      ? createOpenAiClient({ apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl })
      : undefined;
    const cipher = createCipherBox(config.encryptionKeys);
    // Only processes that run jobs read documents; they keep a reader thread started.
    const reader = opts.reader ?? createDocumentReader(readerBounds(config));
    const webPolicy = config.web.allowPrivateAddresses ? anyAddress : publicAddressesOnly;
    const web = {
      policy: webPolicy,
      fetch: createSafeFetch({
        policy: webPolicy,
        timeoutMs: config.web.timeoutMs,
        userAgent: LORE_USER_AGENT,
      }),
    };
    const tenants = createTenantServices({
      db,
      kv,
      queue,
      logger,
      cipher,
      // A new workspace starts with the "Getting started" document, so the bot can answer at once.
      hooks: { seedKnowledge: (tenantId) => seedSampleDocument({ db, blobs, queue }, tenantId) },
    });
    await tenants.start();
    const slack = createSlackApp({
      config,
      logger,
      kv,
      metrics,
      db,
      queue,
      installations: tenants.installations,
      lifecycle: tenants.lifecycle,
      health: tenants.health,
    });
    return {
      config,
      logger,
      db,
      kv,
      queue,
      blobs,
      metrics,
      llm,
      cipher,
      tenants,
      slack,
      reader,
      web,
      async close() {
        await queue.close();
        if (!opts.reader) await reader.close();
        await web.fetch.close();
        await tenants.stop();
        await kv.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

/** Pings Redis once; when it does not answer, closes both connections and says which URL failed. */
async function requireRedis(url: string, kv: KeyValueStore, queue: JobQueue): Promise<void> {
  try {
    await kv.ping();
  } catch (err) {
    await Promise.all([kv.close(), queue.close()]).catch(() => {});
    throw new Error(
      `Redis at ${redactUrl(url)} does not answer: start Redis, or fix REDIS_URL (unset, Lore runs one process with an in-memory queue)`,
      { cause: err },
    );
  }
}

/** The URL without its password, fit for a log line or an error message. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/** The model chunks get embedded with, or null when there is no embedding provider. */
const embeddingModelOf = (c: Container) => (c.llm ? c.config.openai.embeddingModel : null);

/** What job handlers get: adapters plus the per-tenant choice of LLM client. */
export function jobServices(c: Container): JobServices {
  // A tenant's own OpenAI key (encrypted in tenant_settings) answers and embeds for that tenant only.
  const llmFor = createLlmForTenant({
    db: c.db,
    cipher: c.cipher,
    platform: c.llm,
    createClient: (apiKey) => createOpenAiClient({ apiKey, baseUrl: c.config.openai.baseUrl }),
    logger: c.logger,
  });
  return {
    db: c.db,
    kv: c.kv,
    queue: c.queue,
    blobs: c.blobs,
    logger: c.logger,
    embeddingModel: c.config.openai.embeddingModel,
    embedderFor: llmFor,
    reader: c.reader,
    maxPages: c.config.ingest.maxPages,
    vectorIndexes: c.config.vectorIndexes,
    web: {
      fetch: c.web.fetch,
      robotsAllow: createRobotsCheck(c.web.fetch),
      refreshMs: c.config.web.refreshMs,
    },
    threads: {
      readThread: createThreadReader(c.slack.clients),
      tell: createTellMember({ clients: c.slack.clients, slackApiUrl: c.config.slack.apiUrl }),
    },
    llmFor,
    chatModel: c.config.openai.chatModel,
    publicUrl: c.config.publicUrl,
    retrieve: createRetriever({
      db: c.db,
      logger: c.logger,
      embeddingModel: c.config.openai.embeddingModel,
      embedderFor: llmFor,
    }),
    replier: createSlackReplier({
      clients: c.slack.clients,
      installationOf: async (tenantId) => {
        const r = await c.tenants.installations.findByTenant(tenantId);
        return { teamId: r?.teamId, botId: r?.bot?.id, botUserId: r?.bot?.userId };
      },
      logger: c.logger,
      slackApiUrl: c.config.slack.apiUrl,
    }),
    afterPlatformUsage: createQuotaWatch({ db: c.db, queue: c.queue, logger: c.logger }),
    recipientsOf: createAdminRecipients({ db: c.db, installations: c.tenants.installations }),
    sendAdminDm: createAdminDmSender({ clients: c.slack.clients }),
    planUrl: `${c.config.publicUrl}/app/plans`,
    sendWelcome: c.slack.sendWelcome,
    refreshTenantTokens: c.slack.refreshTenantTokens,
    purge: {
      graceDays: c.config.tenantPurgeGraceDays,
      purgeFiles: (tenantId) => c.blobs.deletePrefix(`${tenantId}/`),
    },
  };
}

/** The dashboard's Sign in with Slack (the same Slack app as the install) and its workspace-admin check. */
function dashboardSignIn(c: Container): SignInDeps & { roleCache: ReturnType<typeof createRoleCache> } {
  const { clientId, clientSecret, apiUrl } = c.config.slack;
  // Sign-in asks Slack afresh; the answer also serves the per-request re-checks for a minute.
  const roleCache = createRoleCache(createWorkspaceRoleCheck(c.slack.clients, c.logger), c.kv);
  const redirectUri = `${c.config.publicUrl}/auth/slack/callback`;
  return {
    db: c.db,
    kv: c.kv,
    config: c.config,
    signIn:
      clientId && clientSecret
        ? createSlackSignIn({ clientId, clientSecret, apiUrl, redirectUri })
        : undefined,
    roleOf: roleCache.fresh,
    roleCache,
  };
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
  opts: { extraRouters?: Router[]; database?: Database; reader?: DocumentReader } = {},
): Promise<RunningApp> {
  if (config.embedded) await refuseSecondEmbeddedServer(config.dataDir);
  const container = await createContainer(config, logger, { database: opts.database, reader: opts.reader });
  let shuttingDown = false;
  // First: a refused request must cost nothing else (no session lookup, no body parsing).
  const routers: Router[] = [
    rateLimitRoutes({
      kv: container.kv,
      metrics: container.metrics,
      namespace: config.queueName,
      limits: config.rateLimits,
    }),
    ...(opts.extraRouters ?? []),
  ];
  const adminToken = config.embedded ? newAdminToken() : undefined;
  if (adminToken) routers.push(adminRoutes(adminToken, container));
  // Slack verifies signatures over the raw body: nothing before these may parse it. Event deliveries take
  // the lean webhook path; the install and OAuth pages are for browsers and get the full stack.
  const webhooks =
    config.appRole === 'worker'
      ? []
      : [
          webhookIngress(
            { logger, metrics: container.metrics },
            SLACK_EVENTS_PATH,
            slackRequestWindow({ logger }),
            slackDeliveryGate({ signingSecret: config.slack.signingSecret, logger }),
            ...container.slack.events,
          ),
        ];
  routers.push(container.slack.router);
  // Built once: the worker's jobs and the playground share the clients, retriever and quota watch.
  const services = jobServices(container);
  // The playground runs the same answer job as Slack: same limits, quota, recording and metering.
  const ask = createPlaygroundAsk({ ...services, buildBlocks: buildAnswerBlocks });
  // Sign-in first: switching workspaces must work from a session whose workspace /api would refuse
  // (operator-only, or uninstalled or suspended since).
  const signIn = dashboardSignIn(container);
  routers.push(signInRoutes(signIn));
  // Both read a dashboard session, so both re-check its rights the same way.
  const recheckSession = createSessionRecheck({ db: container.db, config, roleOf: signIn.roleCache.cached });
  routers.push(
    memberViewRoutes({
      db: container.db,
      kv: container.kv,
      memberChannels: createMemberChannels({ clients: container.slack.clients, kv: container.kv, logger }),
      slackSignIn: Boolean(signIn.signIn),
      recheckSession,
    }),
  );
  routers.push(
    apiRoutes({
      ...container,
      embeddingModel: embeddingModelOf(container),
      webAddressPolicy: container.web.policy,
      ask,
      channels: createChannelDirectory({ clients: container.slack.clients, kv: container.kv, logger }),
      healthChecks: readinessChecks(container),
      slackEventsPath: SLACK_EVENTS_PATH,
      recheckSession,
    }),
  );
  routers.push(dashboardStaticRoutes({ distDir: path.resolve('dashboard/dist') }));
  if (config.embedded) {
    const demo = await ensureDemoTenant(container.db);
    if (demo.created) {
      logger.info({ tenantId: demo.tenant.id }, 'demo workspace created');
      await seedSampleDocument(container, demo.tenant.id);
    }
    // Development only: with a local Slack stand-in (scripts/simulate-slack.ts) the demo workspace is installed.
    if (
      isLocalSlackApi(config.slack.apiUrl) &&
      (await ensureDemoInstallation(container.tenants.installations, demo.tenant.id))
    )
      logger.info({ tenantId: demo.tenant.id }, 'demo workspace installed for the local Slack stand-in');
  }
  const app = createHttpApp({
    logger,
    metrics: container.metrics,
    readiness: readinessChecks(container),
    isShuttingDown: () => shuttingDown,
    metricsToken: config.metricsToken,
    trustProxy: config.trustProxy,
    ingress: webhooks,
    routers: config.appRole === 'worker' ? [] : routers,
  });
  if (config.appRole !== 'web') {
    await startWorker(container.queue, createJobRegistry(services), {
      logger,
      metrics: container.metrics,
      lanes: {
        laneConcurrency: { [INGEST_LANE]: config.ingest.concurrency },
        tenantConcurrency: config.tenantJobConcurrency,
      },
    });
    await scheduleRecurringJobs(container.queue);
  }
  const server = createServer(webhooksFirst(app, webhooks));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if (config.host) server.listen(config.port, config.host, listening);
    else server.listen(config.port, listening);
  });
  if (config.appRole !== 'web') {
    // Only once the server listens: unfinished documents must never hold up the probes or Slack's acks.
    // A database that is down at boot must not stop the worker: /readyz reports it, and jobs retry.
    await resumeUnfinishedIngests(container.db, container.queue, logger).catch((err: unknown) =>
      logger.warn({ err }, 'could not resume unfinished ingestion'),
    );
    // Secrets from before AES-GCM binding (or under a retired key) are rewritten without an operator step.
    await upgradeStoredSecrets({ ...container, installations: container.tenants.installations }).catch(
      (err: unknown) => logger.warn({ err }, 'could not re-encrypt stored secrets'),
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;
  if (adminToken) await writeServerHandle(config.dataDir, { url, token: adminToken, pid: process.pid });
  // PGlite sets 0666 on the files it creates whatever the umask: narrow what the boot wrote. Files it
  // creates later stay behind DATA_DIR's 0700, which no one else can enter.
  await makePrivateDir(config.dataDir);

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
