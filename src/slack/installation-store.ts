import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { notInstalled } from '../errors.js';
import type {
  InstallationRecord,
  NewInstallation,
  TokenSet,
} from '../tenants/installations/installation.types.js';
import type { InstallationService } from '../tenants/installations/installations.service.js';
import type { TenantLifecycle } from '../tenants/lifecycle/lifecycle.service.js';
import { type SlackKey, slackKeyOf, slackKeyString } from '../tenants/slack-key.js';

// Bolt refreshes a rotated token by fetching an installation, copying it with `{...fetched}` and storing the
// copy. Object spread keeps enumerable symbol properties, so this marker tells a refresh from a new install.
const FETCHED = Symbol('lore.fetchedInstallation');

type BoltInstallation = Installation<'v1' | 'v2', boolean>;
type Marked = BoltInstallation & { [FETCHED]?: InstallationRecord };

const toSeconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);
const fromSeconds = (s: number | undefined) =>
  s === undefined || s === null ? undefined : new Date(s * 1000);

/** The Slack key a Bolt query names, or an AppError when it names nothing. */
export function keyOfQuery(
  q: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>,
): SlackKey {
  const key = slackKeyOf(q);
  if (!key) throw notInstalled('The request names no workspace');
  return key;
}

/** Bolt's Installation for a stored record (tokens decrypted in memory only). */
export function toBoltInstallation(r: InstallationRecord): BoltInstallation {
  const installation: Marked = {
    team: r.isEnterpriseInstall || !r.teamId ? undefined : { id: r.teamId, name: r.teamName ?? undefined },
    enterprise: r.enterpriseId ? { id: r.enterpriseId, name: r.enterpriseName ?? undefined } : undefined,
    user: {
      id: r.user.id,
      token: r.user.tokens?.token,
      refreshToken: r.user.tokens?.refreshToken,
      expiresAt: toSeconds(r.user.tokens?.expiresAt),
      scopes: r.user.scopes,
    },
    bot: r.bot
      ? {
          id: r.bot.id,
          userId: r.bot.userId,
          scopes: r.bot.scopes,
          token: r.bot.token,
          refreshToken: r.bot.refreshToken,
          expiresAt: toSeconds(r.bot.expiresAt),
        }
      : undefined,
    incomingWebhook: r.incomingWebhook?.url
      ? { ...r.incomingWebhook, url: r.incomingWebhook.url }
      : undefined,
    appId: r.appId ?? undefined,
    tokenType: r.tokenType === 'bot' ? 'bot' : undefined,
    enterpriseUrl: r.enterpriseUrl ?? undefined,
    isEnterpriseInstall: r.isEnterpriseInstall,
    authVersion: r.authVersion,
    metadata: r.metadata ?? undefined,
    [FETCHED]: r,
  } as Marked;
  return installation;
}

/** Lore's description of a fresh install from Bolt's Installation (after oauth.v2.access). */
export function fromBoltInstallation(i: BoltInstallation): NewInstallation {
  const tokenSet = (token: string | undefined, refreshToken?: string, expiresAt?: number): TokenSet | null =>
    token ? { token, refreshToken, expiresAt: fromSeconds(expiresAt) } : null;
  const bot = i.bot;
  return {
    teamId: i.team?.id ?? null,
    teamName: i.team?.name ?? null,
    enterpriseId: i.enterprise?.id ?? null,
    enterpriseName: i.enterprise?.name ?? null,
    enterpriseUrl: i.enterpriseUrl ?? null,
    isEnterpriseInstall: Boolean(i.isEnterpriseInstall),
    appId: i.appId ?? null,
    tokenType: i.tokenType ?? null,
    authVersion: i.authVersion ?? 'v2',
    metadata: i.metadata ?? null,
    incomingWebhook: i.incomingWebhook ? { ...i.incomingWebhook } : null,
    bot: bot
      ? {
          id: bot.id,
          userId: bot.userId,
          scopes: bot.scopes,
          token: bot.token,
          refreshToken: bot.refreshToken,
          expiresAt: fromSeconds(bot.expiresAt),
        }
      : null,
    user: {
      id: i.user.id,
      scopes: i.user.scopes ?? [],
      tokens: tokenSet(i.user.token, i.user.refreshToken, i.user.expiresAt),
    },
  };
}

/**
 * Bolt's InstallationStore over Lore's installation service: Postgres with encrypted tokens and history,
 * cached lookups, and lifecycle-aware deletion. A store of a fetched installation is a token refresh.
 */
export function createInstallationStore(deps: {
  installations: InstallationService;
  lifecycle: TenantLifecycle;
}): InstallationStore {
  return {
    async storeInstallation(installation) {
      const fetched = (installation as Marked)[FETCHED];
      if (!fetched) {
        await deps.installations.store(fromBoltInstallation(installation));
        return;
      }
      const bot = installation.bot;
      const user = installation.user;
      const refreshed: { bot?: TokenSet; user?: TokenSet } = {};
      if (bot && bot.token !== fetched.bot?.token) {
        refreshed.bot = {
          token: bot.token,
          refreshToken: bot.refreshToken,
          expiresAt: fromSeconds(bot.expiresAt),
        };
      }
      if (user.token && user.token !== fetched.user.tokens?.token) {
        refreshed.user = {
          token: user.token,
          refreshToken: user.refreshToken,
          expiresAt: fromSeconds(user.expiresAt),
        };
      }
      if (refreshed.bot || refreshed.user) await deps.installations.saveRefreshedTokens(fetched, refreshed);
    },

    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const record = await deps.installations.find(key, query.userId);
      if (!record) {
        throw notInstalled(`No installation for ${slackKeyString(key)}`);
      }
      return toBoltInstallation(record);
    },

    async deleteInstallation(query) {
      await deps.lifecycle.appUninstalled({ key: keyOfQuery(query), actor: 'slack' });
    },
  };
}
