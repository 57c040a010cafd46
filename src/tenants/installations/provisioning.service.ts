import { appendAudit } from '../../audit/audit.repo.js';
import type { DbClient } from '../../infra/db/database.js';
import { enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { ensureTenantSettings } from '../settings/tenant-settings.repo.js';
import type { SlackKey } from '../slack-key.js';
import { findOrCreateTenantForUpdate, renameTenant, setTenantStatus } from '../tenants.repo.js';
import { welcomeJob } from './welcome.job.js';

/** What provisioning did for one install. */
export interface ProvisionResult {
  tenantId: string;
  created: boolean;
  reactivated: boolean;
  /** The tenant has never been welcomed (a re-install of a welcomed tenant is not welcomed again). */
  needsWelcome: boolean;
}

/** Hooks other features plug into the first install (wired in main.ts). */
export interface ProvisioningHooks {
  /** Adds the sample document so a new workspace's bot can answer at once. */
  seedKnowledge?: (tenantId: string) => Promise<void>;
}

/**
 * Inside the install transaction: finds or creates the tenant (plan 'free', default settings), re-activates
 * it when it had been uninstalled, and audits both. A suspended tenant stays suspended: that is the operator's call.
 */
export async function provisionTenantForInstall(
  c: DbClient,
  key: SlackKey,
  t: { name: string; slackTeamId: string | null; slackEnterpriseId: string | null; actor: string },
): Promise<ProvisionResult> {
  const { tenant, created } = await findOrCreateTenantForUpdate(c, key, t);
  let reactivated = false;
  if (!created) await renameTenant(c, tenant.id, t.name);
  if (!created && tenant.status === 'inactive') {
    await setTenantStatus(c, tenant.id, 'active', new Date());
    reactivated = true;
  }
  await ensureTenantSettings(c, tenant.id);
  if (created) {
    await appendAudit(c, {
      tenantId: tenant.id,
      actor: t.actor,
      action: 'tenant.created',
      details: { plan: 'free' },
    });
  }
  if (reactivated) {
    await appendAudit(c, { tenantId: tenant.id, actor: t.actor, action: 'tenant.reactivated' });
  }
  return { tenantId: tenant.id, created, reactivated, needsWelcome: tenant.welcomedAt === null };
}

/**
 * After the install committed: seeds the knowledge base of a new tenant and queues the installer's welcome
 * DM (job id per tenant, so it is queued once). Neither can undo the install, so failures are logged.
 */
export async function afterInstall(
  deps: { queue: JobQueue; logger: Logger; hooks: ProvisioningHooks },
  result: ProvisionResult,
  installerUserId: string | null,
  requestId?: string,
): Promise<void> {
  const log = deps.logger.child({ tenantId: result.tenantId });
  if (result.created && deps.hooks.seedKnowledge) {
    await deps.hooks.seedKnowledge(result.tenantId).catch((err: unknown) => {
      log.error({ err }, 'seeding the sample knowledge failed');
    });
  }
  if (result.needsWelcome && installerUserId) {
    await enqueueJob(deps.queue, welcomeJob, {
      v: 1,
      tenantId: result.tenantId,
      userId: installerUserId,
      requestId,
    }).catch((err: unknown) => log.error({ err }, 'queueing the welcome message failed'));
  }
}
