import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmClient } from '../../src/ai/llm-client.js';
import { createLlmForTenant } from '../../src/ai/llm-for-tenant.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/logger.js';
import { clearTenantOpenAiKey, setTenantOpenAiKey } from '../../src/tenants/settings/settings.service.js';
import { createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

const cipher = createCipherBox([{ id: 'k1', key: Buffer.alloc(32, 1) }]);
const logger = createLogger({ level: 'silent' });
/** A client that only says which key built it. */
const clientFor = (apiKey: string) => ({ apiKey }) as unknown as LlmClient;
const platform = clientFor('sk-platform');

describe("a workspace's own OpenAI key (real database, encrypted as the dashboard stores it)", () => {
  let db: Database;
  let mine: string;
  let other: string;
  const built: string[] = [];
  const llmFor = () =>
    createLlmForTenant({
      db,
      cipher,
      platform,
      logger,
      createClient: (apiKey) => {
        built.push(apiKey);
        return clientFor(apiKey);
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    mine = (await createTenant(db, { slackTeamId: 'TOWNKEY01', name: 'Own key' })).id;
    other = (await createTenant(db, { slackTeamId: 'TOWNKEY02', name: 'Platform' })).id;
    await db.pool.query(
      'INSERT INTO lore.tenant_settings (tenant_id) VALUES ($1), ($2) ON CONFLICT DO NOTHING',
      [mine, other],
    );
  });
  afterAll(() => db.close());

  it("answers with the workspace's own key for that workspace only, and the platform key for everyone else", async () => {
    await setTenantOpenAiKey(db, cipher, mine, 'sk-own-aaaa', 'test');
    const resolve = llmFor();
    expect(await resolve(mine)).toEqual({ llm: { apiKey: 'sk-own-aaaa' }, keySource: 'tenant' });
    expect(await resolve(other)).toEqual({ llm: platform, keySource: 'platform' });
    // The client is built once per key, not per question.
    await resolve(mine);
    expect(built).toEqual(['sk-own-aaaa']);
  });

  it('a key changed or removed in the dashboard applies to the next question', async () => {
    const resolve = llmFor();
    await setTenantOpenAiKey(db, cipher, mine, 'sk-own-bbbb', 'test');
    expect((await resolve(mine))?.llm).toEqual({ apiKey: 'sk-own-bbbb' });
    await clearTenantOpenAiKey(db, mine, 'test');
    expect(await resolve(mine)).toEqual({ llm: platform, keySource: 'platform' });
  });

  it('with no platform key and no own key there is no model (extractive answers)', async () => {
    const resolve = createLlmForTenant({ db, cipher, platform: undefined, logger, createClient: clientFor });
    expect(await resolve(other)).toBeNull();
  });

  it('a key no configured encryption key can open falls back to the platform key instead of failing', async () => {
    const foreign = createCipherBox([{ id: 'k9', key: Buffer.alloc(32, 9) }]);
    await setTenantOpenAiKey(db, foreign, mine, 'sk-own-cccc', 'test');
    expect(await llmFor()(mine)).toEqual({ llm: platform, keySource: 'platform' });
  });
});
