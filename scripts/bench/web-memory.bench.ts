import { randomUUID } from 'node:crypto';
import { startSlackStandIn } from '../slack-stand-in.js';
import { benchDatabase } from './bench-database.js';
import { reportBench } from './report.js';
import {
  dropMentionRunKeys,
  mentionEach,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  type WebProcess,
} from './web-process.js';
import { QUESTION, seedWorkspaces, waitForAnswers } from './worker-scale-seed.js';

/**
 * Memory of both roles with many workspaces: Lore's web process (APP_ROLE=web) and one worker process
 * (APP_ROLE=worker), each its own process on native Postgres and Redis, BENCH_MEMORY_WORKSPACES (10,000)
 * installed with a small handbook each, one signed mention from each, every question answered by the worker
 * (no model: quoted passages, posted to the Slack stand-in). Baseline: each process's RSS after a warm-up
 * of 200 questions. Needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
const redisUrl = process.env.REDIS_URL;
const database = redisUrl ? await benchDatabase() : undefined;
if (!redisUrl || !database) {
  process.stdout.write('web-memory: skipped (needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL)\n');
  process.exit(0);
}
const { db, url: databaseUrl } = database;
const redis = redisUrl;
const WORKSPACES = Number(process.env.BENCH_MEMORY_WORKSPACES ?? 10_000);
const ANSWER_TIMEOUT_MS = 15 * 60_000;
const queueName = `lore-scale-bench-mem-${randomUUID()}`;
const prefix = runTeamPrefix();
const teams = Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i));
const t0 = performance.now();
await seedWorkspaces(db, teams);
process.stdout.write(
  `web-memory: installed ${WORKSPACES} with a handbook each in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
);
const slack = await startSlackStandIn();

/**
 * One web and one worker process (both with `nodeArgs`) through the whole run: RSS after the warm-up, after
 * every workspace, after 2,000 repeats, each once the worker has answered everything sent.
 */
async function measure(nodeArgs: string[]) {
  const common = { databaseUrl, redisUrl: redis, queueName, nodeArgs, env: { SLACK_API_URL: slack.apiUrl } };
  const web = await startWebProcess(common);
  const worker = await startWebProcess({ ...common, role: 'worker' });
  let failed = 0;
  let unanswered = 0;
  /** Asks from each of `list` and waits until the worker has answered every question. */
  async function askEach(list: string[]): Promise<void> {
    const { statuses, eventIds } = await mentionEach(web.url, list, QUESTION);
    failed += statuses.filter((s) => s !== 200).length;
    const { done } = await waitForAnswers(db, eventIds, Date.now() + ANSWER_TIMEOUT_MS, 500);
    unanswered += eventIds.length - done;
  }
  const rss = async (p: WebProcess[]) => Promise.all(p.map((x) => x.rssMb()));
  await askEach(teams.slice(0, 200));
  const warm = await rss([web, worker]);
  await askEach(teams);
  const after = await rss([web, worker]);
  await askEach(teams.slice(0, 2_000));
  const repeated = await rss([web, worker]);
  await Promise.all([web.stop(), worker.stop()]);
  const mb = (xs: number[]) => xs.map((x) => x.toFixed(0));
  process.stdout.write(
    `web-memory ${nodeArgs.join(' ') || '(default heap)'}: RSS web / worker ${mb(warm).join(' / ')} → ${mb(after).join(' / ')} MB, after 2,000 repeats ${mb(repeated).join(' / ')} MB; non-200: ${failed}, unanswered: ${unanswered}\n`,
  );
  return { warm, after };
}

const byDefault = await measure([]);
const capped = await measure(['--max-old-space-size=160']);
await slack.close();
await dropMentionRunKeys(redisUrl, queueName, prefix);
await database.drop();
const row = (metric: string, i: number, m: typeof byDefault) => ({
  metric,
  baseline: m.warm[i] as number,
  lore: m.after[i] as number,
});
reportBench({
  name: 'web-memory',
  description: `RSS (MB) of the web and the worker process: after 200 warm-up questions (baseline) vs after one question from each of ${WORKSPACES} workspaces, each answered`,
  rows: [
    row('web RSS, default heap', 0, byDefault),
    row('web RSS, heap cap 160 MB', 0, capped),
    row('worker RSS, default heap', 1, byDefault),
    row('worker RSS, heap cap 160 MB', 1, capped),
  ],
});
