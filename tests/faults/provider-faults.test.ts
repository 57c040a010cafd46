import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpenAiFault } from '../../scripts/fake-openai-server.js';
import { APOLOGY } from '../../src/ai/answer-run.js';
import type { Database } from '../../src/infra/db/database.js';
import type { LoreProcess } from '../support/lore-process.js';
import { mentionEvent, postEvent } from '../support/slack-answers.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';
import { type FaultStack, startFaultStack } from './support/fault-stack.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import {
  eventually,
  faultWorkspace,
  installThroughOAuth,
  outcomeOf,
  repliesIn,
  requireNativeInCi,
} from './support/production.js';

requireNativeInCi(onNativePostgres, 'the provider fault test');

const WS = faultWorkspace('PROVFAULT', 'Provider Faults Co');
const QUESTION = 'How many days ahead must flights be booked?';
// Timers fire a little early or late; Retry-After is in whole seconds, so this margin is generous.
const TIMER_SLACK_MS = 100;

/**
 * Slack and OpenAI failing the way they do in production, against a web and a worker process: Slack's 429
 * with Retry-After and its 5xx, OpenAI's 429 (with Retry-After), 5xx and requests that never answer.
 * What the asker needs: the answer arrives exactly once, Retry-After is waited out, and when OpenAI stays
 * down the retries stop at their budget with one apology.
 */
