import { z } from 'zod';
import { defineJob, enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { adminDmJob } from '../tenants/notices/admin-dm.job.js';
import type { AdminRecipients } from '../tenants/notices/admin-recipients.service.js';
import { quotaWarningText } from './quota-warning-message.js';

/**
 * The `quota-warning` job (queued once per tenant, quota, threshold and month by the quota watch): one
 * `admin-dm` job per admin to tell, keyed by this job, so a retry never DMs anyone twice.
 */
export const quotaWarningJob = defineJob({
  name: 'quota-warning',
  schema: z.object({
    v: z.literal(1),
    tenantId: z.uuid(),
    quota: z.enum(['tokens', 'questions']),
    threshold: z.union([z.literal(80), z.literal(100)]),
    month: z.iso.date(),
    used: z.number().min(0),
    limit: z.number().min(0),
  }),
  jobId: (w) => `quota-warning-${w.tenantId}-${w.quota}-${w.threshold}-${w.month}`,
  handler:
    (deps: {
      queue: Pick<JobQueue, 'enqueue'>;
      recipientsOf: AdminRecipients;
      /** The dashboard's plan page, linked from every limit warning. */
      planUrl: string;
      logger: Logger;
    }) =>
    async ({ v: _, ...w }, ctx) => {
      const recipients = await deps.recipientsOf(w.tenantId);
      const text = quotaWarningText(w, deps.planUrl, 'slack');
      for (const userId of recipients) {
        await enqueueJob(
          deps.queue,
          adminDmJob,
          { v: 1, tenantId: w.tenantId, userId, text },
          { jobId: `${ctx.jobId}-${userId}` },
        );
      }
      deps.logger.info({ tenantId: w.tenantId, recipients: recipients.length }, 'quota warning queued');
    },
});
