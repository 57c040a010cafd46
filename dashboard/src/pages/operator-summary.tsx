import type { PlatformSummaryDto } from '@contracts/platform.contract';
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartCanvas, COLORS } from '../components/chart';
import { Card, Stat } from '../components/widgets';
import { fmtCompact, fmtDay, fmtNumber, fmtUsd } from '../lib/format';

/** Platform totals (tenants, this month's questions and tokens, documents) and active tenants per day. */
export function PlatformSummary({ s }: { s: PlatformSummaryDto }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: s.activeTenantsByDay.map((d) => fmtDay(d.day)),
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
