import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { enqueueIngest } from './ingest-queue.js';

/**
 * Re-queues every version left unfinished by a crash or restart (the in-memory queue forgets its jobs;
 * BullMQ keeps them, and the job id makes this a no-op there). Runs across tenants at worker start, as
 * the owner role, reading only ids.
 */
export async function resumeUnfinishedIngests(
  db: Database,
  queue: JobQueue,
  logger: Logger,
): Promise<number> {
  const { rows } = await withTransaction(db, (c) =>
    c.query<{ tenantId: string; documentId: string; versionId: string }>(
      `SELECT v.tenant_id AS "tenantId", v.document_id AS "documentId", v.id AS "versionId"
       FROM lore.document_versions v JOIN lore.documents d ON d.id = v.document_id AND d.latest_version = v.version
       WHERE v.status IN ('queued', 'parsing', 'embedding')`,
    ),
  );
  for (const r of rows) await enqueueIngest(queue, r);
  if (rows.length > 0) logger.info({ count: rows.length }, 'resumed unfinished document ingestion');
  return rows.length;
}
