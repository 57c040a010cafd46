import { Router } from 'express';
import { z } from 'zod';
import { type UsageReportDto, usageQuery } from '../../../contracts/usage.contract.js';
import { badRequest } from '../../../errors.js';
import type { Database } from '../../../infra/db/database.js';
import { getUsageReport, MAX_REPORT_DAYS, type UsageReport } from '../../../usage/usage-report.service.js';
import { sendCsv, toCsv } from '../../csv.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The requested period, defaulting to the 30 days up to today (UTC); longer than a year is refused. */
export function periodOf(q: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
  const to = q.to ?? isoDay(now);
  const from = q.from ?? isoDay(new Date(Date.parse(to) - 29 * DAY_MS));
  if (from > to) throw badRequest('"from" must not be after "to"');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_REPORT_DAYS) {
    throw badRequest(`Choose a period of at most ${MAX_REPORT_DAYS} days`);
  }
  return { from, to };
}

function toDto({ latency, ...r }: UsageReport): UsageReportDto {
  const sum = (pick: (d: UsageReport['days'][number]) => number) => r.days.reduce((n, d) => n + pick(d), 0);
  return {
    ...r,
    totals: {
      questions: sum((d) => d.questions),
      answered: sum((d) => d.answered),
      tokens: sum((d) => d.promptTokens + d.completionTokens),
      costUsd: Math.round(sum((d) => d.costUsd) * 1e6) / 1e6,
      // The mean over every answer of the period with a latency (days' percentiles cannot be combined).
      avgLatencyMs: latency.count ? Math.round(latency.sumMs / latency.count) : null,
      thumbsUp: sum((d) => d.thumbsUp),
      thumbsDown: sum((d) => d.thumbsDown),
    },
  };
}

const csvQuery = z.object({ kind: z.enum(['days', 'channels', 'users']).default('days') });

/** `/api/usage`: usage charts' data over a chosen period, and the same data as CSV. */
export function usageRoutes(deps: { db: Database }): Router {
  const router = Router();

  router.get('/usage', async (req, res) => {
    const { from, to } = periodOf(parseInput(usageQuery, req.query));
    res.json(toDto(await getUsageReport(deps.db, authOf(req).tenantId, from, to)));
  });

  router.get('/usage.csv', async (req, res) => {
    const { kind } = parseInput(csvQuery, { kind: req.query.kind });
    const { from, to } = periodOf(parseInput(usageQuery, { from: req.query.from, to: req.query.to }));
    const r = await getUsageReport(deps.db, authOf(req).tenantId, from, to);
    const name = `lore-usage-${kind}-${from}-to-${to}.csv`;
    if (kind === 'days') {
      const headers = [
        'day',
        'questions',
        'answered',
        'unanswered',
        'prompt_tokens',
        'completion_tokens',
        'cost_usd',
        'avg_latency_ms',
        'p95_latency_ms',
        'thumbs_up',
        'thumbs_down',
      ];
      const rows = r.days.map((d) => [
        d.day,
        d.questions,
        d.answered,
        d.unanswered,
        d.promptTokens,
        d.completionTokens,
        d.costUsd,
        d.avgLatencyMs,
        d.p95LatencyMs,
        d.thumbsUp,
        d.thumbsDown,
      ]);
      return sendCsv(res, name, toCsv(headers, rows));
    }
    const list = kind === 'channels' ? r.byChannel : r.byUser;
    const rows = list.map((b) => [b.key, b.questions, b.tokens, b.costUsd]);
    sendCsv(
      res,
      name,
      toCsv([kind === 'channels' ? 'channel' : 'user', 'questions', 'tokens', 'cost_usd'], rows),
    );
  });

  return router;
}
