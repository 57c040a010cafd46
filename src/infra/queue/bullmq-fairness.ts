import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Logger } from '../../logger.js';
import { type TenantSlots, tenantOfPayload } from './tenant-slots.js';

export interface FairnessTimings {
  /** A slot outlives its last renewal by this much: how soon a crashed worker's slot frees itself. */
  slotTtlMs: number;
  /**
   * How long a parked job waits when its wake-up is lost (its worker crashed between releasing a slot and
   * waking it, or it was parked while the slot was being released). Normally it is woken much sooner.
   */
  parkMs: number;
}

/**
 * BullMQ's own lock is 30 s; a slot held by a crashed worker frees itself on the same scale. Parked jobs
 * are woken by releases, so their fallback is long: every burst job coming back at once costs a round of
 * re-parking that other tenants' jobs would queue behind.
 */
export const DEFAULT_FAIRNESS: FairnessTimings = { slotTtlMs: 30_000, parkMs: 120_000 };

/** Ids tried when waking a parked job: stale entries (a job already running or gone) are skipped. */
const WAKE_TRIES = 5;
const PARKING_CHECKS = 10;
const PARKING_CHECK_MS = 20;
// A release or wake-up that meets Redis down is tried again this soon, then less and less often.
const OUTAGE_FIRST_PAUSE_MS = 100;
const OUTAGE_MAX_PAUSE_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FairLane {
  slots: TenantSlots;
  queue: Queue;
  timings: FairnessTimings;
  logger: Logger;
}

/**
 * Runs `work` in one of the job's tenant's slots. With none free, the job is parked in BullMQ's delayed
 * set (DelayedError: no attempt is spent) and woken when the tenant's running job ends, so a burst from one
 * workspace waits behind itself while other workspaces' jobs keep starting. Platform jobs run unlimited.
 */
export async function runInTenantSlot(
  lane: FairLane,
  job: Job,
  token: string | undefined,
  work: () => Promise<void>,
): Promise<void> {
  const tenantId = tenantOfPayload(job.data);
  const jobId = job.id;
  if (!tenantId || !jobId) return work();
  if (!(await lane.slots.acquire(tenantId, jobId))) {
    // Spread so that jobs whose wake-ups were all lost do not come back in one wave.
    const fallback = lane.timings.parkMs * (1 + Math.random() / 2);
    await job.moveToDelayed(Date.now() + fallback, token);
    throw new DelayedError();
  }
  const renewal = setInterval(() => {
    lane.slots
      .renew(tenantId, jobId)
      .catch((err: unknown) => lane.logger.warn({ err, jobId }, 'could not renew tenant slot'));
  }, lane.timings.slotTtlMs / 3);
  renewal.unref();
  try {
    await work();
  } finally {
    clearInterval(renewal);
    // Not awaited: the job is done and BullMQ should say so now, not after the wake-up's round trips. The
    // slot expires by itself if this fails; the parked job then comes back on its fallback delay.
    void releaseAndWake(lane, tenantId, jobId).catch((err: unknown) =>
      lane.logger.warn({ err, jobId }, 'could not release tenant slot'),
    );
  }
}

async function releaseAndWake(lane: FairLane, tenantId: string, jobId: string): Promise<void> {
  // Each step waits out a Redis blip on its own: redoing the release after its LPOP had answered would skip a
  // parked id, and a parked job whose wake-up is dropped waits out its whole fallback delay (minutes).
  const patiently = <T>(step: () => Promise<T>) => throughOutage(step, lane.timings.slotTtlMs);
  let next = await patiently(() => lane.slots.release(tenantId, jobId));
  for (let tries = 0; next && tries < WAKE_TRIES; tries++) {
    const id = next;
    if (await patiently(() => wake(lane, id))) return;
    next = await patiently(() => lane.slots.nextParked(tenantId));
  }
}

/** Runs `step` until it answers, retrying its failures with growing pauses for up to `budgetMs`. */
async function throughOutage<T>(step: () => Promise<T>, budgetMs: number): Promise<T> {
  const giveUpAt = Date.now() + budgetMs;
  for (let pauseMs = OUTAGE_FIRST_PAUSE_MS; ; pauseMs = Math.min(pauseMs * 2, OUTAGE_MAX_PAUSE_MS)) {
    try {
      return await step();
    } catch (err) {
      if (Date.now() + pauseMs > giveUpAt) throw err;
      // Unref'd: a shutting-down worker does not stay up for a wake-up its closed connection cannot send.
      await new Promise((r) => setTimeout(r, pauseMs).unref());
    }
  }
}

/** Promotes a parked job; false when it is gone or no longer parked (an id left over from an earlier wait). */
async function wake(lane: FairLane, jobId: string): Promise<boolean> {
  const job = await lane.queue.getJob(jobId);
  if (!job) return false;
  // Parked an instant ago, its worker may still be moving it to the delayed set: give it that instant.
  for (let i = 0; i < PARKING_CHECKS && (await job.isActive()); i++) await sleep(PARKING_CHECK_MS);
  // promote() refuses a job that left the delayed set since the state was read.
  return (
    (await job.isDelayed()) &&
    (await job.promote().then(
      () => true,
      () => false,
    ))
  );
}
