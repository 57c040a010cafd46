import { appendAudit } from '../../audit/audit.repo.js';
import { notFound } from '../../errors.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import {
  hasLiveBotToken,
  latestInstallTime,
  markInstallationsUninstalled,
  revokeTokens,
} from '../installations/installations.repo.js';
import type { InstallationService } from '../installations/installations.service.js';
import { keyOfTenant, type SlackKey, slackKeyString } from '../slack-key.js';
import { lockTenantByKey, setTenantStatus, type TenantState } from '../tenants.repo.js';

/** What a lifecycle event did: applied, ignored as older than the latest install, or no such tenant. */
export interface LifecycleOutcome {
  result: 'applied' | 'stale' | 'unknown_tenant';
  tenantId?: string;
  /** The tenant lost its last bot token and is now inactive. */
  deactivated?: boolean;
}

/** A Slack event that removes tokens; `eventTime` is Slack's `event_time` (epoch seconds). */
interface TokenEvent {
  key: SlackKey;
  eventTime?: number;
  actor?: string;
}

/** Uninstall, token revocation, suspension: every change to whether a tenant is served. */
export interface TenantLifecycle {
  /** `app_uninstalled`: deletes every token, deactivates the tenant (data kept until the purge). */
  appUninstalled(e: TokenEvent): Promise<LifecycleOutcome>;
  /** `tokens_revoked`: deletes the named bot and user tokens; deactivates when no bot token is left. */
  tokensRevoked(e: TokenEvent & { botUserIds: string[]; userIds: string[] }): Promise<LifecycleOutcome>;
  /** Operator: stops serving a tenant (its events get no answers) until resumed. */
  suspend(key: SlackKey, actor: string): Promise<{ tenant: TenantState; changed: boolean }>;
  /** Operator: serves a suspended tenant again. */
  resume(key: SlackKey, actor: string): Promise<{ tenant: TenantState; changed: boolean }>;
}

/** Creates the lifecycle service; every change drops the tenant's cached installation everywhere. */
export function createTenantLifecycle(deps: {
  db: Database;
  installations: Pick<InstallationService, 'invalidate'>;
  logger: Logger;
}): TenantLifecycle {
  const logger = deps.logger.child({ component: 'tenant-lifecycle' });

  /** Runs a token event: stale events (older than the newest install) change nothing. */
  async function tokenEvent(
    e: TokenEvent,
    action: string,
    apply: (c: DbClient, tenant: TenantState, at: Date) => Promise<Record<string, unknown>>,
  ): Promise<LifecycleOutcome> {
    const outcome = await withTransaction(deps.db, async (c): Promise<LifecycleOutcome> => {
      const tenant = await lockTenantByKey(c, e.key);
      if (!tenant) return { result: 'unknown_tenant' };
      const installedAt = await latestInstallTime(c, tenant.id);
      // event_time has whole seconds: an event from before the newest install's second is about an older install.
      if (
        e.eventTime !== undefined &&
        installedAt &&
        e.eventTime < Math.floor(installedAt.getTime() / 1000)
      ) {
        return { result: 'stale', tenantId: tenant.id };
      }
      const at = new Date();
      const details = await apply(c, tenant, at);
      await appendAudit(c, { tenantId: tenant.id, actor: e.actor ?? 'slack', action, details });
      let deactivated = false;
      if (tenant.status !== 'inactive' && !(await hasLiveBotToken(c, tenant.id))) {
        await setTenantStatus(c, tenant.id, 'inactive', at);
        await appendAudit(c, {
          tenantId: tenant.id,
          actor: e.actor ?? 'slack',
          action: 'tenant.deactivated',
          details: { reason: action },
        });
        deactivated = true;
      }
      return { result: 'applied', tenantId: tenant.id, deactivated };
    });
    const log = logger.child({ tenantId: outcome.tenantId, slackKey: slackKeyString(e.key), action });
    if (outcome.result === 'stale')
      log.info({ eventTime: e.eventTime }, 'ignored an event older than the latest install');
    else if (outcome.result === 'unknown_tenant') log.info('lifecycle event for a workspace with no tenant');
    else log.info({ deactivated: outcome.deactivated }, 'lifecycle event applied');
    if (outcome.result === 'applied' && outcome.tenantId)
      await deps.installations.invalidate(outcome.tenantId, e.key);
    return outcome;
  }

  async function changeStatus(
    key: SlackKey,
    actor: string,
    from: TenantState['status'],
    to: TenantState['status'],
    action: string,
  ): Promise<{ tenant: TenantState; changed: boolean }> {
    const result = await withTransaction(deps.db, async (c) => {
      const tenant = await lockTenantByKey(c, key);
      if (!tenant) return null;
      if (tenant.status !== from) return { tenant, changed: false };
      await setTenantStatus(c, tenant.id, to, new Date());
      await appendAudit(c, { tenantId: tenant.id, actor, action, details: { from, to } });
      return { tenant: { ...tenant, status: to }, changed: true };
    });
    if (!result) throw notFound(`Tenant ${slackKeyString(key)}`);
    if (result.changed) {
      await deps.installations.invalidate(result.tenant.id, keyOfTenant(result.tenant));
      logger.info({ tenantId: result.tenant.id, actor, to }, `tenant ${action.split('.')[1]}`);
    }
    return result;
  }

  return {
    appUninstalled(e) {
      return tokenEvent(e, 'app.uninstalled', async (c, tenant, at) => {
        const bot = await revokeTokens(c, 'bot', tenant.id, 'all', at);
        const user = await revokeTokens(c, 'user', tenant.id, 'all', at);
        const rows = await markInstallationsUninstalled(c, tenant.id, at);
        return { botTokens: bot.length, userTokens: user.length, installations: rows };
      });
    },

    tokensRevoked(e) {
      return tokenEvent(e, 'tokens.revoked', async (c, tenant, at) => {
        const bot = e.botUserIds.length > 0 ? await revokeTokens(c, 'bot', tenant.id, e.botUserIds, at) : [];
        const user = e.userIds.length > 0 ? await revokeTokens(c, 'user', tenant.id, e.userIds, at) : [];
        return {
          botUserIds: e.botUserIds,
          userIds: e.userIds,
          botTokens: bot.length,
          userTokens: user.length,
        };
      });
    },

    suspend: (key, actor) => changeStatus(key, actor, 'active', 'suspended', 'tenant.suspended'),
    resume: (key, actor) => changeStatus(key, actor, 'suspended', 'active', 'tenant.resumed'),
  };
}
