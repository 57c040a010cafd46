import { createCipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import { type TokenColumn, tokenContext } from '../../src/tenants/installations/installation-record.js';
import { STARTUP_ACTOR, upgradeStoredSecrets } from '../../src/tenants/installations/key-rotation.service.js';
import { countStaleSecrets } from '../../src/tenants/installations/stored-secrets.repo.js';
import { openAiKeyContext } from '../../src/tenants/settings/settings.service.js';
import { createTenantServices } from '../../src/tenants/tenant-services.js';
import { buildInstallation } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-db.js';

const logger = createLogger({ level: 'silent' });
const oldKey = { id: 'old', key: randomBytes(32) };
const newKey = { id: 'new', key: randomBytes(32) };
const ENCRYPTION_KEYS = [newKey, oldKey].map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

/** A value as Lore wrote it before AES-GCM binding: four parts, no associated data. */
function legacyEncrypt(plaintext: string, k = oldKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [k.id, iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

const install = (teamId: string) =>
  buildInstallation({
    teamId,
    teamName: teamId,
    bot: { userId: 'UBOT1', refreshToken: `xoxe-1-${teamId}` },
    user: { id: 'U1234', scopes: ['chat:write'], tokens: { token: `xoxp-${teamId}` } },
  });

/** Seeds workspaces whose every stored secret is legacy (unbound) or bound under the retired key. */
async function seedLegacy(db: Database, teams: string[]): Promise<{ tenantIds: string[]; values: number }> {
  const services = createTenantServices({
    db,
    kv: createMemoryStore({ logger }),
    queue: createMemoryQueue({ logger }),
    logger,
    cipher: createCipherBox([oldKey]),
  });
  await services.start();
  const tenantIds: string[] = [];
  let values = 0;
  for (const [i, team] of teams.entries()) {
    const { tenantId } = await services.installations.store(install(team));
    tenantIds.push(tenantId);
    // Half the workspaces from before binding: tokens rewritten in the old four-part format.
    if (i % 2 === 0) {
      await db.pool.query(
        `UPDATE lore.installations SET bot_token_encrypted = $2, user_token_encrypted = $3,
           bot_refresh_token_encrypted = $4 WHERE tenant_id = $1`,
        [
          tenantId,
          legacyEncrypt(`xoxb-${team}`),
          legacyEncrypt(`xoxp-${team}`),
          legacyEncrypt(`xoxe-1-${team}`),
        ],
      );
    }
    await withTenant(db, tenantId, (c) =>
      c.query('UPDATE lore.tenant_settings SET openai_key_encrypted = $2 WHERE tenant_id = $1', [
        tenantId,
        legacyEncrypt(`sk-${team}`),
      ]),
    );
    values += 4;
  }
  await services.stop();
  return { tenantIds, values };
}

/** Every stored secret of the tenants, as the database holds it. */
async function storedSecrets(db: Database, tenantIds: string[]) {
  const { rows } = await db.pool.query(
    `SELECT i.tenant_id, i.bot_token_encrypted, i.bot_refresh_token_encrypted, i.user_token_encrypted,
            s.openai_key_encrypted, i.key_id
     FROM lore.installations i JOIN lore.tenant_settings s ON s.tenant_id = i.tenant_id
     WHERE i.tenant_id = ANY($1::uuid[]) ORDER BY i.tenant_id`,
    [tenantIds],
  );
  return rows;
}

describe('stored secrets are re-encrypted bound, with the active key, when a worker starts', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let seeded: { tenantIds: string[]; values: number };
  const teams = ['TUPG00001', 'TUPG00002', 'TUPG00003'];

  beforeAll(async () => {
    const db = await createTestDatabase();
    seeded = await seedLegacy(db, teams);
    expect(await countStaleSecrets(db.pool, 'new')).toBe(seeded.values);
    // A new release starts: ENCRYPTION_KEYS now leads with a new key, and no one runs `keys rotate`.
    app = await startTestApp({ ENCRYPTION_KEYS }, { database: db });
  });
  afterAll(() => app?.cleanup());

  it('rewrites every legacy and old-key value bound with the new key, and each still decrypts to what it was', async () => {
    const { db, cipher, tenants } = app.container;
    const rows = await storedSecrets(db, seeded.tenantIds);
    expect(rows).toHaveLength(teams.length);
    for (const [i, row] of rows.entries()) {
      const team = teams[seeded.tenantIds.indexOf(row.tenant_id)] as string;
      const at = (column: TokenColumn) => tokenContext(row.tenant_id, column);
      for (const column of [
        'bot_token_encrypted',
        'bot_refresh_token_encrypted',
        'user_token_encrypted',
      ] as const)
        expect(row[column], `${column} of row ${i}`).toMatch(/^new:[\w-]+:[\w-]+:[\w-]+:b$/);
      expect(row.openai_key_encrypted).toMatch(/^new:[\w-]+:[\w-]+:[\w-]+:b$/);
      expect(row.key_id).toBe('new');
      expect(cipher.decrypt(row.bot_token_encrypted, at('bot_token_encrypted'))).toBe(`xoxb-${team}`);
      expect(cipher.decrypt(row.user_token_encrypted, at('user_token_encrypted'))).toBe(`xoxp-${team}`);
      expect(cipher.decrypt(row.bot_refresh_token_encrypted, at('bot_refresh_token_encrypted'))).toBe(
        `xoxe-1-${team}`,
      );
      expect(cipher.decrypt(row.openai_key_encrypted, openAiKeyContext(row.tenant_id))).toBe(`sk-${team}`);
      // Bound now: the same value in another tenant's row no longer opens.
      const other = seeded.tenantIds.find((t) => t !== row.tenant_id) as string;
      expect(() =>
        cipher.decrypt(row.bot_token_encrypted, tokenContext(other, 'bot_token_encrypted')),
      ).toThrow(/could not be decrypted/);
      // And the app reads the installation as before.
      expect((await tenants.installations.findByTenant(row.tenant_id))?.bot?.token).toBe(`xoxb-${team}`);
    }
    expect(await countStaleSecrets(db.pool, 'new')).toBe(0);
  });

  it('records one audit entry for the run, naming the worker start as the actor', async () => {
    const { rows } = await app.container.db.pool.query(
      "SELECT actor, details FROM lore.audit_log WHERE action = 'keys.rotated' ORDER BY id",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].actor).toBe(STARTUP_ACTOR);
    expect(rows[0].details).toMatchObject({
      activeKeyId: 'new',
      valuesReencrypted: seeded.values,
      valuesUndecryptable: 0,
    });
  });

  it('a worker starting with nothing to rewrite changes and audits nothing', async () => {
    const deps = { ...app.container, installations: app.container.tenants.installations };
    const before = await storedSecrets(app.container.db, seeded.tenantIds);
    expect(await upgradeStoredSecrets(deps)).toBeUndefined();
    expect(await storedSecrets(app.container.db, seeded.tenantIds)).toEqual(before);
    const audit = await app.container.db.pool.query(
      "SELECT count(*)::int AS n FROM lore.audit_log WHERE action = 'keys.rotated'",
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('workers starting together rewrite each value once between them', async () => {
    const { db } = app.container;
    const more = await seedLegacy(db, ['TUPG00011', 'TUPG00012', 'TUPG00013', 'TUPG00014']);
    const deps = { ...app.container, installations: app.container.tenants.installations };
    const reports = await Promise.all([
      upgradeStoredSecrets(deps),
      upgradeStoredSecrets(deps),
      upgradeStoredSecrets(deps),
    ]);
    const rewritten = reports.reduce((n, r) => n + (r?.valuesReencrypted ?? 0), 0);
    expect(rewritten).toBe(more.values);
    expect(await countStaleSecrets(db.pool, 'new')).toBe(0);
    const rows = await storedSecrets(db, more.tenantIds);
    for (const row of rows)
      expect(app.container.cipher.decrypt(row.openai_key_encrypted, openAiKeyContext(row.tenant_id))).toMatch(
        /^sk-TUPG/,
      );
  });
});
