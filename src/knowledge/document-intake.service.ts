import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { badRequest, limitExceeded, notFound } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { existingCollectionIds } from './collections/collections.repo.js';
import {
  countDocuments,
  type DocumentRecord,
  findDocumentByChecksum,
  findDocumentByNameForUpdate,
  insertDocument,
  insertVersion,
  moveDocuments,
  setProgress,
} from './documents.repo.js';
import { ingestJob } from './ingest.job.js';
import { receiveUpload } from './upload-receiver.js';

export interface IntakeDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
}

export interface NewUpload {
  fileName: string;
  title?: string;
  body: Readable;
  source: 'upload' | 'api' | 'cli' | 'sample' | 'web' | 'slack_thread';
  actor: string;
  requestId?: string;
  /**
   * What makes a later add a new version of this document, when it is not the file name: a web page's URL,
   * a Slack thread's channel and timestamp. Kept as given (up to 500 characters).
   */
  sourceKey?: string;
  /** Where a reader of this document can see the original (a web page, a thread's permalink). */
  sourceUrl?: string;
  /** The type the bytes are, when the file name does not tell (content is still checked when read). */
  mediaType?: string;
  /** Sources that are re-read on purpose (web pages, saved threads) make a version even when bytes repeat. */
  skipDuplicateCheck?: boolean;
  /**
   * The collection the document goes into (a new version moves it there too). Unset: a new document goes
   * into the workspace default, and a new version stays where it is.
   */
  collectionId?: string;
}

/** What happened to one upload: queued as a new document or version, or recognised as a duplicate. */
export interface IntakeResult {
  outcome: 'created' | 'new_version' | 'duplicate';
  document: DocumentRecord;
  versionId: string | null;
}

const EXTENSION_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
};

/** A clean display name: no folders, no control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const base = path
    .basename(raw.replace(/\\/g, '/'))
    .replace(/[\p{C}]/gu, '')
    .trim();
  if (!base) throw badRequest('The file has no name.');
  return base.slice(0, 200);
}

/**
 * Accepts one document: spools it (streamed, size-limited by the plan), skips identical bytes already in
 * the knowledge base, records a new document or a new version of the one with the same name, stores the
 * original, and queues the `ingest` job that makes it searchable.
 */
export async function addDocument(
  deps: IntakeDeps,
  tenantId: string,
  upload: NewUpload,
): Promise<IntakeResult> {
  const fileName = cleanFileName(upload.fileName);
  const sourceName = upload.sourceKey?.slice(0, 500) ?? fileName;
  const limits = await withTenant(deps.db, tenantId, getPlanLimits);
  const received = await receiveUpload(upload.body, fileName, limits.maxFileBytes);
  try {
    const recorded = await withTenant(deps.db, tenantId, async (c) => {
      const duplicate = upload.skipDuplicateCheck ? null : await findDocumentByChecksum(c, received.checksum);
      if (duplicate) return { outcome: 'duplicate' as const, document: duplicate, version: null };
      if (upload.collectionId && (await existingCollectionIds(c, [upload.collectionId])).length === 0) {
        throw notFound('Collection', 'That collection no longer exists: choose another one.');
      }
      let document = await findDocumentByNameForUpdate(c, sourceName);
      const outcome = document ? ('new_version' as const) : ('created' as const);
      if (document && upload.collectionId && document.collectionId !== upload.collectionId) {
        await moveDocuments(c, [document.id], upload.collectionId);
        document = { ...document, collectionId: upload.collectionId };
      }
      if (!document) {
        if ((await countDocuments(c)) >= limits.maxDocuments) {
          throw limitExceeded(`Your plan allows ${limits.maxDocuments} documents. Delete some or upgrade.`, {
            maxDocuments: limits.maxDocuments,
          });
        }
        document = await insertDocument(c, {
          tenantId,
          title: (upload.title?.trim() || fileName.replace(/\.[^.]+$/, '') || fileName).slice(0, 500),
          sourceName,
          sourceKind: upload.source,
          sourceUrl: upload.sourceUrl,
          createdBy: upload.actor,
          collectionId: upload.collectionId,
        });
      }
      const version = await insertVersion(c, {
        tenantId,
        documentId: document.id,
        checksum: received.checksum,
        byteSize: received.byteSize,
        mediaType:
          upload.mediaType ??
          EXTENSION_TYPES[path.extname(fileName).toLowerCase()] ??
          'application/octet-stream',
      });
      return { outcome, document: { ...document, status: 'queued' as const }, version };
    });
    if (!recorded.version) return { outcome: 'duplicate', document: recorded.document, versionId: null };
    const version = recorded.version;
    try {
      await deps.blobs.put(version.blobKey, createReadStream(received.path), {
        contentType: version.mediaType,
        byteSize: received.byteSize,
      });
    } catch (err) {
      await withTenant(deps.db, tenantId, (c) =>
        setProgress(c, {
          versionId: version.id,
          status: 'failed',
          errorReason: 'The file could not be stored. Please upload it again.',
        }),
      );
      throw err;
    }
    await enqueueJob(deps.queue, ingestJob, {
      v: 1,
      tenantId,
      documentId: version.documentId,
      versionId: version.id,
      requestId: upload.requestId,
    });
    return { outcome: recorded.outcome, document: recorded.document, versionId: version.id };
  } finally {
    await received.discard();
  }
}
