import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { defineJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { enqueueWebFetch } from './web-fetch-queue.js';
import { claimDueSources } from './web-sources.repo.js';

/** How often it looks: a page is fetched again within the hour after its period (WEB_REFRESH_HOURS) ends. */
export const WEB_REFRESH_EVERY_MS = 60 * 60_000;
/** Sources claimed per run, so one run stays small; the rest wait for the next. */
const CLAIM_BATCH = 1_000;

/** Finds web sources due for a fetch and queues one `web-fetch` job each (scheduled, every worker agrees). */
export const webRefreshJob = defineJob({
  name: 'web-refresh',
  schema: z.object({ v: z.literal(1) }),
  handler: (deps: { db: Database; queue: Pick<JobQueue, 'enqueue'>; web: { refreshMs: number } }) =>
    refreshDueSources({ ...deps, refreshMs: deps.web.refreshMs }),
});

function refreshDueSources(deps: {
  db: Database;
  queue: Pick<JobQueue, 'enqueue'>;
  refreshMs: number;
}): () => Promise<void> {
  return async () => {
    // Across tenants, as the owner: the claim is one statement that skips rows another worker holds.
    const due = await withTransaction(deps.db, (c) =>
      claimDueSources(c, { limit: CLAIM_BATCH, refreshMs: deps.refreshMs }),
    );
    for (const s of due) {
      await enqueueWebFetch(deps.queue, {
        tenantId: s.tenantId,
        sourceId: s.id,
        round: `refresh-${Date.now()}`,
      });
    }
  };
}
