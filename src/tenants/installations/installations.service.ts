import { appendAudit } from '../../audit/audit.repo.js';
import { badRequest } from '../../errors.js';
import type { CipherBox } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { type SlackKey, slackKeyOf, slackKeyString } from '../slack-key.js';
import type { InstallationRecord, NewInstallation, TokenSet } from './installation.types.js';
import { cacheIdForKey, cacheIdForTenant, type InstallationCache } from './installation-cache.js';
import { createRecordReader, type TokenColumn, tokenContext } from './installation-record.js';
import {
  findLiveInstallationsByKey,
  findLiveInstallationsByTenant,
  insertInstallationRow,
  updateInstallationTokens,
} from './installations.repo.js';
import { afterInstall, type ProvisioningHooks, provisionTenantForInstall } from './provisioning.service.js';

/** The cache ids that must be dropped whenever anything about a tenant's installation changes. */
export function cacheIdsOf(tenantId: string, key: SlackKey): string[] {
  return [cacheIdForKey(slackKeyString(key)), cacheIdForTenant(tenantId)];
}

export interface InstallationService {
  /** Stores an install: finds or creates the tenant, adds a history row with encrypted tokens, audits. */
  store(
    input: NewInstallation,
    opts?: { requestId?: string },
  ): Promise<{ tenantId: string; installationId: string; created: boolean; reactivated: boolean }>;
  /** The current installation for a Slack key, with `userId`'s own user token when that user has one. */
  find(key: SlackKey, userId?: string): Promise<InstallationRecord | null>;
  /** The current installation of a tenant (jobs and the client factory). */
  findByTenant(tenantId: string): Promise<InstallationRecord | null>;
  /** Writes refreshed tokens into the rows they came from, audits, and drops caches. */
  saveRefreshedTokens(
    record: InstallationRecord,
    refreshed: { bot?: TokenSet; user?: TokenSet },
  ): Promise<void>;
  /** Forgets cached lookups for a tenant here and in every process. */
  invalidate(tenantId: string, key: SlackKey): Promise<void>;
}

