import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import type { JsonBody } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const HANDBOOK = `# Leave policy

## Vacation
Every employee gets 27 vacation days per year. Unused vacation days carry over until the end of March.

## Company vans
Staff who drive a company van need a full driving licence. Penalty points on your licence must be reported to the fleet team within seven days.
`;

describe('POST /api/ask: the playground (no OpenAI key: extractive answers with sources)', () => {
  let app: TestApp;
  let admin: Browser;
  let other: Browser;
  let tenantId: string;
  let docId: string;

  const ready = async (b: Browser, id: string): Promise<JsonBody> => {
    for (let i = 0; i < 200; i++) {
      const { body } = await b.json(`/api/documents/${id}`);
      if (body.document.status === 'ready' || body.document.status === 'failed') return body.document;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('document never settled');
  };

  beforeAll(async () => {
    app = await startTestApp();
    admin = await devSignIn(app.url);
    tenantId = (await admin.json('/api/session')).body.workspace.tenantId;
    const form = new FormData();
    form.append('file', new Blob([HANDBOOK], { type: 'text/markdown' }), 'leave.md');
    docId = (await admin.json('/api/documents', { method: 'POST', body: form })).body.results[0].document.id;
    expect((await ready(admin, docId)).status).toBe('ready');
    other = await sessionFor(app.url, app.container.db, {
      tenantId: (await createTenant(app.container.db, { slackTeamId: 'TASKOTHER1', name: 'Other' })).id,
      userId: 'UOTHER',
    });
  });
  afterAll(() => app.cleanup());

  /** Asks the playground as the signed-in admin. */
  const ask = (question: string) => admin.json('/api/ask', { method: 'POST', json: { question } });

  it('answers from the workspace’s documents with numbered sources that link to the passage', async () => {
    const { status, body } = await ask('How many vacation days do employees get?');
    expect(status).toBe(200);
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('27 vacation days');
    expect(body.text).toContain('[1]');
    expect(body.sources[0]).toMatchObject({ position: 1, documentId: docId, title: 'Leave policy' });
    expect(body.sources[0].url).toMatch(new RegExp(`/read/documents/${docId}\\?chunk=(\\d+)#chunk-\\1$`));
    // Slack's own answer message: the text, the extractive label, the numbered sources, the vote buttons.
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual([
      'section',
      'context',
      'context',
      'actions',
    ]);
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('Quoted passages');
    expect(blocks).toMatch(
      new RegExp(`\\[1\\] <[^|>]*/read/documents/${docId}\\?chunk=\\d+#chunk-\\d+\\|Leave policy`),
    );
    expect(body.usage.keySource).toBe('none');
    // Why: the passages retrieval found, with their scores, and no one declined.
    expect(body.trace).toMatchObject({ declinedBy: null, confident: true });
    expect(body.trace.passages[0]).toMatchObject({ title: 'Leave policy', termCoverage: expect.any(Number) });
    // Metered like a Slack question: the answer, its sources and a usage row are recorded.
    expect(body.answerId).toEqual(expect.any(String));
    const recorded = await app.container.db.pool.query(
      `SELECT a.outcome, (SELECT count(*)::int FROM lore.answer_citations c WHERE c.answer_id = a.id) AS sources,
              (SELECT count(*)::int FROM lore.usage_events u WHERE u.answer_id = a.id) AS usage
       FROM lore.answers a WHERE a.id = $1`,
      [body.answerId],
    );
    expect(recorded.rows).toEqual([{ outcome: 'extractive', sources: body.sources.length, usage: 1 }]);
  });

  it('reads a typo as the word the documents use, and shows what it searched', async () => {
    const { body } = await ask('how many vaccation days do employees get?');
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('27 vacation days');
    expect(body.trace.searchQuery).toBe('how many vacation days do employees get?');
    expect(body.trace.spelling).toEqual([{ typed: 'vaccation', corrected: 'vacation' }]);
  });

  it('reads a typo of a word the handbook never uses as the English word, and says so', async () => {
    // The handbook never says "mandatory": typed "mnadatory", the word nobody uses weighed the most against the
    // passage and the question was declined, though the same question typed clean is answered.
    const { body } = await ask('is it mnadatory to report penalty points?');
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('must be reported to the fleet team within seven days');
    expect(body.trace.searchQuery).toBe('is it mandatory to report penalty points?');
    expect(body.trace.spelling).toEqual([{ typed: 'mnadatory', corrected: 'mandatory', english: true }]);
  });

  it('reads a short word typed with two letters swapped ("hwo", "teh") as the word it is', async () => {
    // "hwo" and "teh" were topic words nobody uses, weighing the most against the passage: declined.
    const { body } = await ask('hwo many vacation days do we get');
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('27 vacation days');
    expect(body.trace.spelling).toEqual([{ typed: 'hwo', corrected: 'how', english: true }]);
    const again = await ask('waht is teh deadline to report penalty points?');
    expect(again.body.outcome).toBe('extractive');
    expect(again.body.text).toContain('within seven days');
    // "AWS" in capitals is an acronym, not "was" mistyped: the handbook never mentions it, so nothing is quoted.
    const acronym = await ask('is AWS vacation policy the same?');
    expect(acronym.body.trace.spelling).toEqual([]);
  });

  it('reads a question in American spelling against a handbook in British spelling', async () => {
    // The handbook says "licence"; the member types "license": no word in common for search before.
    const { body } = await ask('got penalty points on my license, who do I tell?');
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('must be reported to the fleet team within seven days');
    expect(body.trace.spelling).toEqual([]);
  });

  it('reads "deadline?" and "how early" as asking for a date, not as words the passage must hold', async () => {
    // Each was declined before: the passage answers with the date and never says "deadline" or "early".
    for (const question of ['carry over deadline?', 'how early do unused vacation days expire?']) {
      const { body } = await ask(question);
      expect(body.outcome).toBe('extractive');
      expect(body.text).toContain('carry over until the end of March');
    }
  });

  it('answers what is asked when the member tells their situation first, and shows which words were read so', async () => {
    // The situation's words are rare and the handbook never uses them: they weighed the most against the
    // passage, and the question was declined though its answer was the top passage.
    const { body } = await ask(
      'my sister is getting married in portugal in may. how many vacation days do we get?',
    );
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('27 vacation days');
    expect(body.trace.situation).toEqual(['sister', 'married', 'portugal', 'may']);
    expect(body.trace.pointsBack).toBeNull();
  });

  it('says it does not know when the documents do not cover the question', async () => {
    const { body } = await ask('What is the wifi password in the Berlin office?');
    expect(body.outcome).toBe('no_sources');
    expect(body.sources).toEqual([]);
    // The playground says why: no model here, so the quoting gate declined.
    expect(body.trace).toMatchObject({ declinedBy: 'retrieval', rewritten: false, confident: false });
  });

  it('shows the closest passages under "I couldn\'t find a clear answer" when a question is only partly covered', async () => {
    // The member's own words ("never booked", "the year is over") are not the handbook's, but its answer is there.
    const { body } = await ask('what happens to vacation i never booked when the year is over?');
    expect(body.outcome).toBe('no_sources');
    expect(body.trace).toMatchObject({ declinedBy: 'retrieval', confident: false });
    expect(body.text).toMatch(/^I couldn't find a clear answer/);
    expect(body.text).toContain('Unused vacation days carry over until the end of March.');
    expect(body.sources[0]).toMatchObject({ position: 1, documentId: docId });
    // In Slack: the passages' sources and a way to read them in full; nothing to rate, and no "Quoted passages"
    // label, since they are not offered as the answer.
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('answer_view_sources');
    expect(blocks).not.toContain('answer_feedback');
    expect(blocks).not.toContain('Quoted passages');
    // Still a question the documents did not clearly answer: the admins see it as a knowledge gap.
    const gaps = await app.container.db.pool.query(
      'SELECT reason FROM lore.knowledge_gaps WHERE answer_id = $1',
      [body.answerId],
    );
    expect(gaps.rows).toEqual([{ reason: 'no_sources' }]);
  });

  it('replies to thanks and to "what can you do?" without searching, opening no knowledge gap and counting no question', async () => {
    const questionsBefore = (await admin.json('/api/usage')).body.totals.questions;
    const thanks = (await ask('thanks, that helped!')).body;
    expect(thanks).toMatchObject({ outcome: 'small_talk', sources: [], trace: null });
    expect(thanks.text).toMatch(/^Glad to help!/);
    // In Slack: the reply alone, with nothing to rate, share or open.
    expect(thanks.blocks.map((b: { type: string }) => b.type)).toEqual(['section']);
    const about = (await ask('hey, what can you do?')).body;
    expect(about.outcome).toBe('small_talk');
    expect(about.text).toContain("I answer questions from your workspace's documents");
    // Listed among the conversations as small talk; never a knowledge gap, never a question in the usage.
    const listed = (await admin.json('/api/conversations?outcome=small_talk')).body;
    expect(listed.items.map((c: { id: string }) => c.id).sort()).toEqual(
      [thanks.answerId, about.answerId].sort(),
    );
    const gaps = await app.container.db.pool.query(
      'SELECT count(*)::int AS n FROM lore.knowledge_gaps WHERE answer_id = ANY($1)',
      [[thanks.answerId, about.answerId]],
    );
    expect(gaps.rows).toEqual([{ n: 0 }]);
    expect((await admin.json('/api/usage')).body.totals.questions).toBe(questionsBefore);
    // A question that opens with thanks is still a question.
    const asked = (await ask('thanks! and how many vacation days do employees get?')).body;
    expect(asked.outcome).toBe('extractive');
    expect((await admin.json('/api/usage')).body.totals.questions).toBe(questionsBefore + 1);
  });

  it("never answers from another workspace's documents", async () => {
    const { body } = await other.json('/api/ask', {
      method: 'POST',
      json: { question: 'How many vacation days do employees get?' },
    });
    expect(body.outcome).toBe('no_sources');
    expect(JSON.stringify(body)).not.toContain('27 vacation days');
  });

  it('refuses a too-short question (400), a missing CSRF token (403) and an API key (403)', async () => {
    expect((await ask('hi')).status).toBe(400);
    expect(
      (await admin.json('/api/ask', { method: 'POST', json: { question: 'a real question' }, csrf: false }))
        .status,
    ).toBe(403);
    const { key } = await createApiKey(app.container.db, tenantId, { name: 'ci', actor: 'test' });
    const res = await fetch(`${app.url}/api/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How many vacation days?' }),
    });
    expect(res.status).toBe(403);
  });
});