describe.skipIf(!onNativePostgres)('Slack and OpenAI failing: retried within budget', () => {
  let db: Database & { url?: string };
  let redis: PrivateRedis;
  let stack: FaultStack;
  let slack: FaultStack['slack'];
  let openai: FaultStack['openai'];
  let web: LoreProcess;
  // Faults for the next chat completions, in order; `always` for every one while set.
  const chatFaults: { next: OpenAiFault[]; always?: OpenAiFault } = { next: [] };
  const figures: string[] = [];
  let user = 0;

  const ask = async () => {
    const event = mentionEvent(WS, QUESTION, { user: `U0PFASK${user++}` });
    expect((await postEvent(web.url, event)).status).toBe(200);
    return event;
  };
  const chats = () => openai.requests.filter((r) => r.kind === 'chat');
  const answeredOnce = async (event: ReturnType<typeof mentionEvent>, timeout = 60_000) => {
    await vi.waitFor(
      async () => expect(await outcomeOf(db, event.event_id)).toEqual(['answered']),
      eventually(timeout),
    );
    // Time for a late duplicate to show up, if there were one.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(repliesIn(slack, event.event.ts)).toHaveLength(1);
  };

  beforeAll(async () => {
    db = await createTestDatabase({ connections: 2 });
    redis = await startPrivateRedis();
    stack = await startFaultStack({
      workspace: WS,
      databaseUrl: db.url as string,
      redisUrl: redis.url,
      openai: {
        answer: 'Flights are booked at least 14 days ahead [1].',
        fault: (kind) => (kind === 'chat' ? (chatFaults.always ?? chatFaults.next.shift()) : undefined),
      },
      processes: { web: 'web', worker: 'worker' },
    });
    ({ slack, openai } = stack);
    web = stack.proc('web');
    await installThroughOAuth(web.url, db, WS);
  }, 300_000);

  afterAll(async () => {
    // The figures BENCHMARKS.md reports for these faults.
    process.stdout.write(`${figures.join('\n')}\n`);
    await stack?.stop();
    await redis?.close();
    await db?.close();
  });

  it('Slack 429 with Retry-After on the reply: waits it out each time, then posts the answer once', async () => {
    slack.refuseNext('chat.startStream', { times: 2, status: 429, retryAfterSec: 2 });
    const refusedBefore = slack.refused.length;
    const event = await ask();
    await answeredOnce(event);
    const refused = slack.refused.slice(refusedBefore);
    expect(refused.map((r) => r.method)).toEqual(['chat.startStream', 'chat.startStream']);
    const started = repliesIn(slack, event.event.ts)[0];
    // Not asked again before Retry-After said.
    expect((refused[1]?.at ?? 0) - (refused[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000 - TIMER_SLACK_MS);
    expect((started?.at ?? 0) - (refused[1]?.at ?? 0)).toBeGreaterThanOrEqual(2_000 - TIMER_SLACK_MS);
    figures.push('Slack 429 (Retry-After 2 s) x2 on the reply: sent 1, answered 1, duplicated 0, lost 0');
  });

  it("Slack 429 past the client's retries, then 5xx: the job retries, and the answer is posted once", async () => {
    // Three refusals exhaust one call's retries (the job's attempt fails); the fourth lands on the retry.
    slack.refuseNext('chat.startStream', { times: 4, status: 429, retryAfterSec: 1 });
    const refusedBefore = slack.refused.length;
    const event = await ask();
    await answeredOnce(event);
    slack.refuseNext('chat.startStream', { times: 2, status: 503 });
    const second = await ask();
    await answeredOnce(second);
    expect(slack.refused.slice(refusedBefore).map((r) => r.status)).toEqual([429, 429, 429, 429, 503, 503]);
    figures.push(
      'Slack 429 x4 (past one call’s retries), then Slack 503 x2: sent 2, answered 2, duplicated 0, lost 0',
    );
  });

  it('OpenAI 429 with Retry-After: waits it out, then streams the answer once', async () => {
    chatFaults.next.push({ status: 429, retryAfterSec: 2 });
    const before = chats().length;
    const event = await ask();
    await answeredOnce(event);
    const tries = chats().slice(before);
    expect(tries.map((t) => (typeof t.fault === 'object' ? t.fault.status : (t.fault ?? 'ok')))).toEqual([
      429,
      'ok',
    ]);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000 - TIMER_SLACK_MS);
    figures.push('OpenAI 429 (Retry-After 2 s) once: sent 1, answered 1, duplicated 0, lost 0');
  });

  it('OpenAI timing out (no response, or a stream that stalls mid-answer): retried, and each answered once', async () => {
    chatFaults.next.push('hang', 'stall');
    const before = chats().length;
    // Both at once, so the two 20 s timeouts run side by side.
    const [first, second] = await Promise.all([ask(), ask()]);
    await Promise.all([answeredOnce(first, 90_000), answeredOnce(second, 90_000)]);
    expect(
      chats()
        .slice(before)
        .map((t) => t.fault ?? 'ok'),
    ).toEqual(['hang', 'stall', 'ok', 'ok']);
    // The stalled stream had shown half an answer: the retry finished that same message, in full.
    for (const event of [first, second]) {
      const ts = repliesIn(slack, event.event.ts)[0]?.result?.ts;
      const last = slack.calls
        .filter((c) => (c.method === 'chat.update' || c.method === 'chat.stopStream') && c.args.ts === ts)
        .at(-1);
      expect(JSON.stringify(last?.args)).toContain('at least 14 days ahead');
    }
    figures.push(
      'OpenAI timing out, no first byte once and a stream stalled mid-answer once: sent 2, answered 2, duplicated 0, lost 0',
    );
  });

  it('OpenAI 5xx on every try: stops at the retry budget with one apology and no answer message', async () => {
    chatFaults.always = { status: 500 };
    const before = chats().length;
    const ephemeralsBefore = slack.calls.filter((c) => c.method === 'chat.postEphemeral').length;
    let event: Awaited<ReturnType<typeof ask>> | undefined;
    try {
      event = await ask();
      const key = event.event_id;
      await vi.waitFor(async () => expect(await outcomeOf(db, key)).toEqual(['failed']), eventually(90_000));
      const tries = chats().length - before;
      // Nothing more once the budget is spent.
      await new Promise((r) => setTimeout(r, 5_000));
      expect(chats().length - before).toBe(tries);
      // 3 job attempts x (1 request + 2 SDK retries).
      expect(tries).toBe(9);
      figures.push(
        `OpenAI 500 on every try: sent 1, ${tries} chat requests (the budget), apologised 1, duplicated 0, lost 0`,
      );
    } finally {
      chatFaults.always = undefined;
    }
    expect(repliesIn(slack, event.event.ts)).toEqual([]);
    const apologies = slack.calls
      .filter((c) => c.method === 'chat.postEphemeral')
      .slice(ephemeralsBefore)
      .filter((c) => c.args.user === event?.event.user);
    expect(apologies.map((c) => c.args.text)).toEqual([APOLOGY]);
  });
});
