import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueFull } from '../../src/errors.js';
import { slackFixture, startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspace,
  mentionEvent,
  messageEvent,
  postEvent,
  rowsOf,
  signedPost,
  type Workspace,
} from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const QUESTION = 'How many days ahead must flights be booked?';
const nowSec = () => Math.floor(Date.now() / 1000);

describe('Slack ingress: signatures, de-duplication, acknowledgement and what is ignored', () => {
  let app: App;
  let w: Workspace;
  const answersFor = (eventId: string) =>
    rowsOf(app, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [eventId]);
  /** Replies the bot started in a channel: streams plus posted messages. */
  const repliesIn = (slack: ReturnType<typeof fakeSlackWebApi>, channel: string) =>
    [...slack.of('chat.startStream'), ...slack.of('chat.postMessage')].filter((c) => c.channel === channel);

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    fakeOpenAi('unused');
    w = await installWorkspace(app, 'TINGRESS1');
    await addReadyDocument(
      app,
      w.tenantId,
      'travel.md',
      '# Travel\n\n## Flights\n\nFlights must be booked at least 14 days ahead.',
    );
  });
  afterAll(() => app.cleanup());

  it('refuses invalid, missing, stale and future signatures with 401, and queues nothing', async () => {
    const slack = fakeSlackWebApi();
    const enqueue = vi.spyOn(app.container.queue, 'enqueue');
    const event = mentionEvent(w, QUESTION);
    const body = JSON.stringify(event);
    const refused = {
      'wrong secret': await signedPost(app.url, body, { secret: 'not-the-signing-secret' }),
      'tampered signature': await signedPost(app.url, body, { signature: `v0=${'0'.repeat(64)}` }),
      'no signature': await signedPost(app.url, body, { signature: null }),
      'stale (6 minutes old)': await signedPost(app.url, body, { timestamp: nowSec() - 360 }),
      'future (6 minutes ahead)': await signedPost(app.url, body, { timestamp: nowSec() + 360 }),
    };
    for (const [what, res] of Object.entries(refused))
      expect({ what, status: res.status }).toEqual({ what, status: 401 });
    expect(enqueue).not.toHaveBeenCalled();
    enqueue.mockRestore();
    expect(await answersFor(event.event_id)).toEqual([]);
    expect(slack.calls).toEqual([]);
  });

  it('tells the operator about every refused delivery (log line and metric), not about each acknowledged one', async () => {
    fakeSlackWebApi();
    const refusedLines = () =>
      app.logs
        .text()
        .split('\n')
        .filter((l) => l.includes('webhook delivery refused'));
    const before = refusedLines().length;
    const challenge = JSON.stringify(slackFixture('events-url-verification').payload);
    expect((await signedPost(app.url, challenge, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await signedPost(app.url, challenge)).status).toBe(200);
    const lines = refusedLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ path: '/slack/events', status: 401 });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    for (const status of ['200', '401'])
      expect(metrics).toMatch(
        new RegExp(
          `lore_http_request_duration_seconds_count\\{method="POST",route="/slack/events",status="${status}"\\} [1-9]`,
        ),
      );
  });

  it('acknowledges Slack without browser headers, while the install page keeps them', async () => {
    fakeSlackWebApi();
    const ack = await signedPost(app.url, JSON.stringify(slackFixture('events-url-verification').payload));
    expect(ack.status).toBe(200);
    expect(ack.headers.get('content-security-policy')).toBeNull();
    const page = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-request-id')).toBeTruthy();
  });

  it('handles a delivery alike with a query string or a trailing slash: signature checked, no browser headers', async () => {
    fakeSlackWebApi();
    const { payload } = slackFixture('events-url-verification');
    const challenge = JSON.stringify(payload);
    for (const path of ['/slack/events', '/slack/events?from=slack', '/slack/events/']) {
      const ack = await signedPost(app.url, challenge, { path });
      expect({ path, status: ack.status }).toEqual({ path, status: 200 });
      expect(await ack.json()).toEqual({ challenge: (payload as { challenge: string }).challenge });
      expect(ack.headers.get('content-security-policy')).toBeNull();
      const forged = await signedPost(app.url, challenge, { path, secret: 'not-the-signing-secret' });
      expect({ path, status: forged.status }).toEqual({ path, status: 401 });
    }
  });

  it('accepts a timestamp just inside the five-minute window, either way', async () => {
    fakeSlackWebApi();
    const challenge = slackFixture('events-url-verification').payload;
    for (const timestamp of [nowSec() - 280, nowSec() + 280]) {
      const res = await signedPost(app.url, JSON.stringify(challenge), { timestamp });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: challenge.challenge });
    }
  });

  it('answers an event once however often Slack delivers it (retries with x-slack-retry-num)', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days ahead [1].');
    const event = mentionEvent(w, QUESTION, { channel: 'CDUPLIC01' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    const retries = await Promise.all(
      [1, 2, 3].map((n) =>
        postEvent(app.url, event, { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' }),
      ),
    );
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200]);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toEqual([{ outcome: 'answered' }]),
      {
        timeout: 10_000,
      },
    );
    expect(repliesIn(slack, 'CDUPLIC01')).toHaveLength(1);
  });

  it.each([
    {
      what: '500 when the job cannot be queued',
      channel: 'CQUEUEDWN',
      error: new Error('queue is down'),
      status: 500,
    },
    {
      what: '503 when too many questions are waiting (queue_full)',
      channel: 'CQUEUEFUL',
      error: queueFull('full', { scope: 'workspace', limit: 1 }),
      status: 503,
    },
  ])('answers $what, so Slack retries, and the retry is answered', async ({ channel, error, status }) => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days ahead [1].');
    const event = mentionEvent(w, QUESTION, { channel });
    const submit = vi.spyOn(app.container.queue, 'submit').mockRejectedValueOnce(error);
    const first = await postEvent(app.url, event);
    expect(first.status).toBe(status);
    expect(await answersFor(event.event_id)).toEqual([]);
    submit.mockRestore();

    const retry = await postEvent(app.url, event, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_error',
    });
    expect(retry.status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toEqual([{ outcome: 'answered' }]),
      { timeout: 10_000 },
    );
    expect(repliesIn(slack, channel)).toHaveLength(1);
  });

  it("ignores the bot's own messages, other bots, edits and deletions, and queues nothing for them", async () => {
    const slack = fakeSlackWebApi();
    const enqueue = vi.spyOn(app.container.queue, 'enqueue');
    const ignored = [
      messageEvent(w, QUESTION, { user: w.botUserId, extra: { bot_id: w.botId } }),
      messageEvent(w, QUESTION, { user: 'U0OTHERBOT', extra: { bot_id: 'B0OTHERBOT' } }),
      messageEvent(w, QUESTION, { extra: { subtype: 'bot_message', bot_id: 'B0OTHERBOT' } }),
      messageEvent(w, QUESTION, { extra: { subtype: 'message_changed', message: { text: QUESTION } } }),
      messageEvent(w, '', { extra: { subtype: 'message_deleted', deleted_ts: '1700000000.000001' } }),
      mentionEvent(w, QUESTION, { user: w.botUserId }),
    ];
    for (const e of ignored) expect((await postEvent(app.url, e)).status).toBe(200);
    expect(enqueue).not.toHaveBeenCalled();
    enqueue.mockRestore();
    expect(slack.calls).toEqual([]);
  });

  it('answers a channel message that mentions the bot once (app_mention), not twice (message too)', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days ahead [1].');
    // A mention inside a thread Lore then takes part in; Slack also delivers it as message.channels,
    // with its own event id.
    const mention = mentionEvent(w, QUESTION, { channel: 'CMENTION1', threadTs: '1700000000.000100' });
    const asMessage = messageEvent(w, mention.event.text, {
      channel: 'CMENTION1',
      channelType: 'channel',
      user: mention.event.user,
      ts: mention.event.ts,
      threadTs: '1700000000.000100',
    });
    expect((await postEvent(app.url, mention)).status).toBe(200);
    expect((await postEvent(app.url, asMessage)).status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(mention.event_id)).toEqual([{ outcome: 'answered' }]),
      {
        timeout: 10_000,
      },
    );
    expect(await answersFor(asMessage.event_id)).toEqual([]);
    expect(repliesIn(slack, 'CMENTION1')).toHaveLength(1);
  });

  it("reads a question as the member wrote it: Slack's escapes decoded, a link as its label", async () => {
    fakeSlackWebApi();
    fakeOpenAi('Fourteen days ahead [1].');
    const mention = mentionEvent(
      w,
      'How many days ahead must flights &amp; trains be booked? <https://intranet.example/travel|travel page>',
      { channel: 'CREADABLE1' },
    );
    expect((await postEvent(app.url, mention)).status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(mention.event_id)).toEqual([{ outcome: 'answered' }]),
      { timeout: 10_000 },
    );
    // Recorded (and shown in the dashboard) as read: no "&amp;", no link markup.
    expect(
      await rowsOf(app, 'SELECT question FROM lore.answers WHERE idempotency_key = $1', [mention.event_id]),
    ).toEqual([{ question: 'How many days ahead must flights & trains be booked? travel page' }]);
  });
});
