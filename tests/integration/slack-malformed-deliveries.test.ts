import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackTestApp } from '../support/slack.js';
import { installWorkspace, signedPost, type Workspace } from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('signed deliveries Lore cannot use are acknowledged and ignored, never a 5xx', () => {
  let app: App;
  let w: Workspace;

  beforeAll(async () => {
    app = await startSlackTestApp();
    w = await installWorkspace(app, 'TMALFORM1');
  });
  afterAll(() => app.cleanup());

  const blockActions = (over: Record<string, unknown>) => ({
    type: 'block_actions',
    team: { id: w.teamId },
    user: { id: 'U1', team_id: w.teamId },
    api_app_id: 'A1',
    ...over,
  });

  it.each([
    ['a JSON null body', 'null', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a JSON string', '"hello"', 'application/json'],
    [
      'an event_callback without its event',
      JSON.stringify({ type: 'event_callback', team_id: 'TMALFORM1' }),
      'application/json',
    ],
    [
      'an event_callback whose event is null',
      JSON.stringify({ type: 'event_callback', team_id: 'TMALFORM1', event: null, event_id: 'Ev1' }),
      'application/json',
    ],
    [
      'an unknown delivery type',
      JSON.stringify({ type: 'made_up', team_id: 'TMALFORM1' }),
      'application/json',
    ],
    ['a payload field that is not JSON', form({ payload: '{not json' }), FORM],
    ['a payload that is JSON null', form({ payload: 'null' }), FORM],
    ['block_actions without actions, channel or message', '', FORM],
    ['block_actions whose actions is not a list', '', FORM],
    [
      'a view_submission without its view',
      form({
        payload: JSON.stringify({ type: 'view_submission', team: { id: 'TMALFORM1' }, user: { id: 'U1' } }),
      }),
      FORM,
    ],
    ['a form with neither payload nor command', form({ hello: 'world' }), FORM],
    ['a slash command without its fields', form({ command: '/ask' }), FORM],
  ])('%s gets a 200 and nothing happens', async (name, rawBody, contentType) => {
    const slack = fakeSlackWebApi();
    let body = rawBody;
    if (name.startsWith('block_actions without')) body = form({ payload: JSON.stringify(blockActions({})) });
    if (name.startsWith('block_actions whose'))
      body = form({ payload: JSON.stringify(blockActions({ actions: 'nope', channel: null })) });
    const res = await signedPost(app.url, body, { contentType });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    // Still serving.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('an unsigned or wrongly signed delivery is a 401, never a 5xx, whatever its body', async () => {
    for (const body of ['null', '{', form({ payload: 'null' })]) {
      expect((await signedPost(app.url, body, { signature: null })).status).toBe(401);
      expect((await signedPost(app.url, body, { secret: 'wrong' })).status).toBe(401);
    }
  });

  it('a signed body that is not JSON at all is acknowledged and ignored; an oversized one is a 413', async () => {
    expect((await signedPost(app.url, '{oops', { contentType: 'application/json' })).status).toBe(200);
    expect((await signedPost(app.url, `{"a":"${'x'.repeat(1_100_000)}"}`)).status).toBe(413);
  });

  it('a usable signed delivery still reaches Bolt (url_verification answers its challenge)', async () => {
    const res = await signedPost(
      app.url,
      JSON.stringify({ type: 'url_verification', challenge: 'ch4ll3nge', token: 't' }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ch4ll3nge');
  });

  it("Slack's ssl_check gets an empty 200, as Bolt answers it", async () => {
    const res = await signedPost(app.url, form({ ssl_check: '1', token: 't' }), { contentType: FORM });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('a signed slash command whose content type carries a charset gets a 400 (Bolt reads it as JSON) and no reply', async () => {
    const slack = fakeSlackWebApi();
    const command = form({
      command: '/ask',
      text: 'where is the handbook?',
      team_id: w.teamId,
      user_id: 'U1',
      channel_id: 'C1',
      trigger_id: '1.2.3',
      response_url: `https://hooks.slack.com/commands/${w.teamId}/1/secret`,
    });
    const res = await signedPost(app.url, command, { contentType: `${FORM}; charset=utf-8` });
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 50));
    expect(slack.calls).toEqual([]);
    expect(slack.responses).toEqual([]);
  });
});
