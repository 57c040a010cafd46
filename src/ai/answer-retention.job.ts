import { z } from 'zod';
import { appendAudit } from '../audit/audit.repo.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { defineJob, enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { tenantsWithRetention } from '../tenants/settings/settings.service.js';
import { deleteAnswersOlderThan, deleteEmptyConversationsOlderThan } from './answers.repo.js';

export const ANSWER_RETENTION_EVERY_MS = 24 * 60 * 60_000;

/** Rows per transaction (short locks), and transactions per tenant per run (bounded work per job). */
export const RETENTION_BATCH = 500;
export const RETENTION_MAX_BATCHES = 20;

export interface RetentionDeps {
  db: Database;
  logger: Logger;
  /** To continue a tenant whose backlog did not fit one run. */
  queue: Pick<JobQueue, 'enqueue'>;
  batch?: number;
  maxBatches?: number;
}

/** A run covers every workspace with a retention period, or only `tenantId` (a continuation). */
const retentionPayload = z.object({ v: z.literal(1), tenantId: z.uuid().optional() });

/**
 * Deletes one workspace's expired answers, then the conversations they leave empty, in batches of `batch`
 * rows, each batch its own transaction. Stops after `maxBatches`; `more` says rows are left for another run.
 */
export async function applyRetention(
  deps: RetentionDeps,
  tenantId: string,
  days: number,
): Promise<{ answers: number; conversations: number; more: boolean }> {
  const batch = deps.batch ?? RETENTION_BATCH;
  const max = deps.maxBatches ?? RETENTION_MAX_BATCHES;
  let answers = 0;
  let conversations = 0;
  let batches = 0;
  let answersLeft = true;
  while (answersLeft && batches < max) {
    batches++;
    const n = await withTenant(deps.db, tenantId, (c) => deleteAnswersOlderThan(c, days, batch));
    answers += n;
    answersLeft = n === batch;
  }
  // Conversations only once their answers are gone: an old thread with a recent follow-up keeps both.
  let conversationsLeft = true;
  while (!answersLeft && conversationsLeft && batches < max) {
    batches++;
    const n = await withTenant(deps.db, tenantId, (c) => deleteEmptyConversationsOlderThan(c, days, batch));
    conversations += n;
    conversationsLeft = n === batch;
  }
  const more = answersLeft || conversationsLeft;
  if (answers + conversations > 0) {
    await withTenant(deps.db, tenantId, (c) =>
      appendAudit(c, {
        tenantId,
        actor: 'system:retention',
        action: 'retention.deleted',
        details: { days, answers, conversations },
      }),
    );
  }
  return { answers, conversations, more };
}

/**
 * The daily job that deletes questions and answers older than each workspace's retention period: each
 * workspace within its bound; one with rows left gets a continuation job of its own.
 */
export const answerRetentionJob = defineJob({
  name: 'answer-retention',
  schema: retentionPayload,
  handler: (deps: Omit<RetentionDeps, 'batch' | 'maxBatches'>) => runRetention(deps),
});

function runRetention(deps: RetentionDeps): (p: z.infer<typeof retentionPayload>) => Promise<void> {
  return async (payload) => {
    const only = payload.tenantId;
    const tenants = (await tenantsWithRetention(deps.db)).filter((t) => !only || t.tenantId === only);
    for (const t of tenants) {
      const done = await applyRetention(deps, t.tenantId, t.days);
      const log = deps.logger.child({ tenantId: t.tenantId });
      if (done.answers + done.conversations > 0) log.info({ ...done, days: t.days }, 'retention applied');
      if (done.more) {
        await enqueueJob(
          deps.queue,
          answerRetentionJob,
          { v: 1, tenantId: t.tenantId },
          { jobId: `retention-${t.tenantId}-${Date.now()}` },
        );
      }
    }
  };
}
