import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWER_ATTEMPTS, APOLOGY } from '../../src/ai/answer-run.js';
import { CHAT_LIMITS } from '../../src/ai/openai-client.js';
import { readServerHandle } from '../../src/cli/server-handle.js';
import { JOB_RETRY } from '../../src/slack/client-factory.js';
import { sessionFor } from '../support/dashboard.js';
import { mockOpenAiEmbeddings } from '../support/fake-embeddings.js';
import { startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspace,
  mentionEvent,
  OPENAI,
  postEvent,
  rowsOf,
  sse,
  type Workspace,
} from '../support/slack-answers.js';
import { type FakeSlack, fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const TRAVEL =
  '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead through the travel desk.';
const FLIGHTS = 'How many days ahead must flights be booked?';
const ANSWER = 'Book flights at least 14 days ahead through the travel desk [1].';
// The OpenAI SDK's own tries within each try of the answer job (1 + the chat retries of openai-client.ts).
const OPENAI_TRIES_PER_JOB_TRY = 1 + CHAT_LIMITS.maxRetries;
// How many times the jobs' Slack client sends one call before the call fails (1 + its retries).
const SLACK_TRIES_PER_CALL = 1 + (JOB_RETRY.retries ?? 0);

/** Every call through which the asker could see something from the bot. */
const VISIBLE = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.startStream',
  'chat.appendStream',
  'chat.stopStream',
  'chat.update',
]);
const visibleCalls = (slack: FakeSlack) => slack.calls.filter((c) => VISIBLE.has(c.method));
/** chat.update calls that carry the final Block Kit message (interim previews have no blocks). */
const finalUpdates = (slack: FakeSlack) =>
  slack.of('chat.update').filter((u) => Array.isArray(u.blocks) && u.blocks.length > 0);

