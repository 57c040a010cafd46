import { describe, expect, it } from 'vitest';
import { createDedupeWindows } from '../../../src/infra/queue/memory-dedupe.js';

describe('in-process dedupe windows', () => {
  it('holds a job for its id until the window ends, on the clock it is given', () => {
    let now = 1_000;
    const windows = createDedupeWindows(() => now);
    windows.record('Ev1', 'answer-Ev1-a', 500);
    now += 499;
    expect(windows.standing('Ev1')).toBe('answer-Ev1-a');
    expect(windows.standing('Ev2')).toBeUndefined();
    now += 1;
    expect(windows.standing('Ev1')).toBeUndefined();
  });

  it('does not keep windows that have ended: a busy queue holds only the open ones, and a few since', () => {
    let now = 0;
    const windows = createDedupeWindows(() => now);
    for (let i = 0; i < 5_000; i++) {
      windows.record(`Ev${i}`, `job-${i}`, 100);
      now += 1;
    }
    // The windows of the last 100 ms, plus those recorded since the last sweep (at most 1,000 here).
    expect(windows.size).toBeLessThanOrEqual(1_100);
    expect(windows.standing('Ev4999')).toBe('job-4999');
    expect(windows.standing('Ev0')).toBeUndefined();
  });

  it('keeps every window still open, however many', () => {
    let now = 0;
    const windows = createDedupeWindows(() => now);
    for (let i = 0; i < 10_000; i++) windows.record(`Open${i}`, `job-${i}`, 3_600_000);
    now += 1;
    expect(windows.size).toBe(10_000);
    expect(windows.standing('Open0')).toBe('job-0');
  });
});
