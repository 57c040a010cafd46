import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { findDocument } from './documents.repo.js';
import {
  type GapStatus,
  type KnowledgeGap,
  listGapInbox,
  setGapStatusForQuestion,
} from './knowledge-gaps.repo.js';

export type { GapStatus, KnowledgeGap } from './knowledge-gaps.repo.js';

/**
 * The gap inbox: one entry per distinct question (same words, any case) with a status, newest first, with
 * how often it was asked and the latest 👎 reason when someone gave one.
 */
export const listKnowledgeGaps = (
  db: Database,
  tenantId: string,
  q: { status: GapStatus; limit: number; offset: number },
): Promise<{ items: KnowledgeGap[]; total: number }> => withTenant(db, tenantId, (c) => listGapInbox(c, q));

/**
 * Resolves (optionally naming the document that now covers it), dismisses or re-opens a gap, together with
 * every other gap of the same question in the same status (the inbox shows them as one).
 */
export async function updateKnowledgeGap(
  db: Database,
  tenantId: string,
  p: { id: string; status: GapStatus; documentId?: string | null; actor: string },
): Promise<void> {
  await withTenant(db, tenantId, async (c) => {
    if (p.documentId && !(await findDocument(c, p.documentId))) throw notFound('Document');
    const changed = await setGapStatusForQuestion(c, {
      id: p.id,
      status: p.status,
      documentId: p.documentId ?? null,
    });
    if (!changed) throw notFound('Knowledge gap');
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: `knowledge_gap.${p.status === 'open' ? 'reopened' : p.status}`,
      target: p.id,
      details: { gaps: changed, ...(p.documentId ? { documentId: p.documentId } : {}) },
    });
  });
}
