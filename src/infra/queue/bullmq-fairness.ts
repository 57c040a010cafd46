import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Logger } from '../../logger.js';
import { type TenantSlots, tenantOfPayload } from './tenant-slots.js';

export interface FairnessTimings {
  /** A slot outlives its last renewal by this much: how soon a crashed worker's slot frees itself. */
  slotTtlMs: number;
  /**
   * How long a parked job waits when neither its wake-up nor the sweep reaches it (the tenant's parked list
   * lost or past its cap). Normally it is woken much sooner.
   */
  parkMs: number;
  /**
   * How often one of the workers sweeps the lane: a tenant with free slots and parked jobs (a wake-up lost to
   * a Redis restart or a crash, a crashed worker's slot expired) has them woken.
   */
  sweepMs: number;
}

/**
 * BullMQ's own lock is 30 s; a slot held by a crashed worker frees itself on the same scale. Parked jobs
 * are woken by releases, and by the sweep when a wake-up was lost, so their fallback is long: every burst job
 * coming back at once costs a round of re-parking that other tenants' jobs would queue behind.
 */
export const DEFAULT_FAIRNESS: FairnessTimings = { slotTtlMs: 30_000, parkMs: 120_000, sweepMs: 5_000 };

/** Tenants with parked jobs looked at per sweep. */
const SWEEP_TENANTS = 100;
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
    // Not awaited: the job is done and BullMQ should say so now, not after the wake-up's round trips. If
    // this fails, the slot expires by itself and the sweep wakes the parked job.
    void releaseAndWake(lane, tenantId, jobId).catch((err: unknown) =>
      lane.logger.warn({ err, jobId }, 'could not release tenant slot'),
    );
  }
}

async function releaseAndWake(lane: FairLane, tenantId: string, jobId: string): Promise<void> {
  // Each step waits out a Redis blip on its own. Nothing here loses a parked note: it leaves the list only
  // once its job was woken or found gone, so a wake-up cut short is finished by the sweep.
  const patiently = <T>(step: () => Promise<T>) => throughOutage(step, lane.timings.slotTtlMs);
  await patiently(() => lane.slots.release(tenantId, jobId));
  await wakeParked(lane, tenantId, 1, patiently);
}

/**
 * Wakes up to `most` of the tenant's parked jobs, oldest first, and no more than it has free slots (a slot
 * another job took meanwhile wakes nobody: that job's end will); stale notes are dropped on the way.
 */
async function wakeParked(
  lane: FairLane,
  tenantId: string,
  most: number,
  patiently: <T>(step: () => Promise<T>) => Promise<T>,
): Promise<number> {
  const { free, notes } = await patiently(() => lane.slots.parked(tenantId));
  const wanted = Math.min(most, free);
  let woken = 0;
  for (const { jobId, note } of notes) {
    if (woken >= wanted) break;
    const outcome = await patiently(() => wake(lane, jobId));
    // 'busy': still being parked by its worker; it stays listed for the next release or sweep.
    if (outcome === 'busy') continue;
    await patiently(() => lane.slots.forget(tenantId, note));
    if (outcome === 'woken') woken++;
  }
  return woken;
}

/**
 * One worker's sweep of the lane (workers take turns, SET NX): every tenant with parked jobs and free slots
 * has as many woken as it has free slots. This is what finishes a wake-up lost on the way; the release's own
 * wake-up is the fast path.
 */
export async function sweepParked(lane: FairLane): Promise<number> {
  if (!(await lane.slots.claimSweep(lane.timings.sweepMs))) return 0;
  const once = <T>(step: () => Promise<T>) => step();
  let woken = 0;
  for (const tenantId of await lane.slots.parkedTenants(SWEEP_TENANTS)) {
    woken += await wakeParked(lane, tenantId, Number.POSITIVE_INFINITY, once);
  }
  return woken;
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

/**
 * Promotes a parked job: 'woken'; 'gone' when it no longer waits in the delayed set (finished, removed, or
 * woken by someone else); 'busy' when it is still active without a slot (its worker moving it to the
 * delayed set an instant ago). A Redis failure throws, for the caller to retry.
 */
async function wake(lane: FairLane, jobId: string): Promise<'woken' | 'gone' | 'busy'> {
  const job = await lane.queue.getJob(jobId);
  if (!job) return 'gone';
  // Parked an instant ago, its worker may still be moving it to the delayed set: give it that instant.
  for (let i = 0; i < PARKING_CHECKS && (await job.isActive()); i++) await sleep(PARKING_CHECK_MS);
  const state = await job.getState();
  if (state === 'active') return 'busy';
  if (state !== 'delayed') return 'gone';
  try {
    await job.promote();
    return 'woken';
  } catch (err) {
    // promote() refuses a job that left the delayed set since the state was read.
    if ((await job.getState()) !== 'delayed') return 'gone';
    throw err;
  }
}
