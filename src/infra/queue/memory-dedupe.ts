/**
 * The in-process queue's dedupe windows (BullMQ keeps them as keys with a TTL): which job stands for a dedupe
 * id until its window ends. On the monotonic clock, as Redis's TTLs are; expired windows are dropped as new
 * ones are recorded, so the map holds only the windows still open.
 */
export function createDedupeWindows(now: () => number = () => performance.now()) {
  const windows = new Map<string, { jobId: string; until: number }>();
  // Expired windows are looked for when the map has doubled since the last look: each record costs O(1) on
  // average, however many windows are open (windows differ in length, so every entry is checked).
  let sweepAt = SWEEP_FROM;

  function dropExpired(at: number): void {
    for (const [key, w] of windows) if (w.until <= at) windows.delete(key);
    sweepAt = Math.max(SWEEP_FROM, windows.size * 2);
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
    /** `jobId` stands for `key` for the next `forMs` milliseconds. */
    record(key: string, jobId: string, forMs: number): void {
      const at = now();
      if (windows.size >= sweepAt) dropExpired(at);
      windows.set(key, { jobId, until: at + forMs });
    },
    get size(): number {
      return windows.size;
    },
  };
}

/** Windows held before expired ones are first looked for (so a quiet queue never scans). */
const SWEEP_FROM = 1_000;
