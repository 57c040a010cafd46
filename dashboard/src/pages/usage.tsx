import type { UsageReportDto } from '@contracts/usage.contract';
import { useState } from 'react';
import { api, query } from '../api/client';
import { Async } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
import { daysAgo } from '../lib/format';
import { useApi } from '../lib/use-api';
import { PeriodPicker } from './usage-period';
import { UsageReport } from './usage-report';

/** Usage charts over a chosen period, and the same data as CSV. */
export function UsagePage() {
  const [{ from, to }, setPeriod] = useState({ from: daysAgo(29), to: daysAgo(0) });
  const q = query({ from, to });
  const report = useApi(`usage${q}`, () => api.get<UsageReportDto>(`/api/usage${q}`));
  const csv = (kind: string) => `/api/usage.csv${query({ kind, from, to })}`;
  return (
    <>
      <PageHeader
        title="Usage"
        subtitle="Questions, tokens, cost, answer time and votes, per day (UTC)."
        actions={
          <a className="btn" href={csv('days')} download>
            Export CSV
          </a>
        }
      />
      <Card>
        <PeriodPicker from={from} to={to} onChange={setPeriod} />
      </Card>
      <Async state={report} label="Loading usage…">
        {(r) => <UsageReport r={r} csv={csv} />}
      </Async>
    </>
  );
}
