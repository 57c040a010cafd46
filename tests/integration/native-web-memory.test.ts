import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dropQueue,
  mentionEach,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  type WebProcess,
} from '../../scripts/bench/web-process.js';
import { QUESTION, seedWorkspaces, waitForAnswers } from '../../scripts/bench/worker-scale-seed.js';
import { type SlackStandIn, startSlackStandIn } from '../../scripts/slack-stand-in.js';
import type { Database } from '../../src/infra/db/database.js';
import { testRedisUrl } from '../support/redis.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';

const redisUrl = testRedisUrl();
// CI size; `npm run bench -- web-memory` runs 10,000 (BENCHMARKS.md).
const WORKSPACES = Number(process.env.MEMORY_TEST_WORKSPACES ?? 2_000);
const WARM_UP = 200;
const HEAP_CAP_MB = 160;

/** The outcomes of the answers to `eventIds`, once all are finished (or four minutes have passed). */
const answered = async (db: Database, eventIds: string[]) =>
  (await waitForAnswers(db, eventIds, Date.now() + 240_000)).outcomes;

// Native Postgres and Redis only: the roles as their own processes need DATABASE_URL and REDIS_URL.
describe.skipIf(!onNativePostgres || !redisUrl)('the web and worker processes with many workspaces', () => {
  let db: Database | undefined;
  let slack: SlackStandIn | undefined;
  const processes: WebProcess[] = [];
  const queueName = `lore-scale-mem-${randomUUID()}`;
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await slack?.close();
    await dropQueue(redisUrl as string, queueName).catch(() => {});
    await db?.close();
  });

  it(`acknowledges and answers one question from each of ${WORKSPACES} workspaces with bounded memory`, async () => {
    db = await createTestDatabase();
    const prefix = runTeamPrefix();
    const teams = Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i));
    await seedWorkspaces(db, teams);
    slack = await startSlackStandIn();
    const common = {
      databaseUrl: (db as Database & { url: string }).url,
      redisUrl: redisUrl as string,
      queueName,
      // A heap cap makes V8 collect instead of growing its heap lazily, so RSS follows what is really kept
      // (with V8's default heap two identical runs differed by 79 MB). At 10,000 workspaces Bolt's unbounded
      // per-workspace clients did not fit under this cap (BENCHMARKS.md); at this size the check is generous.
      nodeArgs: [`--max-old-space-size=${HEAP_CAP_MB}`],
      env: { SLACK_API_URL: slack.apiUrl },
    };
    const web = await startWebProcess(common);
    processes.push(web);
    const worker = await startWebProcess({ ...common, role: 'worker' });
    processes.push(worker);

    // Warm-up (JIT, pools) on a few workspaces, then the baseline.
    const warmUp = await mentionEach(web.url, teams.slice(0, WARM_UP), QUESTION);
    expect(new Set(warmUp.statuses)).toEqual(new Set([200]));
    // Answered from each workspace's handbook, quoted (no model).
    expect(await answered(db, warmUp.eventIds)).toEqual({ extractive: WARM_UP });
    const [webBefore, workerBefore] = [await web.rssMb(), await worker.rssMb()];

    const all = await mentionEach(web.url, teams, QUESTION);
    // Every workspace's event was accepted (a 200 only once its answer job was queued) and answered.
    expect(all.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await answered(db, all.eventIds)).toEqual({ extractive: WORKSPACES });
    // Caches are bounded: the web's installations (2,000) and Bolt's clients (1,000 workspaces), the
    // worker's installations, Slack clients (500) and per-workspace marks, all LRUs.
    expect((await web.rssMb()) - webBefore).toBeLessThan(100);
    expect((await worker.rssMb()) - workerBefore).toBeLessThan(100);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);
  }, 600_000);
});
