import { votesSince } from '../../ai/answer-feedback.repo.js';
import { answerCountsSince } from '../../ai/answers.repo.js';
import type { OverviewDto } from '../../contracts/overview.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { knowledgeBaseCounts } from '../../knowledge/documents.repo.js';
import { platformTokensSince } from '../../usage/usage.repo.js';
import { currentInstallationSummary } from '../installations/installations.repo.js';
import { getPlanLimits } from '../plans.repo.js';
import { overviewFactsOf } from '../tenants.repo.js';

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
    const tenant = await overviewFactsOf(c, tenantId);
    const install = await currentInstallationSummary(c);
    const monthCounts = await answerCountsSince(c, since);
    const tokens = await platformTokensSince(c, since);
    const votes = await votesSince(c, since);
    const knowledge = await knowledgeBaseCounts(c);
    if (!tenant) throw new Error('getWorkspaceOverview: the tenant is not visible in its own context');
    const month = monthCounts ?? { questions: 0, answered: 0, unanswered: 0, lastAnswerAt: null };
    const counts = knowledge ?? { documents: 0, chunks: 0, gaps: 0 };
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
        tokens: { used: tokens ?? 0, limit: limits.monthlyTokenQuota },
        documents: { used: counts.documents, limit: limits.maxDocuments },
        chunks: { used: counts.chunks, limit: limits.maxChunks },
      },
      month: {
        questions: month.questions,
        answered: month.answered,
        unanswered: month.unanswered,
        thumbsUp: votes?.up ?? 0,
        thumbsDown: votes?.down ?? 0,
        openGaps: counts.gaps,
      },
    };
  });
}
