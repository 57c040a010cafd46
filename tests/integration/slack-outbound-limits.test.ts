import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../scripts/slack-stand-in.js';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { createOutboundLimiter, rateOf } from '../../src/slack/outbound-limits.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const logger = createLogger({ level: 'silent' });
// Slack's per-minute tiers scaled down to one second, so the test takes seconds: the stand-in refuses a
// workspace's 11th chat.update within any second; Lore's budget for it is 8 a second.
const WINDOW_MS = 1_000;
const SLACK_LIMIT = 10;
const LORE_LIMIT = 8;

function outboundLimitsContract(makeStore: () => KeyValueStore): void {
  let kv: KeyValueStore;
  beforeAll(() => {
    kv = makeStore();
  });
  afterAll(() => kv.close());

  it("keeps a busy workspace under Slack's limit before Slack says 429, without slowing another", async () => {
    const slack = await startSlackStandIn({
      rateLimits: { windowMs: WINDOW_MS, perWindow: { 'chat.update': SLACK_LIMIT } },
    });
    try {
      const run = Math.random().toString(36).slice(2);
      const limiter = createOutboundLimiter({
        kv,
        logger,
        limitOf: (method) => (method === 'chat.update' ? { count: LORE_LIMIT, windowMs: WINDOW_MS } : null),
      });
      const clientFor = (token: string) =>
        new WebClient(token, {
          slackApiUrl: slack.apiUrl,
          fetch: limiter.wrap((url, init) => globalThis.fetch(url, init as RequestInit)),
          retryConfig: { retries: 0 },
        });
      const busy = clientFor(`xoxb-busy-${run}`);
      const quiet = clientFor(`xoxb-quiet-${run}`);
      const update = (client: WebClient, who: string, i: number) =>
        client.chat.update({ channel: 'C1', ts: '1.000001', text: `${who} ${i}` });

      const busyCalls = Array.from({ length: 24 }, (_, i) => update(busy, 'busy', i));
      const quietCalls = Array.from({ length: 3 }, (_, i) => update(quiet, 'quiet', i));
      const results = await Promise.all([...busyCalls, ...quietCalls]);

      // Nothing refused, nothing lost: every call reached Slack once.
      expect(slack.refused).toEqual([]);
      expect(results.every((r) => r.ok)).toBe(true);
      const order = slack.calls.filter((c) => c.method === 'chat.update').map((c) => String(c.args.text));
      expect(order).toHaveLength(27);
      // The quiet workspace's calls went out in its own budget, not behind the busy one's paced calls.
      const lastQuiet = Math.max(...[0, 1, 2].map((i) => order.indexOf(`quiet ${i}`)));
      expect(lastQuiet).toBeLessThan(12);
    } finally {
      await slack.close();
    }
  });

  it('the stand-in does refuse the same burst when nothing paces it (so the check above can fail)', async () => {
    const slack = await startSlackStandIn({
      rateLimits: { windowMs: WINDOW_MS, perWindow: { 'chat.update': SLACK_LIMIT } },
    });
    try {
      const client = new WebClient('xoxb-unpaced', {
        slackApiUrl: slack.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      });
      const settled = await Promise.allSettled(
        Array.from({ length: 24 }, (_, i) => client.chat.update({ channel: 'C1', ts: '1.1', text: `${i}` })),
      );
      expect(settled.filter((s) => s.status === 'rejected').length).toBeGreaterThanOrEqual(10);
      expect(slack.refused[0]).toMatchObject({ method: 'chat.update', status: 429 });
    } finally {
      await slack.close();
    }
  });

  it('reserves a burst at once, then one per interval, and refuses a wait past the maximum', async () => {
    const key = `slack-rate:test-${Math.random().toString(36).slice(2)}:chat.update`;
    const rate = { intervalMs: 10_000, burst: 3, maxWaitMs: 15_000 };
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await kv.reserveRate(key, rate));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // The 4th waits about one interval; the 5th would wait two, past the maximum: refused, not reserved.
    expect(waits[3]).toBeGreaterThan(9_000);
    expect(waits[3]).toBeLessThanOrEqual(10_000);
    expect(waits[4]).toBe(-1);
    expect(rateOf({ count: 50, windowMs: 60_000 })).toEqual({
      intervalMs: 60_000 / 41,
      burst: 9,
      maxWaitMs: 30_000,
    });
  });
}

describe('Slack outbound limits, in-process store', () => {
  outboundLimitsContract(() => createMemoryStore({ logger }));
});

describe.skipIf(!redisUrl)('Slack outbound limits, Redis (shared by every process)', () => {
  outboundLimitsContract(() => createRedisStore(redisUrl as string, { logger }));
});
