import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import { ingestionFailuresByReason } from './documents.repo.js';

/** Failed documents across all workspaces by reason, for the operator (never shown to a workspace). */
export function ingestionFailures(db: Database): Promise<Array<{ reason: string; documents: number }>> {
  return withTransaction(db, (c) => ingestionFailuresByReason(c));
}
