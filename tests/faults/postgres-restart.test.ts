import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { createInstallationCache } from '../../src/tenants/installations/installation-cache.js';
import { cacheIdsOf } from '../../src/tenants/installations/installations.service.js';
import type { LoreProcess } from '../support/lore-process.js';
import { mentionEvent, postEvent } from '../support/slack-answers.js';
import { onNativePostgres } from '../support/test-db.js';
import { type FaultStack, startFaultStack } from './support/fault-stack.js';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import {
  eventually,
  expectWholeDocument,
  faultWorkspace,
  installThroughOAuth,
  longHandbook,
  outcomeOf,
  repliesIn,
  requireNativeInCi,
  uploadText,
} from './support/production.js';

// The same machine and CI job as the other native-Postgres fault tests (it starts a cluster of its own).
requireNativeInCi(onNativePostgres, 'the Postgres restart test');

const WS = faultWorkspace('PGRESTART', 'Postgres Restart Co');
const EVENTS = 30;
const DOWN_MS = 5_000;
const QUESTION = 'How many days ahead must flights be booked?';

const readyz = (url: string) =>
  fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => 0,
  );

/**
 * Postgres stopped (as a failover or a maintenance restart does: sessions cut) for a few seconds while
 * events arrive and a long document is being embedded, with a web and a worker process as production runs
 * them, on a Supabase-shaped cluster of the test's own. What an operator and Slack need: /readyz says 503
 * while it is down and 200 after, every event acknowledged is answered exactly once, what could not be
 * accepted was refused with a non-2xx (Slack retries it), and the database holds nothing half-written.
 */
