import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, limitExceeded } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import {
  type DocumentRecord,
  findDocumentByChecksum,
  findDocumentByNameForUpdate,
  insertDocument,
  insertVersion,
  setProgress,
} from './documents.repo.js';
import { enqueueIngest } from './ingest-queue.js';
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
  source: 'upload' | 'api' | 'cli' | 'sample';
  actor: string;
  requestId?: string;
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
  if (!base) throw new AppError({ code: 'bad_request', message: 'The file has no name.', status: 400 });
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
  const limits = await withTenant(deps.db, tenantId, getPlanLimits);
  const received = await receiveUpload(upload.body, fileName, limits.maxFileBytes);
  try {
    const recorded = await withTenant(deps.db, tenantId, async (c) => {
      const duplicate = await findDocumentByChecksum(c, received.checksum);
      if (duplicate) return { outcome: 'duplicate' as const, document: duplicate, version: null };
      let document = await findDocumentByNameForUpdate(c, fileName);
      const outcome = document ? ('new_version' as const) : ('created' as const);
      if (!document) {
        const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.documents');
        if ((rows[0]?.n ?? 0) >= limits.maxDocuments) {
          throw limitExceeded(`Your plan allows ${limits.maxDocuments} documents. Delete some or upgrade.`, {
            maxDocuments: limits.maxDocuments,
          });
        }
        document = await insertDocument(c, {
          tenantId,
          title: (upload.title?.trim() || fileName.replace(/\.[^.]+$/, '') || fileName).slice(0, 500),
          sourceName: fileName,
          sourceKind: upload.source,
          createdBy: upload.actor,
        });
      }
      const version = await insertVersion(c, {
        tenantId,
        documentId: document.id,
        checksum: received.checksum,
        byteSize: received.byteSize,
        mediaType: EXTENSION_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream',
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
    await enqueueIngest(deps.queue, {
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
