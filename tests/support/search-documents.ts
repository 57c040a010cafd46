import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { DbClient } from '../../src/infra/db/database.js';
import { replaceDocumentChunks } from '../../src/knowledge/chunks.repo.js';
import { insertDocument, insertVersion } from '../../src/knowledge/documents.repo.js';
import { buildDocument } from './factories.js';
import { fakeEmbedding } from './fake-embeddings.js';

export const SEARCH_TEST_MODEL = 'text-embedding-3-small';

/**
 * Stores a ready, searchable document with the given chunk texts through the ingestion repo functions
 * (no parsing or chunking), embedded with the fake model unless `embed` is false. Run it in withTenant.
 */
export async function storeSearchableDocument(
  c: DbClient,
  tenantId: string,
  name: string,
  chunks: Array<{ content: string; section?: string; page?: number }>,
  opts: { embed?: boolean; model?: string } = {},
): Promise<{ documentId: string; versionId: string }> {
  const doc = await insertDocument(c, buildDocument(tenantId, { title: name, sourceName: `${name}.md` }));
  const version = await insertVersion(c, {
    tenantId,
    documentId: doc.id,
    checksum: createHash('sha256').update(name).digest('hex'),
    byteSize: 1,
    mediaType: 'text/markdown',
  });
  await replaceDocumentChunks(c, {
    tenantId,
    documentId: doc.id,
    versionId: version.id,
    embeddingModel: opts.embed === false ? null : (opts.model ?? SEARCH_TEST_MODEL),
    chunks: chunks.map((ch, ordinal) => ({
      ordinal,
      title: name,
      section: ch.section ?? '',
      pageStart: ch.page ?? null,
      pageEnd: ch.page ?? null,
      content: ch.content,
      tokenCount: 10,
      embedding: opts.embed === false ? null : fakeEmbedding(ch.content),
    })),
  });
  return { documentId: doc.id, versionId: version.id };
}

/** A generated corpus of chunk texts, some embedded and some not (the RRF property tests), as two documents. */
export async function storeTextCorpus(
  c: DbClient,
  tenantId: string,
  corpus: { embedded: string[]; notEmbedded: string[] },
): Promise<void> {
  const chunks = (texts: string[]) => texts.map((content) => ({ content }));
  if (corpus.embedded.length) await storeSearchableDocument(c, tenantId, 'embedded', chunks(corpus.embedded));
  if (corpus.notEmbedded.length)
    await storeSearchableDocument(c, tenantId, 'plain', chunks(corpus.notEmbedded), { embed: false });
}

// A small vocabulary, so generated questions and chunks share words and both lists have several candidates.
const CORPUS_WORDS = [
  'leave',
  'expenses',
  'vpn',
  'laptop',
  'holiday',
  'receipt',
  'travel',
  'parking',
  'badge',
];
/** One generated chunk text or question for the RRF property tests: 1 to 8 words of the small vocabulary. */
export const corpusText = fc
  .array(fc.constantFrom(...CORPUS_WORDS), { minLength: 1, maxLength: 8 })
  .map((w) => w.join(' '));
