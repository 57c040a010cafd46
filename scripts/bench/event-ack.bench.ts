import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';
import { loadConfig } from '../../src/config.js';
import { seedSampleDocument } from '../../src/knowledge/sample-document.js';
import { createLogger } from '../../src/logger.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { startFakeOpenAi } from '../fake-openai-server.js';
import { startSlackStandIn } from '../slack-stand-in.js';
import { cpuPerEventUnderLoad } from './event-load.js';
import { listen, load, quantile } from './load.js';
import { reportBench } from './report.js';
import { signedMention, signedMentions, teamOf } from './slack-events.js';

/**
 * The Slack ingress under load: signed app_mention events spread over 1,000 installed workspaces, posted
 * to Lore's /slack/events (signature check, future-timestamp guard, authorize from the installation cache,
 * tenant gate, de-duplication, answer job queued, then the 200) and to a bare Bolt app that only acks, in
 * the same process and run. Then the server's CPU time per event with the load sent from another process
 * (steadier than throughput on a shared machine), a steady 200 events/s, and the time from an event to the
 * first streamed token with a faked LLM (baseline: a bare Bolt listener that posts a reply at once).
 */
const SECRET = 'bench-signing-secret';
const TENANTS = 1_000;
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const logger = createLogger({ level: 'info', destination: sink });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const slack = await startSlackStandIn();
const openai = await startFakeOpenAi();
const dirs: string[] = [];

async function startLore(role: 'web' | 'all'): Promise<RunningApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-bench-ack-'));
  dirs.push(dataDir);
  const env = {
    PORT: '0',
    DATA_DIR: dataDir,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: `${openai.url}/v1`,
  };
  // The web role alone acknowledges; its queued jobs wait for a worker, as they would in production.
  return startApp({ ...loadConfig(env), appRole: role }, logger);
}

async function install(app: RunningApp, teamId: string): Promise<string> {
  const { tenantId } = await app.container.tenants.installations.store({
    teamId,
    teamName: teamId,
    enterpriseId: null,
    enterpriseName: null,
    enterpriseUrl: null,
    isEnterpriseInstall: false,
    appId: 'A0BENCH',
    tokenType: 'bot',
    authVersion: 'v2',
    metadata: null,
    incomingWebhook: null,
    bot: {
      token: `xoxb-bench-${teamId}`,
      id: `B${teamId}`,
      userId: `U${teamId}`,
      scopes: ['app_mentions:read', 'chat:write'],
    },
    user: { id: '', scopes: [], tokens: null },
  });
  return tenantId;
}

const batch = (n: number) => signedMentions(SECRET, TENANTS, n);

/** Open-loop load at a fixed rate; latency counts from when each request was due (no coordinated omission). */
async function steady(url: string, rate: number, seconds: number, init: () => RequestInit) {
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      (async () => {
        const res = await fetch(url, init());
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        latencies.push(performance.now() - due);
      })(),
    );
  }
  await Promise.all(inflight);
  const sec = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / sec,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