describe.skipIf(!onNativePostgres)('Postgres stopped and started in the middle of work', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let db: Database;
  let stack: FaultStack;
  let slack: FaultStack['slack'];
  let web: LoreProcess;
  let worker: LoreProcess;
  let tenantId: string;
  let apiKey: string;

  /** Drops the cached installation everywhere, as Lore does when an installation changes. */
  const forgetInstallation = async () => {
    const kv = createRedisStore(redis.url);
    try {
      const cache = createInstallationCache({ kv, logger: createLogger({ level: 'silent' }) });
      await cache.invalidate(cacheIdsOf(tenantId, { kind: 'team', teamId: WS.teamId }));
    } finally {
      await kv.close();
    }
    // The processes drop their own copies when the pub/sub message reaches them.
    await new Promise((r) => setTimeout(r, 1_500));
  };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    db = createPostgresDatabase(pg.url, { max: 2 });
    stack = await startFaultStack({
      workspace: WS,
      databaseUrl: pg.url,
      redisUrl: redis.url,
      // Each embeddings batch takes a while, so the long document is still embedding when Postgres stops.
      openai: { answer: 'Flights are booked at least 14 days ahead [1].', embedDelayMs: 1_500 },
      processes: { web: 'web', worker: 'worker' },
    });
    ({ slack } = stack);
    [web, worker] = [stack.proc('web'), stack.proc('worker')];
    tenantId = await installThroughOAuth(web.url, db, WS);
    apiKey = (await createApiKey(db, tenantId, { name: 'pg-restart', actor: 'test' })).key;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await db?.close();
    await Promise.all([pg?.close(), redis?.close()]);
  });

  it('fails /readyz while down, recovers, answers every acknowledged event once, and half-writes nothing', async () => {
    const documentId = await uploadText(web.url, apiKey, 'handbook.md', longHandbook(700));
    await vi.waitFor(async () => {
      const { rows } = await db.pool.query('SELECT status FROM lore.documents WHERE id = $1', [documentId]);
      expect(rows[0]?.status).toBe('embedding');
    }, eventually(60_000));

    const events = Array.from({ length: EVENTS }, (_, i) =>
      mentionEvent(WS, QUESTION, { user: `U0PGR${i}` }),
    );
    const firstTry: Array<number | 'no answer'> = [];
    const send = async (i: number) => {
      const res = await postEvent(web.url, events[i]).catch(() => undefined);
      firstTry[i] = res?.status ?? 'no answer';
      await new Promise((r) => setTimeout(r, 100));
    };
    for (let i = 0; i < 10; i++) await send(i);
    await pg.stop();
    const downSince = performance.now();
    const whileDown = { web: await readyz(web.url), worker: await readyz(worker.url) };
    // The installation is cached, so these are acknowledged without the database...
    for (let i = 10; i < 15; i++) await send(i);
    // ...until the cache is dropped (a reinstall elsewhere does that): then Lore cannot tell whose event it
    // is, and must refuse it with a 5xx so that Slack delivers it again, never acknowledge and drop it.
    await forgetInstallation();
    for (let i = 15; i < 20; i++) await send(i);
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (performance.now() - downSince))));
    await pg.start();
    for (let i = 20; i < EVENTS; i++) await send(i);

    if (whileDown.web !== 503 || whileDown.worker !== 503)
      process.stdout.write(
        `readyz while down ${JSON.stringify(whileDown)}; worker exit ${worker.child.exitCode} ${worker.child.signalCode}\n${worker.output().slice(-4000)}\n`,
      );
    expect(whileDown).toEqual({ web: 503, worker: 503 });
    for (const status of firstTry.slice(15, 20)) expect(status).not.toBe(200);
    await vi.waitFor(async () => {
      expect({ web: await readyz(web.url), worker: await readyz(worker.url) }).toEqual({
        web: 200,
        worker: 200,
      });
    }, eventually(60_000));

    // Slack delivers an event again (up to three retries) when it was not acknowledged with a 2xx.
    const refused = events.filter((_, i) => firstTry[i] !== 200);
    for (const event of refused) {
      await vi.waitFor(async () => {
        const res = await postEvent(web.url, event, {
          'x-slack-retry-num': '1',
          'x-slack-retry-reason': 'http_error',
        });
        expect(res.status).toBe(200);
      }, eventually(30_000));
    }
    try {
      await vi.waitFor(async () => {
        for (const event of events) expect(await outcomeOf(db, event.event_id)).toEqual(['answered']);
      }, eventually(120_000));
      await vi.waitFor(() => expectWholeDocument(db, documentId), eventually(120_000));
    } catch (err) {
      const outcomes = await Promise.all(
        events.map(async (e) => (await outcomeOf(db, e.event_id))[0] ?? 'none'),
      );
      const replied = events.filter((e) => repliesIn(slack, e.event.ts).length > 0).length;
      process.stdout.write(
        `first tries: ${firstTry.join(' ')}\noutcomes: ${outcomes.join(' ')}; replied ${replied}\n`,
      );
      process.stdout.write(`worker:\n${worker.output().slice(-4000)}\nweb:\n${web.output().slice(-4000)}\n`);
      throw err;
    }

    // Nothing half-written: every answer row is complete, names the message it posted, and was metered once.
    const answers = await db.pool.query<{
      key: string;
      postedTs: string | null;
      text: string | null;
      usage: number;
    }>(
      `SELECT a.idempotency_key AS key, a.posted_ts AS "postedTs", a.answer_text AS text,
              (SELECT count(*)::int FROM lore.usage_events u WHERE u.answer_id = a.id) AS usage
       FROM lore.answers a WHERE a.tenant_id = $1`,
      [tenantId],
    );
    const byKey = new Map(answers.rows.map((a) => [a.key, a]));
    expect(answers.rows.filter((a) => !events.some((e) => e.event_id === a.key))).toEqual([]);
    const counts = events.map((e) => repliesIn(slack, e.event.ts).length);
    process.stdout.write(
      `Postgres stopped ${DOWN_MS / 1000} s mid-burst: sent ${EVENTS}, acknowledged on first delivery ${EVENTS - refused.length}, refused ${refused.length} (then retried), answered ${counts.filter((n) => n >= 1).length}, duplicated ${counts.filter((n) => n > 1).length}, lost ${counts.filter((n) => n === 0).length}\n`,
    );
    for (const [i, event] of events.entries()) {
      const row = byKey.get(event.event_id);
      expect(row?.text).toContain('14 days');
      expect(row?.usage).toBe(1);
      expect(repliesIn(slack, event.event.ts).map((c) => c.result?.ts)).toEqual([row?.postedTs]);
      expect(counts[i]).toBe(1);
    }
    for (const status of firstTry)
      expect(status === 200 || status === 'no answer' || status >= 500).toBe(true);
    // The long document was embedded once, whatever the attempts: one usage row for its version.
    const embeddings = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lore.usage_events WHERE tenant_id = $1 AND kind = 'embedding'`,
      [tenantId],
    );
    expect(embeddings.rows[0]?.n).toBe(2);
  }, 300_000);
});
