import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DbClient } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { replaceDocumentChunks } from '../../src/knowledge/chunks.repo.js';
import { insertCollection } from '../../src/knowledge/collections/collections.repo.js';
import { deleteDocumentRow } from '../../src/knowledge/documents.repo.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { tenantWordsNear } from '../../src/knowledge/retrieval/tenant-words.repo.js';
import { createTenant } from '../support/factories.js';
import { storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';

/** The tenant's words as the database holds them, read as that tenant (row-level security applies). */
const wordsOf = (db: Database, tenantId: string) =>
  withTenant(db, tenantId, async (c: DbClient) => {
    const { rows } = await c.query<{ word: string; chunks: number }>(
      'SELECT word, chunks FROM lore.tenant_words ORDER BY word',
    );
    return Object.fromEntries(rows.map((r) => [r.word, r.chunks]));
  });

describe("lore.tenant_words: each tenant's vocabulary, kept by the database as chunks come and go", () => {
  let db: Database;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    db = await createTestDatabase({ connections: 4 });
    acme = (await createTenant(db, { slackTeamId: 'TWORDS1', name: 'Acme' })).id;
    globex = (await createTenant(db, { slackTeamId: 'TWORDS2', name: 'Globex' })).id;
  });
  afterAll(() => db.close());

  it('counts the chunks holding each word of 4 to 30 letters, follows a new version, and forgets a deleted document', async () => {
    const { documentId, versionId } = await withTenant(db, acme, (c) =>
      storeSearchableDocument(c, acme, 'Leave', [
        { content: 'Every employee gets 27 vacation days. Vacation carries over (see rules.json).' },
        { content: 'Parental leave is 20 weeks; ask HR (x2y) about vacation too.' },
      ]),
    );
    const first = await wordsOf(db, acme);
    // Counted once per chunk that holds it, whatever the case; short words and numbers are no words here.
    expect(first).toMatchObject({ vacation: 2, leave: 2, parental: 1, employee: 1, every: 1 });
    // The parts of a name joined by a dot are words too ("rules.json": rules, json).
    expect(first).toMatchObject({ rules: 1, json: 1 });
    expect(Object.keys(first).filter((w) => w.length < 4 || /[^a-z]/.test(w))).toEqual([]);
    // Another tenant's words are not visible, and its own are its own.
    expect(await wordsOf(db, globex)).toEqual({});
    // Looked up for typos all at once: each typed word gets the words of its first letter and about its length.
    const typed = [
      { word: 'vaccation', maxEdits: 2 },
      { word: 'parentl', maxEdits: 1 },
      { word: 'zebra', maxEdits: 1 },
    ];
    const near = await withTenant(db, acme, (c) => tenantWordsNear(c, { tenantId: acme, typed }));
    expect(Object.fromEntries([...near].map(([w, m]) => [w, Object.fromEntries(m)]))).toEqual({
      vaccation: { vacation: 2 },
      parentl: { parental: 1 },
      zebra: {},
    });
    // Asked as another tenant, nothing.
    const theirs = await withTenant(db, globex, (c) => tenantWordsNear(c, { tenantId: acme, typed }));
    expect([...theirs.values()].every((m) => m.size === 0)).toBe(true);

    // A new version replaces the chunks: words only the old one had are gone, counts follow.
    await withTenant(db, acme, (c) =>
      replaceDocumentChunks(c, {
        tenantId: acme,
        documentId,
        versionId,
        embeddingModel: null,
        chunks: [0, 1, 2].map((ordinal) => ({
          ordinal,
          title: 'Leave',
          section: '',
          pageStart: null,
          pageEnd: null,
          content: `Sabbatical rules, part ${ordinal}.`,
          tokenCount: 4,
          embedding: null,
        })),
      }),
    );
    expect(await wordsOf(db, acme)).toEqual({ leave: 3, rules: 3, part: 3, sabbatical: 3 });

    await withTenant(db, acme, (c) => deleteDocumentRow(c, documentId));
    expect(await wordsOf(db, acme)).toEqual({});
  });

  it('keeps exact counts when one tenant ingests several documents at once (each in its own transaction)', async () => {
    const initech = (await createTenant(db, { slackTeamId: 'TWORDS3', name: 'Initech' })).id;
    // Every document shares "handbook" and "policy"; each has a word of its own.
    const own = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const docs = await Promise.all(
      own.map((word) =>
        withTenant(db, initech, (c) =>
          storeSearchableDocument(c, initech, `Doc ${word}`, [
            { content: `Handbook policy ${word}.` },
            { content: `More of the handbook policy about ${word}.` },
          ]),
        ),
      ),
    );
    const words = await wordsOf(db, initech);
    expect(words).toMatchObject({ handbook: 12, policy: 12, alpha: 2, foxtrot: 2, more: 6 });
    // Deleted at once too: nothing is left over.
    await Promise.all(docs.map((d) => withTenant(db, initech, (c) => deleteDocumentRow(c, d.documentId))));
    expect(await wordsOf(db, initech)).toEqual({});
  });

  // Two ingests of one tenant, each storing its documents in several statements, reach shared words in opposite
  // orders: A counts "alpha" then "bravo", B "bravo" then "alpha". Row locks alone would deadlock (Postgres
  // aborts one ingest); the trigger's per-tenant advisory lock makes B wait for A instead. Native only: PGlite
  // has one connection, so two transactions never overlap there.
  it.runIf(onNativePostgres)(
    'lets two ingests of one tenant that reach shared words in opposite orders both finish (no deadlock)',
    async () => {
      const umbrella = (await createTenant(db, { slackTeamId: 'TWORDS4', name: 'Umbrella' })).id;
      const store = (c: DbClient, word: string) =>
        storeSearchableDocument(c, umbrella, `Doc ${word} ${Math.random()}`, [
          { content: `Shared ${word}.` },
        ]);
      let aStoredFirst!: () => void;
      const aFirst = new Promise<void>((resolve) => {
        aStoredFirst = resolve;
      });
      let bPid = 0;
      let bStoredFirst = false;
      // Until B has stored its first document or waits on a lock held by A: then A's second store meets B.
      const bBusy = async () => {
        for (;;) {
          const { rows } = await db.pool.query<{ waiting: boolean }>(
            `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
            [bPid],
          );
          if (bStoredFirst || rows[0]?.waiting) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const a = withTenant(db, umbrella, async (c) => {
        await store(c, 'alpha');
        aStoredFirst();
        await bBusy();
        await store(c, 'bravo');
      });
      const b = withTenant(db, umbrella, async (c) => {
        await aFirst;
        bPid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
        await store(c, 'bravo');
        bStoredFirst = true;
        await store(c, 'alpha');
      });
      await expect(Promise.all([a, b])).resolves.toBeDefined();
      expect(await wordsOf(db, umbrella)).toMatchObject({ shared: 4, alpha: 2, bravo: 2 });
    },
  );

  it('reads a typo the question alone cannot place as a word of the documents, never one outside the searched collections', async () => {
    await withTenant(db, globex, async (c) => {
      await storeSearchableDocument(c, globex, 'Time off', [
        { content: 'Every employee gets 27 vacation days per year.' },
      ]);
      const secret = await storeSearchableDocument(c, globex, 'Board', [
        { content: 'The reorganisation plan is confidential.' },
      ]);
      const board = (await insertCollection(c, globex, { name: 'Board', description: '' })) as string;
      await c.query('UPDATE lore.documents SET collection_id = $1 WHERE id = $2', [board, secret.documentId]);
    });
    const search = (query: string, collectionIds: string[] | null = null) =>
      withTenant(db, globex, (c) => searchKnowledge(c, globex, { query, k: 5, collectionIds }));

    // "vaccation?" shares no word with any passage, so no passage says what was meant: the tenant's words do.
    const typo = await search('vaccation?');
    expect(typo.spelling).toEqual([{ typed: 'vaccation', corrected: 'vacation' }]);
    expect(typo.hits[0]?.content).toContain('27 vacation days');

    // Searched in the default collection only: the word only the board's document holds is not put in the
    // question (and not shown as read), so the question stays as typed.
    const everyone = await withTenant(db, globex, async (c) => {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.collections WHERE is_default');
      return rows[0]?.id as string;
    });
    const scoped = await search('reorganisaton plan', [everyone]);
    expect(scoped.spelling).toEqual([]);
    const unscoped = await search('reorganisaton plan');
    expect(unscoped.spelling).toEqual([{ typed: 'reorganisaton', corrected: 'reorganisation' }]);
  });
});
