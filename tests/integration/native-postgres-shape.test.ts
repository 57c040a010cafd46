import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import { SEARCH_TEST_MODEL, storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';

// Native Postgres only: PGlite puts pgvector in `public` and connects as a superuser, so it cannot show
// what Supabase does (pgvector in schema `extensions`, a non-superuser owner, API roles granted usage).
describe.skipIf(!onNativePostgres)('on Supabase-shaped Postgres (pgvector in schema extensions)', () => {
  let db: Database;
  let tenant: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    tenant = (await createTenant(db, { slackTeamId: 'TSHAPE', name: 'Shape' })).id;
  });
  afterAll(() => db?.close());

  it('runs as a non-superuser owner with pgvector in schema extensions', async () => {
    const { rows } = await db.pool.query(`
      SELECT r.rolsuper AS superuser, n.nspname AS vector_schema
        FROM pg_roles r, pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
       WHERE r.rolname = current_user AND e.extname = 'vector'`);
    expect(rows).toEqual([{ superuser: false, vector_schema: 'extensions' }]);
  });

  it('stores embedded chunks and answers a search with an embedding, as the tenant role', async () => {
    await withTenant(db, tenant, (c) =>
      storeSearchableDocument(c, tenant, 'Expenses', [
        { content: 'Submit expense claims in Ledgerly within 30 days, with receipts.' },
      ]),
    );
    const { hits } = await withTenant(db, tenant, (c) =>
      searchKnowledge(c, tenant, {
        query: 'submitting claim within thirty days',
        k: 5,
        embedding: fakeEmbedding('Submit expense claims within 30 days'),
        embeddingModel: SEARCH_TEST_MODEL,
      }),
    );
    expect(hits[0]).toMatchObject({ title: 'Expenses', semanticRank: 1 });
  });
});
