import { describe, expect, it } from 'vitest';
import { createDedupeWindows } from '../../../src/infra/queue/memory-dedupe.js';

describe('in-process dedupe windows', () => {
  it('holds a job for its id until the window ends, on the clock it is given', () => {
    let now = 1_000;
    const windows = createDedupeWindows(() => now);
    windows.record('Ev1', { id: 'Ev1', forMs: 500 }, 'answer-Ev1-a');
    now += 499;
    expect(windows.standing('Ev1')).toBe('answer-Ev1-a');
    expect(windows.standing('Ev2')).toBeUndefined();
    now += 1;
    expect(windows.standing('Ev1')).toBeUndefined();
  });

  it('does not keep windows that have ended: a busy queue holds only the open ones', () => {
    let now = 0;
    const windows = createDedupeWindows(() => now);
    for (let i = 0; i < 5_000; i++) {
      windows.record(`Ev${i}`, { id: `Ev${i}`, forMs: 100 }, `job-${i}`);
      now += 1;
    }
    // At most the windows of the last 100 ms, plus those recorded since the last sweep.
    expect(windows.size).toBeLessThanOrEqual(1_100);
    expect(windows.standing('Ev4999')).toBe('job-4999');
    expect(windows.standing('Ev0')).toBeUndefined();
  });
});
