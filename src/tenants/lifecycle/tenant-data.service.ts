import { appendAudit } from '../../audit/audit.repo.js';
import { confirmationMismatch } from '../../errors.js';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';

/** What "delete all data" removed. */
export interface DeletedData {
  documents: number;
  answers: number;
  gaps: number;
}

/**
 * The danger zone: deletes the workspace's knowledge base (documents, versions, chunks, stored originals),
 * its questions and answers with their sources and feedback, and its knowledge gaps. The install, settings,
 * API keys, metered usage (billing records) and the audit log stay. `confirm` must be the workspace's name.
 */
export async function deleteAllTenantData(
  deps: { db: Database; blobs: BlobStore },
  tenantId: string,
  p: { confirm: string; actor: string },
): Promise<DeletedData> {
  const deleted = await withTenant(deps.db, tenantId, async (c) => {
    const { rows } = await c.query<{ name: string }>('SELECT name FROM lore.tenants WHERE id = $1', [
      tenantId,
    ]);
    if (p.confirm.trim() !== rows[0]?.name.trim()) {
      throw confirmationMismatch('Type the workspace name exactly to confirm');
    }
    const gaps = await c.query('DELETE FROM lore.knowledge_gaps');
    const answers = await c.query('DELETE FROM lore.answers');
    await c.query('DELETE FROM lore.conversations');
    const documents = await c.query('DELETE FROM lore.documents');
    const result = {
      documents: documents.rowCount ?? 0,
      answers: answers.rowCount ?? 0,
      gaps: gaps.rowCount ?? 0,
    };
    await appendAudit(c, { tenantId, actor: p.actor, action: 'tenant.data_deleted', details: { ...result } });
    return result;
  });
  // After the commit: a failure here leaves orphaned files, never rows pointing at missing files.
  await deps.blobs.deletePrefix(`${tenantId}/`);
  return deleted;
}
