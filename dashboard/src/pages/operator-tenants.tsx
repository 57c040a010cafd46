import type { PlatformTenantDto, platformTenantsQuery } from '@contracts/platform.contract';
import type { z } from 'zod';
import { type Column, DataTable } from '../components/data-table';
import { Badge } from '../components/widgets';
import { fmtAgo, fmtCompact, fmtNumber } from '../lib/format';

export type TenantSort = z.infer<typeof platformTenantsQuery>['sort'];
export type StatusChange = { tenant: PlatformTenantDto; action: 'suspend' | 'resume' };

const STATUS_TONE = { active: 'ok', suspended: 'warn', inactive: 'muted' } as const;

/** Every tenant with status, plan, this month's usage against its quotas, and what an operator can do. */
export function TenantsTable({
  tenants,
  sort,
  onSort,
  onPlan,
  onStatus,
}: {
  tenants: PlatformTenantDto[];
  sort: TenantSort;
  onSort: (sort: TenantSort) => void;
  onPlan: (tenant: PlatformTenantDto) => void;
  onStatus: (change: StatusChange) => void;
}) {
  const columns: Array<Column<PlatformTenantDto, TenantSort>> = [
    {
      header: 'Workspace',
      sort: { key: 'name', direction: 'ascending' },
      cell: (t) => (
        <>
          <strong>{t.name}</strong> {t.isDemo ? <Badge tone="info">Demo</Badge> : null}
          <div className="muted small mono">{t.slackId}</div>
        </>
      ),
    },
    {
      header: 'Status',
      cell: (t) => (
        <Badge tone={STATUS_TONE[t.status]}>{t.status === 'inactive' ? 'uninstalled' : t.status}</Badge>
      ),
    },
    {
      header: 'Plan',
      cell: (t) => (
        <>
          {t.planId}
          {t.quotaOverridden ? <span className="muted small"> (custom quota)</span> : null}
        </>
      ),
    },
    {
      header: 'Questions',
      hideOnPhone: true,
      sort: { key: 'questions', direction: 'descending' },
      cell: (t) => <Usage used={fmtNumber(t.questionsThisMonth)} quota={fmtNumber(t.monthlyQuestionQuota)} />,
    },
    {
      header: 'Tokens',
      hideOnPhone: true,
      cell: (t) => <Usage used={fmtCompact(t.tokensThisMonth)} quota={fmtCompact(t.monthlyTokenQuota)} />,
    },
    { header: 'Docs', hideOnPhone: true, cell: (t) => fmtNumber(t.documents) },
    {
      header: 'Last activity',
      hideOnPhone: true,
      sort: { key: 'activity', direction: 'descending' },
      cell: (t) => fmtAgo(t.lastActivityAt),
    },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (t) => <TenantActions tenant={t} onPlan={onPlan} onStatus={onStatus} />,
    },
  ];
  return <DataTable columns={columns} rows={tenants} rowKey={(t) => t.id} sortedBy={sort} onSort={onSort} />;
}

function Usage({ used, quota }: { used: string; quota: string }) {
  return (
    <>
      {used} <span className="muted small">/ {quota}</span>
    </>
  );
}

/** Plan and quotas for any tenant; suspend an active one or resume a suspended one (uninstalled: neither). */
function TenantActions({
  tenant: t,
  onPlan,
  onStatus,
}: {
  tenant: PlatformTenantDto;
  onPlan: (tenant: PlatformTenantDto) => void;
  onStatus: (change: StatusChange) => void;
}) {
  const action = t.status === 'active' ? 'suspend' : t.status === 'suspended' ? 'resume' : null;
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        aria-label={`Plan and quotas of ${t.name}`}
        onClick={() => onPlan(t)}
      >
        Plan
      </button>
      {action ? (
        <button
          type="button"
          className={`btn btn-ghost btn-small${action === 'suspend' ? ' danger-text' : ''}`}
          aria-label={`${action === 'suspend' ? 'Suspend' : 'Resume'} ${t.name}`}
          onClick={() => onStatus({ tenant: t, action })}
        >
          {action === 'suspend' ? 'Suspend' : 'Resume'}
        </button>
      ) : null}
    </>
  );
}
