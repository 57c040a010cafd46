import type { PlatformSummaryDto, PlatformTenantDto } from '@contracts/platform.contract';
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, query } from '../api/client';
import { ChartCanvas, COLORS } from '../components/chart';
import { Async, Empty, Notice } from '../components/states';
import { Badge, Card, ConfirmDialog, PageHeader, Pager, Stat } from '../components/widgets';
import { fmtAgo, fmtCompact, fmtNumber, fmtUsd } from '../lib/format';
import { useApi } from '../lib/use-api';
import { PlanDialog } from './operator-plan-dialog';

const PAGE_SIZE = 25;
const STATUS_TONE = { active: 'ok', suspended: 'warn', inactive: 'muted' } as const;

function Summary({ s }: { s: PlatformSummaryDto }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: s.activeTenantsByDay.map((d) =>
          new Date(`${d.day}T00:00:00Z`).toLocaleDateString('en-GB', {
            day: 'numeric',
            month: 'short',
            timeZone: 'UTC',
          }),
        ),
        datasets: [
          {
            label: 'Active tenants',
            data: s.activeTenantsByDay.map((d) => d.tenants),
            borderColor: COLORS.indigo,
            backgroundColor: 'rgba(79, 70, 229, 0.12)',
            fill: true,
            tension: 0.3,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
    [s],
  );
  const latest = s.activeTenantsByDay.at(-1)?.tenants ?? 0;
  return (
    <div className="grid">
      <div className="stats span-2">
        <Stat
          label="Tenants"
          value={fmtNumber(s.tenants.total)}
          hint={`${s.tenants.active} active · ${s.tenants.suspended} suspended · ${s.tenants.inactive} uninstalled`}
        />
        <Stat label="Questions this month" value={fmtNumber(s.month.questions)} />
        <Stat label="Tokens this month" value={fmtCompact(s.month.tokens)} hint={fmtUsd(s.month.costUsd)} />
        <Stat label="Documents" value={fmtNumber(s.documents)} hint={`${fmtCompact(s.chunks)} passages`} />
      </div>
      <Card title="Active tenants, last 30 days" className="span-2">
        <ChartCanvas
          config={config}
          summary={`Tenants asking questions per day; ${latest} today`}
          height={220}
        />
      </Card>
    </div>
  );
}

/** Every tenant with status, plan, usage and last activity; suspend/resume; plan and quotas; CSV; totals. */
export function OperatorPage() {
  const summary = useApi('platform-summary', () => api.get<PlatformSummaryDto>('/api/platform/summary'));
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState('activity');
  const [page, setPage] = useState(1);
  const [confirm, setConfirm] = useState<{ tenant: PlatformTenantDto; action: 'suspend' | 'resume' } | null>(
    null,
  );
  const [editing, setEditing] = useState<PlatformTenantDto | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  useEffect(() => {
    const t = window.setTimeout(() => {
      setDebounced(search);
      setPage(1);
    }, 250);
    return () => window.clearTimeout(t);
  }, [search]);
  const q = query({ search: debounced, status, sort, page, pageSize: PAGE_SIZE });
  const tenants = useApi(`tenants${q}`, () =>
    api.get<{ items: PlatformTenantDto[]; total: number }>(`/api/platform/tenants${q}`),
  );

  const changeStatus = async () => {
    if (!confirm) return;
    const { tenant, action } = confirm;
    setConfirm(null);
    try {
      await api.post(`/api/platform/tenants/${tenant.id}/${action}`);
      setNotice({
        kind: 'ok',
        text: `${tenant.name} ${action === 'suspend' ? 'suspended: its members get no answers' : 'resumed'}.`,
      });
      tenants.reload();
      summary.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: e instanceof ApiError ? e.message : 'That did not work.' });
    }
  };

  return (
    <>
      <PageHeader
        title="Operator view"
        subtitle="Every workspace on this Lore deployment."
        actions={
          <a
            className="btn"
            href={`/api/platform/tenants.csv${query({ search: debounced, status, sort })}`}
            download
          >
            Export CSV
          </a>
        }
      />
      <Async state={summary} label="Loading platform totals…">
        {(s) => <Summary s={s} />}
      </Async>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <Card title="Tenants">
        <div className="toolbar">
          <label className="field grow">
            <span className="sr-only">Search tenants</span>
            <input
              type="search"
              placeholder="Search by name or Slack id"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="sr-only">Status</span>
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value);
                setPage(1);
              }}
            >
              <option value="">Any status</option>
              <option value="active">Active</option>
              <option value="suspended">Suspended</option>
              <option value="inactive">Uninstalled</option>
            </select>
          </label>
          <label className="field">
            <span className="sr-only">Sort by</span>
            <select value={sort} onChange={(e) => setSort(e.target.value)}>
              <option value="activity">Last activity</option>
              <option value="questions">Questions this month</option>
              <option value="name">Name</option>
              <option value="created">Newest</option>
            </select>
          </label>
        </div>
        <Async state={tenants} label="Loading tenants…">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title="No tenants match">Try another search.</Empty>
            ) : (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Workspace</th>
                      <th scope="col">Status</th>
                      <th scope="col">Plan</th>
                      <th scope="col" className="hide-phone">
                        Questions
                      </th>
                      <th scope="col" className="hide-phone">
                        Tokens
                      </th>
                      <th scope="col" className="hide-phone">
                        Docs
                      </th>
                      <th scope="col" className="hide-phone">
                        Last activity
                      </th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((t) => (
                      <tr key={t.id}>
                        <td>
                          <strong>{t.name}</strong> {t.isDemo ? <Badge tone="info">Demo</Badge> : null}
                          <div className="muted small mono">{t.slackId}</div>
                        </td>
                        <td>
                          <Badge tone={STATUS_TONE[t.status]}>
                            {t.status === 'inactive' ? 'uninstalled' : t.status}
                          </Badge>
                        </td>
                        <td>
                          {t.planId}
                          {t.quotaOverridden ? <span className="muted small"> (custom quota)</span> : null}
                        </td>
                        <td className="hide-phone">
                          {fmtNumber(t.questionsThisMonth)}{' '}
                          <span className="muted small">/ {fmtNumber(t.monthlyQuestionQuota)}</span>
                        </td>
                        <td className="hide-phone">
                          {fmtCompact(t.tokensThisMonth)}{' '}
                          <span className="muted small">/ {fmtCompact(t.monthlyTokenQuota)}</span>
                        </td>
                        <td className="hide-phone">{fmtNumber(t.documents)}</td>
                        <td className="hide-phone">{fmtAgo(t.lastActivityAt)}</td>
                        <td className="row-actions">
                          <button
                            type="button"
                            className="btn btn-ghost btn-small"
                            aria-label={`Plan and quotas of ${t.name}`}
                            onClick={() => setEditing(t)}
                          >
                            Plan
                          </button>
                          {t.status === 'active' ? (
                            <button
                              type="button"
                              className="btn btn-ghost btn-small danger-text"
                              aria-label={`Suspend ${t.name}`}
                              onClick={() => setConfirm({ tenant: t, action: 'suspend' })}
                            >
                              Suspend
                            </button>
                          ) : t.status === 'suspended' ? (
                            <button
                              type="button"
                              className="btn btn-ghost btn-small"
                              aria-label={`Resume ${t.name}`}
                              onClick={() => setConfirm({ tenant: t, action: 'resume' })}
                            >
                              Resume
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
              </>
            )
          }
        </Async>
      </Card>
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.action === 'suspend'
            ? `Suspend ${confirm.tenant.name}?`
            : `Resume ${confirm?.tenant.name ?? ''}?`
        }
        confirmLabel={confirm?.action === 'suspend' ? 'Suspend' : 'Resume'}
        danger={confirm?.action === 'suspend'}
        onCancel={() => setConfirm(null)}
        onConfirm={changeStatus}
      >
        <p>
          {confirm?.action === 'suspend'
            ? 'Its members get no answers and its admins cannot open the dashboard until it is resumed. Nothing is deleted.'
            : 'Lore answers its members again.'}
        </p>
      </ConfirmDialog>
      {editing && summary.data ? (
        <PlanDialog
          tenant={editing}
          plans={summary.data.plans}
          onClose={(changed) => {
            setEditing(null);
            if (changed) {
              setNotice({ kind: 'ok', text: `Plan of ${editing.name} updated.` });
              tenants.reload();
            }
          }}
        />
      ) : null}
    </>
  );
}
