import type { UsageReportDto } from '@contracts/usage.contract';
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartCanvas } from '../components/chart';
import { Empty } from '../components/states';
import { Card, Stat } from '../components/widgets';
import { fmtCompact, fmtMs, fmtNumber, fmtUsd } from '../lib/format';
import { usageCharts } from './usage-charts';

/** One period's usage: totals, then a chart each (screen readers get each chart's summary). */
export function UsageReport({ r, csv }: { r: UsageReportDto; csv: (kind: string) => string }) {
  const c = useMemo(() => usageCharts(r), [r]);
  const voted = r.totals.thumbsUp + r.totals.thumbsDown;
  if (r.totals.questions === 0 && r.totals.tokens === 0) {
    return (
      <Empty title="No questions in this period">
        Usage appears here as people ask Lore in Slack or in the Ask playground. Try a longer period.
      </Empty>
    );
  }
  return (
    <>
      <div className="stats">
        <Stat
          label="Questions"
          value={fmtNumber(r.totals.questions)}
          hint={`${fmtNumber(r.totals.answered)} answered`}
        />
        <Stat label="Tokens" value={fmtCompact(r.totals.tokens)} />
        <Stat label="Cost" value={fmtUsd(r.totals.costUsd)} />
        <Stat label="Average answer time" value={fmtMs(r.totals.avgLatencyMs)} />
        <Stat
          label="Helpful"
          value={voted ? `${Math.round((r.totals.thumbsUp / voted) * 100)}%` : '—'}
          hint={`👍 ${r.totals.thumbsUp} · 👎 ${r.totals.thumbsDown}`}
        />
      </div>
      <div className="grid">
        <Card title="Questions per day" className="span-2">
          <ChartCanvas config={c.questions} summary={`Questions per day, ${r.totals.questions} in total`} />
        </Card>
        <Card title="Tokens and cost per day" className="span-2">
          <ChartCanvas
            config={c.tokens}
            summary={`Tokens per day, ${r.totals.tokens} in total, costing ${fmtUsd(r.totals.costUsd)}`}
          />
        </Card>
        <Card title="Answer time">
          <ChartCanvas config={c.latency} summary={`Average answer time ${fmtMs(r.totals.avgLatencyMs)}`} />
        </Card>
        <Card title="👍 / 👎">
          {voted ? (
            <ChartCanvas
              config={c.votes}
              summary={`${r.totals.thumbsUp} helpful and ${r.totals.thumbsDown} not helpful votes`}
            />
          ) : (
            <Empty title="No votes yet">People vote with the buttons under each answer in Slack.</Empty>
          )}
        </Card>
        <RankedCard
          title="By channel"
          what="channel"
          items={r.byChannel}
          config={c.channels}
          csv={csv('channels')}
        />
        <RankedCard title="By person" what="person" items={r.byUser} config={c.users} csv={csv('users')} />
      </div>
    </>
  );
}

/** Questions by channel or by person: the chart, its text alternative and the full list as CSV. */
function RankedCard({
  title,
  what,
  items,
  config,
  csv,
}: {
  title: string;
  what: string;
  items: UsageReportDto['byChannel'];
  config: ChartConfiguration;
  csv: string;
}) {
  return (
    <Card
      title={title}
      actions={
        <a href={csv} download>
          CSV
        </a>
      }
    >
      <ChartCanvas
        config={config}
        summary={`Questions by ${what}: ${items.map((b) => `${b.key} ${b.questions}`).join(', ')}`}
      />
    </Card>
  );
}
