import { afterAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { createStateStore } from '../../src/slack/state-store.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const logger = createLogger({ level: 'silent' });
const options = { scopes: ['chat:write'], redirectUri: 'https://lore.example.test/slack/oauth_redirect' };

function stateStoreContract(makeKv: () => KeyValueStore) {
  const kv = makeKv();
  afterAll(() => kv.close());
  const store = createStateStore({ kv, secret: 'state-secret' });

  it('gives back the install options for a fresh state, once', async () => {
    const now = new Date();
    const state = await store.generateStateParam(options, now);
    expect(await store.verifyStateParam(now, state)).toEqual(options);
    await expect(store.verifyStateParam(now, state)).rejects.toMatchObject({
      code: 'lore_oauth_state_expired',
    });
  });

  it('refuses a state older than ten minutes', async () => {
    const issued = new Date();
    const state = await store.generateStateParam(options, issued);
    const later = new Date(issued.getTime() + 10 * 60_000 + 1);
    await expect(store.verifyStateParam(later, state)).rejects.toMatchObject({
      code: 'lore_oauth_state_expired',
    });
  });

  it('refuses a state signed with another secret, or tampered, without consuming the real one', async () => {
    const now = new Date();
    const state = await store.generateStateParam(options, now);
    const [nonce] = state.split('.');
    const other = createStateStore({ kv, secret: 'another-secret' });
    await expect(other.verifyStateParam(now, state)).rejects.toMatchObject({
      code: 'lore_oauth_state_expired',
    });
    await expect(store.verifyStateParam(now, `${nonce}.AAAAAAAAAAAAAAAAAAAAAA`)).rejects.toMatchObject({
      code: 'lore_oauth_state_expired',
    });
    await expect(store.verifyStateParam(now, 'garbage')).rejects.toMatchObject({
      code: 'lore_oauth_state_expired',
    });
    expect(await store.verifyStateParam(now, state)).toEqual(options);
  });

  it('lets exactly one of two simultaneous callbacks use a state', async () => {
    const now = new Date();
    const state = await store.generateStateParam(options, now);
    const results = await Promise.allSettled([
      store.verifyStateParam(now, state),
      store.verifyStateParam(now, state),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
}

describe('OAuth state store (in memory)', () => stateStoreContract(() => createMemoryStore({ logger })));
describe.skipIf(!redisUrl)('OAuth state store (Redis)', () =>
  stateStoreContract(() => createRedisStore(redisUrl as string, { logger })),
);
