import type { Database } from '../../../src/infra/db/database.js';

/** A secret the test handed to Lore or got from it, by a name that says which one it is. */
export interface Secret {
  name: string;
  value: string;
}

/** Somewhere Lore writes text that people or other systems read: logs, error bodies, database rows. */
export interface Place {
  name: string;
  text: string;
}

/** Every "secret X found in place Y" there is (empty when nothing leaked). */
export function leaksOf(secrets: Secret[], places: Place[]): string[] {
  const leaks: string[] = [];
  for (const place of places) {
    for (const s of secrets) {
      if (s.value.length < 8) throw new Error(`secret ${s.name} is too short to search for meaningfully`);
      if (place.text.includes(s.value)) leaks.push(`${s.name} in ${place.name}`);
    }
  }
  return leaks;
}

/**
 * Every row of every table outside the system schemas, as JSON text, one place a table (read as the
 * database owner, so row-level security hides nothing from the search).
 */
export async function dumpDatabase(db: Database, label: string): Promise<Place[]> {
  const tables = await db.pool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE'
       AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
     ORDER BY 1, 2`,
  );
  const places: Place[] = [];
  for (const t of tables.rows) {
    const ident = `"${t.schema.replaceAll('"', '""')}"."${t.name.replaceAll('"', '""')}"`;
    const rows = await db.pool.query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM ${ident} x`);
    places.push({
      name: `${label} ${t.schema}.${t.name} (${rows.rows.length} rows)`,
      text: rows.rows.map((r) => r.row).join('\n'),
    });
  }
  return places;
}

/** Everything this process writes to stdout and stderr from now on (passed through as well). */
export function captureProcessOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const tap = (stream: NodeJS.WriteStream, original: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(process.stdout, originals.out);
  process.stderr.write = tap(process.stderr, originals.err);
  return {
    text: () => chunks.join(''),
    restore() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/**
 * Every Lore key in Redis (`lore:*`: the key-value store and BullMQ's queues), name and content, one place a
 * key. Other runs sharing this Redis cannot hold this run's freshly made secrets, so reading theirs is harmless.
 */
export async function dumpRedis(url: string, label: string): Promise<Place[]> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const places: Place[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'lore:*', 'COUNT', '500');
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const content =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? await redis.hgetall(key)
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'zset'
                    ? await redis.zrange(key, '0', '-1')
                    : type === 'stream'
                      ? await redis.xrange(key, '-', '+')
                      : null;
        places.push({ name: `${label} ${key}`, text: `${key}\n${JSON.stringify(content)}` });
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return places;
}
