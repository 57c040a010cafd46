import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { createTenant } from '../support/factories.js';
import { storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * BM25 ranking of lore.hybrid_search's full-text list (supabase/migrations/*_bm25_full_text.sql): a
 * question's rare words count for more than the words every document uses, and how rare a word is
 * depends only on the asking tenant's own documents.
 */
describe('full-text ranking (BM25)', () => {
  let db: Database;
  let tenantSeq = 0;

  const newTenant = () =>
    createTenant(db, { slackTeamId: `TRANK${++tenantSeq}`, name: `Ranking ${tenantSeq}` }).then((t) => t.id);
  const store = (tenantId: string, name: string, contents: string[]) =>
    withTenant(db, tenantId, (c) =>
      storeSearchableDocument(
        c,
        tenantId,
        name,
        contents.map((content) => ({ content })),
        { embed: false },
      ),
    );
  const search = (tenantId: string, query: string) =>
    withTenant(db, tenantId, (c) => searchKnowledge(c, tenantId, { query, k: 10 }));

  /** Handbook pages that all talk about employees, the company and its policy: common words. */
  const handbook = (tenantId: string) =>
    Promise.all(
      ['Travel', 'Expenses', 'Laptops', 'Holidays', 'Parking'].map((topic) =>
        store(tenantId, `Handbook ${topic}`, [
          `Company policy: every employee reads the company policy on ${topic.toLowerCase()}, and every employee signs the company policy.`,
        ]),
      ),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('ranks the chunk with the question’s rare word above chunks that repeat its common words', async () => {
    const t = await newTenant();
    await handbook(t);
    await store(t, 'Office animals', ['Quokka visits to the office are allowed on Fridays.']);

    const { hits } = await search(t, 'What is the company policy on quokka visits for employees?');

    expect(hits[0]?.title).toBe('Office animals');
    // The handbook pages still follow, below it: the common words still count, just for less.
    expect(hits.slice(1).map((h) => h.title)).toHaveLength(5);
    expect(hits.slice(1).every((h) => h.title.startsWith('Handbook'))).toBe(true);
    expect(hits[0]?.fullTextScore).toBeGreaterThan(hits[1]?.fullTextScore ?? Infinity);
  });

  it('counts how rare a word is within the tenant: other tenants’ documents change nothing, its own do', async () => {
    const t = await newTenant();
    await handbook(t);
    await store(t, 'Office animals', ['Quokka visits to the office are allowed on Fridays.']);
    const query = 'quokka visits policy';
    const before = (await search(t, query)).hits.map((h) => [h.title, h.fullTextScore]);

    // Another tenant writes "quokka" everywhere: were word statistics shared, it would stop being rare.
    const other = await newTenant();
    for (let i = 0; i < 6; i++) {
      await store(other, `Quokka notes ${i}`, [
        `Quokka policy ${i}: quokka visits, quokka food, quokka care.`,
      ]);
    }
    expect((await search(t, query)).hits.map((h) => [h.title, h.fullTextScore])).toEqual(before);

    // The tenant's own new quokka documents do make the word commoner, so its old match scores lower.
    await store(t, 'Quokka care', ['Feed a visiting quokka leaves, never bread.']);
    await store(t, 'Quokka rota', ['The quokka rota lists who walks the quokka.']);
    const after = (await search(t, query)).hits;
    const score = (hits: typeof after, title: string) => hits.find((h) => h.title === title)?.fullTextScore;
    const officeBefore = before.find(([title]) => title === 'Office animals')?.[1];
    expect(score(after, 'Office animals')).toBeLessThan(Number(officeBefore));
  });

  it('finds the parts of names joined by dots, slashes and @ (Node.js, package.json, CI/CD, an email), 401(k) as 401k, and IT', async () => {
    const t = await newTenant();
    await handbook(t);
    await store(t, 'Runtime', ['Services run on Node.js 20; pin it in package.json under "engines".']);
    await store(t, 'Pipelines', ['Every merge runs the CI/CD pipeline defined in deploy/pipeline.yml.']);
    await store(t, 'Contacts', ['Questions about payroll go to payroll-team@acme.example.']);
    await store(t, 'Release notes', ['Version v1.2.3 shipped on 24/7 support rotas.']);
    await store(t, 'Retirement', ['Lore matches 401(k) contributions up to 4% of salary.']);
    await store(t, 'Support', ['If your laptop breaks, open a ticket in the IT portal.']);

    const top = async (query: string) => (await search(t, query)).hits[0]?.title;
    // Postgres alone reads "Node.js", "package.json", "CI/CD" and the address as one token each: none of
    // these questions found its passage.
    expect(await top('which node version do we run?')).toBe('Runtime');
    expect(await top('where do I pin the engines in package json')).toBe('Runtime');
    expect(await top('what does the CI pipeline run on merge?')).toBe('Pipelines');
    expect(await top('pipeline yml location')).toBe('Pipelines');
    expect(await top('who do I email about payroll?')).toBe('Contacts');
    // "401(k)" is read as people type it, and as Lore reads it elsewhere (words.ts).
    expect(await top('401k?')).toBe('Retirement');
    expect(await top('401(k) match')).toBe('Retirement');
    // "IT" the department is no stop word: the question's only topic finds the page that names it.
    expect(await top('who do I ask in IT?')).toBe('Support');
    // The SQL function itself reads the question so, whoever calls it (benchmarks, operators), not only Lore's repo.
    const direct = await withTenant(db, t, (c) =>
      c.query<{ title: string }>(
        'SELECT title FROM lore.hybrid_search(p_tenant => $1, p_query => $2, p_k => 1)',
        [t, 'who do I ask in IT?'],
      ),
    );
    expect(direct.rows.map((r) => r.title)).toEqual(['Support']);
    // Typed the way the document writes it, they still meet.
    expect(await top('Node.js')).toBe('Runtime');
    expect(await top('payroll-team@acme.example')).toBe('Contacts');
    // A version and "24/7" keep their form (a digit on one side): matched whole, never as loose numbers.
    expect(await top('v1.2.3')).toBe('Release notes');
    expect((await search(t, '2')).hits).toEqual([]);
    expect((await search(t, '7')).hits).toEqual([]);
  });
});
