import type { PlatformHealthDto } from '@contracts/health.contract';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { Notice } from '../components/states';
import { Badge, Card, ConfirmDialog } from '../components/widgets';
import { fmtAgo } from '../lib/format';
import { useApi } from '../lib/use-api';

/** How often the health view refreshes itself while open. */
export const HEALTH_REFRESH_MS = 15_000;

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;

type FailedJobDto = PlatformHealthDto['failedJobs'][number];

/** The health view's contents (pure, so it renders the same in tests). */
export function HealthView({
  h,
  onRetry,
  onDiscard,
}: {
  h: PlatformHealthDto;
  onRetry?: (id: string) => void;
  onDiscard?: (job: FailedJobDto) => void;
}) {
  return (
    <div className="health-view">
      <p className="muted small">Checked {fmtAgo(h.checkedAt)}; refreshes every 15 seconds.</p>
      <ul className="health-checks">
        {h.checks.map((c) => (
          <li key={c.name}>
            <Badge tone={c.ok ? 'ok' : 'error'}>{c.ok ? 'OK' : 'Failing'}</Badge> {c.name}
            {c.error ? <span className="reason"> — {c.error}</span> : null}
          </li>
        ))}
      </ul>
      <dl className="health-numbers">
        <dt>Queue</dt>
        <dd>
          {h.queue.waiting} waiting, {h.queue.active} running, {h.queue.delayed} delayed, {h.queue.failed}{' '}
          failed
        </dd>
        <dt>Slack deliveries (this process)</dt>
        <dd>
          {h.slackDeliveries.total} received, {h.slackDeliveries.failed} failed (
          {pct(h.slackDeliveries.errorRate)})
        </dd>
        <dt>Token refreshes (this process)</dt>
        <dd>
          {h.tokenRefresh.completed} completed, {h.tokenRefresh.failed} failed attempts
        </dd>
        <dt>Broken installations</dt>
        <dd>{h.brokenInstallations}</dd>
        <dt>Rate-limited requests (this process)</dt>
        <dd>{h.httpRateLimited}</dd>
      </dl>
      <h3>Waiting jobs by type</h3>
      {h.queueDepth.jobs.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="table health-depth">
          <thead>
            <tr>
              <th scope="col">Job type</th>
              <th scope="col">Waiting</th>
              <th scope="col">Oldest queued</th>
            </tr>
          </thead>
          <tbody>
            {h.queueDepth.jobs.map((j) => (
              <tr key={j.name}>
                <td>
                  <code>{j.name}</code>
                </td>
                <td>
                  {j.waiting}
                  {h.queueDepth.sampled ? '+' : ''}
                </td>
                {/* Only delayed jobs (retries, scheduled runs) wait on purpose: no backlog age to show. */}
                <td>{j.oldestQueuedAt ? fmtAgo(j.oldestQueuedAt) : 'delayed only'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {h.queueDepth.sampled ? (
        <p className="muted small">
          Counted from the oldest {h.queueDepth.sampleSize} jobs of each lane and state; more are waiting (
          {h.queue.waiting + h.queue.delayed} in all).
        </p>
      ) : null}
      <h3>Ingestion failures by reason</h3>
      {h.ingestionFailures.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="health-failures">
          {h.ingestionFailures.map((f) => (
            <li key={f.reason}>
              <strong>{f.documents}</strong> {f.reason}
            </li>
          ))}
        </ul>
      )}
      <h3>Failed jobs</h3>
      {h.failedJobs.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="health-jobs">
          {h.failedJobs.map((j) => (
            <li key={j.id}>
              <code>{j.name}</code> after {j.attempts} attempts, {fmtAgo(j.failedAt)}: {j.error}{' '}
              {onRetry ? (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => onRetry(j.id)}>
                  Retry
                </button>
              ) : null}{' '}
              {onDiscard ? (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => onDiscard(j)}>
                  Discard
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3>Quietest workspaces</h3>
      <p className="muted small">
        Active workspaces whose last answered question is oldest; the Tenants table sorts them all by last
        activity.
      </p>
      {h.quietTenants.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="health-quiet">
          {h.quietTenants.map((t) => (
            <li key={t.id}>
              {t.name}: {t.lastActivityAt ? `last answered ${fmtAgo(t.lastActivityAt)}` : 'never answered'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The operator's health card: readiness, queue, failures and counters, refreshed automatically. */
export function OperatorHealth() {
  const health = useApi('platform-health', () => api.get<PlatformHealthDto>('/api/platform/health'));
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [discarding, setDiscarding] = useState<FailedJobDto | null>(null);
  const [busy, setBusy] = useState(false);
  const { reload } = health;
  useEffect(() => {
    const timer = setInterval(reload, HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const retry = async (id: string) => {
    try {
      await api.post(`/api/platform/health/failed-jobs/${encodeURIComponent(id)}/retry`);
      setNotice({ kind: 'ok', text: 'The job runs again.' });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError ? err.message : 'Retrying failed.' });
    }
  };
  const discard = async (job: FailedJobDto) => {
    setBusy(true);
    try {
      await api.post(`/api/platform/health/failed-jobs/${encodeURIComponent(job.id)}/discard`);
      setNotice({ kind: 'ok', text: `The failed ${job.name} job was discarded.` });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError ? err.message : 'Discarding failed.' });
    } finally {
      setBusy(false);
      setDiscarding(null);
    }
  };
  return (
    <Card title="Health">
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      {health.data ? (
        <HealthView h={health.data} onRetry={(id) => void retry(id)} onDiscard={setDiscarding} />
      ) : null}
      {health.error ? <Notice kind="error">{health.error.message}</Notice> : null}
      <ConfirmDialog
        open={discarding !== null}
        title="Discard this failed job?"
        confirmLabel="Discard job"
        danger
        busy={busy}
        onCancel={() => setDiscarding(null)}
        onConfirm={() => discarding && void discard(discarding)}
      >
        <p>
          The <code>{discarding?.name}</code> job will never run again and leaves the failed list. Its work is
          not done: retry it instead if it should be.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
