import type { OverviewDto } from '../../contracts/overview.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { getPlanLimits } from '../plans.repo.js';

/** What the dashboard's overview shows about a workspace: OverviewDto with Dates, before the reinstall link. */
export type WorkspaceOverview = Omit<OverviewDto, 'install'> & {
  install: Omit<
    WithDates<OverviewDto['install'], 'installedAt' | 'tokenExpiresAt' | 'lastEventAt'>,
    'reinstallUrl'
  >;
};

/** The first instant of the current UTC month: quotas and "this month" counters reset there. */
export const monthStart = (now = new Date()) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** Install and token health, plan and quota use, and this month's questions, for one tenant. */
export async function getWorkspaceOverview(
  db: Database,
  tenantId: string,
  requiredScopes: readonly string[],
): Promise<WorkspaceOverview> {
  return withTenant(db, tenantId, async (c) => {
    const since = monthStart();
    const limits = await getPlanLimits(c);
    const t = await c.query<{
      name: string;
      status: 'active' | 'inactive' | 'suspended';
      isDemo: boolean;
      lastActivityAt: Date | null;
      planName: string;
    }>(
      `SELECT t.name, t.status, t.is_demo AS "isDemo", t.last_activity_at AS "lastActivityAt", p.name AS "planName"
       FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id WHERE t.id = $1`,
      [tenantId],
    );
    const i = await c.query<{
      installedAt: Date;
      installedBy: string | null;
      teamName: string | null;
      isEnterpriseInstall: boolean;
      scopes: string[];
      tokenExpiresAt: Date | null;
      tokenRotates: boolean;
    }>(
      `SELECT installed_at AS "installedAt", installer_user_id AS "installedBy",
              coalesce(enterprise_name, team_name) AS "teamName", is_enterprise_install AS "isEnterpriseInstall",
              bot_scopes AS scopes, bot_token_expires_at AS "tokenExpiresAt",
              bot_refresh_token_encrypted IS NOT NULL AS "tokenRotates"
       FROM lore.installations WHERE uninstalled_at IS NULL AND bot_token_encrypted IS NOT NULL
       ORDER BY installed_at DESC LIMIT 1`,
    );
    const m = await c.query<{
      questions: number;
      answered: number;
      unanswered: number;
      lastAnswerAt: Date | null;
    }>(
      `SELECT count(*)::int AS questions,
              count(*) FILTER (WHERE outcome IN ('answered', 'extractive'))::int AS answered,
              count(*) FILTER (WHERE outcome = 'no_sources')::int AS unanswered,
              (SELECT max(created_at) FROM lore.answers) AS "lastAnswerAt"
       FROM lore.answers WHERE created_at >= $1`,
      [since],
    );
    const u = await c.query<{ tokens: number }>(
      `SELECT coalesce(sum(total_tokens), 0)::float8 AS tokens FROM lore.usage_events
       WHERE created_at >= $1 AND key_source = 'platform'`,
      [since],
    );
    const f = await c.query<{ up: number; down: number }>(
      `SELECT count(*) FILTER (WHERE vote = 1)::int AS up, count(*) FILTER (WHERE vote = -1)::int AS down
       FROM lore.answer_feedback WHERE updated_at >= $1`,
      [since],
    );
    const d = await c.query<{ documents: number; chunks: number; gaps: number }>(
      `SELECT (SELECT count(*) FROM lore.documents)::int AS documents,
              (SELECT count(*) FROM lore.chunks)::int AS chunks,
              (SELECT count(DISTINCT lower(btrim(question))) FROM lore.knowledge_gaps WHERE status = 'open')::int AS gaps`,
    );
    const tenant = t.rows[0];
    if (!tenant) throw new Error('getWorkspaceOverview: the tenant is not visible in its own context');
    const install = i.rows[0];
    const month = m.rows[0] ?? { questions: 0, answered: 0, unanswered: 0, lastAnswerAt: null };
    const counts = d.rows[0] ?? { documents: 0, chunks: 0, gaps: 0 };
    const lastEvents = [tenant.lastActivityAt, month.lastAnswerAt].filter((x): x is Date => x !== null);
    return {
      workspace: { tenantId, name: tenant.name, status: tenant.status, isDemo: tenant.isDemo },
      install: {
        installed: Boolean(install),
        installedAt: install?.installedAt ?? null,
        installedBy: install?.installedBy ?? null,
        teamName: install?.teamName ?? null,
        isEnterpriseInstall: install?.isEnterpriseInstall ?? false,
        scopes: install?.scopes ?? [],
        missingScopes: install ? requiredScopes.filter((s) => !install.scopes.includes(s)) : [],
        tokenExpiresAt: install?.tokenExpiresAt ?? null,
        tokenRotates: install?.tokenRotates ?? false,
        lastEventAt: lastEvents.length ? new Date(Math.max(...lastEvents.map((x) => x.getTime()))) : null,
      },
      plan: { id: limits.planId, name: tenant.planName },
      quotas: {
        questions: { used: month.questions, limit: limits.monthlyQuestionQuota },
        tokens: { used: u.rows[0]?.tokens ?? 0, limit: limits.monthlyTokenQuota },
        documents: { used: counts.documents, limit: limits.maxDocuments },
        chunks: { used: counts.chunks, limit: limits.maxChunks },
      },
      month: {
        questions: month.questions,
        answered: month.answered,
        unanswered: month.unanswered,
        thumbsUp: f.rows[0]?.up ?? 0,
        thumbsDown: f.rows[0]?.down ?? 0,
        openGaps: counts.gaps,
      },
    };
  });
}
