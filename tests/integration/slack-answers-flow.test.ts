import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
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
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';
import { type FakeSlack, fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const TRAVEL_A =
  '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead through the travel desk.';
const TRAVEL_B =
  '# Travel rules\n\n## Booking flights\n\nFlights must be booked at least 3 days ahead by your manager.';
const FLIGHTS = 'How many days ahead must flights be booked?';

/** The final message of a reply: the chat.update that carried blocks, for that channel. */
const finalUpdate = (slack: FakeSlack, channel: string) =>
  slack
    .of('chat.update')
    .find((u) => u.channel === channel && Array.isArray(u.blocks) && u.blocks.length > 0);

describe('answers in Slack: mentions, threads, DMs and the assistant panel (real app over HTTP)', () => {
  let app: App;
  let a: Workspace;
  let b: Workspace;

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    fakeOpenAi('unused');
    a = await installWorkspace(app, 'TFLOWAAA1');
    b = await installWorkspace(app, 'TFLOWBBB1');
    await addReadyDocument(app, a.tenantId, 'travel.md', TRAVEL_A);
    await addReadyDocument(app, b.tenantId, 'travel.md', TRAVEL_B);
  });
  afterAll(() => app.cleanup());

  it("answers a mention once, in its thread, streamed, citing only that workspace's documents", async () => {
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('Book flights at least 14 days ahead through the travel desk [1].');
    const event = mentionEvent(a, FLIGHTS, { channel: 'CFLOWA001' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(() => expect(finalUpdate(slack, 'CFLOWA001')).toBeDefined(), { timeout: 10_000 });

    // Streamed into the thread of the question, to the asker, then replaced by the final Block Kit message.
    const [started] = slack.of('chat.startStream');
    expect(started).toMatchObject({
      channel: 'CFLOWA001',
      thread_ts: event.event.ts,
      recipient_team_id: a.teamId,
      recipient_user_id: event.event.user,
    });
    // The first words go out at once; the rest in throttled appends and the stop.
    const streamed = [...slack.of('chat.appendStream'), ...slack.of('chat.stopStream')].map(
      (c) => c.markdown_text ?? '',
    );
    expect(streamed.join('')).toBe('Book flights at least 14 days ahead through the travel desk [1].');
    expect(slack.of('chat.stopStream')).toHaveLength(1);
    expect(slack.of('chat.postMessage')).toEqual([]);
    const final = finalUpdate(slack, 'CFLOWA001');
    const text = JSON.stringify(final.blocks);
    expect(text).toContain('Book flights at least 14 days ahead');
    expect(text).toMatch(
      /\[1\] <https:\/\/lore\.example\.test\/read\/documents\/[0-9a-f-]+\?chunk=\d+#chunk-\d+\|Travel policy — Booking flights>/,
    );
    expect(text).toContain(ACTION_IDS.feedbackUp);
    // Only workspace A's passage reached the model.
    expect(JSON.stringify(prompts[0])).toContain('14 days ahead');
    expect(JSON.stringify(prompts[0])).not.toContain('3 days ahead');
    await vi.waitFor(async () =>
      expect(
        await rowsOf(
          app,
          'SELECT outcome, posted_ts, slack_channel_id FROM lore.answers WHERE idempotency_key = $1',
          [event.event_id],
        ),
      ).toEqual([{ outcome: 'answered', posted_ts: final.ts, slack_channel_id: 'CFLOWA001' }]),
    );
  });

  it("answers workspace B from B's documents, not A's", async () => {
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('At least 3 days ahead, booked by your manager [1].');
    await postEvent(app.url, mentionEvent(b, FLIGHTS, { channel: 'CFLOWB001' }));
    await vi.waitFor(() => expect(finalUpdate(slack, 'CFLOWB001')).toBeDefined(), { timeout: 10_000 });
    expect(JSON.stringify(prompts[0])).toContain('3 days ahead');
    expect(JSON.stringify(prompts[0])).not.toContain('14 days ahead');
    expect(JSON.stringify(finalUpdate(slack, 'CFLOWB001').blocks)).toContain(
      'Travel rules — Booking flights',
    );
  });

  it('falls back to posting one message and editing it when Slack refuses streaming', async () => {
    const slack = fakeSlackWebApi({ failures: { 'chat.startStream': 'unknown_method' } });
    fakeOpenAi('Fourteen days ahead [1].');
    const event = mentionEvent(b, FLIGHTS, { channel: 'CFALLBACK' });
    await postEvent(app.url, event);
    await vi.waitFor(() => expect(finalUpdate(slack, 'CFALLBACK')).toBeDefined(), { timeout: 10_000 });
    const posts = slack.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: 'CFALLBACK', thread_ts: event.event.ts });
    expect(slack.of('chat.appendStream')).toEqual([]);
    expect(finalUpdate(slack, 'CFALLBACK').ts).toBe(slack.of('chat.update')[0]?.ts);
  });

  it('answers a follow-up in the thread without a new mention, with the thread as context', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days [1].');
    const first = mentionEvent(a, FLIGHTS, { channel: 'CTHREAD01' });
    await postEvent(app.url, first);
    await vi.waitFor(() => expect(finalUpdate(slack, 'CTHREAD01')).toBeDefined(), { timeout: 10_000 });

    const threadTs = first.event.ts as string;
    const seconds = Number(threadTs.split('.')[0]);
    const later = fakeSlackWebApi({
      threads: {
        [threadTs]: [
          { ts: threadTs, user: first.event.user, text: `<@${a.botUserId}> ${FLIGHTS}` },
          {
            ts: `${seconds + 5}.000001`,
            user: a.botUserId,
            bot_id: a.botId,
            text: 'Fourteen days ahead, through the travel desk [1].',
          },
        ],
      },
    });
    const { prompts } = fakeOpenAi('Yes, through the travel desk [1].');
    const followUp = messageEvent(a, 'and who books them?', {
      channel: 'CTHREAD01',
      channelType: 'channel',
      threadTs,
      user: first.event.user,
      ts: `${seconds + 10}.000001`,
    });
    expect((await postEvent(app.url, followUp)).status).toBe(200);
    await vi.waitFor(() => expect(finalUpdate(later, 'CTHREAD01')).toBeDefined(), { timeout: 10_000 });
    expect(later.of('conversations.replies')[0]).toMatchObject({ channel: 'CTHREAD01', ts: threadTs });
    // One call rewrites the follow-up into a standalone question for search, the next answers.
    expect(prompts).toHaveLength(2);
    expect(JSON.stringify(prompts[0])).toContain('standalone question');
    const messages = prompts[1] as { role: string; content: string }[];
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: FLIGHTS },
      { role: 'assistant', content: 'Fourteen days ahead, through the travel desk [1].' },
      { role: 'user', content: 'and who books them?' },
    ]);
    expect(later.of('chat.startStream')[0]).toMatchObject({ thread_ts: threadTs });

    // Someone addressing a colleague in the same thread is not asking Lore.
    const enqueue = vi.spyOn(app.container.queue, 'enqueue');
    const aside = messageEvent(a, '<@U0COLLEAGUE> can you confirm?', {
      channel: 'CTHREAD01',
      channelType: 'channel',
      threadTs,
    });
    expect((await postEvent(app.url, aside)).status).toBe(200);
    // Nor is a "thanks!" in the thread, unless it mentions Lore.
    const thanks = messageEvent(a, 'thanks, that helped!', {
      channel: 'CTHREAD01',
      channelType: 'channel',
      threadTs,
    });
    expect((await postEvent(app.url, thanks)).status).toBe(200);
    expect(enqueue).not.toHaveBeenCalled();
    enqueue.mockRestore();
  });

  it('ignores replies in threads Lore is not part of', async () => {
    const slack = fakeSlackWebApi();
    const enqueue = vi.spyOn(app.container.queue, 'enqueue');
    const res = await postEvent(
      app.url,
      messageEvent(a, 'lunch?', {
        channel: 'COTHER001',
        channelType: 'channel',
        threadTs: '1700000000.000001',
      }),
    );
    expect(res.status).toBe(200);
    expect(enqueue).not.toHaveBeenCalled();
    enqueue.mockRestore();
    expect(slack.calls).toEqual([]);
  });

  it('says it does not know, logs a knowledge gap, and does not call the model when nothing relevant exists', async () => {
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('should not be asked');
    const event = mentionEvent(a, 'What is the recipe for the cafeteria lasagne?', { channel: 'CNOSRC001' });
    await postEvent(app.url, event);
    await vi.waitFor(() => expect(finalUpdate(slack, 'CNOSRC001')).toBeDefined(), { timeout: 10_000 });
    expect(JSON.stringify(finalUpdate(slack, 'CNOSRC001').blocks)).toContain(
      "I couldn't find this in your workspace's documents",
    );
    expect(prompts).toEqual([]);
    const gaps = () =>
      rowsOf(
        app,
        `SELECT g.reason FROM lore.knowledge_gaps g JOIN lore.answers a ON a.id = g.answer_id WHERE a.idempotency_key = $1`,
        [event.event_id],
      );
    await vi.waitFor(async () => expect(await gaps()).toEqual([{ reason: 'no_sources' }]));
  });

  it('tells a user over the per-user rate limit when they can ask again, with no model call', async () => {
    await rowsOf(app, 'UPDATE lore.tenant_settings SET user_rate_per_minute = 1 WHERE tenant_id = $1', [
      b.tenantId,
    ]);
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('Three days [1].');
    await postEvent(app.url, mentionEvent(b, FLIGHTS, { channel: 'CRATE0001', user: 'URATE0001' }));
    await vi.waitFor(() => expect(finalUpdate(slack, 'CRATE0001')).toBeDefined(), { timeout: 10_000 });
    await postEvent(app.url, mentionEvent(b, FLIGHTS, { channel: 'CRATE0001', user: 'URATE0001' }));
    await vi.waitFor(() => expect(slack.of('chat.postEphemeral')).toHaveLength(1), { timeout: 10_000 });
    expect(slack.of('chat.postEphemeral')[0]).toMatchObject({ channel: 'CRATE0001', user: 'URATE0001' });
    expect(slack.of('chat.postEphemeral')[0].text).toMatch(
      /^You're asking faster than this workspace allows\. Try again <!date\^\d+\^/,
    );
    expect(prompts).toHaveLength(1);
    await rowsOf(app, 'UPDATE lore.tenant_settings SET user_rate_per_minute = NULL WHERE tenant_id = $1', [
      b.tenantId,
    ]);
  });

  it('stops at the monthly quota with a message saying when it resets, and makes no model call', async () => {
    const c = await installWorkspace(app, 'TQUOTA001');
    fakeOpenAi('unused');
    await addReadyDocument(app, c.tenantId, 'travel.md', TRAVEL_A);
    await rowsOf(
      app,
      `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, model, key_source, prompt_tokens, completion_tokens)
       VALUES ($1, 'answer', 'seed-quota', 'gpt-4o-mini', 'platform', 500000, 0)`,
      [c.tenantId],
    );
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('should not be asked');
    await postEvent(app.url, mentionEvent(c, FLIGHTS, { channel: 'CQUOTA001' }));
    await vi.waitFor(() => expect(slack.of('chat.postEphemeral')).toHaveLength(1), { timeout: 10_000 });
    expect(slack.of('chat.postEphemeral')[0].text).toMatch(
      /used its Lore allowance for this month\. It resets <!date\^/,
    );
    expect(prompts).toEqual([]);
    expect(slack.of('chat.startStream')).toEqual([]);
  });

  it('answers a direct message in the DM', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days [1].');
    const dm = messageEvent(a, FLIGHTS);
    await postEvent(app.url, dm);
    await vi.waitFor(() => expect(finalUpdate(slack, 'D024BE91L')).toBeDefined(), { timeout: 10_000 });
    // A DM streams to the member without naming a recipient (Slack requires one only outside DMs).
    expect(slack.of('chat.startStream')[0]).toEqual(
      expect.objectContaining({ channel: 'D024BE91L', thread_ts: dm.event.ts }),
    );
    expect(slack.of('chat.startStream')[0].recipient_user_id).toBeUndefined();
  });

  it('replies to a "thanks!" in the DM itself: no model call, nothing to rate, no knowledge gap', async () => {
    const slack = fakeSlackWebApi();
    const { prompts } = fakeOpenAi('should not be asked');
    const dm = messageEvent(a, 'thanks so much!');
    await postEvent(app.url, dm);
    await vi.waitFor(() => expect(finalUpdate(slack, 'D024BE91L')).toBeDefined(), { timeout: 10_000 });
    const blocks = JSON.stringify(finalUpdate(slack, 'D024BE91L').blocks);
    expect(blocks).toContain('Glad to help!');
    expect(blocks).not.toContain('answer_feedback');
    expect(prompts).toEqual([]);
    // Recorded once the reply is out: small talk, never a knowledge gap.
    await vi.waitFor(async () =>
      expect(
        await rowsOf(
          app,
          `SELECT a.outcome, (SELECT count(*)::int FROM lore.knowledge_gaps g WHERE g.answer_id = a.id) AS gaps
           FROM lore.answers a WHERE a.idempotency_key = $1`,
          [dm.event_id],
        ),
      ).toEqual([{ outcome: 'small_talk', gaps: 0 }]),
    );
  });

  it('greets a new assistant thread with suggested prompts, then answers in it with status and title', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days [1].');
    const started = structuredClone(slackFixture('interaction-payloads').assistantThreadStarted.payload);
    started.team_id = a.teamId;
    started.authorizations[0].team_id = a.teamId;
    started.event_id = uniqueId('Ev');
    expect((await postEvent(app.url, started)).status).toBe(200);
    await vi.waitFor(() => expect(slack.of('assistant.threads.setSuggestedPrompts')).toHaveLength(1));
    const thread = started.event.assistant_thread;
    expect(slack.of('chat.postMessage')[0]).toMatchObject({
      channel: thread.channel_id,
      thread_ts: thread.thread_ts,
    });
    expect(slack.of('assistant.threads.setSuggestedPrompts')[0].prompts).toHaveLength(3);

    const question = messageEvent(a, FLIGHTS, { channel: thread.channel_id, threadTs: thread.thread_ts });
    await postEvent(app.url, question);
    await vi.waitFor(() => expect(finalUpdate(slack, thread.channel_id)).toBeDefined(), { timeout: 10_000 });
    expect(slack.of('assistant.threads.setStatus')[0]).toMatchObject({
      channel_id: thread.channel_id,
      thread_ts: thread.thread_ts,
    });
    expect(slack.of('assistant.threads.setTitle')).toEqual([expect.objectContaining({ title: FLIGHTS })]);
    const [row] = await rowsOf(app, 'SELECT slack_channel_id FROM lore.answers WHERE idempotency_key = $1', [
      question.event_id,
    ]);
    expect(row).toEqual({ slack_channel_id: thread.channel_id });
  });
});