// --- acknowledgement: Lore (web role, 1,000 tenants) vs a bare Bolt app that only acks ---------------
const lore = await startLore('web');
const t0 = performance.now();
for (let i = 0; i < TENANTS; i++) await install(lore, teamOf(i));
process.stdout.write(
  `installed ${TENANTS} workspaces in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);

const bareReceiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
const bareApp = new App({
  receiver: bareReceiver,
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0BARE', botUserId: 'U0BARE' }),
});
bareApp.event('app_mention', async () => {});
const bare = await listen(express().use(bareReceiver.router));
const loreUrl = `${lore.url}/slack/events`;
const bareUrl = `${bare.url}/slack/events`;

// Warm-up: every tenant once (fills Lore's installation cache), JIT for both.
await load(loreUrl, { total: TENANTS, concurrency: 16, init: batch(TENANTS) });
await load(bareUrl, { total: 1000, concurrency: 16, init: batch(1000) });
const opts = { total: 2000, concurrency: 32 };
const bareRuns = [];
const loreRuns = [];
for (let round = 0; round < 5; round++) {
  bareRuns.push(await load(bareUrl, { ...opts, init: batch(opts.total) }));
  loreRuns.push(await load(loreUrl, { ...opts, init: batch(opts.total) }));
}
const bareSteady = await steady(bareUrl, 200, 10, batch(2000));
const loreSteady = await steady(loreUrl, 200, 10, batch(2000));
// Server CPU per event, with the load coming from another process (alternating, median of four).
const cpu = { bare: [] as number[], lore: [] as number[] };
const cpuLoad = { secret: SECRET, tenants: TENANTS, total: 2000, concurrency: 32 };
for (let round = 0; round < 4; round++) {
  cpu.bare.push(await cpuPerEventUnderLoad(bareUrl, cpuLoad));
  cpu.lore.push(await cpuPerEventUnderLoad(loreUrl, cpuLoad));
}
await bare.close();
await lore.stop();

// --- event → first streamed token, faked LLM (Lore with its worker) vs a bare listener posting at once ---
const answering = await startLore('all');
const tenantId = await install(answering, 'TTTFT0001');
await answering.container.db.pool.query(`UPDATE lore.tenants SET plan_id = 'business' WHERE id = $1`, [
  tenantId,
]);
await seedSampleDocument(answering.container, tenantId);
for (;;) {
  const { rows } = await answering.container.db.pool.query(
    'SELECT status FROM lore.documents WHERE tenant_id = $1',
    [tenantId],
  );
  if (rows[0]?.status === 'ready') break;
  await sleep(50);
}
const postingReceiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
const postingApp = new App({
  receiver: postingReceiver,
  clientOptions: { slackApiUrl: slack.apiUrl },
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0BARE', botUserId: 'U0BARE' }),
});
postingApp.event('app_mention', async ({ event, client }) => {
  await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'first token' });
});
const posting = await listen(express().use(postingReceiver.router));

/** Sends one event and resolves with the ms until the stand-in saw `firstMethod`, after `doneMethod` arrived. */
async function timeToFirst(
  url: string,
  init: RequestInit,
  firstMethod: string,
  done: (m: string, a: { blocks?: unknown[] }) => boolean,
) {
  const sent = performance.now();
  let first = Number.NaN;
  const finished = new Promise<void>((resolve) => {
    const on = (c: { method: string; args: { blocks?: unknown[] }; at: number }) => {
      if (c.method === firstMethod && Number.isNaN(first)) first = c.at - sent;
      if (done(c.method, c.args)) {
        slack.events.off('call', on);
        resolve();
      }
    };
    slack.events.on('call', on);
  });
  const res = await fetch(url, init);
  await res.arrayBuffer();
  await finished;
  return first;
}
const RUNS = 25;
const bareFirst: number[] = [];
const loreFirst: number[] = [];
for (let i = 0; i < RUNS + 3; i++) {
  const b = await timeToFirst(
    `${posting.url}/slack/events`,
    signedMention(SECRET, 'TTTFT0001', 'hi'),
    'chat.postMessage',
    (m) => m === 'chat.postMessage',
  );
  const l = await timeToFirst(
    `${answering.url}/slack/events`,
    signedMention(SECRET, 'TTTFT0001', 'How do I add Lore to a channel?', `UQ${i}`),
    'chat.appendStream',
    (m, a) => m === 'chat.update' && Array.isArray(a.blocks) && a.blocks.length > 0,
  );
  // The first three runs warm the JIT and caches.
  if (i >= 3) {
    bareFirst.push(b);
    loreFirst.push(l);
  }
}
await answering.stop();
await posting.close();
await slack.close();
await openai.close();
await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
reportBench({
  name: 'event-ack',
  description: `signed app_mention over ${TENANTS} installed workspaces: Lore's /slack/events vs a bare Bolt app that only acks (same process)`,
  rows: [
    {
      metric: 'ack throughput (events/s)',
      baseline: median(bareRuns.map((r) => r.perSecond)),
      lore: median(loreRuns.map((r) => r.perSecond)),
    },
    {
      metric: 'ack p50 (ms), 32 in flight',
      baseline: median(bareRuns.map((r) => r.p50Ms)),
      lore: median(loreRuns.map((r) => r.p50Ms)),
    },
    {
      metric: 'ack p99 (ms), 32 in flight',
      baseline: median(bareRuns.map((r) => r.p99Ms)),
      lore: median(loreRuns.map((r) => r.p99Ms)),
    },
    {
      // Inverted so that, like throughput, 1.0 is parity and higher is better.
      metric: 'events per CPU-second (load from another process)',
      baseline: 1e6 / median(cpu.bare),
      lore: 1e6 / median(cpu.lore),
    },
    { metric: 'steady 200/s: rate reached', baseline: bareSteady.perSecond, lore: loreSteady.perSecond },
    { metric: 'steady 200/s: p50 (ms)', baseline: bareSteady.p50Ms, lore: loreSteady.p50Ms },
    { metric: 'steady 200/s: p99 (ms)', baseline: bareSteady.p99Ms, lore: loreSteady.p99Ms },
    {
      metric: 'event → first token p50 (ms)',
      baseline: quantile(sorted(bareFirst), 0.5),
      lore: quantile(sorted(loreFirst), 0.5),
    },
    {
      metric: 'event → first token p99 (ms)',
      baseline: quantile(sorted(bareFirst), 0.99),
      lore: quantile(sorted(loreFirst), 0.99),
    },
  ],
});
