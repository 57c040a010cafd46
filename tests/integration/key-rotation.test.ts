import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliOutput } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config.js';
import type { BlobStore } from '../../src/infra/blob/blob-store.js';
import { type CipherBox, createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import type { NewInstallation } from '../../src/tenants/installations/installation.types.js';
import { tokenContext } from '../../src/tenants/installations/installation-record.js';
import { openAiKeyContext } from '../../src/tenants/settings/settings.service.js';
import { createTenantServices, type TenantServices } from '../../src/tenants/tenant-services.js';
import { buildInstallation } from '../support/factories.js';
import { slackFixture } from '../support/slack.js';
import { createTestDatabase } from '../support/test-db.js';

const logger = createLogger({ level: 'silent' });
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const rotation = slackFixture('oauth-v2-access-success').withTokenRotation.payload;
const kv = createMemoryStore({ logger });
const queue = createMemoryQueue({ logger });

function install(teamId: string, withUser: boolean): NewInstallation {
  return buildInstallation({
    teamId,
    teamName: teamId,
    appId: rotation.app_id,
    bot: {
      userId: rotation.bot_user_id,
      refreshToken: rotation.refresh_token,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    user: {
      id: 'U1234',
      scopes: withUser ? ['chat:write'] : [],
      tokens: withUser ? { token: `xoxp-${teamId}` } : null,
    },
  });
}

const servicesWith = (db: Database, cipher: CipherBox) =>
  createTenantServices({ db, kv, queue, logger, cipher });

describe('key rotation (keys rotate)', () => {
  let db: Database;
  let old: TenantServices;
  const tenantIds: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    old = servicesWith(db, createCipherBox([k1]));
    await old.start();
    tenantIds.push((await old.installations.store(install('TROT00001', true))).tenantId);
    tenantIds.push((await old.installations.store(install('TROT00002', false))).tenantId);
    await withTenant(db, tenantIds[0] as string, (c) =>
      c.query(
        "UPDATE lore.tenant_settings SET openai_key_encrypted = $2, openai_key_last4 = '-123' WHERE tenant_id = $1",
        [
          tenantIds[0],
          createCipherBox([k1]).encrypt('sk-test-0123', openAiKeyContext(tenantIds[0] as string)),
        ],
      ),
    );
  });
  afterAll(async () => {
    await old.stop();
    await db.close();
  });

  const secrets = async () => {
    const i = await db.pool.query(
      `SELECT key_id, bot_token_encrypted, bot_refresh_token_encrypted, user_token_encrypted FROM lore.installations ORDER BY slack_team_id`,
    );
    const s = await db.pool.query(
      'SELECT openai_key_encrypted FROM lore.tenant_settings WHERE openai_key_encrypted IS NOT NULL',
    );
    return {
      keyIds: i.rows.map((r) => r.key_id),
      values: [
        ...i.rows.flatMap((r) => [
          r.bot_token_encrypted,
          r.bot_refresh_token_encrypted,
          r.user_token_encrypted,
        ]),
        ...s.rows.map((r) => r.openai_key_encrypted),
      ].filter(Boolean) as string[],
    };
  };

  const cli = async (services: TenantServices, cipher: CipherBox) => {
    const out = createCliOutput();
    const ctx = {
      config: loadConfig({ NODE_ENV: 'test' }),
      logger,
      db,
      queue,
      blobs: {} as BlobStore,
      cipher,
      tenants: services,
      where: 'local' as const,
      cwd: process.cwd(),
      actor: 'cli:ops',
    };
    const exitCode = await runCli(['keys', 'rotate'], ctx, out);
    return { exitCode, text: out.text() };
  };

  it('re-encrypts every token and OpenAI key with the new key; old keys decrypt until then, not after', async () => {
    const before = await secrets();
    expect(before.values).toHaveLength(6);
    expect(before.values.every((v) => v.startsWith('k1:'))).toBe(true);

    const rotatedCipher = createCipherBox([k2, k1]);
    const rotated = servicesWith(db, rotatedCipher);
    await rotated.start();
    // Old ciphertexts still read with k1 behind the new active key (and this lookup is now cached).
    expect(
      (await rotated.installations.find({ kind: 'team', teamId: 'TROT00001' }))?.user.tokens?.token,
    ).toBe('xoxp-TROT00001');

    const res = await cli(rotated, rotatedCipher);
    expect(res.exitCode).toBe(0);
    expect(res.text).toContain(
      'Re-encrypted 6 secrets with key "k2" (2 installation rows, 1 OpenAI key); 0 already used it.',
    );
    expect(res.text).toContain('Older keys can now be removed');

    const after = await secrets();
    expect(after.keyIds).toEqual(['k2', 'k2']);
    expect(after.values.every((v) => v.startsWith('k2:'))).toBe(true);
    // The plaintexts, not a bare "xox": random base64 ciphertext holds "xox" about once in 500 runs.
    expect(JSON.stringify(after)).not.toMatch(/xox[bpe]-|sk-test-/);

    // Without k1 at all, everything still reads: the rotation left nothing behind, cached copies included.
    const onlyNew = createCipherBox([k2]);
    const fresh = servicesWith(db, onlyNew);
    await fresh.start();
    const record = await fresh.installations.find({ kind: 'team', teamId: 'TROT00001' });
    expect(record?.bot?.token).toBe('xoxb-TROT00001');
    expect(record?.bot?.refreshToken).toBe(rotation.refresh_token);
    expect(record?.user.tokens?.token).toBe('xoxp-TROT00001');
    const key = await withTenant(db, tenantIds[0] as string, (c) =>
      c.query('SELECT openai_key_encrypted FROM lore.tenant_settings WHERE tenant_id = $1', [tenantIds[0]]),
    );
    expect(onlyNew.decrypt(key.rows[0].openai_key_encrypted, openAiKeyContext(tenantIds[0] as string))).toBe(
      'sk-test-0123',
    );

    const audit = await db.pool.query(
      "SELECT actor, details FROM lore.audit_log WHERE action = 'keys.rotated'",
    );
    expect(audit.rows).toEqual([
      { actor: 'cli:ops', details: expect.objectContaining({ activeKeyId: 'k2', valuesReencrypted: 6 }) },
    ]);

    const again = await cli(fresh, onlyNew);
    expect(again.text).toContain(
      'Re-encrypted 0 secrets with key "k2" (0 installation rows, 0 OpenAI keys); 6 already used it.',
    );
    await rotated.stop();
    await fresh.stop();
  });

  it("a token copied into another workspace's row does not decrypt there (ciphertexts are bound to their row)", async () => {
    const cipher = createCipherBox([k2]);
    const services = servicesWith(db, cipher);
    await services.start();
    const stolen = await db.pool.query(
      "SELECT bot_token_encrypted FROM lore.installations WHERE slack_team_id = 'TROT00001'",
    );
    const own = await db.pool.query(
      "SELECT bot_token_encrypted FROM lore.installations WHERE slack_team_id = 'TROT00002'",
    );
    // Someone with write access to the table (not to the key) gives TROT00002 the token of TROT00001.
    await db.pool.query(
      "UPDATE lore.installations SET bot_token_encrypted = $1 WHERE slack_team_id = 'TROT00002'",
      [stolen.rows[0].bot_token_encrypted],
    );
    await expect(services.installations.find({ kind: 'team', teamId: 'TROT00002' })).rejects.toMatchObject({
      code: 'decrypt_failed',
    });
    // The same value still opens where it belongs; and in another column of its own row it does not.
    expect((await services.installations.find({ kind: 'team', teamId: 'TROT00001' }))?.bot?.token).toBe(
      'xoxb-TROT00001',
    );
    expect(() =>
      cipher.decrypt(
        stolen.rows[0].bot_token_encrypted,
        tokenContext(tenantIds[0] as string, 'user_token_encrypted'),
      ),
    ).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    await db.pool.query(
      "UPDATE lore.installations SET bot_token_encrypted = $1 WHERE slack_team_id = 'TROT00002'",
      [own.rows[0].bot_token_encrypted],
    );
    await services.installations.invalidate(tenantIds[1] as string, { kind: 'team', teamId: 'TROT00002' });
    await services.stop();
  });

  it('reports secrets no configured key can read, leaves them, and fails', async () => {
    const lost = createCipherBox([{ id: 'k0', key: randomBytes(32) }]);
    await db.pool.query('UPDATE lore.installations SET user_token_encrypted = $1 WHERE slack_team_id = $2', [
      lost.encrypt('xoxp-lost', 'anywhere'),
      'TROT00002',
    ]);
    const cipher = createCipherBox([k2]);
    const services = servicesWith(db, cipher);
    const res = await cli(services, cipher);
    expect(res.exitCode).toBe(1);
    expect(res.text).toContain('1 secret(s) could not be decrypted');
    const row = await db.pool.query(
      "SELECT user_token_encrypted FROM lore.installations WHERE slack_team_id = 'TROT00002'",
    );
    expect(row.rows[0].user_token_encrypted.startsWith('k0:')).toBe(true);
  });

  it('a lookup that hits an unreadable token fails with decrypt_failed and is audited', async () => {
    const services = servicesWith(db, createCipherBox([k2]));
    await expect(
      services.installations.find({ kind: 'team', teamId: 'TROT00002' }, 'U1234'),
    ).rejects.toMatchObject({
      code: 'decrypt_failed',
    });
    const audit = await db.pool.query(
      "SELECT tenant_id, details FROM lore.audit_log WHERE action = 'token.decrypt_failed'",
    );
    // (The moved-token test before this one left its own entry, with key k2.)
    expect(audit.rows.filter((r) => r.details.keyId === 'k0')).toEqual([
      { tenant_id: tenantIds[1], details: { keyId: 'k0' } },
    ]);
  });
});
