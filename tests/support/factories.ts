import type { Database } from '../../src/infra/db/database.js';
import { withTransaction } from '../../src/infra/db/transaction.js';
import type { NewInstallation } from '../../src/tenants/installations/installation.types.js';
import { insertTenant, type NewTenant, type Tenant } from '../../src/tenants/tenants.repo.js';

/**
 * Test data with sensible defaults: a test names only what it is about, and every other field is what
 * Slack's OAuth exchange (or the provisioning code) would have produced for an ordinary workspace.
 */

type InstallationOverrides = Partial<Omit<NewInstallation, 'bot' | 'user'>> & {
  bot?: Partial<NonNullable<NewInstallation['bot']>> | null;
  user?: Partial<NewInstallation['user']>;
};

/**
 * One workspace's install as `oauth.v2.access` describes it: a bot token with `chat:write`, installed by
 * `user.id` (U0INSTALLER), not org-wide. `bot` and `user` merge field by field; `bot: null` means no bot.
 */
export function buildInstallation(overrides: InstallationOverrides = {}): NewInstallation {
  const teamId = overrides.teamId === undefined ? 'T0FACTORY' : overrides.teamId;
  const { bot, user, ...rest } = overrides;
  return {
    teamId,
    teamName: `Team ${teamId}`,
    enterpriseId: null,
    enterpriseName: null,
    enterpriseUrl: null,
    isEnterpriseInstall: false,
    appId: 'A0KRD7HC3',
    tokenType: 'bot',
    authVersion: 'v2',
    metadata: null,
    incomingWebhook: null,
    ...rest,
    bot:
      bot === null
        ? null
        : { id: 'B1', userId: 'UBOT', scopes: ['chat:write'], token: `xoxb-${teamId}`, ...bot },
    user: { id: 'U0INSTALLER', scopes: [], tokens: null, ...user },
  };
}

/** A tenant row as provisioning makes it for a Slack team (not org-wide), on the `free` plan. */
export function buildTenant(overrides: Partial<NewTenant> = {}): NewTenant {
  const slackTeamId = overrides.slackTeamId === undefined ? 'T0FACTORY' : overrides.slackTeamId;
  return {
    slackTeamId,
    slackEnterpriseId: null,
    isEnterpriseInstall: false,
    name: `Workspace ${slackTeamId}`,
    planId: 'free',
    ...overrides,
  };
}

/** Inserts `buildTenant(overrides)` (as the owner role, as provisioning does) and returns the row. */
export function createTenant(db: Database, overrides: Partial<NewTenant> = {}): Promise<Tenant> {
  return withTransaction(db, (c) => insertTenant(c, buildTenant(overrides)));
}
