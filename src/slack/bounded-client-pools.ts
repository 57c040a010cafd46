import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { LRUCache } from 'lru-cache';

/**
 * A WebClient that is built on its first use. Bolt hands every delivery a client for its workspace, but
 * acknowledging an event never calls Slack, and building a WebClient (a bound function for each of the
 * Web API's methods) cost ~300 µs: at 10,000 workspaces, past the pools kept below, that was every event
 * (BENCHMARKS.md, "Issue 11"). Every property read or write goes to the real client, methods bound to it.
 */
export function lazyWebClient(token: string, options: WebClientOptions): WebClient {
  let real: WebClient | undefined;
  const client = () => {
    real ??= new WebClient(token, options);
    return real;
  };
  return new Proxy(Object.create(WebClient.prototype) as WebClient, {
    get(_target, key) {
      const target = client();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_target, key, value) => Reflect.set(client(), key, value),
    has: (_target, key) => Reflect.has(client(), key),
    ownKeys: () => Reflect.ownKeys(client()),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(client(), key);
      // A proxy may only report a property as non-configurable if its target has it so.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}

/** Bolt's WebClientPool (one workspace's clients by token), handing out lazy clients. */
class LazyClientPool {
  private readonly clients = new Map<string, WebClient>();
  getOrCreate(token: string, options: WebClientOptions): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = lazyWebClient(token, options);
      this.clients.set(token, client);
    }
    return client;
  }
}

/**
 * Bolt's App keeps one WebClient pool per team in a plain object (`app.clients`) that never forgets a
 * team: with 10,000 workspaces each sending one event, the web process grew by ~470 MB. This swaps that
 * object for one backed by an LRU of `max` teams; a team whose pool was dropped gets a new pool on its
 * next event, as on its first. The pools are made here, on Bolt's first read, so Bolt never builds its
 * own (whose clients are not lazy).
 */
export function boundBoltClientPools(app: App, max: number): void {
  const pools = new LRUCache<string, LazyClientPool>({ max });
  const poolOf = (team: string) => {
    let pool = pools.get(team);
    if (!pool) {
      pool = new LazyClientPool();
      pools.set(team, pool);
    }
    return pool;
  };
  const bounded = new Proxy({} as Record<string, object>, {
    get: (_target, key) => (typeof key === 'string' ? poolOf(key) : undefined),
    // Bolt assigns a pool only after reading none, which never happens now; ignored all the same.
    set: () => true,
    has: (_target, key) => typeof key === 'string',
  });
  const holder = app as unknown as { clients: Record<string, object> };
  if (typeof holder.clients !== 'object') throw new Error("Bolt's App no longer has a clients pool to bound");
  holder.clients = bounded;
}
