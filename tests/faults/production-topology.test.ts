import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { bodyOf } from '../support/http.js';
import { testRedisUrl } from '../support/redis.js';
import { mentionEvent, postEvent } from '../support/slack-answers.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';
import { type FaultStack, startFaultStack } from './support/fault-stack.js';
import {
  eventually,
  faultWorkspace,
  installThroughOAuth,
  outcomeOf,
  repliesIn,
  requireNativeInCi,
} from './support/production.js';

const redisUrl = testRedisUrl();
requireNativeInCi(onNativePostgres, 'the production topology');

const WS = faultWorkspace('TOPOLOGY', 'Topology Co');
const QUESTION = 'How many days ahead must flights be booked?';

/**
 * Production as it runs: built with `npm run build` (the run's globalSetup), `node dist/src/main.js` with
 * NODE_ENV=production and every secret set, two web and two worker processes on one Redis and the native
 * (Supabase-shaped) Postgres. Slack and OpenAI are local stand-ins, the only fakes.
 */
describe.skipIf(!onNativePostgres || !redisUrl)('the production topology: 2 web + 2 worker processes', () => {
  let db: Database & { url?: string };
  let stack: FaultStack;
  let slack: FaultStack['slack'];
  const model = { answer: 'Flights are booked at least 14 days ahead [1].', wordDelayMs: 0, chats: 0 };
  let tenantId: string;

  const start = (name: string, role: 'web' | 'worker') => stack.start(name, role);
  const proc = (name: string) => stack.proc(name);
  const replies = (threadTs: string) => repliesIn(slack, threadTs);
  const postedTsOf = async (eventId: string) =>
    (
      await db.pool.query<{ posted_ts: string | null }>(
        'SELECT posted_ts FROM lore.answers WHERE idempotency_key = $1',
        [eventId],
      )
    ).rows[0]?.posted_ts;
  const answered = (eventId: string, timeout: number) =>
    vi.waitFor(async () => expect(await outcomeOf(db, eventId)).toEqual(['answered']), eventually(timeout));

  beforeAll(async () => {
    db = await createTestDatabase({ connections: 2 });
    stack = await startFaultStack({
      workspace: WS,
      databaseUrl: db.url as string,
      redisUrl: redisUrl as string,
      openai: {
        get answer() {
          return model.answer;
        },
        get wordDelayMs() {
          return model.wordDelayMs;
        },
        onChat: () => void model.chats++,
      },
      processes: { web1: 'web', web2: 'web', worker1: 'worker', worker2: 'worker' },
    });
    ({ slack } = stack);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await db?.close();
  });

  it('installs a workspace through OAuth on web 1, and a worker welcomes the installer', async () => {
    tenantId = await installThroughOAuth(proc('web1').url, db, WS);
    await vi.waitFor(() => {
      const dms = slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && c.args.channel === WS.installerId,
      );
      expect(dms).toHaveLength(1);
    }, eventually(30_000));
  });

  it("answers once when an event reaches web 1 and Slack's retry reaches web 2", async () => {
    const event = mentionEvent(WS, 'How do I start using Lore?');
    expect((await postEvent(proc('web1').url, event)).status).toBe(200);
    const retry = await postEvent(proc('web2').url, event, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await answered(event.event_id, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(replies(event.event.ts)).toHaveLength(1);
  });

  it('ingests a document uploaded through web 2 on a worker, embeds it, and cites it', async () => {
    const web2 = proc('web2');
    const { key } = await createApiKey(db, tenantId, { name: 'topology', actor: 'test' });
    const auth = { authorization: `Bearer ${key}` };
    const form = new FormData();
    const text = '# Travel policy\n\n## Flights\n\nFlights must be booked at least 14 days ahead.';
    form.append('file', new Blob([text]), 'travel-policy.md');
    const res = await fetch(`${web2.url}/api/documents`, { method: 'POST', body: form, headers: auth });
    expect(res.status).toBe(202);
    const id = (await bodyOf(res)).results[0].document.id;
    await vi.waitFor(async () => {
      const doc = (await bodyOf(await fetch(`${web2.url}/api/documents/${id}`, { headers: auth }))).document;
      expect(doc.status).toBe('ready');
    }, eventually(60_000));
    const embedded = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM lore.chunks WHERE document_id = $1 AND embedding IS NOT NULL',
      [id],
    );
    expect(embedded.rows[0]?.n).toBeGreaterThan(0);

    const event = mentionEvent(WS, QUESTION);
    expect((await postEvent(proc('web1').url, event)).status).toBe(200);
    await answered(event.event_id, 30_000);
    const startedTs = replies(event.event.ts)[0]?.result?.ts;
    const final = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === startedTs);
    expect(final.some((c) => JSON.stringify(c.args).includes('Travel policy'))).toBe(true);
  });

  it('a worker SIGKILLed mid-answer: the other worker retries the job, and exactly one reply is posted', async () => {
    const [worker1, worker2] = [proc('worker1'), proc('worker2')];
    model.wordDelayMs = 500;
    const chatsBefore = model.chats;
    // Worker 2 sleeps, so worker 1 takes the job (if worker 2 was blocked reading the intake when stopped, Redis
    // hands it the entry all the same, and worker 1 claims it 5 s later).
    worker2.child.kill('SIGSTOP');
    const event = mentionEvent(WS, QUESTION);
    try {
      expect((await postEvent(proc('web1').url, event)).status).toBe(200);
      await vi.waitFor(() => expect(replies(event.event.ts)).toHaveLength(1), eventually(30_000));
      await vi.waitFor(() => expect(model.chats).toBeGreaterThan(chatsBefore), eventually(30_000));
      // Killed once the started message is on record: the retry can only continue a message it knows of.
      // Between Slack's answer to the post and that record (one commit) a crash does post a second message;
      // Slack's chat.postMessage takes no idempotency key to prevent it.
      await vi.waitFor(
        async () => expect(await postedTsOf(event.event_id)).toEqual(expect.any(String)),
        eventually(30_000),
      );
      expect(await worker1.stop('SIGKILL')).toBe(null);
    } finally {
      model.wordDelayMs = 0;
      worker2.child.kill('SIGCONT');
    }
    // BullMQ hands the stalled job to worker 2 once worker 1's lock expires (about 30 s).
    await answered(event.event_id, 120_000);
    expect(replies(event.event.ts)).toHaveLength(1);
    // The retry finished the very message worker 1 had started, rather than posting a second one.
    const startedTs = replies(event.event.ts)[0]?.result?.ts;
    expect(startedTs).toEqual(expect.any(String));
    await vi.waitFor(() => {
      const edits = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === startedTs);
      expect(edits.some((e) => JSON.stringify(e.args).includes('14 days'))).toBe(true);
    }, eventually(10_000));
    await start('worker3', 'worker');
  }, 240_000);

  it('a web process stopped with SIGTERM under a steady stream of events: every acknowledged event is answered once', async () => {
    const web1 = proc('web1');
    const acked: Array<{ eventId: string; ts: string }> = [];
    let stopping: Promise<number | null> | undefined;
    for (let i = 0; i < 40; i++) {
      const event = mentionEvent(WS, QUESTION, { user: `U0STREAM${i}` });
      const res = await postEvent(web1.url, event).catch(() => undefined);
      if (res?.status === 200) acked.push({ eventId: event.event_id, ts: event.event.ts });
      if (i === 15) stopping = web1.stop('SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await stopping).toBe(0);
    expect(acked.length).toBeGreaterThanOrEqual(16);
    await vi.waitFor(async () => {
      for (const { eventId } of acked) expect(await outcomeOf(db, eventId)).toEqual(['answered']);
    }, eventually(120_000));
    const counts = acked.map(({ ts }) => replies(ts).length);
    // The figures BENCHMARKS.md reports for this fault.
    process.stdout.write(
      `SIGTERM under load: sent 40, acknowledged ${acked.length}, refused ${40 - acked.length}, answered ${counts.filter((n) => n >= 1).length}, duplicated ${counts.filter((n) => n > 1).length}, lost ${counts.filter((n) => n === 0).length}\n`,
    );
    for (const n of counts) expect(n).toBe(1);
  }, 240_000);
});
