import { z } from 'zod';

/**
 * The environment contract (design §4). This is the only module that reads `process.env`;
 * everything else receives a typed `Config`.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = optionalString.pipe(z.url({ message: 'must be a URL' }).optional());

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optionalString,
  APP_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  PUBLIC_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_API_URL: z.url({ message: 'must be a URL' }).default('https://slack.com/api/'),
  SLACK_DIRECT_INSTALL: z
    .enum(['true', 'false', '1', '0', ''], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
      .optional(),
  ),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
      .optional(),
  ),
  // BullMQ puts the name inside its Redis keys, so it refuses ':'.
  QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, { message: 'must be letters, digits, "-" or "_" (no ":")' })
    .default('lore'),
  QUEUE_WAITING_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  QUEUE_WAITING_LIMIT_PER_WORKSPACE: z.coerce.number().int().min(1).max(10_000_000).default(1_000),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  ENCRYPTION_KEYS: optionalString,
  SUPABASE_URL: optionalUrl,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  PLATFORM_ADMINS: optionalString,
  DATA_DIR: z.string().min(1).default('.data'),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, { message: 'must be at least 16 characters (openssl rand -hex 32)' }).optional(),
  ),
  TENANT_PURGE_GRACE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Bounds on the work one uploaded document may cause (parsing and chunking run in a worker thread).
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  INGEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  INGEST_MEMORY_MB: z.coerce.number().int().min(64).max(16_384).default(512),
  INGEST_MAX_PAGES: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  // Web pages as sources: fetched by the worker, refreshed on a schedule, never from private addresses.
  WEB_FETCH_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  WEB_FETCH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
  WEB_REFRESH_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(24),
  // A workspace past this many searchable chunks gets an HNSW index of its own (built by the worker, Postgres only).
  VECTOR_INDEX_MIN_CHUNKS: z.coerce.number().int().min(1_000).max(100_000_000).default(100_000),
  VECTOR_INDEX_BUILD_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(1_024),
  // Jobs of one workspace running at once across all workers (per lane), so a burst cannot starve the rest.
  TENANT_JOB_CONCURRENCY: z.coerce.number().int().min(0).max(1_000).default(3),
  // Which hops may name the client in X-Forwarded-For: none by default, so no one can pick their own address.
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(|false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
      message: 'must be false, true, a number of proxy hops, or comma-separated proxy addresses/subnets',
    })
    .default('false'),
  // HTTP rate limits per minute (Redis fixed windows); Slack's own deliveries are never limited.
  RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  RATE_LIMIT_API_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  RATE_LIMIT_API_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_ADMIN_CLI_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
});

/** Every variable the app reads (kept in step with .env.example by a test). */
export const ENV_VARIABLES = Object.keys(schema.shape);

/** Secrets that production must set; embedded mode fills in development stand-ins. */
const PRODUCTION_REQUIRED = [
  'PUBLIC_URL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_SIGNING_SECRET',
  'SLACK_STATE_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
  'ENCRYPTION_KEYS',
] as const;

/**
 * Secrets whose development stand-ins are public (they are in this file): fine for embedded defaults on one
 * machine, never for a real database, whose tokens they would encrypt and whose Slack traffic they would sign.
 */
const REAL_DATABASE_REQUIRED = ['SLACK_SIGNING_SECRET', 'SLACK_STATE_SECRET', 'ENCRYPTION_KEYS'] as const;

