import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, FEEDBACK_REASON_INPUT } from '../../src/slack/ids.js';
import { slackFixture, startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspace,
  postCommand,
  postEvent,
  postInteraction,
  rowsOf,
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;
// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are JSON documents.
type Json = any;

const QUESTION = 'How many days ahead must flights be booked?';
const commandFixture = slackFixture('slash-command-request').examples[0].parsedFields;

describe('/ask, sharing, 👍/👎 feedback and the App Home (real app over HTTP)', () => {
  let app: App;
  let w: Workspace;
  let other: Workspace;
  let answerId: string;

  /** The /ask form fields (slash-command-request.json) for a workspace. */
  const ask = (text: string, user = 'UASKER001') => ({
    ...commandFixture,
    command: '/ask',
    text,
    team_id: w.teamId,
    user_id: user,
    channel_id: 'CASK00001',
    enterprise_id: '',
    enterprise_name: '',
    trigger_id: uniqueId('13345224609.738474920.'),
    response_url: `https://hooks.slack.com/commands/${w.teamId}/${uniqueId('')}/secret`,
  });
  /** A button press (block_actions) on an answer message. */
  const press = (ws: Workspace, actionId: string, value: string, user = 'UASKER001'): Json => {
    const p = structuredClone(slackFixture('interaction-payloads').blockActionsButton.payload);
    p.team.id = ws.teamId;
    p.user = { ...p.user, id: user, team_id: ws.teamId };
    p.channel.id = 'CASK00001';
    p.trigger_id = uniqueId('12345.98765.');
    p.response_url = `https://hooks.slack.com/actions/${ws.teamId}/${uniqueId('')}/secret`;
    p.actions = [{ ...p.actions[0], action_id: actionId, block_id: BLOCK_IDS.answerActions, value }];
    return p;
  };
  const votes = () =>
    rowsOf(
      app,
      'SELECT slack_user_id AS "user", vote, reason FROM lore.answer_feedback WHERE answer_id = $1 ORDER BY 1',
      [answerId],
    );
  const downvoteGaps = () =>
    rowsOf(app, `SELECT status FROM lore.knowledge_gaps WHERE answer_id = $1 AND reason = 'downvoted'`, [
      answerId,
    ]);

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    fakeOpenAi('unused');
    w = await installWorkspace(app, 'TASKTEST1');
    other = await installWorkspace(app, 'TASKOTHR1');
    await addReadyDocument(
      app,
      w.tenantId,
      'travel.md',
      '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead.',
    );
  });
  afterAll(() => app.cleanup());

  it('/ask with no question answers with how to use it', async () => {
    fakeSlackWebApi();
    const res = await postCommand(app.url, ask('   '));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('/ask How do I request time off?'),
    });
  });

  it('/ask whose response_url is not on Slack is refused: nothing queued, nothing POSTed anywhere', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Book flights at least 14 days ahead [1].');
    const fields = { ...ask(QUESTION), response_url: 'https://attacker.example/collect' };
    const res = await postCommand(app.url, fields);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^Sorry/) });
    // Give a queued answer time to run, had there been one: disableNetConnect would fail its POST, and the
    // answer would be recorded.
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.responses).toEqual([]);
    expect(
      await rowsOf(app, 'SELECT id FROM lore.answers WHERE idempotency_key = $1', [fields.trigger_id]),
    ).toEqual([]);
  });

  it('/ask acknowledges at once with an ephemeral "Working on it…", then answers only the asker with sources and Share', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Book flights at least 14 days ahead [1].');
    const fields = ask(QUESTION);
    const res = await postCommand(app.url, fields);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_type: 'ephemeral',
      text: `Working on it… :hourglass_flowing_sand:\n>${QUESTION}`,
    });

    await vi.waitFor(() => expect(slack.responses).toHaveLength(1), { timeout: 10_000 });
    const reply = slack.responses[0];
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain('Book flights at least 14 days ahead [1].');
    expect(blocks).toContain('Travel policy — Booking flights');
    expect(blocks).toContain(ACTION_IDS.shareAnswer);
    // Nothing was posted in the channel: the answer is the asker's until they share it.
    expect(slack.of('chat.postMessage')).toEqual([]);
    expect(slack.of('chat.startStream')).toEqual([]);
    const actions = reply.blocks.find((b: Json) => b.type === 'actions');
    answerId = actions.elements[0].value;
    await vi.waitFor(async () =>
      expect(
        await rowsOf(app, 'SELECT outcome, slack_user_id FROM lore.answers WHERE id = $1', [answerId]),
      ).toEqual([{ outcome: 'answered', slack_user_id: 'UASKER001' }]),
    );
  });

  it('Share in channel posts the answer publicly with who asked, and removes the private copy', async () => {
    const slack = fakeSlackWebApi();
    expect((await postInteraction(app.url, press(w, ACTION_IDS.shareAnswer, answerId))).status).toBe(200);
    const [posted] = slack.of('chat.postMessage');
    expect(posted.channel).toBe('CASK00001');
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain(`<@UASKER001> asked: ${QUESTION}`);
    expect(blocks).toContain('Book flights at least 14 days ahead [1].');
    expect(blocks).toContain('Travel policy — Booking flights');
    expect(blocks).not.toContain(ACTION_IDS.shareAnswer);
    expect(slack.responses).toEqual([{ delete_original: true }]);
  });

  it('stores 👍, lets the user change it to 👎 (one vote each), asks why, and logs a knowledge gap', async () => {
    let slack = fakeSlackWebApi();
    await postInteraction(app.url, press(w, ACTION_IDS.feedbackUp, answerId));
    expect(await votes()).toEqual([{ user: 'UASKER001', vote: 1, reason: null }]);
    expect(slack.responses).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        replace_original: false,
        text: expect.stringContaining('helpful 👍'),
      }),
    ]);

    slack = fakeSlackWebApi();
    await postInteraction(app.url, press(w, ACTION_IDS.feedbackDown, answerId));
    expect(await votes()).toEqual([{ user: 'UASKER001', vote: -1, reason: null }]);
    expect(await downvoteGaps()).toEqual([{ status: 'open' }]);
    const [modal] = slack.of('views.open');
    expect(modal.view).toMatchObject({
      type: 'modal',
      callback_id: CALLBACK_IDS.feedbackReasonModal,
      private_metadata: answerId,
    });

    // The optional reason, submitted from the modal (view_submission).
    const submit = structuredClone(slackFixture('interaction-payloads').viewSubmission.payload);
    submit.team.id = w.teamId;
    submit.user = { ...submit.user, id: 'UASKER001', team_id: w.teamId };
    submit.view = {
      ...submit.view,
      team_id: w.teamId,
      callback_id: CALLBACK_IDS.feedbackReasonModal,
      private_metadata: answerId,
      state: {
        values: {
          [BLOCK_IDS.feedbackReason]: {
            [FEEDBACK_REASON_INPUT]: { type: 'plain_text_input', value: 'The policy changed last month.' },
          },
        },
      },
    };
    const res = await postInteraction(app.url, submit);
    expect(res.status).toBe(200);
    expect(await votes()).toEqual([
      { user: 'UASKER001', vote: -1, reason: 'The policy changed last month.' },
    ]);

    // A second member votes separately; the asker changing back to 👍 closes the gap only once no 👎 is left.
    await postInteraction(app.url, press(w, ACTION_IDS.feedbackDown, answerId, 'USECOND01'));
    fakeSlackWebApi();
    await postInteraction(app.url, press(w, ACTION_IDS.feedbackUp, answerId));
    expect(await votes()).toEqual([
      { user: 'UASKER001', vote: 1, reason: null },
      { user: 'USECOND01', vote: -1, reason: null },
    ]);
    expect(await downvoteGaps()).toEqual([{ status: 'open' }]);
    await postInteraction(app.url, press(w, ACTION_IDS.feedbackUp, answerId, 'USECOND01'));
    expect(await downvoteGaps()).toEqual([]);
  });

  it("refuses a vote from another workspace on this workspace's answer, storing nothing", async () => {
    const slack = fakeSlackWebApi();
    const before = await votes();
    await postInteraction(app.url, press(other, ACTION_IDS.feedbackDown, answerId, 'UINTRUDER'));
    expect(await votes()).toEqual(before);
    expect(slack.responses).toEqual([
      expect.objectContaining({ text: 'That answer is no longer available.' }),
    ]);
    expect(slack.of('views.open')).toEqual([]);
  });

  it("publishes the App Home with how to ask, this month's usage against the plan, and the dashboard for admins", async () => {
    const home = (user: string) => {
      const p = structuredClone(slackFixture('events-app-home-opened').payload);
      p.team_id = w.teamId;
      p.authorizations[0].team_id = w.teamId;
      p.event_id = uniqueId('Ev');
      p.event.user = user;
      return p;
    };
    let slack = fakeSlackWebApi({ admin: true });
    expect((await postEvent(app.url, home('UADMIN001'))).status).toBe(200);
    await vi.waitFor(() => expect(slack.of('views.publish')).toHaveLength(1));
    const published = slack.of('views.publish')[0];
    expect(published.user_id).toBe('UADMIN001');
    const text = JSON.stringify(published.view.blocks);
    expect(text).toContain('/ask');
    // One platform-key answer so far this month, on the free plan (300 questions, 500,000 tokens).
    expect(text).toContain('*1 of 300* questions and *320 of 500,000* tokens used this month');
    expect(text).toContain('https://lore.example.test/app');

    slack = fakeSlackWebApi({ admin: false });
    await postEvent(app.url, home('UMEMBER01'));
    await vi.waitFor(() => expect(slack.of('views.publish')).toHaveLength(1));
    expect(JSON.stringify(slack.of('views.publish')[0].view.blocks)).not.toContain(
      'https://lore.example.test/app',
    );
  });

  // Last: the App Home above counts this month's answers so far.
  it("/ask reads Slack's escapes as the member typed them: the question is recorded with '&', not '&amp;'", async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('At least 14 days ahead [1].');
    const fields = ask('Must flights &amp; hotels be booked 14 days ahead?');
    const res = await postCommand(app.url, fields);
    // Echoed escaped again for Slack, so the member sees "&".
    expect(await res.json()).toMatchObject({ text: expect.stringContaining('flights &amp; hotels') });
    await vi.waitFor(() => expect(slack.responses).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(async () =>
      expect(
        await rowsOf(app, 'SELECT question FROM lore.answers WHERE idempotency_key = $1', [
          fields.trigger_id,
        ]),
      ).toEqual([{ question: 'Must flights & hotels be booked 14 days ahead?' }]),
    );
  });
});
