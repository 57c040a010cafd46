import autocannon from 'autocannon';
import { signedMention } from './slack-events.js';
import { teamAt } from './web-process.js';

/**
 * The load generator of event-ack-production.bench.ts, in a process of its own: autocannon posting signed
 * app_mentions to `url`, each freshly signed with a new event_id, rotating over `workspaces` teams.
 * `rate` > 0 holds a steady overall rate instead of as fast as `connections` allow. Prints JSON.
 */
const [url, secret, prefix, workspaces, connections, seconds, rate] = process.argv.slice(2);
let n = 0;
const result = await autocannon({
  url: `${url}/slack/events`,
  connections: Number(connections),
  duration: Number(seconds),
  ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        const init = signedMention(secret ?? '', teamAt(prefix ?? '', n++ % Number(workspaces)), 'hi');
        return { ...req, body: String(init.body), headers: init.headers as Record<string, string> };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  })}\n`,
);
