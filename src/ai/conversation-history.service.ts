import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { type ConversationEntry, type ConversationFilter, queryAnswerHistory } from './answers.repo.js';

export type { ConversationEntry, ConversationFilter } from './answers.repo.js';

/** Recent questions and answers of a tenant, newest first, searchable by question and answer text. */
export function listConversations(
  db: Database,
  tenantId: string,
  f: ConversationFilter,
): Promise<{ items: ConversationEntry[]; total: number }> {
  return withTenant(db, tenantId, (c) => queryAnswerHistory(c, f));
}
