import { randomUUID } from 'node:crypto';
import { benchDatabase } from './bench-database.js';
import { reportBench } from './report.js';
import { signedMention } from './slack-events.js';
import {
  dropMentionRunKeys,
  installWorkspaces,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  WEB_SECRET,
} from './web-process.js';

/**
 * Memory of the web role with many workspaces: Lore as its own process (APP_ROLE=web, native Postgres,
 * Redis), BENCH_MEMORY_WORKSPACES (10,000) installed, one signed mention from each. Baseline: the same
 * process's RSS after a warm-up of 200 events. Needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
const redisUrl = process.env.REDIS_URL;
const database = redisUrl ? await benchDatabase() : undefined;
if (!redisUrl || !database) {
  process.stdout.write('web-memory: skipped (needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL)\n');
  process.exit(0);
}
const databaseUrl = database.url;
const redis = redisUrl;
const WORKSPACES = Number(process.env.BENCH_MEMORY_WORKSPACES ?? 10_000);
const queueName = `lore-scale-bench-mem-${randomUUID()}`;
const prefix = runTeamPrefix();
const teams = Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i));
const t0 = performance.now();
await installWorkspaces(database.db, teams);
process.stdout.write(
  `web-memory: installed ${WORKSPACES} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
);
/** One web process (with `nodeArgs`) through the whole run: RSS after warm-up, after every workspace, after 2,000 repeats. */
async function measure(nodeArgs: string[]) {
  const web = await startWebProcess({ databaseUrl, redisUrl: redis, queueName, nodeArgs });
  async function mentionEach(list: string[], parallel = 8): Promise<number> {
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < list.length) {
        const res = await fetch(
          `${web.url}/slack/events`,
          signedMention(WEB_SECRET, list[next++] as string, 'hi'),
        );
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return failed;
  }
  await mentionEach(teams.slice(0, 200));
  const warm = await web.rssMb();
  const failed = await mentionEach(teams);
  const after = await web.rssMb();
  const repeatFailed = await mentionEach(teams.slice(0, 2_000));
  const repeated = await web.rssMb();
  await web.stop();
  process.stdout.write(
    `web-memory ${nodeArgs.join(' ') || '(default heap)'}: RSS ${warm.toFixed(0)} → ${after.toFixed(0)} MB, after 2,000 repeats ${repeated.toFixed(0)} MB; non-200: ${failed + repeatFailed}\n`,
  );
  return { warm, after };
}

const byDefault = await measure([]);
const capped = await measure(['--max-old-space-size=160']);
await dropMentionRunKeys(redisUrl, queueName, prefix);
await database.drop();
reportBench({
  name: 'web-memory',
  description: `web process RSS (MB): after 200 warm-up events (baseline) vs after one event from each of ${WORKSPACES} workspaces`,
  rows: [
    { metric: 'RSS (MB), default heap', baseline: byDefault.warm, lore: byDefault.after },
    { metric: 'RSS (MB), heap capped at 160 MB', baseline: capped.warm, lore: capped.after },
  ],
});
