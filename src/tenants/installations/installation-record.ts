import { appendAudit } from '../../audit/audit.repo.js';
import { isAppError } from '../../errors.js';
import { type CipherBox, secretContext } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import type { InstallationRecord, TokenSet } from './installation.types.js';
import type { LiveInstallations, StoredInstallation } from './installations.repo.js';

/** The installation columns that hold encrypted tokens. */
export const TOKEN_COLUMNS = [
  'bot_token_encrypted',
  'bot_refresh_token_encrypted',
  'user_token_encrypted',
  'user_refresh_token_encrypted',
] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];

/** Where an installation token is stored: its ciphertext is bound to the column and the tenant. */
export const tokenContext = (tenantId: string, column: TokenColumn) =>
  secretContext('installations', column, tenantId);

/**
 * Turns stored rows into the decrypted current installation. A value no configured key can decrypt is
 * logged and audited (tenant, row, key id; never the value) and fails the lookup with `decrypt_failed`.
 */
export function createRecordReader(deps: { db: Database; cipher: CipherBox; logger: Logger }) {
  const { db, cipher, logger } = deps;

  async function open(
    row: StoredInstallation,
    value: string | null,
    column: TokenColumn,
  ): Promise<string | undefined> {
    if (!value) return undefined;
    try {
      return cipher.decrypt(value, tokenContext(row.tenantId, column));
    } catch (err) {
      if (isAppError(err) && err.code === 'decrypt_failed') {
        logger.error(
          { tenantId: row.tenantId, installationId: row.id, keyId: cipher.keyIdOf(value) },
          err.message,
        );
        await withTransaction(db, (c) =>
          appendAudit(c, {
            tenantId: row.tenantId,
            actor: 'system',
            action: 'token.decrypt_failed',
            target: row.id,
            details: { keyId: cipher.keyIdOf(value) ?? null },
          }),
        ).catch(() => {});
      }
      throw err;
    }
  }

  // Decrypted once per row object. The installation cache hands out the same row object until it drops
  // the entry (at most a minute, or at once on any change), so plaintext lives no longer than that, and
  // every Slack event no longer pays for an AES-GCM decryption. (Bolt keeps a client per token anyway.)
  const opened = new WeakMap<StoredInstallation, { bot?: TokenSet | null; user?: TokenSet | null }>();

  async function tokenSet(row: StoredInstallation, kind: 'bot' | 'user'): Promise<TokenSet | null> {
    const memo = opened.get(row) ?? {};
    const known = memo[kind];
    if (known !== undefined) return known;
    const set = await decryptTokenSet(row, kind);
    opened.set(row, { ...memo, [kind]: set });
    return set;
  }

  async function decryptTokenSet(row: StoredInstallation, kind: 'bot' | 'user'): Promise<TokenSet | null> {
    const token = await open(
      row,
      kind === 'bot' ? row.botTokenEncrypted : row.userTokenEncrypted,
      kind === 'bot' ? 'bot_token_encrypted' : 'user_token_encrypted',
    );
    if (!token) return null;
    const refreshToken = await open(
      row,
      kind === 'bot' ? row.botRefreshTokenEncrypted : row.userRefreshTokenEncrypted,
      kind === 'bot' ? 'bot_refresh_token_encrypted' : 'user_refresh_token_encrypted',
    );
    const expiresAt = (kind === 'bot' ? row.botTokenExpiresAt : row.userTokenExpiresAt) ?? undefined;
    return { token, refreshToken, expiresAt };
  }

  async function toRecord(
    live: LiveInstallations,
    userId: string | undefined,
  ): Promise<InstallationRecord | null> {
    const latest = live.latest;
    if (!latest) return null;
    // A user query gets that user's own newest token; anyone else's is never handed out.
    const userRow =
      userId === undefined ? latest : (live.users.find((u) => u.installerUserId === userId) ?? null);
    const bot = await tokenSet(latest, 'bot');
    const userTokens = userRow ? await tokenSet(userRow, 'user') : null;
    if (!bot && !userTokens) return null;
    return {
      tenantId: latest.tenantId,
      tenantStatus: latest.tenantStatus,
      tenantName: latest.tenantName,
      installedAt: latest.installedAt,
      rowIds: { bot: latest.id, user: userRow?.id ?? latest.id },
      teamId: latest.slackTeamId,
      teamName: latest.teamName,
      enterpriseId: latest.slackEnterpriseId,
      enterpriseName: latest.enterpriseName,
      enterpriseUrl: latest.enterpriseUrl,
      isEnterpriseInstall: latest.isEnterpriseInstall,
      appId: latest.appId,
      tokenType: latest.tokenType,
      authVersion: latest.authVersion,
      metadata: latest.metadata,
      incomingWebhook: latest.incomingWebhook,
      bot:
        bot && latest.botId !== null && latest.botUserId !== null
          ? { ...bot, id: latest.botId, userId: latest.botUserId, scopes: latest.botScopes }
          : null,
      user: {
        id: userRow?.installerUserId ?? userId ?? latest.installerUserId ?? '',
        scopes: userRow?.userScopes ?? [],
        tokens: userTokens,
      },
    };
  }

  return toRecord;
}
