import type { JobDedupe } from './job-queue.js';

/**
 * The in-process queue's dedupe windows (BullMQ keeps them as keys with a TTL): which job stands for a dedupe
 * id until its window ends. On the monotonic clock, as Redis's TTLs are; expired windows are dropped as new
 * ones are recorded, so the map holds only the windows still open.
 */
export function createDedupeWindows(now: () => number = () => performance.now()) {
  const windows = new Map<string, { jobId: string; until: number }>();

  function dropExpired(at: number): void {
    for (const [key, w] of windows) if (w.until <= at) windows.delete(key);
  }

  return {
    /** The job standing for `key`, or undefined when none was added within its window. */
    standing(key: string): string | undefined {
      const w = windows.get(key);
      if (!w) return undefined;
      if (w.until > now()) return w.jobId;
      windows.delete(key);
      return undefined;
    },
    record(key: string, dedupe: JobDedupe, jobId: string): void {
      const at = now();
      // Windows differ in length, so every entry is checked; cheap next to the job it guards.
      if (windows.size >= PRUNE_FROM) dropExpired(at);
      windows.set(key, { jobId, until: at + dedupe.forMs });
    },
    get size(): number {
      return windows.size;
    },
  };
}

/** Windows held before expired ones are looked for (so a quiet queue never scans). */
const PRUNE_FROM = 1_000;
