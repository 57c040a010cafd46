import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { signedMention } from '../../scripts/bench/slack-events.js';
import {
  dropQueue,
  installWorkspaces,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  WEB_SECRET,
  type WebProcess,
} from '../../scripts/bench/web-process.js';
import type { Database } from '../../src/infra/db/database.js';
import { testRedisUrl } from '../support/redis.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';

const redisUrl = testRedisUrl();
// CI size; `npm run bench -- web-memory` runs 10,000 (BENCHMARKS.md).
const WORKSPACES = Number(process.env.MEMORY_TEST_WORKSPACES ?? 2_000);
const WARM_UP = 200;
const HEAP_CAP_MB = 160;

/** Posts one signed mention per team, `parallel` at a time; the statuses, in order. */
async function mentionEach(url: string, teams: string[], parallel = 8): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < teams.length) {
      const i = next++;
      const res = await fetch(`${url}/slack/events`, signedMention(WEB_SECRET, teams[i] as string, 'hi'));
      await res.arrayBuffer();
      statuses[i] = res.status;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return statuses;
}

// Native Postgres and Redis only: the web role as its own process needs DATABASE_URL and REDIS_URL.
describe.skipIf(!onNativePostgres || !redisUrl)('the web process with many workspaces', () => {
  let db: Database | undefined;
  let web: WebProcess | undefined;
  const queueName = `lore-scale-mem-${randomUUID()}`;
  afterAll(async () => {
    await web?.stop();
    await dropQueue(redisUrl as string, queueName).catch(() => {});
    await db?.close();
  });

  it(`acknowledges one event from each of ${WORKSPACES} workspaces with bounded memory`, async () => {
    db = await createTestDatabase();
    const prefix = runTeamPrefix();
    const teams = Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i));
    await installWorkspaces(db, teams);
    const databaseUrl = (db as Database & { url: string }).url;
    // A heap cap makes V8 collect instead of growing its heap lazily, so RSS follows what is really kept
    // (with V8's default heap two identical runs differed by 79 MB). At 10,000 workspaces Bolt's unbounded
    // per-workspace clients did not fit under this cap (BENCHMARKS.md); at this size the check is generous.
    web = await startWebProcess({
      databaseUrl,
      redisUrl: redisUrl as string,
      queueName,
      nodeArgs: [`--max-old-space-size=${HEAP_CAP_MB}`],
    });

    // Warm-up (JIT, pools) on a few workspaces, then the baseline.
    expect(new Set(await mentionEach(web.url, teams.slice(0, WARM_UP)))).toEqual(new Set([200]));
    const before = await web.rssMb();
    const statuses = await mentionEach(web.url, teams);
    const after = await web.rssMb();

    // Every workspace's event was accepted (a 200 only once its answer job was queued).
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Caches are bounded (installations 2,000 and Bolt's clients 1,000 workspaces, LRUs).
    expect(after - before).toBeLessThan(100);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);
  }, 300_000);
});
