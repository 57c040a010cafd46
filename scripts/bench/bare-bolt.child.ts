import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';

/** The baseline of event-ack-production.bench.ts: a bare Bolt app that only acks, in a process of its own. */
const secret = process.argv[2] ?? '';
const receiver = new ExpressReceiver({ signingSecret: secret, endpoints: '/slack/events' });
const app = new App({
  receiver,
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0BARE', botUserId: 'U0BARE' }),
});
app.event('app_mention', async () => {});
const server = express()
  .use(receiver.router)
  .listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`Health: http://127.0.0.1:${port}/healthz\n`);
  });
process.once('SIGTERM', () => server.close(() => process.exit(0)));
