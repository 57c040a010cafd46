import { enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { type WebFetchPayload, webFetchJob } from './web-fetch.job.js';

/**
 * Queues a fetch of one web source (page or sitemap); it runs in the ingest lane, never on a request path.
 * (Its own module: the sitemap expander queues fetches and is itself part of the job.)
 */
export async function enqueueWebFetch(
  queue: Pick<JobQueue, 'enqueue'>,
  p: Omit<WebFetchPayload, 'v'>,
): Promise<void> {
  await enqueueJob(queue, webFetchJob, { v: 1, ...p });
}
