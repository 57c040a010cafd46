import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { insertVersion } from '../../src/knowledge/documents.repo.js';
import { hybridSearch } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { createRetriever } from '../../src/knowledge/retrieval/retriever.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { createLogger } from '../../src/logger.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding, mockOpenAiEmbeddings } from '../support/fake-embeddings.js';
import { SEARCH_TEST_MODEL, storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

describe('hybrid search (lore.hybrid_search through searchKnowledge)', () => {
  let db: Database;
  let a: string;
  let b: string;
  let c: string;
  let d: string;
  let pairs: string;
  let framing: string;
  const search = (
    tenantId: string,
    query: string,
    extra: Partial<Parameters<typeof searchKnowledge>[2]> = {},
  ) => withTenant(db, tenantId, (c) => searchKnowledge(c, tenantId, { query, k: 5, ...extra }));

  beforeAll(async () => {
    db = await createTestDatabase();
    a = (await createTenant(db, { slackTeamId: 'TA', name: 'A' })).id;
    b = (await createTenant(db, { slackTeamId: 'TB', name: 'B' })).id;
    await withTenant(db, a, async (c) => {
      await storeSearchableDocument(c, a, 'Leave policy', [
        {
          content: 'Every employee gets 25 days of paid annual leave per year.',
          section: 'Annual leave',
          page: 3,
        },
        {
          content: 'Request leave in Harbor at least two weeks before the first day off.',
          section: 'Requesting',
          page: 4,
        },
      ]);
      await storeSearchableDocument(c, a, 'Expenses', [
        { content: 'Submit expense claims in Ledgerly within 30 days, with receipts.' },
      ]);
      await storeSearchableDocument(
        c,
        a,
        'Old model',
        [{ content: 'Parking spaces are booked in the Facilities app.' }],
        { model: 'ada-002' },
      );
      await storeSearchableDocument(
        c,
        a,
        'Unembedded',
        [{ content: 'The VPN client is called Tunnelworks.' }],
        { embed: false },
      );
    });
    await withTenant(db, b, (c) =>
      storeSearchableDocument(c, b, 'B secrets', [
        { content: 'Tenant B annual leave is 40 days and the launch code is 1234.' },
      ]),
    );
    c = (await createTenant(db, { slackTeamId: 'TC', name: 'C' })).id;
    await withTenant(db, c, (x) =>
      storeSearchableDocument(x, c, 'Benefits', [
        {
          content:
            'Our health insurance covers dental care and physiotherapy for every employee. Sales staff drive a company vehicle.',
        },
      ]),
    );
    d = (await createTenant(db, { slackTeamId: 'TD', name: 'D' })).id;
    await withTenant(db, d, async (x) => {
      await storeSearchableDocument(x, d, 'Holidays', [
        { content: 'If you work on a public holiday, you get a day off in lieu within three months.' },
      ]);
      await storeSearchableDocument(x, d, 'Team budget', [
        { content: 'Team celebrations are paid from a budget of 25 euros per person per quarter.' },
      ]);
      await storeSearchableDocument(x, d, 'Phones', [
        { content: 'Call charges on a company phone are paid back when you claim them in Ledgerly.' },
      ]);
    });
    pairs = (await createTenant(db, { slackTeamId: 'TPAIRS', name: 'Pairs' })).id;
    await withTenant(db, pairs, async (x) => {
      await storeSearchableDocument(x, pairs, 'Travel vouchers', [
        {
          content: 'Vouchers are reviewed within 48 hours, and refunds are credited to your account.',
        },
      ]);
      await storeSearchableDocument(x, pairs, 'Working extra', [
        {
          content:
            'On a flexible schedule you can earn extra time for voluntary work. You can have up to 24 credit hours accrued at any given time.',
        },
      ]);
    });
    framing = (await createTenant(db, { slackTeamId: 'TFRAMING', name: 'Framing' })).id;
    await withTenant(db, framing, async (x) => {
      await storeSearchableDocument(x, framing, 'Equipment', [
        {
          content:
            'Need a monitor? Get one from the office. If you need more, ask and we get it to you. You can get a chair.',
        },
      ]);
      await storeSearchableDocument(x, framing, 'Time off', [
        { content: 'Submit leave requests at least three business days in advance.' },
      ]);
    });
  });
  afterAll(() => db.close());

  it('finds a chunk by its words and returns what a citation needs', async () => {
    // Words with no synonym group: "annual leave" would also search "vacation", "PTO"… (synonyms.ts).
    const { hits, relevance } = await search(a, 'paid leave per year');
    expect(hits[0]).toMatchObject({
      title: 'Leave policy',
      sourceName: 'Leave policy.md',
      section: 'Annual leave',
      pageStart: 3,
      pageEnd: 3,
      ordinal: 0,
      fullTextRank: 1,
      matchedAllTerms: true,
      termCoverage: 1,
      semanticRank: null,
      similarity: null,
    });
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect(relevance).toMatchObject({ confident: true, basis: 'terms' });
  });

  it('answers a chatty question whose words are not all in one chunk, best coverage first', async () => {
    const { hits } = await search(a, 'how many days of leave do I get each year in total?');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]?.content).toMatch(/25 days of paid annual leave/);
    expect(hits[0]?.matchedAllTerms).toBe(false);
    // With websearch AND semantics alone the same question finds nothing.
    expect(
      (await search(a, 'how many days of leave do I get each year in total?', { fullTextMode: 'all' })).hits,
    ).toEqual([]);
  });

  it('ranks a passage holding two words the question types side by side above one holding them apart', async () => {
    const question = "what's the most credit hours i can carry?";
    // Word by word the two tie (each holds "credit" and "hours" once) and the voucher text comes first.
    const apart = await search(pairs, question, { pairShare: 0 });
    expect(apart.hits.map((h) => h.title)).toEqual(['Travel vouchers', 'Working extra']);
    const { hits, passages } = await search(pairs, question);
    expect(hits.map((h) => h.title)).toEqual(['Working extra', 'Travel vouchers']);
    expect(hits.map((h) => h.fullTextRank)).toEqual([1, 2]);
    expect(passages[0]?.content).toMatch(/up to 24 credit hours/);
  });

  it('searches what a question is about, not its framing: "do I need to get" finds no passage by itself', async () => {
    const { hits } = await search(framing, 'how far ahead do i need to get my leave request in?');
    expect(hits[0]?.title).toBe('Time off');
    expect(hits.map((h) => h.title)).not.toContain('Equipment');
  });

  it('does not count the situation a member tells around the question against a passage; what is asked must be covered', async () => {
    const told = 'my sister is getting married in portugal in may.';
    const asked = await search(a, `${told} how many days of paid leave do we get each year?`);
    expect(asked.hits[0]?.content).toMatch(/25 days of paid annual leave/);
    expect(asked.relevance.confident).toBe(true);
    expect(asked.situation).toEqual(['sister', 'married', 'portugal', 'may']);
    // The same words as part of what is asked: the handbook says nothing of weddings abroad.
    const inQuestion = await search(a, 'how many days of paid leave for a wedding in portugal in may?');
    expect(inQuestion.relevance.confident).toBe(false);
    expect(inQuestion.situation).toEqual([]);
    // What is asked, not covered by any passage: declined whatever the situation.
    const uncovered = await search(a, `${told} can i get a relocation bonus?`);
    expect(uncovered.relevance.confident).toBe(false);
  });

  it('quotes a passage as the answer to "is there / does it cover / can I get …" only if it holds the thing asked about', async () => {
    const ivf = await search(c, 'does our health insurance cover IVF for every employee?');
    // The passage holds most of the question's words, and is still shown as the closest.
    expect(ivf.hits[0]?.termCoverage).toBeGreaterThanOrEqual(0.5);
    expect(ivf.relevance).toMatchObject({ confident: false, close: true });
    expect(ivf.askedAbout).toEqual({ word: 'IVF', held: false, named: true });
    const covered = await search(c, 'does health insurance cover physiotherapy?');
    expect(covered.relevance.confident).toBe(true);
    expect(covered.askedAbout).toEqual({ word: 'physiotherapy', held: true, named: true });
    // A near word stands for the thing: "vehicle" for "car".
    expect((await search(c, 'can I get a company car?')).relevance.confident).toBe(true);
    // Every word of the thing counts, not only its head: dental care is covered, cosmetic dental care is not said.
    expect((await search(c, 'does health insurance cover dental care?')).relevance.confident).toBe(true);
    const cosmetic = await search(c, 'does health insurance cover cosmetic dental care?');
    expect(cosmetic.relevance).toMatchObject({ confident: false, close: true });
    expect(cosmetic.askedAbout).toEqual({ word: 'cosmetic', held: false, named: true });
    expect((await search(a, 'how many days of paid leave do we get?')).askedAbout).toBeNull();
  });

  it('names the whole thing asked about as missing when its words are only in different passages', async () => {
    const e = (await createTenant(db, { slackTeamId: 'TE', name: 'E' })).id;
    await withTenant(db, e, async (x) => {
      await storeSearchableDocument(x, e, 'Wellbeing', [
        { content: 'Everyone can book 12 free sessions a year with a therapist.' },
      ]);
      await storeSearchableDocument(x, e, 'Office', [{ content: 'Breakfast is served from 8:00 to 9:30.' }]);
      await storeSearchableDocument(x, e, 'About us', [{ content: 'The company was founded in 2010.' }]);
      await storeSearchableDocument(x, e, 'Parking', [{ content: 'Car parking is free for visitors.' }]);
    });
    // One passage says "free", the other "breakfast": the reply must not say nothing was found about "breakfast".
    const breakfast = await search(e, 'is there free breakfast?');
    expect(breakfast.relevance.confident).toBe(false);
    expect(breakfast.askedAbout).toEqual({ word: 'free breakfast', held: false, named: true });
    // As typed where the thing is named, not from the first "company" of the question.
    const car = await search(e, 'does the company pay for a company car?');
    expect(car.askedAbout).toEqual({ word: 'company car', held: false, named: true });
  });

  it('quotes a passage for "what is the …" if it holds what the thing is of, whatever it calls the thing', async () => {
    const g = (await createTenant(db, { slackTeamId: 'TG', name: 'G' })).id;
    await withTenant(db, g, async (x) => {
      await storeSearchableDocument(x, g, 'Travel', [
        { content: 'Hotels are capped at 180 euros per night on business trips.' },
      ]);
      await storeSearchableDocument(x, g, 'Coworking', [
        { content: 'You can expense a coworking stipend of 200 dollars a month.' },
      ]);
    });
    // "limit" is not in the passage, "hotel" is: quoted.
    expect(
      (await search(g, 'what is the hotel limit per night on business trips?')).relevance.confident,
    ).toBe(true);
    // A stipend, but not for a gym: shown as the closest, and the reply names the whole thing.
    const gym = await search(g, 'how much is the gym stipend?');
    expect(gym.relevance).toMatchObject({ confident: false, close: true });
    expect(gym.askedAbout).toEqual({ word: 'gym stipend', held: false, named: true });
  });

  it('says the thing asked about is held when a passage shown holds it, past the top hits the gate reads', async () => {
    const f = (await createTenant(db, { slackTeamId: 'TF', name: 'F' })).id;
    await withTenant(db, f, async (x) => {
      // One section in three chunks: the top three hits, and one passage of the reply.
      await storeSearchableDocument(x, f, 'Expenses', [
        { content: 'Claim team expenses in Spendwise; expenses are reimbursed monthly.' },
        { content: 'Team expenses over 100 euros need a receipt to be reimbursed; claim within 30 days.' },
        { content: 'A reimbursement claim for team expenses abroad is paid in euros.' },
      ]);
      await storeSearchableDocument(x, f, 'Learning', [{ content: 'Language lessons are paid in full.' }]);
    });
    const lessons = await search(f, 'can I expense the lessons for my team?');
    expect(lessons.hits.slice(0, 3).map((h) => h.title)).toEqual(['Expenses', 'Expenses', 'Expenses']);
    expect(lessons.passages.slice(0, 2).map((p) => p.title)).toEqual(['Expenses', 'Learning']);
    // The reply shows the passage saying "lessons": it must not say nothing was found about them.
    expect(lessons.askedAbout).toEqual({ word: 'lessons', held: true, named: true });
  });

  it('quotes a passage as the answer to "… for that?" only if it speaks to the situation it points back at', async () => {
    // "a day off" is covered, but the passage gives one for working on a public holiday, not for moving house.
    const moving = await search(d, "I'm moving house next month. do we get a day off for that?");
    expect(moving.hits[0]?.content).toMatch(/day off in lieu/);
    expect(moving.hits[0]?.termCoverage).toBeGreaterThanOrEqual(0.5);
    expect(moving.relevance).toMatchObject({ confident: false, close: true });
    // Told as searched: chat filler and a bare "I'm" are not part of it.
    expect(moving.pointsBack).toEqual({ held: false, told: 'moving house next month' });
    // The passage holds a word of the situation ("celebrations"): it answers.
    const party = await search(
      d,
      'my team shipped a big release and we want to celebrate. is there a budget for that?',
    );
    expect(party.hits[0]?.content).toMatch(/Team celebrations/);
    expect(party.relevance.confident).toBe(true);
    expect(party.pointsBack).toMatchObject({ held: true });
    // The same passage, asked without pointing back, is the answer.
    const asked = await search(d, 'I worked on a public holiday. do we get a day off?');
    expect(asked.relevance.confident).toBe(true);
    expect(asked.pointsBack).toBeNull();
  });

  it('quotes a passage for what a message telling a situation asks only if it holds the weightiest word asked', async () => {
    // "charges … paid back" is covered, but the passage says nothing of roaming.
    const roaming = await search(
      d,
      "i'll be on holiday in spain in july and will check work email on my phone. will the roaming charges be paid back?",
    );
    expect(roaming.hits[0]?.content).toMatch(/Call charges/);
    expect(roaming.hits[0]?.termCoverage).toBeGreaterThanOrEqual(0.5);
    expect(roaming.relevance).toMatchObject({ confident: false, close: true });
    expect(roaming.askedAbout).toEqual({ word: 'roaming', held: false, named: false });
    // The weightiest word asked held: the same passage answers.
    const calls = await search(
      d,
      "i'm at a client site all week and ring customers a lot. are the call charges paid back?",
    );
    expect(calls.relevance.confident).toBe(true);
    expect(calls.askedAbout).toMatchObject({ held: true, named: false });
  });

  it('returns nothing, without an error, for stop words, punctuation or an empty question', async () => {
    for (const q of ['the of and', '?!... --', '', '   ', '"" OR -']) {
      const res = await search(a, q);
      expect(res.hits).toEqual([]);
      expect(res.relevance.confident).toBe(false);
    }
  });

  it('passes odd characters through safely (quotes, backslashes, websearch operators)', async () => {
    const { hits } = await search(
      a,
      `O'Brien's "leave" -nothing \\ or receipts'); DROP TABLE lore.chunks; --`,
    );
    expect(hits.length).toBeGreaterThan(0);
    const again = await search(a, 'receipts');
    expect(again.hits[0]?.title).toBe('Expenses');
  });

  it("outside withTenant (the owner, no RLS), full-text still finds the named tenant's chunks", async () => {
    // Inside withTenant the full-text candidates come from lore.full_text_chunk_ids, fenced by
    // app.tenant_id; without it the function must fall back to its own query, not return nothing.
    const hits = await hybridSearch(db.pool, {
      tenantId: b,
      query: 'launch code',
      embedding: null,
      k: 10,
      fullTextWeight: 1,
      semanticWeight: 1,
      rrfK: 60,
      embeddingModel: null,
      fullTextMode: 'all_then_any',
    });
    expect(hits.map((h) => h.title)).toEqual(['B secrets']);
  });

  it("never returns another tenant's chunks, even when asked for that tenant's id (RLS wins)", async () => {
    expect((await search(a, 'launch code')).hits).toEqual([]);
    const viaB = await withTenant(db, a, (c) =>
      hybridSearch(c, {
        tenantId: b,
        query: 'annual leave launch code',
        embedding: fakeEmbedding('launch code'),
        k: 10,
        fullTextWeight: 1,
        semanticWeight: 1,
        rrfK: 60,
        embeddingModel: null,
        fullTextMode: 'all_then_any',
      }),
    );
    expect(viaB).toEqual([]);
    // B itself does find it: the empty result above is the fence, not a broken query.
    expect((await search(b, 'launch code')).hits.map((h) => h.title)).toEqual(['B secrets']);
  });

  it('adds vector matches: a paraphrase with no shared word is found by similarity alone', async () => {
    const query = 'submitting claim within thirty days';
    const fullTextOnly = await search(a, query, { fullTextMode: 'all' });
    expect(fullTextOnly.hits).toEqual([]);
    const { hits } = await search(a, query, {
      embedding: fakeEmbedding('Submit expense claims within 30 days'),
      embeddingModel: SEARCH_TEST_MODEL,
    });
    expect(hits[0]).toMatchObject({ title: 'Expenses', semanticRank: 1 });
    expect(hits[0]?.similarity).toBeGreaterThan(0.5);
  });

  it('ranks a chunk found by both lists above chunks found by one', async () => {
    const { hits } = await search(a, 'request leave in Harbor', {
      embedding: fakeEmbedding('Request leave in Harbor at least two weeks before the first day off.'),
      embeddingModel: SEARCH_TEST_MODEL,
    });
    expect(hits[0]).toMatchObject({ section: 'Requesting', fullTextRank: 1, semanticRank: 1 });
    const onlyOne = hits.filter((h) => h.fullTextRank === null || h.semanticRank === null);
    expect(onlyOne.every((h) => h.score < (hits[0]?.score ?? 0))).toBe(true);
  });

  it('leaves chunks of another embedding model, and unembedded chunks, out of the vector half only', async () => {
    const parking = await search(a, '', {
      embedding: fakeEmbedding('Parking spaces are booked in the Facilities app.'),
      embeddingModel: SEARCH_TEST_MODEL,
      k: 10,
    });
    expect(parking.hits.map((h) => h.title)).not.toContain('Old model');
    expect((await search(a, 'parking facilities')).hits[0]?.title).toBe('Old model');
    expect((await search(a, 'Tunnelworks VPN')).hits[0]?.title).toBe('Unembedded');
  });

  it('returns only the searchable version of a document', async () => {
    await withTenant(db, a, async (c) => {
      const { documentId } = await storeSearchableDocument(c, a, 'Versioned', [
        { content: 'Quokka policy version one.' },
      ]);
      const v2 = await insertVersion(c, {
        tenantId: a,
        documentId,
        checksum: 'f'.repeat(64),
        byteSize: 1,
        mediaType: 'text/markdown',
      });
      // A stray chunk of a version that is not active (the pipeline never leaves one, but if it did).
      await c.query(
        `INSERT INTO lore.chunks (tenant_id, document_id, version_id, ordinal, title, content, token_count)
         VALUES ($1, $2, $3, 0, 'Versioned', 'Quokka policy version two.', 5)`,
        [a, documentId, v2.id],
      );
    });
    const contents = (await search(a, 'quokka policy', { k: 10 })).hits.map((h) => h.content);
    expect(contents[0]).toBe('Quokka policy version one.');
    expect(contents).not.toContain('Quokka policy version two.');
  });

  it('weights the lists: with the semantic weight at 0 the order is the full-text order', async () => {
    const opts = { embedding: fakeEmbedding('expense receipts'), embeddingModel: SEARCH_TEST_MODEL, k: 10 };
    const { hits } = await search(a, 'leave', { ...opts, weights: { semantic: 0 } });
    const ranked = hits.filter((h) => h.fullTextRank !== null).map((h) => h.fullTextRank);
    expect(ranked).toEqual([...ranked].sort((x, y) => (x ?? 0) - (y ?? 0)));
    expect(hits[0]?.fullTextRank).toBe(1);
  });

  it('rejects a k out of range (400) and a query vector of the wrong size (internal error)', async () => {
    await expect(search(a, 'leave', { k: 0 })).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    await expect(search(a, 'leave', { k: 101 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(search(a, 'leave', { embedding: [1, 2, 3] })).rejects.toMatchObject({
      code: 'embedding_invalid',
      expose: false,
    });
  });

  /** The answer step's retriever, embedding questions through the OpenAI adapter at a nock-able URL. */
  const openAiRetriever = () => {
    const llm = createOpenAiClient({
      apiKey: 'sk-test',
      baseUrl: 'https://api.openai.test/v1',
      maxRetries: 0,
    });
    return createRetriever({
      db,
      embedderFor: async () => ({ llm }),
      embeddingModel: SEARCH_TEST_MODEL,
      logger: createLogger({ level: 'silent' }),
    });
  };

  it('the retriever embeds the question through the provider and hands back merged passages', async () => {
    const stats = mockOpenAiEmbeddings('https://api.openai.test/v1');
    const retrieve = openAiRetriever();
    const r = await retrieve(a, 'How many days of annual leave, and how do I request leave in Harbor?', {
      collectionIds: null,
    });
    expect(stats.requests).toBe(1);
    expect(r.confident).toBe(true);
    expect(r.passages[0]).toMatchObject({ title: 'Leave policy', ordinal: 0 });
    expect(r.passages[0]?.content).toMatch(/25 days[\s\S]*Request leave in Harbor/);
  });

  it('the retriever embeds a question again once its typo is read, so the vector half searches it fixed', async () => {
    const stats = mockOpenAiEmbeddings('https://api.openai.test/v1');
    const r = await openAiRetriever()(a, 'how many days of anual leave per year?', { collectionIds: null });
    expect(r.spelling).toEqual([{ typed: 'anual', corrected: 'annual' }]);
    expect(stats.texts).toEqual([
      'how many days of anual leave per year?',
      'how many days of annual leave per year?',
    ]);
    expect(r.passages[0]?.content).toMatch(/25 days of paid annual leave/);
    // A question typed clean is embedded once.
    await openAiRetriever()(a, 'how many days of annual leave per year?', { collectionIds: null });
    expect(stats.requests).toBe(3);
  });

  it('keeps the embedding as typed when embedding the fixed question fails', async () => {
    // The first embedding is served; the second (the fixed question) fails, as in a provider outage.
    const first = nock('https://api.openai.test')
      .post('/v1/embeddings')
      .reply(200, (_uri, body) => ({
        object: 'list',
        model: (body as { model: string }).model,
        data: [{ object: 'embedding', index: 0, embedding: fakeEmbedding('how many days of anual leave') }],
        usage: { prompt_tokens: 8, total_tokens: 8 },
      }));
    const failed = nock('https://api.openai.test')
      .post('/v1/embeddings')
      .reply(500, { error: { message: 'down' } });
    const r = await openAiRetriever()(a, 'how many days of anual leave per year?', { collectionIds: null });
    expect(first.isDone() && failed.isDone()).toBe(true);
    expect(r.spelling).toEqual([{ typed: 'anual', corrected: 'annual' }]);
    expect(r.confident).toBe(true);
    expect(r.passages[0]?.similarity).not.toBeNull();
    expect(r.passages[0]?.content).toMatch(/25 days of paid annual leave/);
  });

  it('the retriever falls back to full-text search when the embedding provider fails', async () => {
    // No nock interceptor: the request is refused, as in a provider outage.
    const retrieve = openAiRetriever();
    const r = await retrieve(a, 'expense claims receipts', { collectionIds: null });
    expect(r.passages[0]?.title).toBe('Expenses');
  });
});
