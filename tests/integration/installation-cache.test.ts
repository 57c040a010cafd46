import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createLogger } from '../../src/logger.js';
import { createTenantServices, type TenantServices } from '../../src/tenants/tenant-services.js';
import { buildInstallation } from '../support/factories.js';
import { type StorePair, storePairs } from '../support/redis.js';
import { createTestDatabase } from '../support/test-db.js';

const logger = createLogger({ level: 'silent' });
const cipher = createCipherBox(loadConfig({ NODE_ENV: 'test' }).encryptionKeys);

const installFor = (teamId: string, token: string) =>
  buildInstallation({
    teamId,
    teamName: 'Cache team',
    bot: { userId: 'U0KRQLJ9H', token },
    user: { id: 'U1234' },
  });

function cacheSuite(makeKvs: () => StorePair) {
  let db: Database;
  let kvs: ReturnType<typeof makeKvs>;
  let a: TenantServices;
  let b: TenantServices;

  beforeAll(async () => {
    db = await createTestDatabase();
    kvs = makeKvs();
    a = createTenantServices({ db, kv: kvs.a, queue: createMemoryQueue({ logger }), logger, cipher });
    b = createTenantServices({ db, kv: kvs.b, queue: createMemoryQueue({ logger }), logger, cipher });
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await kvs.close();
    await db.close();
  });

  it('serves repeated lookups from the cache, without the database', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    await a.installations.store(installFor(teamId, 'xoxb-cache-1'));
    const key = { kind: 'team' as const, teamId };
    expect((await a.installations.find(key))?.bot?.token).toBe('xoxb-cache-1');
    const query = vi.spyOn(db.pool, 'query');
    try {
      expect((await a.installations.find(key))?.bot?.token).toBe('xoxb-cache-1');
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
  });

  it('reads an installation neither cache holds in one statement', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    await a.installations.store(installFor(teamId, 'xoxb-cache-miss'));
    const query = vi.spyOn(db.pool, 'query');
    try {
      // The other process has never seen it, and the install dropped the shared copy: a first sight, as
      // for every event of a workspace quiet for longer than the caches keep it.
      expect((await b.installations.find({ kind: 'team', teamId }))?.bot?.token).toBe('xoxb-cache-miss');
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
  });

  it('an uninstall in one process drops the cached installation in the other', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    await a.installations.store(installFor(teamId, 'xoxb-cache-2'));
    const key = { kind: 'team' as const, teamId };
    expect((await a.installations.find(key))?.bot?.token).toBe('xoxb-cache-2');
    expect((await b.installations.find(key))?.bot?.token).toBe('xoxb-cache-2');

    await b.lifecycle.appUninstalled({ key, actor: 'slack' });
    await vi.waitFor(async () => expect(await a.installations.find(key)).toBeNull());
  });

  it('a re-install seen by one process is picked up by the other', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const key = { kind: 'team' as const, teamId };
    expect(await a.installations.find(key)).toBeNull(); // cached as "not installed"
    await b.installations.store(installFor(teamId, 'xoxb-cache-3'));
    await vi.waitFor(async () => expect((await a.installations.find(key))?.bot?.token).toBe('xoxb-cache-3'));
  });

  it('keeps only ciphertexts in the shared cache (Redis, or its in-memory stand-in)', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    await a.installations.store(installFor(teamId, 'xoxb-cache-secret'));
    await a.installations.find({ kind: 'team', teamId });
    const raw = await kvs.a.get(`installation:key:team:${teamId}`);
    expect(raw).toContain(teamId);
    expect(raw).not.toContain('xoxb-cache-secret');
  });
}

for (const pair of storePairs()) {
  describe.skipIf(!pair.make)(`installation cache (${pair.name})`, () =>
    cacheSuite(pair.make as () => StorePair),
  );
}