/** One encryption key: its id (stored beside each ciphertext) and 32 raw bytes. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  isProduction: boolean;
  /** True when running on embedded PGlite (no DATABASE_URL). */
  embedded: boolean;
  port: number;
  /** The interface to listen on: HOST, else loopback on embedded defaults, else every interface. */
  host: string | undefined;
  appRole: 'web' | 'worker' | 'all';
  publicUrl: string;
  logLevel: string;
  slack: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    signingSecret: string;
    stateSecret: string;
    apiUrl: string;
    /** /slack/install redirects straight to Slack instead of showing the install page. */
    directInstall: boolean;
  };
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** The BullMQ queue's name: web and worker must agree; only the queue's keys are kept apart by it. */
  queueName: string;
  /** How many questions may wait to be taken into the queue, in all and per workspace (`SubmitLimits`). */
  submitLimits: { waiting: number; waitingPerTenant: number };
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    chatModel: string;
    embeddingModel: string;
  };
  /** Active key first; older keys still decrypt until rotated. */
  encryptionKeys: EncryptionKey[];
  supabase: { url: string; serviceRoleKey: string } | undefined;
  platformAdmins: string[];
  dataDir: string;
  /** Bearer token for /metrics; without it /metrics answers loopback only. */
  metricsToken: string | undefined;
  /** Days a deactivated (uninstalled) tenant's data is kept before the purge job deletes it. */
  tenantPurgeGraceDays: number;
  /** Bounds on reading one document: ingest jobs run this many at a time, in a lane of their own. */
  ingest: { concurrency: number; timeoutMs: number; memoryMb: number; maxPages: number };
  /** Web sources: private addresses allowed (development and tests only), time per fetch, refresh period. */
  web: { allowPrivateAddresses: boolean; timeoutMs: number; refreshMs: number };
  /** Tenants with at least `minChunks` searchable chunks get their own HNSW index; a build's maintenance_work_mem. */
  vectorIndexes: { minChunks: number; buildMemoryMb: number };
  /** Jobs of one tenant running at once in each lane, across every worker process; 0: no limit. */
  tenantJobConcurrency: number;
  /** Express's `trust proxy`: false (the socket's peer is the client), a hop count, or proxy addresses. */
  trustProxy: boolean | number | string;
  /** Requests per minute: sign-in and install starts per address, /api writes per session or API key, API-key uploads per key, everything per address, /admin/cli per address. */
  rateLimits: HttpRateLimits;
}

export interface HttpRateLimits {
  signInPerMinute: number;
  apiWritesPerMinute: number;
  apiUploadsPerMinute: number;
  perAddressPerMinute: number;
  adminCliPerMinute: number;
}

function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Thrown when the environment is invalid; lists every problem, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Development stand-ins: only ever used outside production, so a local run needs no setup.
const DEV_SIGNING_SECRET = 'dev-signing-secret-not-for-production';
const DEV_STATE_SECRET = 'dev-state-secret-not-for-production';
const DEV_ENCRYPTION_KEY = Buffer.alloc(32, 7);

function parseEncryptionKeys(raw: string | undefined, problems: string[]): EncryptionKey[] {
  if (!raw) return [{ id: 'dev', key: DEV_ENCRYPTION_KEY }];
  const keys: EncryptionKey[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id, material] = entry.split(':');
    const key = material ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
      problems.push(
        'ENCRYPTION_KEYS: each entry must be "<id>:<base64 of 32 bytes>" (generate one with `openssl rand -base64 32`)',
      );
      return keys;
    }
    if (keys.some((k) => k.id === id)) problems.push(`ENCRYPTION_KEYS: key id "${id}" appears twice`);
    keys.push({ id, key });
  }
  if (keys.length === 0) problems.push('ENCRYPTION_KEYS: no key given');
  return keys;
}

