import type { PlatformSummaryDto, PlatformTenantDto } from '@contracts/platform.contract';
import { useState } from 'react';
import { ApiError, api, query } from '../api/client';
import { FilterBar } from '../components/filter-bar';
import { Results } from '../components/results';
import { Async, Empty, Notice } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
import { useApi } from '../lib/use-api';
import { useListFilters } from '../lib/use-list-filters';
import { Announcements } from './operator-announcements';
import { BrokenInstallations } from './operator-broken';
import { OperatorHealth } from './operator-health';
import { PlanDialog } from './operator-plan-dialog';
import { StatusDialog } from './operator-status-dialog';
import { PlatformSummary } from './operator-summary';
import { type StatusChange, type TenantSort, TenantsTable } from './operator-tenants';

const PAGE_SIZE = 25;
const STATUSES = [
  ['', 'Any status'],
  ['active', 'Active'],
  ['suspended', 'Suspended'],
  ['inactive', 'Uninstalled'],
] as const;
const SORTS = [
  ['activity', 'Last activity'],
  ['questions', 'Questions this month'],
  ['name', 'Name'],
  ['created', 'Newest'],
] as const;

/** Every tenant with status, plan, usage and last activity; suspend/resume; plan and quotas; CSV; totals. */
export function OperatorPage() {
  const summary = useApi('platform-summary', () => api.get<PlatformSummaryDto>('/api/platform/summary'));
  const filtering = useListFilters({
    status: '',
    sort: 'activity' as TenantSort,
  });
  const { debounced, filters, setFilter, page, setPage } = filtering;
  const { status, sort } = filters;
  const [confirm, setConfirm] = useState<StatusChange | null>(null);
  const [editing, setEditing] = useState<PlatformTenantDto | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
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
        {(s) => <PlatformSummary s={s} />}
      </Async>
      <BrokenInstallations />
      <OperatorHealth />
      {summary.data ? <Announcements plans={summary.data.plans} /> : null}
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <Card title="Tenants">
        <FilterBar
          list={filtering}
          search={{ label: 'Search tenants', placeholder: 'Search by name or Slack id' }}
          selects={[
            { key: 'status', label: 'Status', options: STATUSES },
            { key: 'sort', label: 'Sort by', options: SORTS },
          ]}
        />
        <Results
          state={tenants}
          label="Loading tenants…"
          paging={{ page, pageSize: PAGE_SIZE, onPage: setPage }}
          empty={<Empty title="No tenants match">Try another search.</Empty>}
        >
          {(items) => (
            <TenantsTable
              tenants={items}
              sort={sort}
              onSort={(v) => setFilter('sort', v)}
              onPlan={setEditing}
              onStatus={setConfirm}
            />
          )}
        </Results>
      </Card>
      <StatusDialog change={confirm} onCancel={() => setConfirm(null)} onConfirm={changeStatus} />
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
