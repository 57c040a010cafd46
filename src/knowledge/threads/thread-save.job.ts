import { Readable } from 'node:stream';
import { z } from 'zod';
import { appendAudit } from '../../audit/audit.repo.js';
import { isAppError } from '../../errors.js';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { defineJob, enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { addDocument } from '../document-intake.service.js';
import { INGEST_LANE } from '../ingest.job.js';
import { renderThreadMarkdown, type ThreadReader, ThreadUnreadableError } from './saved-thread.js';

const threadSavePayload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  channelId: z.string().min(1),
  threadTs: z.string().min(1),
  title: z.string().min(1).max(500),
  userId: z.string().min(1),
  /** Where to tell the member how it went (the shortcut's response_url), if Slack gave one. */
  responseUrl: z.string().optional(),
  /** The collection chosen in the modal (unset: the workspace default). */
  collectionId: z.uuid().optional(),
  /** The modal submission (view id): one job per submission, so a repeated delivery is a no-op. */
  submissionId: z.string().min(1),
});
export type ThreadSavePayload = z.infer<typeof threadSavePayload>;

/** Tells the member who saved (ephemeral): done, or why not. */
export type TellMember = (tenantId: string, p: ThreadSavePayload, text: string) => Promise<void>;

export interface ThreadSaveDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
  logger: Logger;
  readThread: ThreadReader;
  tell: TellMember;
}

/** Saves one Slack thread as a document; queued by the "Save to Lore" modal, run in the ingest lane. */
export const threadSaveJob = defineJob({
  name: 'thread-save',
  schema: threadSavePayload,
  lane: INGEST_LANE,
  jobId: (p) => `thread-save-${p.submissionId}`.replace(/[^A-Za-z0-9_-]/g, '_'),
  handler: (
    deps: Omit<ThreadSaveDeps, 'readThread' | 'tell'> & {
      threads: Pick<ThreadSaveDeps, 'readThread' | 'tell'>;
    },
  ) => saveThread({ ...deps, ...deps.threads }),
});

/** Queues a save; one job per thread and modal submission (the view id), so a repeated delivery is a no-op. */
export async function enqueueThreadSave(
  queue: Pick<JobQueue, 'enqueue'>,
  p: Omit<ThreadSavePayload, 'v' | 'submissionId'>,
  submissionId: string,
): Promise<void> {
  await enqueueJob(queue, threadSaveJob, { v: 1, ...p, submissionId });
}

/**
 * The `thread-save` job: read the thread (bot token, bounded) → Markdown → the same intake as an upload,
 * keyed by channel and thread so saving again makes a new version → ingest. The member hears the outcome;
 * a thread the bot cannot read, or one deleted meanwhile, saves nothing and says why.
 */
function saveThread(deps: ThreadSaveDeps): (p: ThreadSavePayload) => Promise<void> {
  return async (p) => {
    const log = deps.logger.child({ tenantId: p.tenantId, job: 'thread-save' });
    let thread: Awaited<ReturnType<ThreadReader>>;
    try {
      thread = await deps.readThread(p.tenantId, { channelId: p.channelId, threadTs: p.threadTs });
    } catch (err) {
      if (!(err instanceof ThreadUnreadableError)) throw err;
      log.info({ reason: err.reason }, 'thread not saved');
      return deps.tell(p.tenantId, p, err.message);
    }
    try {
      const r = await addDocument(deps, p.tenantId, {
        fileName: 'thread.md',
        title: p.title,
        sourceKey: `slack-thread:${p.channelId}:${p.threadTs}`,
        sourceUrl: thread.permalink ?? undefined,
        mediaType: 'text/markdown',
        skipDuplicateCheck: true,
        body: Readable.from([Buffer.from(renderThreadMarkdown(p.title, thread))]),
        source: 'slack_thread',
        actor: p.userId,
        collectionId: p.collectionId,
      });
      await withTenant(deps.db, p.tenantId, (c) =>
        appendAudit(c, {
          tenantId: p.tenantId,
          actor: p.userId,
          action: 'thread.saved',
          target: r.document.id,
          details: { channelId: p.channelId, threadTs: p.threadTs, messages: thread.messages.length },
        }),
      );
      const again = r.outcome === 'new_version' ? ' as a new version' : '';
      await deps.tell(
        p.tenantId,
        p,
        `Saved “${r.document.title}” to Lore${again} (${thread.messages.length} messages). It can be cited in answers within a minute.`,
      );
    } catch (err) {
      if (!isAppError(err) || !err.expose) throw err;
      await deps.tell(p.tenantId, p, `The thread was not saved: ${err.message}`);
    }
  };
}
