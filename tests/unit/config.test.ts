import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://lore.example.com',
  SLACK_CLIENT_ID: '123.456',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_STATE_SECRET: 'state-secret',
  DATABASE_URL: 'postgresql://postgres:pw@db.example.com:5432/postgres',
  REDIS_URL: 'redis://redis.example.com:6379',
  ENCRYPTION_KEYS: `k2:${key(2)},k1:${key(1)}`,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      embedded: true,
      port: 3000,
      appRole: 'all',
      publicUrl: 'http://localhost:3000',
      dataDir: '.data',
      redisUrl: undefined,
      slack: { apiUrl: 'https://slack.com/api/' },
      openai: { chatModel: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small' },
    });
    expect(c.encryptionKeys).toHaveLength(1);
  });

  it('treats empty strings as unset, as .env files write them', () => {
    const c = loadConfig({ DATABASE_URL: '', REDIS_URL: '  ', OPENAI_API_KEY: '' });
    expect(c.embedded).toBe(true);
    expect(c.redisUrl).toBeUndefined();
    expect(c.openai.apiKey).toBeUndefined();
  });

  it('accepts a complete production environment and keeps key order (active key first)', () => {
    const c = loadConfig(PRODUCTION);
    expect(c.isProduction).toBe(true);
    expect(c.embedded).toBe(false);
    expect(c.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(c.encryptionKeys[0]?.key.length).toBe(32);
  });

  it('fetches web sources from public addresses only, unless development asks otherwise; never in production', () => {
    expect(loadConfig({}).web).toEqual({
      allowPrivateAddresses: false,
      timeoutMs: 20_000,
      refreshMs: 86_400_000,
    });
    expect(loadConfig({ WEB_FETCH_ALLOW_PRIVATE: 'true' }).web.allowPrivateAddresses).toBe(true);
    expect(problemsOf({ ...PRODUCTION, WEB_FETCH_ALLOW_PRIVATE: 'true' })).toEqual([
      expect.stringContaining('WEB_FETCH_ALLOW_PRIVATE: not allowed when NODE_ENV=production'),
    ]);
  });

  it('names every missing production secret in one error', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'PUBLIC_URL',
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
      'SLACK_SIGNING_SECRET',
      'SLACK_STATE_SECRET',
      'DATABASE_URL',
      'REDIS_URL',
      'ENCRYPTION_KEYS',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('refuses the public development secrets with a real database, whatever NODE_ENV says', () => {
    const problems = problemsOf({ DATABASE_URL: PRODUCTION.DATABASE_URL });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['ENCRYPTION_KEYS', 'SLACK_SIGNING_SECRET', 'SLACK_STATE_SECRET'].sort(),
    );
    expect(problems[0]).toMatch(/required with DATABASE_URL/);
    const { NODE_ENV: _, ...development } = PRODUCTION;
    expect(loadConfig(development).slack.signingSecret).toBe('signing-secret');
  });

  it('lets npm run db:migrate run with only DATABASE_URL: migrating needs no other secret', () => {
    const config = loadConfig({ DATABASE_URL: PRODUCTION.DATABASE_URL }, { databaseOnly: true });
    expect(config.databaseUrl).toBe(PRODUCTION.DATABASE_URL);
  });

  it('reports all invalid values at once, each with its variable name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      APP_ROLE: 'cron',
      LOG_LEVEL: 'loud',
      SLACK_API_URL: 'not a url',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['APP_ROLE', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'SLACK_API_URL'].sort(),
    );
  });

  it('rejects malformed or duplicate encryption keys without echoing the key material', () => {
    const bad = problemsOf({ ENCRYPTION_KEYS: 'k1:c2hvcnQ=' });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^ENCRYPTION_KEYS: each entry must be/);
    expect(bad[0]).not.toContain('c2hvcnQ=');
    expect(problemsOf({ ENCRYPTION_KEYS: `a:${key(1)},a:${key(2)}` })).toEqual([
      'ENCRYPTION_KEYS: key id "a" appears twice',
    ]);
  });

  it('refuses split web/worker roles without Redis and Postgres, and half a Supabase config', () => {
    const problems = problemsOf({ APP_ROLE: 'worker', SUPABASE_URL: 'https://x.supabase.co' });
    expect(problems.filter((p) => p.startsWith('APP_ROLE:'))).toHaveLength(2);
    expect(problems).toContain('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY: set both or neither');
  });

  it("names the BullMQ queue 'lore' unless QUEUE_NAME says otherwise, and refuses a name BullMQ cannot use", () => {
    expect(loadConfig({}).queueName).toBe('lore');
    expect(loadConfig({ QUEUE_NAME: 'lore-staging_2' }).queueName).toBe('lore-staging_2');
    expect(problemsOf({ QUEUE_NAME: 'lore:staging' })).toEqual([
      'QUEUE_NAME: must be letters, digits, "-" or "_" (no ":")',
    ]);
  });

  it('gives a large workspace its own vector index from 100,000 chunks unless told otherwise, and refuses sizes it cannot use', () => {
    expect(loadConfig({}).vectorIndexes).toEqual({ minChunks: 100_000, buildMemoryMb: 1_024 });
    expect(
      loadConfig({ VECTOR_INDEX_MIN_CHUNKS: '250000', VECTOR_INDEX_BUILD_MEMORY_MB: '4096' }).vectorIndexes,
    ).toEqual({ minChunks: 250_000, buildMemoryMb: 4_096 });
    const problems = problemsOf({ VECTOR_INDEX_MIN_CHUNKS: '10', VECTOR_INDEX_BUILD_MEMORY_MB: 'lots' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'VECTOR_INDEX_BUILD_MEMORY_MB',
      'VECTOR_INDEX_MIN_CHUNKS',
    ]);
  });

  it('normalises SLACK_API_URL to end with a slash so Web API method paths join correctly', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack.apiUrl).toBe(
      'http://127.0.0.1:9999/api/',
    );
  });
});