describe('answers in Slack when OpenAI or Slack fail, and in channels Lore is not enabled in (real app over HTTP)', () => {
  let app: App;
  let w: Workspace;
  const answersFor = (eventId: string) =>
    rowsOf(app, 'SELECT id, outcome, answer_text, posted_ts FROM lore.answers WHERE idempotency_key = $1', [
      eventId,
    ]);
  /** What the operator sees with `npm run cli -- jobs failed` against this running server. */
  const cli = async (...argv: string[]) => {
    const handle = await readServerHandle(app.container.config.dataDir);
    const res = await fetch(`${app.url}/admin/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': handle?.token ?? '' },
      body: JSON.stringify({ argv }),
    });
    return ((await res.json()) as { output: string }).output;
  };
  const cliJobsFailed = () => cli('jobs', 'failed');

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    fakeOpenAi('unused');
    w = await installWorkspace(app, 'TFAILURE1');
    await addReadyDocument(app, w.tenantId, 'travel.md', TRAVEL);
  });
  afterAll(() => app.cleanup());

  it('when OpenAI keeps failing (429, 500, a timeout, 503s), retries with backoff, then the asker gets one short apology and the operator a failed job', async () => {
    const slack = fakeSlackWebApi();
    mockOpenAiEmbeddings(`${OPENAI}/v1`);
    const chatRequests: unknown[] = [];
    const chat = (scope = nock(OPENAI)) =>
      scope.post('/v1/chat/completions', (b) => {
        chatRequests.push(b);
        return true;
      });
    // OpenAI asks for a short wait on its error replies (retry-after-ms); the SDK honours it.
    const wait = { 'retry-after-ms': '10' };
    chat().reply(
      429,
      { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', code: '429' } },
      wait,
    );
    chat().reply(500, 'Internal Server Error', wait);
    chat().replyWithError({ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' });
    chat(nock(OPENAI).persist()).reply(
      503,
      { error: { message: 'The server is overloaded', type: 'server_error' } },
      wait,
    );

    const event = mentionEvent(w, FLIGHTS, { channel: 'COPENAI01', user: 'UOPENAI01' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toMatchObject([{ outcome: 'failed' }]),
      { timeout: 25_000, interval: 100 },
    );

    // Every try of the job retried OpenAI itself before giving up, and the job was tried again twice.
    expect(chatRequests).toHaveLength(ANSWER_ATTEMPTS * OPENAI_TRIES_PER_JOB_TRY);
    // One short apology, to the asker, in the question's thread; nothing while the retries were running.
    expect(visibleCalls(slack)).toEqual([
      {
        method: 'chat.postEphemeral',
        args: expect.objectContaining({
          channel: 'COPENAI01',
          user: 'UOPENAI01',
          thread_ts: event.event.ts,
          text: APOLOGY,
        }),
      },
    ]);
    expect(APOLOGY.length).toBeLessThan(200);
    expect(APOLOGY).not.toMatch(/429|500|503|Internal Server Error|overloaded|ETIMEDOUT|rate limit/i);
    expect((await answersFor(event.event_id))[0].answer_text).toBe(APOLOGY);
    // The operator sees the job in the failed list, with every attempt used and a plain reason.
    // Its id is the event's answer job's: `answer-<event id>-<unique suffix>`.
    let jobId = '';
    await vi.waitFor(async () => {
      const line = (await cliJobsFailed()).split('\n').find((l) => l.startsWith(`answer-${event.event_id}-`));
      expect(line).toMatch(
        new RegExp(` answer +${ANSWER_ATTEMPTS} +\\S+ +The AI provider is not available right now\\.$`),
      );
      jobId = line?.split(' ')[0] ?? '';
    });
    // The operator may discard it for good from the CLI too: gone from the list, and audited.
    expect(await cli('jobs', 'discard', jobId)).toContain(`Job ${jobId} discarded.`);
    expect(await cliJobsFailed()).not.toContain(jobId);
    expect(await cli('jobs', 'discard', jobId)).toContain(`No failed job with id "${jobId}".`);
    const audit = await app.container.db.pool.query(`SELECT action FROM lore.audit_log WHERE target = $1`, [
      jobId,
    ]);
    expect(audit.rows).toEqual([{ action: 'job.discarded' }]);
  });

  it('a retry after the database failed to record the posted reply edits that reply instead of posting a second', async () => {
    // The database refuses the first update that records a reply's ts in this channel (a sequence, so the
    // refusal is not rolled back with its transaction), as a database going away at that moment would.
    await rowsOf(app, 'CREATE SEQUENCE IF NOT EXISTS lore.test_posted_refusals');
    await rowsOf(
      app,
      `CREATE OR REPLACE FUNCTION lore.test_refuse_first_posted() RETURNS trigger
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = lore, pg_catalog AS $$
       BEGIN
         IF NEW.slack_channel_id = 'CPOSTREC1' AND NEW.posted_ts IS NOT NULL AND OLD.posted_ts IS NULL
            AND nextval('lore.test_posted_refusals') = 1 THEN
           RAISE EXCEPTION 'could not record the posted reply';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await rowsOf(
      app,
      'CREATE TRIGGER test_refuse_first_posted BEFORE UPDATE ON lore.answers FOR EACH ROW EXECUTE FUNCTION lore.test_refuse_first_posted()',
    );
    try {
      const slack = fakeSlackWebApi();
      fakeOpenAi(ANSWER);
      fakeOpenAi(ANSWER);
      const event = mentionEvent(w, FLIGHTS, { channel: 'CPOSTREC1', user: 'UPOSTREC1' });
      expect((await postEvent(app.url, event)).status).toBe(200);
      await vi.waitFor(
        async () => expect(await answersFor(event.event_id)).toMatchObject([{ outcome: 'answered' }]),
        { timeout: 20_000, interval: 100 },
      );
      // The refusal happened, so the first attempt failed after its reply was in Slack.
      expect(await rowsOf(app, 'SELECT last_value FROM lore.test_posted_refusals')).toEqual([
        { last_value: '2' },
      ]);
      // One reply in the thread, the first attempt's, which the retry finished in place.
      expect(slack.of('chat.startStream')).toEqual([
        expect.objectContaining({ channel: 'CPOSTREC1', thread_ts: event.event.ts }),
      ]);
      expect(slack.of('chat.postMessage')).toEqual([]);
      const [answer] = await answersFor(event.event_id);
      const edits = ['chat.appendStream', 'chat.stopStream', 'chat.update'].flatMap((m) => slack.of(m));
      expect(new Set(edits.map((e) => `${e.channel} ${e.ts}`))).toEqual(
        new Set([`CPOSTREC1 ${answer.posted_ts}`]),
      );
      expect(JSON.stringify(finalUpdates(slack).at(-1)?.blocks)).toContain(
        'Book flights at least 14 days ahead',
      );
    } finally {
      await rowsOf(app, 'DROP TRIGGER test_refuse_first_posted ON lore.answers');
    }
  });

  it('a retry after the final edit failed edits the same reply: one message in the thread, usage recorded once', async () => {
    // Slack answers 500 to the final edit for every try the client makes in the job's first attempt.
    let refused = 0;
    const slack = fakeSlackWebApi({
      httpError: (method, args) =>
        method === 'chat.update' && Array.isArray(args.blocks) && refused++ < SLACK_TRIES_PER_CALL
          ? 500
          : undefined,
    });
    fakeOpenAi(ANSWER);
    const event = mentionEvent(w, FLIGHTS, { channel: 'CCRASH001', user: 'UCRASH001' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toMatchObject([{ outcome: 'answered' }]),
      { timeout: 20_000, interval: 100 },
    );

    // The first attempt really failed on the final edit (every try of it), and the retry's edit went through.
    expect(finalUpdates(slack)).toHaveLength(SLACK_TRIES_PER_CALL + 1);
    // One reply in the thread: the stream the first attempt started, which the retry edited in place.
    expect(slack.of('chat.startStream')).toEqual([
      expect.objectContaining({ channel: 'CCRASH001', thread_ts: event.event.ts }),
    ]);
    expect(slack.of('chat.postMessage')).toEqual([]);
    expect(slack.of('chat.postEphemeral')).toEqual([]);
    const [answer] = await answersFor(event.event_id);
    const edits = ['chat.appendStream', 'chat.stopStream', 'chat.update'].flatMap((m) => slack.of(m));
    expect(new Set(edits.map((e) => `${e.channel} ${e.ts}`))).toEqual(
      new Set([`CCRASH001 ${answer.posted_ts}`]),
    );
    const final = JSON.stringify(finalUpdates(slack).at(-1)?.blocks);
    expect(final).toContain('Book flights at least 14 days ahead');
    expect(final).toMatch(/\|Travel policy — Booking flights>/);

    const usage = await rowsOf(
      app,
      'SELECT idempotency_key, prompt_tokens, completion_tokens FROM lore.usage_events WHERE answer_id = $1 OR idempotency_key = $2',
      [answer.id, `answer-${event.event_id}`],
    );
    expect(usage).toEqual([
      { idempotency_key: `answer-${event.event_id}`, prompt_tokens: 300, completion_tokens: 20 },
    ]);
    expect(await cliJobsFailed()).not.toContain(event.event_id);
  });

  it('does not answer, or call OpenAI, in a channel the workspace has not enabled; answers in one it has', async () => {
    const c = await installWorkspace(app, 'TCHANNELS1');
    fakeOpenAi('unused');
    await addReadyDocument(app, c.tenantId, 'travel.md', TRAVEL);
    // An admin per Slack (asked again on each dashboard request, cached for a minute).
    fakeSlackWebApi({ admin: true });
    const admin = await sessionFor(app.url, app.container.db, { tenantId: c.tenantId, userId: 'UCHANADMIN' });
    const saved = await admin.json('/api/settings', {
      method: 'PATCH',
      json: { channelMode: 'selected', allowedChannelIds: ['CENABLED1'] },
    });
    expect(saved.status).toBe(200);

    const slack = fakeSlackWebApi();
    const embeddings = mockOpenAiEmbeddings(`${OPENAI}/v1`);
    const chat = nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(200, sse(ANSWER), { 'content-type': 'text/event-stream' });
    const off = mentionEvent(c, FLIGHTS, { channel: 'CNOTON001', user: 'UCHANNEL1' });
    expect((await postEvent(app.url, off)).status).toBe(200);
    // The job tells only the asker why (an ephemeral hint), and posts nothing in the channel or thread.
    await vi.waitFor(() => expect(slack.of('chat.postEphemeral')).toHaveLength(1), { timeout: 10_000 });
    expect(visibleCalls(slack)).toEqual([
      {
        method: 'chat.postEphemeral',
        args: expect.objectContaining({
          channel: 'CNOTON001',
          user: 'UCHANNEL1',
          text: expect.stringMatching(/^I'm not enabled in this channel\./),
        }),
      },
    ]);
    expect(chat.isDone()).toBe(false);
    expect(embeddings.requests).toBe(0);
    expect(await answersFor(off.event_id)).toEqual([]);

    const on = mentionEvent(c, FLIGHTS, { channel: 'CENABLED1', user: 'UCHANNEL1' });
    expect((await postEvent(app.url, on)).status).toBe(200);
    await vi.waitFor(() => expect(finalUpdates(slack)).toHaveLength(1), { timeout: 10_000 });
    expect(chat.isDone()).toBe(true);
    expect(slack.of('chat.startStream')).toEqual([
      expect.objectContaining({ channel: 'CENABLED1', thread_ts: on.event.ts }),
    ]);
  });
});
