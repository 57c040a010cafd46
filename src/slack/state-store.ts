import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import { STATE_EXPIRED_CODE } from './oauth-failure.js';

/** OAuth state lives this long: Slack's consent screen must be finished within it. */
export const STATE_TTL_MS = 10 * 60_000;

class StateError extends Error {
  readonly code = STATE_EXPIRED_CODE;
}

const keyFor = (nonce: string) => `oauth-state:${nonce}`;

/**
 * Lore's OAuth state store: a random nonce signed with SLACK_STATE_SECRET, kept in the KeyValueStore
 * (Redis, or memory in embedded mode) for ten minutes and taken atomically on use, so a state works once.
 * Bolt binds it to the browser that started the install with a cookie and checks that before calling us.
 */
export function createStateStore(opts: { kv: KeyValueStore; secret: string; ttlMs?: number }): StateStore {
  const ttlMs = opts.ttlMs ?? STATE_TTL_MS;
  const sign = (nonce: string) => createHmac('sha256', opts.secret).update(nonce).digest().subarray(0, 16);

  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
      const nonce = randomBytes(24).toString('base64url');
      await opts.kv.set(keyFor(nonce), JSON.stringify({ issuedAt: now.getTime(), installOptions }), {
        ttlMs,
      });
      return `${nonce}.${sign(nonce).toString('base64url')}`;
    },

    async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
      const [nonce = '', signature = ''] = state.split('.');
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(nonce);
      // A forged state is refused before it can touch the store.
      if (!nonce || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new StateError('The OAuth state was not issued by this server');
      }
      const raw = await opts.kv.take(keyFor(nonce));
      if (!raw) throw new StateError('The OAuth state has expired or was already used');
      const stored = JSON.parse(raw) as { issuedAt: number; installOptions: InstallURLOptions };
      if (now.getTime() - stored.issuedAt > ttlMs) throw new StateError('The OAuth state has expired');
      return stored.installOptions;
    },
  };
}
