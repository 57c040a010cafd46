import type { UsageReportDto } from '@contracts/usage.contract';
import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'react';
import { api, query } from '../api/client';
import { ChartCanvas, COLORS } from '../components/chart';
import { Async, Empty } from '../components/states';
import { Card, PageHeader, Stat } from '../components/widgets';
import { daysAgo, fmtCompact, fmtMs, fmtNumber, fmtUsd } from '../lib/format';
import { useApi } from '../lib/use-api';

const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];

const short = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

function charts(r: UsageReportDto) {
  const labels = r.days.map((d) => short(d.day));
  const questions: ChartConfiguration = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'Answered',
          data: r.days.map((d) => d.answered),
          backgroundColor: COLORS.indigo,
          stack: 'q',
        },
        {
          label: 'Not in documents',
          data: r.days.map((d) => d.unanswered),
          backgroundColor: COLORS.amber,
          stack: 'q',
        },
        {
          label: 'Other',
          data: r.days.map((d) => d.questions - d.answered - d.unanswered),
          backgroundColor: COLORS.slate,
          stack: 'q',
        },
      ],
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  const tokens: ChartConfiguration = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          type: 'bar',
          label: 'Tokens',
          data: r.days.map((d) => d.promptTokens + d.completionTokens),
          backgroundColor: COLORS.teal,
          yAxisID: 'y',
        },
        {
          type: 'line',
          label: 'Cost (USD)',
          data: r.days.map((d) => d.costUsd),
          borderColor: COLORS.rose,
          backgroundColor: COLORS.rose,
          yAxisID: 'cost',
          tension: 0.3,
          pointRadius: 2,
        },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(Number(v)) } },
        cost: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { callback: (v) => `$${Number(v).toFixed(3)}` },
        },
      },
    },
  };
  const latency: ChartConfiguration = {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: 'Average',
          data: r.days.map((d) => d.avgLatencyMs),
          borderColor: COLORS.sky,
          backgroundColor: COLORS.sky,
          spanGaps: true,
          tension: 0.3,
        },
        {
          label: '95th percentile',
          data: r.days.map((d) => d.p95LatencyMs),
          borderColor: COLORS.amber,
          backgroundColor: COLORS.amber,
          borderDash: [4, 4],
          spanGaps: true,
          tension: 0.3,
        },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { callback: (v) => fmtMs(Number(v)) } } } },
  };
  const votes: ChartConfiguration = {
    type: 'doughnut',
    data: {
      labels: ['👍 Helpful', '👎 Not helpful'],
      datasets: [
        { data: [r.totals.thumbsUp, r.totals.thumbsDown], backgroundColor: [COLORS.teal, COLORS.rose] },
      ],
    },
    options: { plugins: { legend: { position: 'bottom' } } },
  };
  const ranked = (items: UsageReportDto['byChannel'], color: string, what: string): ChartConfiguration => ({
    type: 'bar',
    data: {
      labels: items.slice(0, 10).map((b) => b.key || '(none)'),
      datasets: [
        {
          label: `Questions by ${what}`,
          data: items.slice(0, 10).map((b) => b.questions),
          backgroundColor: color,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return {
    questions,
    tokens,
    latency,
    votes,
    channels: ranked(r.byChannel, COLORS.indigo, 'channel'),
    users: ranked(r.byUser, COLORS.sky, 'user'),
  };
}

function Report({ r, csv }: { r: UsageReportDto; csv: (kind: string) => string }) {
  const c = useMemo(() => charts(r), [r]);
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
        <Card
          title="By channel"
          actions={
            <a href={csv('channels')} download>
              CSV
            </a>
          }
        >
          <ChartCanvas
            config={c.channels}
            summary={`Questions by channel: ${r.byChannel.map((b) => `${b.key} ${b.questions}`).join(', ')}`}
          />
        </Card>
        <Card
          title="By person"
          actions={
            <a href={csv('users')} download>
              CSV
            </a>
          }
        >
          <ChartCanvas
            config={c.users}
            summary={`Questions by person: ${r.byUser.map((b) => `${b.key} ${b.questions}`).join(', ')}`}
          />
        </Card>
      </div>
    </>
  );
}

/** Usage charts over a chosen period, and the same data as CSV. */
export function UsagePage() {
  const [from, setFrom] = useState(daysAgo(29));
  const [to, setTo] = useState(daysAgo(0));
  const q = query({ from, to });
  const report = useApi(`usage${q}`, () => api.get<UsageReportDto>(`/api/usage${q}`));
  const csv = (kind: string) => `/api/usage.csv${query({ kind, from, to })}`;
  const preset = (days: number) => {
    setFrom(daysAgo(days - 1));
    setTo(daysAgo(0));
  };
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
        <div className="toolbar">
          <fieldset className="segmented">
            <legend className="sr-only">Period</legend>
            {PRESETS.map((p) => (
              <button
                key={p.days}
                type="button"
                className="btn btn-ghost"
                aria-pressed={from === daysAgo(p.days - 1) && to === daysAgo(0)}
                onClick={() => preset(p.days)}
              >
                {p.label}
              </button>
            ))}
          </fieldset>
          <label className="field">
            <span>From</span>
            <input
              type="date"
              value={from}
              max={to}
              onChange={(e) => e.target.value && setFrom(e.target.value)}
            />
          </label>
          <label className="field">
            <span>To</span>
            <input
              type="date"
              value={to}
              min={from}
              onChange={(e) => e.target.value && setTo(e.target.value)}
            />
          </label>
        </div>
      </Card>
      <Async state={report} label="Loading usage…">
        {(r) => <Report r={r} csv={csv} />}
      </Async>
    </>
  );
}
