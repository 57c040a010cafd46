/**
 * Signed-event simulator: sends real Slack-shaped requests (app_mention, a DM, /ask) for the demo workspace
 * to a running Lore, plays Slack's Web API on loopback so Lore has somewhere to post, and prints what the
 * bot posted, streaming included.
 *
 *   1. SLACK_API_URL=http://127.0.0.1:3999/api/ npm start        (embedded mode installs the demo workspace)
 *   2. npx tsx scripts/simulate-slack.ts mention "How do I add Lore to a channel?"
 *      npx tsx scripts/simulate-slack.ts dm "What formats can I upload?"
 *      npx tsx scripts/simulate-slack.ts ask "Who can open the dashboard?"
 *      npx tsx scripts/simulate-slack.ts serve        (only the stand-in: watch Lore's calls)
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { DEMO_BOT_USER_ID } from '../src/tenants/demo/demo-installation.js';
import { DEMO_TEAM_ID } from '../src/tenants/demo/demo-tenant.js';
import { renderMessage } from './render-block-kit.js';
import { type StandInCall, startSlackStandIn } from './slack-stand-in.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are JSON documents.
type Json = any;

const CHANNEL = 'C0DEMOGENERAL';
const USER = 'U0DEMOALICE';
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(path.resolve('tests/fixtures/slack', `${name}.json`), 'utf8'));
const nowTs = () => `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(3, '0')}100`;

/** The request Slack would send for each kind: body and content type, from the official fixtures' shapes. */
function buildRequest(
  kind: string,
  question: string,
  responseUrl: string,
): { body: string; contentType: string } {
  if (kind === 'ask') {
    const fields = {
      ...fixture('slash-command-request').examples[0].parsedFields,
      team_id: DEMO_TEAM_ID,
      enterprise_id: '',
      enterprise_name: '',
      channel_id: CHANNEL,
      channel_name: 'general',
      user_id: USER,
      user_name: 'alice',
      command: '/ask',
      text: question,
      response_url: responseUrl,
      trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, '')}`,
    };
    return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  const p = structuredClone(fixture(kind === 'dm' ? 'events-message-im' : 'events-app-mention').payload);
  p.team_id = DEMO_TEAM_ID;
  p.authorizations[0].team_id = DEMO_TEAM_ID;
  p.event_id = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  p.event_time = Math.floor(Date.now() / 1000);
  p.event.user = USER;
  p.event.ts = nowTs();
  if (kind === 'dm') {
    p.event.text = question;
    p.event.channel = 'D0DEMOALICE';
    p.event.event_ts = p.event.ts;
  } else {
    p.event.text = `<@${DEMO_BOT_USER_ID}> ${question}`;
    p.event.channel = CHANNEL;
    p.event.event_ts = p.event.ts;
  }
  return { body: JSON.stringify(p), contentType: 'application/json' };
}

/** True for the call that carries the bot's last word on a question. */
function isFinal(c: StandInCall): boolean {
  if (c.method === 'response_url') return c.args.replace_original === true || c.args.delete_original === true;
  if (c.method === 'chat.update') return Array.isArray(c.args.blocks) && c.args.blocks.length > 0;
  if (c.method === 'chat.postEphemeral') return true;
  return c.method === 'chat.postMessage' && !String(c.args.text ?? '').startsWith('_Looking');
}

async function simulate(
  kind: string,
  question: string,
  opts: { url: string; port: number; secret?: string; json?: boolean },
) {
  const standIn = await startSlackStandIn({ port: opts.port });
  const out = (s: string) => process.stdout.write(s);
  const health = await fetch(`${opts.url}/healthz`).catch(() => null);
  if (!health?.ok) {
    out(
      `Lore is not answering at ${opts.url}. Start it with:\n\n  SLACK_API_URL=${standIn.apiUrl} npm start\n\n`,
    );
    await standIn.close();
    process.exitCode = 1;
    return;
  }
  const secret = opts.secret ?? loadConfig().slack.signingSecret;
  const { body, contentType } = buildRequest(kind, question, standIn.responseUrl(randomUUID()));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const done = new Promise<StandInCall | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 60_000);
    standIn.events.on('call', (c: StandInCall) => {
      if (c.method === 'chat.appendStream' || (c.method === 'chat.stopStream' && c.args.markdown_text))
        out(String(c.args.markdown_text ?? ''));
      if (isFinal(c)) {
        clearTimeout(timer);
        resolve(c);
      }
    });
  });
  out(`→ ${kind} "${question}" for the demo workspace (${DEMO_TEAM_ID})\n`);
  const started = performance.now();
  const res = await fetch(`${opts.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
  const ack = await res.text();
  out(`← HTTP ${res.status} in ${(performance.now() - started).toFixed(0)} ms${ack ? `: ${ack}` : ''}\n\n`);
  const final = await done;
  if (!final) {
    out(`\nNo reply within 60 s. Is Lore running with SLACK_API_URL=${standIn.apiUrl} ?\n`);
    process.exitCode = 1;
  } else {
    const first = standIn.calls.find(
      (c) => c.method === 'chat.appendStream' || c.method === 'chat.postMessage',
    );
    if (first) out(`\n\n(first reply ${(first.at - started).toFixed(0)} ms after the event)\n`);
    out(`\n${final.method} after ${(final.at - started).toFixed(0)} ms:\n\n${renderMessage(final.args)}\n`);
    if (opts.json) out(`\n${JSON.stringify(final.args, null, 2)}\n`);
  }
  await standIn.close();
}

async function serve(port: number) {
  const standIn = await startSlackStandIn({ port });
  process.stdout.write(
    `Slack stand-in on ${standIn.apiUrl}; start Lore with SLACK_API_URL=${standIn.apiUrl}\n`,
  );
  standIn.events.on('call', (c: StandInCall) =>
    process.stdout.write(`${c.method} ${JSON.stringify(c.args).slice(0, 200)}\n`),
  );
}

const program = new Command('simulate-slack')
  .description(
    'Send signed Slack events for the demo workspace to a running Lore and print what the bot posts',
  )
  .option('--url <url>', 'Lore base URL', 'http://127.0.0.1:3000')
  .option(
    '--port <port>',
    'port of the local Slack stand-in (Lore must use SLACK_API_URL=http://127.0.0.1:<port>/api/)',
    '3999',
  )
  .option('--secret <secret>', 'signing secret (default: SLACK_SIGNING_SECRET or the development one)')
  .option('--json', 'also print the final message as Block Kit JSON');
for (const kind of ['mention', 'dm', 'ask']) {
  program
    .command(`${kind} <question...>`)
    .description(
      `send ${kind === 'ask' ? 'the /ask command' : kind === 'dm' ? 'a direct message' : 'an app_mention'}`,
    )
    .action((words: string[]) =>
      simulate(kind, words.join(' '), { ...program.opts(), port: Number(program.opts().port) }),
    );
}
program
  .command('serve')
  .description('only run the Slack stand-in and print every call Lore makes')
  .action(() => serve(Number(program.opts().port)));
await program.parseAsync();