/**
 * Parses and validates an environment; throws ConfigError naming every bad or missing variable.
 * `databaseOnly` (the `migrate` command) does not ask for the secrets a real database otherwise needs.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  opts: { databaseOnly?: boolean } = {},
): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction) {
    for (const name of PRODUCTION_REQUIRED) {
      if (!e[name]) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  // Applying migrations signs, verifies and decrypts nothing: it needs the database and no other secret.
  if (!isProduction && e.DATABASE_URL && !opts.databaseOnly) {
    for (const name of REAL_DATABASE_REQUIRED) {
      if (!e[name])
        problems.push(
          `${name}: required with DATABASE_URL (the development stand-in is public; only embedded defaults may use it)`,
        );
    }
  }
  if (e.APP_ROLE !== 'all' && !e.REDIS_URL) {
    problems.push(
      `APP_ROLE: "${e.APP_ROLE}" runs web and worker as separate processes, which needs REDIS_URL (the in-memory queue lives in one process); use APP_ROLE=all`,
    );
  }
  if (e.APP_ROLE !== 'all' && !e.DATABASE_URL) {
    problems.push(
      `APP_ROLE: "${e.APP_ROLE}" needs DATABASE_URL (embedded PGlite belongs to one process); use APP_ROLE=all`,
    );
  }
  if (Boolean(e.SUPABASE_URL) !== Boolean(e.SUPABASE_SERVICE_ROLE_KEY)) {
    problems.push('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY: set both or neither');
  }
  if (isProduction && e.WEB_FETCH_ALLOW_PRIVATE) {
    problems.push(
      'WEB_FETCH_ALLOW_PRIVATE: not allowed when NODE_ENV=production (it would let any workspace admin reach your private network)',
    );
  }
  const encryptionKeys = parseEncryptionKeys(e.ENCRYPTION_KEYS, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    embedded: !e.DATABASE_URL,
    port: e.PORT,
    // Embedded defaults carry public development secrets and a dev sign-in: keep them on this machine.
    host: e.HOST ?? (e.DATABASE_URL ? undefined : '127.0.0.1'),
    appRole: e.APP_ROLE,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    slack: {
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      signingSecret: e.SLACK_SIGNING_SECRET ?? DEV_SIGNING_SECRET,
      stateSecret: e.SLACK_STATE_SECRET ?? DEV_STATE_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      directInstall: e.SLACK_DIRECT_INSTALL,
    },
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queueName: e.QUEUE_NAME,
    submitLimits: { waiting: e.QUEUE_WAITING_LIMIT, waitingPerTenant: e.QUEUE_WAITING_LIMIT_PER_WORKSPACE },
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      chatModel: e.CHAT_MODEL,
      embeddingModel: e.EMBEDDING_MODEL,
    },
    encryptionKeys,
    supabase:
      e.SUPABASE_URL && e.SUPABASE_SERVICE_ROLE_KEY
        ? { url: e.SUPABASE_URL, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY }
        : undefined,
    platformAdmins: (e.PLATFORM_ADMINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    dataDir: e.DATA_DIR,
    metricsToken: e.METRICS_TOKEN,
    tenantPurgeGraceDays: e.TENANT_PURGE_GRACE_DAYS,
    ingest: {
      concurrency: e.INGEST_CONCURRENCY,
      timeoutMs: Math.round(e.INGEST_TIMEOUT_SECONDS * 1000),
      memoryMb: e.INGEST_MEMORY_MB,
      maxPages: e.INGEST_MAX_PAGES,
    },
    web: {
      allowPrivateAddresses: e.WEB_FETCH_ALLOW_PRIVATE,
      timeoutMs: Math.round(e.WEB_FETCH_TIMEOUT_SECONDS * 1000),
      refreshMs: Math.round(e.WEB_REFRESH_HOURS * 3_600_000),
    },
    vectorIndexes: { minChunks: e.VECTOR_INDEX_MIN_CHUNKS, buildMemoryMb: e.VECTOR_INDEX_BUILD_MEMORY_MB },
    tenantJobConcurrency: e.TENANT_JOB_CONCURRENCY,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    rateLimits: {
      signInPerMinute: e.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      apiWritesPerMinute: e.RATE_LIMIT_API_WRITES_PER_MINUTE,
      apiUploadsPerMinute: e.RATE_LIMIT_API_UPLOADS_PER_MINUTE,
      perAddressPerMinute: e.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
      adminCliPerMinute: e.RATE_LIMIT_ADMIN_CLI_PER_MINUTE,
    },
  };
}
