import { deleteAllAnswers, deleteAllConversations } from '../../ai/answers.repo.js';
import { appendAudit } from '../../audit/audit.repo.js';
import { confirmationMismatch } from '../../errors.js';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { deleteAllDocuments } from '../../knowledge/documents.repo.js';
import { deleteAllKnowledgeGaps } from '../../knowledge/knowledge-gaps.repo.js';
import { tenantNameOf } from '../tenants.repo.js';

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
    const name = await tenantNameOf(c, tenantId);
    if (p.confirm.trim() !== name?.trim()) {
      throw confirmationMismatch('Type the workspace name exactly to confirm');
    }
    // Gaps first: deleting answers would cascade to their gaps, and those would go uncounted.
    const gaps = await deleteAllKnowledgeGaps(c);
    const answers = await deleteAllAnswers(c);
    await deleteAllConversations(c);
    const documents = await deleteAllDocuments(c);
    const result = { documents, answers, gaps };
    await appendAudit(c, { tenantId, actor: p.actor, action: 'tenant.data_deleted', details: { ...result } });
    return result;
  });
  // After the commit: a failure here leaves orphaned files, never rows pointing at missing files.
  await deps.blobs.deletePrefix(`${tenantId}/`);
  return deleted;
}
