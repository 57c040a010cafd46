import type { UsageReportDto } from '@contracts/usage.contract';
import type { ChartConfiguration } from 'chart.js';
import { COLORS } from '../components/chart';
import { fmtCompact, fmtDay, fmtMs } from '../lib/format';

/**
 * The usage page's charts, built from one report: questions, tokens and cost, answer time, votes, and the
 * ten busiest channels and people.
 */
export function usageCharts(r: UsageReportDto) {
  const labels = r.days.map((d) => fmtDay(d.day));
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
