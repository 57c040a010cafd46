import type { OverviewDto } from '@contracts/overview.contract';
import { api } from '../api/client';
import { Async, Notice } from '../components/states';
import { Badge, Card, Meter, PageHeader, Stat } from '../components/widgets';
import { fmtAgo, fmtCompact, fmtDate, fmtNumber } from '../lib/format';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';

function InstallCard({ o }: { o: OverviewDto }) {
  const i = o.install;
  if (!i.installed) {
    return (
      <Card title="Slack install">
        <p>
          <Badge tone="warn">Not installed</Badge>
        </p>
        <p className="muted">
          {o.workspace.isDemo
            ? 'The demo workspace is not connected to Slack. Try questions in the Ask playground.'
            : 'Lore has no Slack token for this workspace. Reinstall it to answer questions again.'}
        </p>
        {!o.workspace.isDemo ? (
          <a className="btn btn-primary" href={i.reinstallUrl}>
            Add to Slack
          </a>
        ) : null}
      </Card>
    );
  }
  const expiresSoon = i.tokenExpiresAt && new Date(i.tokenExpiresAt).getTime() - Date.now() < 3_600_000;
  return (
    <Card title="Slack install">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Badge tone="ok">Installed</Badge>{' '}
          {i.isEnterpriseInstall ? <Badge tone="info">Org-wide</Badge> : null}
        </dd>
        <dt>Workspace</dt>
        <dd>{i.teamName ?? '—'}</dd>
        <dt>Installed by</dt>
        <dd>{i.installedBy ?? '—'}</dd>
        <dt>Installed</dt>
        <dd>{fmtDate(i.installedAt)}</dd>
        <dt>Bot token</dt>
        <dd>
          {i.tokenRotates ? `rotates; current one expires ${fmtDate(i.tokenExpiresAt)}` : 'does not expire'}{' '}
          {expiresSoon ? <Badge tone="warn">refresh due</Badge> : <Badge tone="ok">healthy</Badge>}
        </dd>
        <dt>Last event</dt>
        <dd>{fmtAgo(i.lastEventAt)}</dd>
        <dt>Scopes</dt>
        <dd className="scopes">{i.scopes.join(', ') || '—'}</dd>
      </dl>
      {i.missingScopes.length > 0 ? (
        <Notice kind="warn">
          Lore now needs {i.missingScopes.join(', ')}. <a href={i.reinstallUrl}>Reinstall to grant them</a>.
        </Notice>
      ) : null}
    </Card>
  );
}

/** Install and token health, plan and quota use, and this month's questions. */
/** The plan's quota bars, in order. */
const QUOTA_METERS = [
  { key: 'questions', label: 'Questions', format: fmtNumber },
  { key: 'tokens', label: 'AI tokens (platform key)', format: fmtCompact },
  { key: 'documents', label: 'Documents', format: fmtNumber },
  { key: 'chunks', label: 'Passages', format: fmtCompact },
] as const;

export function OverviewPage() {
  const state = useApi('overview', () => api.get<OverviewDto>('/api/overview'));
  return (
    <>
      <PageHeader title="Overview" subtitle="How Lore is doing in your workspace this month." />
      <Async state={state}>
        {(o) => (
          <div className="grid">
            <div className="stats span-2">
              <Stat label="Questions this month" value={fmtNumber(o.month.questions)} />
              <Stat label="Answered from your documents" value={fmtNumber(o.month.answered)} />
              <Stat
                label="Helpful votes"
                value={
                  o.month.thumbsUp + o.month.thumbsDown
                    ? `${Math.round((o.month.thumbsUp / (o.month.thumbsUp + o.month.thumbsDown)) * 100)}%`
                    : '—'
                }
                hint={`👍 ${o.month.thumbsUp} · 👎 ${o.month.thumbsDown}`}
              />
              <Stat
                label="Open knowledge gaps"
                value={<Link to="/gaps">{fmtNumber(o.month.openGaps)}</Link>}
              />
            </div>
            <Card title={`Plan: ${o.plan.name}`}>
              {QUOTA_METERS.map(({ key, label, format }) => (
                <Meter key={key} label={label} {...o.quotas[key]} format={format} />
              ))}
              <p className="muted small">Quotas reset on the first of each month (UTC).</p>
            </Card>
            <InstallCard o={o} />
            {o.month.questions === 0 ? (
              <Card title="Get started" className="span-2">
                <ol className="steps">
                  <li>
                    <Link to="/documents">Upload your documents</Link>: handbooks, policies, how-tos (PDF,
                    Word, Markdown, HTML, text).
                  </li>
                  <li>
                    Try a question in the <Link to="/ask">Ask playground</Link>.
                  </li>
                  <li>In Slack, mention @Lore in a channel, send it a DM, or use /ask.</li>
                </ol>
              </Card>
            ) : null}
          </div>
        )}
      </Async>
    </>
  );
}
