import type { App } from '@slack/bolt';
import { LRUCache } from 'lru-cache';

/**
 * Bolt's App keeps one WebClient pool per team in a plain object (`app.clients`) that never forgets a
 * team: with 10,000 workspaces each sending one event, the web process grew by ~470 MB. This swaps that
 * object for one backed by an LRU of `max` teams; a team whose pool was dropped gets a new WebClient on its
 * next event, as on its first.
 */
export function boundBoltClientPools(app: App, max: number): void {
  const pools = new LRUCache<string, object>({ max });
  const bounded = new Proxy({} as Record<string, object>, {
    get: (_target, key) => (typeof key === 'string' ? pools.get(key) : undefined),
    set: (_target, key, value: object) => {
      if (typeof key === 'string') pools.set(key, value);
      return true;
    },
    has: (_target, key) => typeof key === 'string' && pools.has(key),
  });
  const holder = app as unknown as { clients: Record<string, object> };
  if (typeof holder.clients !== 'object') throw new Error("Bolt's App no longer has a clients pool to bound");
  holder.clients = bounded;
}
