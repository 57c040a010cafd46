import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSlackResponseUrl } from '../../src/slack/answers/response-url.js';
import { ACTION_IDS, BLOCK_IDS } from '../../src/slack/ids.js';
import { ANSWER_GONE } from '../../src/slack/listeners/actions/feedback.js';
import { slackOnlyFetch } from '../../src/slack/middleware/response-url-gate.js';
import { SLACK_API_URL, slackFixture, startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  installWorkspace,
  postInteraction,
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;
// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are JSON documents.
type Json = any;

// Where a forged payload might point respond(): other hosts, look-alikes, plain http, another port, userinfo.
const ELSEWHERE = [
  'https://collector.evil.test/actions/T1/1/secret',
  'https://hooks.slack.com.evil.test/actions/T1/1/secret',
  'http://hooks.slack.com/actions/T1/1/secret',
  'https://hooks.slack.com:8443/actions/T1/1/secret',
  'https://someone@hooks.slack.com/actions/T1/1/secret',
];

/** Fakes every host in ELSEWHERE and records whatever reaches any of them. */
function listenElsewhere(): string[] {
  const received: string[] = [];
  for (const raw of ELSEWHERE) {
    const url = new URL(raw);
    nock(`${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`)
      .persist()
      .post(/.*/)
      .reply(200, (uri, body) => {
        received.push(`${url.host}${uri} ${JSON.stringify(body)}`);
        return 'ok';
      });
  }
  return received;
}

describe("interactivity's respond(): only ever to Slack (real app over HTTP)", () => {
  let app: App;
  let w: Workspace;

  /** A 👍 press on an answer that does not exist: the listener answers through respond() (ANSWER_GONE). */
  const press = (responseUrl: string): Json => {
    const p = structuredClone(slackFixture('interaction-payloads').blockActionsButton.payload);
    p.team.id = w.teamId;
    p.user = { ...p.user, id: 'UPRESS001', team_id: w.teamId };
    p.trigger_id = uniqueId('12345.98765.');
    p.response_url = responseUrl;
    p.actions = [
      {
        ...p.actions[0],
        action_id: ACTION_IDS.feedbackUp,
        block_id: BLOCK_IDS.answerActions,
        value: '00000000-0000-4000-8000-000000000000',
      },
    ];
    return p;
  };

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    w = await installWorkspace(app, 'TRESPURL1');
  });
  afterAll(() => app.cleanup());

  it('a press carrying a Slack response_url is answered there (the control)', async () => {
    const slack = fakeSlackWebApi();
    const res = await postInteraction(app.url, press(`https://hooks.slack.com/actions/${w.teamId}/1/secret`));
    expect(res.status).toBe(200);
    expect(slack.responses).toEqual([expect.objectContaining({ text: ANSWER_GONE })]);
  });

  it.each(ELSEWHERE)(
    'a signed press whose response_url is %s gets a 200 and sends nothing there',
    async (url) => {
      const slack = fakeSlackWebApi();
      const received = listenElsewhere();
      const res = await postInteraction(app.url, press(url));
      expect(res.status).toBe(200);
      expect(received).toEqual([]);
      expect(slack.responses).toEqual([]);
      expect(app.logs.text()).toContain('delivery dropped: its response_url is not on Slack');
    },
  );

  it('a view submission whose response_urls point elsewhere sends nothing there', async () => {
    fakeSlackWebApi();
    const received = listenElsewhere();
    const submit = structuredClone(slackFixture('interaction-payloads').viewSubmission.payload);
    submit.team.id = w.teamId;
    submit.user = { ...submit.user, id: 'UPRESS001', team_id: w.teamId };
    submit.view = { ...submit.view, team_id: w.teamId };
    submit.response_urls = [{ block_id: 'b', action_id: 'a', channel_id: 'C1', response_url: ELSEWHERE[0] }];
    const res = await postInteraction(app.url, submit);
    expect(res.status).toBe(200);
    expect(received).toEqual([]);
  });

  it("Bolt's fetch refuses any URL off Slack without sending, and passes Slack's", async () => {
    const sent: string[] = [];
    const guarded = slackOnlyFetch(async (url) => {
      sent.push(String(url));
      return new Response('ok') as never;
    }, SLACK_API_URL);
    for (const url of ELSEWHERE) await expect(guarded(url)).rejects.toThrow(/off Slack/);
    expect(sent).toEqual([]);
    await guarded('https://hooks.slack.com/actions/T1/1/x');
    await guarded(new URL(`${SLACK_API_URL}chat.postMessage`));
    expect(sent).toHaveLength(2);
    expect(ELSEWHERE.map((u) => isSlackResponseUrl(u, SLACK_API_URL))).toEqual(ELSEWHERE.map(() => false));
  });
});
