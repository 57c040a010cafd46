import type { PlatformHealthDto } from '@contracts/health.contract';
import { describe, expect, it } from 'vitest';
import { HealthView } from '../../../dashboard/src/pages/operator-health';
import { render, texts } from './render';

const health = (extra: Partial<PlatformHealthDto> = {}): PlatformHealthDto => ({
  checkedAt: new Date().toISOString(),
  checks: [
    { name: 'database', ok: true, error: null },
    { name: 'redis', ok: false, error: 'connect ECONNREFUSED' },
  ],
  queue: { waiting: 3, active: 1, delayed: 0, failed: 2, completed: 40 },
  queueDepth: {
    jobs: [
      { name: 'ingest', waiting: 2, oldestQueuedAt: new Date(Date.now() - 5 * 60_000).toISOString() },
      { name: 'token-refresh', waiting: 1, oldestQueuedAt: null },
    ],
    sampled: false,
    sampleSize: 200,
  },
  failedJobs: [{ id: 'j1', name: 'ingest', attempts: 3, error: 'boom', failedAt: new Date().toISOString() }],
  failedByJob: [{ name: 'ingest', count: 1 }],
  ingestionFailures: [{ reason: 'The document is empty', documents: 4 }],
  brokenInstallations: 1,
  slackDeliveries: { total: 200, failed: 3, errorRate: 0.015 },
  tokenRefresh: { completed: 5, failed: 1 },
  httpRateLimited: 7,
  quietTenants: [
    { id: 't1', name: 'Acme', lastActivityAt: null },
    { id: 't2', name: 'Globex', lastActivityAt: new Date(Date.now() - 3 * 86_400_000).toISOString() },
  ],
  ...extra,
});

describe('the operator health view', () => {
  it('shows a failing check with why, the queue, the delivery error rate and failures by reason', () => {
    const { body } = render(<HealthView h={health()} onRetry={() => {}} />);
    expect(texts(body, '.health-checks li')).toEqual(['OK database', 'Failing redis — connect ECONNREFUSED']);
    const numbers = texts(body, '.health-numbers dd');
    expect(numbers[0]).toBe('3 waiting, 1 running, 0 delayed, 2 failed');
    expect(numbers[1]).toBe('200 received, 3 failed (1.5%)');
    expect(texts(body, '.health-failures li')).toEqual(['4 The document is empty']);
    expect(texts(body, '.health-jobs button')).toEqual(['Retry']);
  });

  it("shows waiting jobs by type with the oldest one's age, and the quietest workspaces", () => {
    const { body } = render(<HealthView h={health()} />);
    expect(texts(body, '.health-depth tbody tr')).toEqual([
      'ingest25 minutes ago',
      'token-refresh1delayed only',
    ]);
    expect(texts(body, '.health-quiet li')).toEqual([
      'Acme: never answered',
      'Globex: last answered 3 days ago',
    ]);
    expect(body.textContent).not.toContain('more are waiting');
  });

  it('marks counts as lower bounds when the sample was cut', () => {
    const h = health();
    const { body } = render(<HealthView h={{ ...h, queueDepth: { ...h.queueDepth, sampled: true } }} />);
    expect(texts(body, '.health-depth tbody td:nth-child(2)')).toEqual(['2+', '1+']);
    expect(body.textContent).toContain(
      'Counted from the oldest 200 jobs of each lane and state; more are waiting',
    );
  });

  it('offers Discard next to Retry when the operator may discard', () => {
    const { body } = render(<HealthView h={health()} onRetry={() => {}} onDiscard={() => {}} />);
    expect(texts(body, '.health-jobs button')).toEqual(['Retry', 'Discard']);
  });

  it('says "None." when nothing failed', () => {
    const { body } = render(
      <HealthView
        h={health({
          failedJobs: [],
          ingestionFailures: [],
          queueDepth: { jobs: [], sampled: false, sampleSize: 200 },
          quietTenants: [],
        })}
      />,
    );
    expect(texts(body, '.health-view p.muted:not(.small)')).toEqual(['None.', 'None.', 'None.', 'None.']);
    expect(body.querySelector('button')).toBeNull();
  });
});