/** Creates the installation service over Postgres, the cipher box and the two-level cache. */
export function createInstallationService(deps: {
  db: Database;
  cipher: CipherBox;
  cache: InstallationCache;
  queue: JobQueue;
  logger: Logger;
  hooks?: ProvisioningHooks;
}): InstallationService {
  const { db, cipher, cache } = deps;
  const logger = deps.logger.child({ component: 'installations' });
  const seal = (v: string | undefined | null, tenantId: string, column: TokenColumn) =>
    v ? cipher.encrypt(v, tokenContext(tenantId, column)) : null;

  const toRecord = createRecordReader({ db, cipher, logger });

  async function invalidate(tenantId: string, key: SlackKey): Promise<void> {
    await cache.invalidate(cacheIdsOf(tenantId, key));
  }

  return {
    async store(input, opts = {}) {
      const key = slackKeyOf(input);
      if (!key) throw badRequest('The install names neither a workspace nor an org');
      const actor = input.user.id ? `slack:${input.user.id}` : 'slack';
      const name = (input.isEnterpriseInstall ? input.enterpriseName : input.teamName) ?? slackKeyString(key);
      const result = await withTransaction(db, async (c) => {
        const provisioned = await provisionTenantForInstall(c, key, {
          name,
          slackTeamId: input.teamId,
          slackEnterpriseId: input.enterpriseId,
          actor,
        });
        const row = await insertInstallationRow(c, provisioned.tenantId, {
          slackTeamId: input.teamId,
          slackEnterpriseId: input.enterpriseId,
          isEnterpriseInstall: input.isEnterpriseInstall,
          teamName: input.teamName,
          enterpriseName: input.enterpriseName,
          enterpriseUrl: input.enterpriseUrl,
          appId: input.appId,
          tokenType: input.tokenType,
          botId: input.bot?.id ?? null,
          botUserId: input.bot?.userId ?? null,
          botScopes: input.bot?.scopes ?? [],
          botTokenEncrypted: seal(input.bot?.token, provisioned.tenantId, 'bot_token_encrypted'),
          botRefreshTokenEncrypted: seal(
            input.bot?.refreshToken,
            provisioned.tenantId,
            'bot_refresh_token_encrypted',
          ),
          botTokenExpiresAt: input.bot?.expiresAt ?? null,
          installerUserId: input.user.id || null,
          userScopes: input.user.scopes,
          userTokenEncrypted: seal(input.user.tokens?.token, provisioned.tenantId, 'user_token_encrypted'),
          userRefreshTokenEncrypted: seal(
            input.user.tokens?.refreshToken,
            provisioned.tenantId,
            'user_refresh_token_encrypted',
          ),
          userTokenExpiresAt: input.user.tokens?.expiresAt ?? null,
          keyId: cipher.activeKeyId,
          incomingWebhook: input.incomingWebhook,
          metadata: input.metadata,
          authVersion: input.authVersion,
        });
        await appendAudit(c, {
          tenantId: provisioned.tenantId,
          actor,
          action: 'installation.stored',
          target: row.id,
          details: {
            isEnterpriseInstall: input.isEnterpriseInstall,
            botScopes: input.bot?.scopes ?? [],
            userScopes: input.user.scopes,
            hasUserToken: Boolean(input.user.tokens),
            tokenRotation: Boolean(input.bot?.refreshToken || input.user.tokens?.refreshToken),
            keyId: cipher.activeKeyId,
          },
        });
        return { provisioned, installationId: row.id };
      });
      await invalidate(result.provisioned.tenantId, key);
      logger.info(
        {
          tenantId: result.provisioned.tenantId,
          created: result.provisioned.created,
          slackKey: slackKeyString(key),
        },
        'installation stored',
      );
      await afterInstall(
        { queue: deps.queue, logger, hooks: deps.hooks ?? {} },
        result.provisioned,
        input.user.id || null,
        opts.requestId,
      );
      const { tenantId, created, reactivated } = result.provisioned;
      return { tenantId, installationId: result.installationId, created, reactivated };
    },

    async find(key, userId) {
      const live = await cache.load(cacheIdForKey(slackKeyString(key)), () =>
        findLiveInstallationsByKey(db.pool, key),
      );
      return toRecord(live, userId);
    },

    async findByTenant(tenantId) {
      const live = await cache.load(cacheIdForTenant(tenantId), () =>
        findLiveInstallationsByTenant(db.pool, tenantId),
      );
      return toRecord(live, undefined);
    },

    async saveRefreshedTokens(record, refreshed) {
      const key = slackKeyOf(record);
      if (!key) return;
      await withTransaction(db, async (c) => {
        if (refreshed.bot) {
          await updateInstallationTokens(c, record.rowIds.bot, {
            botTokenEncrypted: seal(refreshed.bot.token, record.tenantId, 'bot_token_encrypted'),
            botRefreshTokenEncrypted: seal(
              refreshed.bot.refreshToken,
              record.tenantId,
              'bot_refresh_token_encrypted',
            ),
            botTokenExpiresAt: refreshed.bot.expiresAt ?? null,
            keyId: cipher.activeKeyId,
          });
        }
        if (refreshed.user) {
          await updateInstallationTokens(c, record.rowIds.user, {
            userTokenEncrypted: seal(refreshed.user.token, record.tenantId, 'user_token_encrypted'),
            userRefreshTokenEncrypted: seal(
              refreshed.user.refreshToken,
              record.tenantId,
              'user_refresh_token_encrypted',
            ),
            userTokenExpiresAt: refreshed.user.expiresAt ?? null,
            keyId: cipher.activeKeyId,
          });
        }
        await appendAudit(c, {
          tenantId: record.tenantId,
          actor: 'system',
          action: 'token.refreshed',
          target: record.rowIds.bot,
          details: {
            bot: Boolean(refreshed.bot),
            user: Boolean(refreshed.user),
            expiresAt: (refreshed.bot ?? refreshed.user)?.expiresAt?.toISOString() ?? null,
          },
        });
      });
      await invalidate(record.tenantId, key);
    },

    invalidate,
  };
}
