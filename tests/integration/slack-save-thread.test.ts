import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALLBACK_IDS } from '../../src/slack/ids.js';
import { ADMINS_ONLY } from '../../src/slack/listeners/shortcuts/save-to-lore.js';
import { sessionFor } from '../support/dashboard.js';
import { SLACK_ENV, slackFixture } from '../support/slack.js';
import {
  installWorkspace,
  postInteraction,
  rowsOf,
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';
import { type FakeSlack, fakeSlackWebApi } from '../support/slack-web-api.js';
import { startTestApp } from '../support/test-app.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are JSON documents.
type Json = any;
type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const THREAD_TS = '1700000100.000100';
const CHANNEL = 'C0DEPLOYS1';
const NAMES = { UANA00001: 'Ana', UBEN00002: 'Ben' };
const thread = (extra: Json[] = []) => [
  { ts: THREAD_TS, user: 'UANA00001', text: 'Is the deploy freeze on Friday?' },
  {
    ts: '1700000160.000200',
    user: 'UBEN00002',
    text: 'Yes: no deploys after 14:00 on Fridays, <@UANA00001>.',
  },
  ...extra,
];

describe('"Save to Lore": a message shortcut saves its whole thread as a document', () => {
  let app: TestApp;
  let w: Workspace;
  let slack: FakeSlack;

  const shortcut = (opts: { user?: string; ts?: string; threadTs?: string } = {}) => {
    const p = structuredClone(slackFixture('interaction-payloads').messageShortcut.payload);
    p.team.id = w.teamId;
    p.user = { ...p.user, id: opts.user ?? 'UANA00001', team_id: w.teamId };
    p.channel = { id: CHANNEL, name: 'deploys' };
    p.message = {
      ...p.message,
      ts: opts.ts ?? THREAD_TS,
      text: 'Is the deploy freeze on Friday?\nasking for the team',
    };
    if (opts.threadTs) p.message.thread_ts = opts.threadTs;
    return postInteraction(app.url, p);
  };
  const submit = (view: Json, title: string, user = 'UANA00001', collectionId?: string) => {
    const p = structuredClone(slackFixture('interaction-payloads').viewSubmission.payload);
    p.team.id = w.teamId;
    p.user = { ...p.user, id: user, team_id: w.teamId };
    p.view = {
      ...p.view,
      id: uniqueId('V'),
      team_id: w.teamId,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: {
        values: {
          save_thread_title: { save_thread_title_input: { type: 'plain_text_input', value: title } },
          ...(collectionId
            ? {
                save_thread_collection: {
                  save_thread_collection_input: {
                    type: 'static_select',
                    selected_option: { text: { type: 'plain_text', text: 'picked' }, value: collectionId },
                  },
                },
              }
            : {}),
        },
      },
    };
    return postInteraction(app.url, p);
  };
  const savedDocs = () =>
    rowsOf(
      app,
      `SELECT id, title, status, latest_version AS "latestVersion", source_url AS "sourceUrl", source_kind AS kind
       FROM lore.documents WHERE tenant_id = $1 AND source_kind = 'slack_thread'`,
      [w.tenantId],
    );
  const waitForResponse = (n: number) =>
    vi.waitFor(
      () => {
        if (slack.responses.length < n) throw new Error('no answer to the member yet');
      },
      { timeout: 20_000, interval: 50 },
    );

  beforeAll(async () => {
    app = await startTestApp({ ...SLACK_ENV });
    w = await installWorkspace(app, 'TSAVE0001');
  });
  afterAll(() => app.cleanup());

  it('opens a modal with an editable title; saving makes a document with authors, times and the permalink', async () => {
    slack = fakeSlackWebApi({ threads: { [THREAD_TS]: thread() }, names: NAMES });
    // The shortcut on a reply saves the whole thread the reply is in.
    expect((await shortcut({ ts: '1700000160.000200', threadTs: THREAD_TS })).status).toBe(200);
    const [opened] = slack.of('views.open');
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: CALLBACK_IDS.saveThreadModal });
    expect(opened.view.blocks[1].element.initial_value).toBe('Is the deploy freeze on Friday?');

    expect((await submit(opened.view, 'Deploy freeze rules')).status).toBe(200);
    await waitForResponse(1);
    expect(slack.responses[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(slack.responses[0].text).toContain('Saved “Deploy freeze rules” to Lore (2 messages)');
    expect(slack.of('conversations.replies')[0]).toMatchObject({ channel: CHANNEL, ts: THREAD_TS });

    const permalink = `https://example.slack.com/archives/${CHANNEL}/p1700000100000100`;
    await vi.waitFor(
      async () => {
        const [doc] = await savedDocs();
        if (doc?.status !== 'ready') throw new Error(`document is ${doc?.status}`);
      },
      { timeout: 20_000, interval: 50 },
    );
    const [doc] = await savedDocs();
    expect(doc).toMatchObject({ title: 'Deploy freeze rules', latestVersion: 1, sourceUrl: permalink });
    const text = (
      await rowsOf(app, 'SELECT content FROM lore.chunks WHERE document_id = $1 ORDER BY ordinal', [doc.id])
    )
      .map((r) => r.content)
      .join('\n');
    expect(text).toContain(permalink);
    expect(text).toContain('Ana, 2023-11-14 22:15 UTC');
    expect(text).toContain('Ben, 2023-11-14 22:16 UTC');
    expect(text).toContain('no deploys after 14:00 on Fridays, @Ana.');
    const audit = await rowsOf(
      app,
      `SELECT actor FROM lore.audit_log WHERE tenant_id = $1 AND action = 'thread.saved'`,
      [w.tenantId],
    );
    expect(audit).toEqual([{ actor: 'UANA00001' }]);
  });

  it('an answer drawn from the saved thread cites it with a link back to the thread in Slack', async () => {
    slack = fakeSlackWebApi({ admin: true });
    const admin = await sessionFor(app.url, app.container.db, { tenantId: w.tenantId, userId: 'UASKER001' });
    const { status, body } = await admin.json('/api/ask', {
      method: 'POST',
      json: { question: 'Are deploys allowed after 14:00 on Fridays?' },
    });
    expect(status).toBe(200);
    const cited = body.sources.find((s: Json) => s.title === 'Deploy freeze rules');
    expect(cited?.url).toBe(`https://example.slack.com/archives/${CHANNEL}/p1700000100000100`);
  });

  it('saving the same thread again makes a new version with the new replies', async () => {
    slack = fakeSlackWebApi({
      threads: {
        [THREAD_TS]: thread([
          { ts: '1700000220.000300', user: 'UBEN00002', text: 'Hotfixes are the exception.' },
        ]),
      },
      names: NAMES,
    });
    await shortcut();
    const [opened] = slack.of('views.open');
    await submit(opened.view, 'Deploy freeze rules');
    await waitForResponse(1);
    expect(slack.responses[0].text).toContain('as a new version (3 messages)');
    await vi.waitFor(
      async () => {
        const [doc] = await savedDocs();
        if (doc?.latestVersion !== 2 || doc.status !== 'ready') throw new Error('not yet version 2');
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(await savedDocs()).toHaveLength(1);
  });

  it('a thread the bot cannot read, or one deleted meanwhile, saves nothing and tells the member why', async () => {
    for (const [error, why] of [
      ['not_in_channel', 'it is not a member of that channel. Add it with `/invite @Lore`'],
      ['thread_not_found', 'That message was deleted before Lore could save it'],
    ] as const) {
      slack = fakeSlackWebApi({ failures: { 'conversations.replies': error }, names: NAMES });
      await shortcut({ ts: '1700009999.000100' });
      const [opened] = slack.of('views.open');
      await submit(opened.view, 'Something else');
      await waitForResponse(1);
      expect(slack.responses[0].text, error).toContain(why);
    }
    expect(await savedDocs()).toHaveLength(1);
  });

  it('with the workspace set to admins only, a member is told so and no modal opens; an admin may save', async () => {
    // An admin changes the setting in the dashboard (Slack confirms the admin role on each request).
    slack = fakeSlackWebApi({ admin: true });
    const admin = await sessionFor(app.url, app.container.db, { tenantId: w.tenantId, userId: 'UADMIN001' });
    const changed = await admin.json('/api/settings', {
      method: 'PATCH',
      json: { threadSavePolicy: 'admins' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.threadSavePolicy).toBe('admins');
    slack = fakeSlackWebApi({ threads: { [THREAD_TS]: thread() }, admin: false });
    await shortcut({ user: 'UBEN00002' });
    await waitForResponse(1);
    expect(slack.responses[0]).toMatchObject({ response_type: 'ephemeral', text: ADMINS_ONLY });
    expect(slack.of('views.open')).toEqual([]);

    slack = fakeSlackWebApi({ threads: { [THREAD_TS]: thread() }, admin: true });
    await shortcut({ user: 'UBEN00002' });
    expect(slack.of('views.open')).toHaveLength(1);
  });

  it("offers the workspace's collections with the channel's preselected, saves into the one picked, and refuses a deleted one", async () => {
    const add = async (name: string) =>
      String(
        (
          await rowsOf(app, 'INSERT INTO lore.collections (tenant_id, name) VALUES ($1, $2) RETURNING id', [
            w.tenantId,
            name,
          ])
        )[0]?.id,
      );
    const engineering = await add('Engineering');
    const ops = await add('Ops');
    await rowsOf(app, 'INSERT INTO lore.channel_scopes (tenant_id, channel_id) VALUES ($1, $2)', [
      w.tenantId,
      CHANNEL,
    ]);
    await rowsOf(
      app,
      'INSERT INTO lore.channel_collections (tenant_id, channel_id, collection_id) VALUES ($1, $2, $3)',
      [w.tenantId, CHANNEL, engineering],
    );
    const threadTs = '1700000300.000300';
    // admin: the test before this one left the workspace on "admins only".
    slack = fakeSlackWebApi({
      threads: { [threadTs]: thread().map((m) => ({ ...m, ts: m.ts === THREAD_TS ? threadTs : m.ts })) },
      names: NAMES,
      admin: true,
    });
    await shortcut({ ts: threadTs });
    const [opened] = slack.of('views.open');
    const picker = opened.view.blocks.find((b: Json) => b.block_id === 'save_thread_collection');
    expect(picker.element.options.map((o: Json) => o.text.text)).toEqual(['Everyone', 'Engineering', 'Ops']);
    expect(picker.element.initial_option).toMatchObject({
      value: engineering,
      text: { text: 'Engineering' },
    });

    await submit(opened.view, 'Ops runbook', 'UANA00001', ops);
    await waitForResponse(1);
    expect(slack.responses[0].text).toContain('Saved “Ops runbook” to Lore');
    const saved = await rowsOf(
      app,
      `SELECT collection_id AS "collectionId" FROM lore.documents WHERE title = 'Ops runbook'`,
    );
    expect(saved).toEqual([{ collectionId: ops }]);

    // Deleted between the modal opening and the save: the member is told, and nothing is saved.
    slack = fakeSlackWebApi({ threads: { [threadTs]: thread() }, names: NAMES, admin: true });
    const gone = await add('Soon gone');
    await rowsOf(app, 'DELETE FROM lore.collections WHERE id = $1', [gone]);
    await submit(opened.view, 'Never saved', 'UANA00001', gone);
    await waitForResponse(1);
    expect(slack.responses[0].text).toBe(
      'The thread was not saved: That collection no longer exists: choose another one.',
    );
    expect(await rowsOf(app, `SELECT 1 FROM lore.documents WHERE title = 'Never saved'`)).toEqual([]);
  });

  it('an empty title keeps the modal open with an error on the title', async () => {
    await rowsOf(
      app,
      `UPDATE lore.tenant_settings SET thread_save_policy = 'everyone' WHERE tenant_id = $1`,
      [w.tenantId],
    );
    slack = fakeSlackWebApi({ threads: { [THREAD_TS]: thread() } });
    await shortcut();
    const [opened] = slack.of('views.open');
    const res = await submit(opened.view, '   ');
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { save_thread_title: 'Give the document a title.' },
    });
  });
});
