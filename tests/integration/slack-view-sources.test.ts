import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_IDS, BLOCK_IDS } from '../../src/slack/ids.js';
import { slackFixture, startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspace,
  postCommand,
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

describe('"View sources" under an answer (real app over HTTP, Slack and OpenAI faked)', () => {
  let app: App;
  let w: Workspace;
  let other: Workspace;
  let answerId: string;

  const press = (ws: Workspace, value: string): Json => {
    const p = structuredClone(slackFixture('interaction-payloads').blockActionsButton.payload);
    p.team.id = ws.teamId;
    p.user = { ...p.user, id: 'UMEMBER01', team_id: ws.teamId };
    p.channel.id = 'CASK00001';
    p.trigger_id = uniqueId('12345.98765.');
    p.response_url = `https://hooks.slack.com/actions/${ws.teamId}/${uniqueId('')}/secret`;
    p.actions = [
      { ...p.actions[0], action_id: ACTION_IDS.viewSources, block_id: BLOCK_IDS.answerActions, value },
    ];
    return p;
  };

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    w = await installWorkspace(app, 'TSRCVIEW1');
    other = await installWorkspace(app, 'TSRCOTHR1');
    fakeOpenAi('unused');
    await addReadyDocument(
      app,
      w.tenantId,
      'travel.md',
      '# Travel policy\n\n## Booking flights\n\nThe office has a quiet room on floor 2. Flights must be booked at least 14 days ahead. Hotels for R&D trips are chosen by the travel desk.',
    );
    const slack = fakeSlackWebApi();
    fakeOpenAi('Book flights at least 14 days ahead [1].');
    await postCommand(app.url, {
      ...commandFixture,
      command: '/ask',
      text: QUESTION,
      team_id: w.teamId,
      user_id: 'UASKER001',
      channel_id: 'CASK00001',
      enterprise_id: '',
      enterprise_name: '',
      trigger_id: uniqueId('13345224609.738474920.'),
      response_url: `https://hooks.slack.com/commands/${w.teamId}/${uniqueId('')}/secret`,
    });
    await vi.waitFor(() => expect(slack.responses).toHaveLength(1), { timeout: 10_000 });
    const actions = slack.responses[0].blocks.find((b: Json) => b.type === 'actions');
    const viewSources = actions.elements.find((e: Json) => e.action_id === ACTION_IDS.viewSources);
    expect(viewSources.text.text).toBe('📄 View sources');
    answerId = viewSources.value;
    await vi.waitFor(async () =>
      expect(await rowsOf(app, 'SELECT outcome FROM lore.answers WHERE id = $1', [answerId])).toEqual([
        { outcome: 'answered' },
      ]),
    );
  });
  afterAll(() => app.cleanup());

  it('opens a modal with title, section, passage number, version date and the matching sentence in bold', async () => {
    const slack = fakeSlackWebApi();
    expect((await postInteraction(app.url, press(w, answerId))).status).toBe(200);
    await vi.waitFor(() => expect(slack.of('views.open')).toHaveLength(1));
    const view = slack.of('views.open')[0].view;
    expect(view.title.text).toBe('Sources');
    const texts = view.blocks.flatMap((b: Json) =>
      b.text ? [b.text.text] : (b.elements ?? []).map((e: Json) => e.text),
    );
    const [added] = await rowsOf(
      app,
      `SELECT to_char(v.created_at AT TIME ZONE 'UTC', 'FMDD Mon YYYY') AS day FROM lore.document_versions v
       JOIN lore.documents d ON d.id = v.document_id WHERE d.tenant_id = $1 AND d.source_name = 'travel.md'`,
      [w.tenantId],
    );
    expect(texts).toContain(`Sources for: ${QUESTION}`);
    expect(
      texts.some((t: string) =>
        /^\*\[1\]\* <https?:\/\/[^|]+\/read\/documents\/[0-9a-f-]+\?chunk=0#chunk-0\|Travel policy — Booking flights>$/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(texts).toContain(`passage 1 · version added ${added.day}`);
    expect(texts).toContain(
      // Escaped for mrkdwn (a passage cannot ping or link), the matching sentence in bold.
      'Booking flights The office has a quiet room on floor 2. *Flights must be booked at least 14 days ahead.* Hotels for R&amp;D trips are chosen by the travel desk.',
    );
  });

  it('another workspace pressing the button with this answer\'s id gets "no longer available", no modal', async () => {
    const slack = fakeSlackWebApi();
    expect((await postInteraction(app.url, press(other, answerId))).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses).toHaveLength(1));
    expect(slack.responses[0].text).toBe('That answer is no longer available.');
    expect(slack.of('views.open')).toEqual([]);
  });

  it('when Slack fails to open the modal, the member is told to press again (no retrying past the trigger)', async () => {
    // A trigger id is good for 3 seconds: retrying views.open for minutes would only hold the reply.
    const slack = fakeSlackWebApi({ httpError: (method) => (method === 'views.open' ? 500 : undefined) });
    expect((await postInteraction(app.url, press(w, answerId))).status).toBe(200);
    await vi.waitFor(() => expect(slack.responses).toHaveLength(1), { timeout: 10_000 });
    expect(slack.responses[0].text).toBe(
      'Slack did not open the sources just now. Press "View sources" again.',
    );
    expect(slack.of('views.open').length).toBeLessThanOrEqual(2);
  });
});
