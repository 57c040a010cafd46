import { appendAudit } from '../../audit/audit.repo.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import {
  type BrokenInstallation,
  countBrokenInstallations,
  findBrokenInstallation,
  insertBrokenInstallation,
  listBrokenInstallations,
} from './broken-installations.repo.js';

/**
 * What Slack answers when a token no longer works and no retry will change that: the app was uninstalled or
 * its token revoked out of band, or the workspace or its installer's account was deactivated.
 */
export const BROKEN_TOKEN_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_authed',
]);

/** The Slack error of a failed Web API call when it means the token is broken, else undefined. */
export function brokenTokenCode(err: unknown): string | undefined {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' && BROKEN_TOKEN_ERRORS.has(code) ? code : undefined;
}

/**
 * Thrown instead of calling Slack for a tenant whose installation is broken. `unrecoverable` tells the job
 * queue not to retry: only a reinstall fixes it, and that clears the mark.
 */
export class BrokenInstallationError extends AppError {
  readonly unrecoverable = true;
  constructor(b: Pick<BrokenInstallation, 'errorCode'>) {
    super({
      code: 'installation_broken',
      message: `Slack refused this workspace's token (${b.errorCode}): it needs to be reinstalled`,
      status: 409,
    });
  }
}

export interface InstallationHealth {
  /** Records that Slack refused a tenant's token; true the first time (logged and audited once). */
  markBroken(b: { tenantId: string; errorCode: string; method: string }): Promise<boolean>;
  /** The tenant's broken mark, or null while its installation works. */
  brokenOf(tenantId: string): Promise<BrokenInstallation | null>;
  count(): Promise<number>;
  list(): Promise<Array<BrokenInstallation & { tenantName: string }>>;
}

/** Broken-installation marks over Postgres (a reinstall clears them: a trigger on lore.installations). */
export function createInstallationHealth(deps: { db: Database; logger: Logger }): InstallationHealth {
  const logger = deps.logger.child({ component: 'installation-health' });
  return {
    async markBroken(b) {
      const marked = await withTransaction(deps.db, async (c) => {
        const inserted = await insertBrokenInstallation(c, b);
        if (inserted) {
          await appendAudit(c, {
            tenantId: b.tenantId,
            actor: 'slack',
            action: 'installation.broken',
            details: { errorCode: b.errorCode, method: b.method },
          });
        }
        return inserted;
      });
      if (marked) {
        logger.warn(
          { tenantId: b.tenantId, errorCode: b.errorCode, method: b.method },
          'slack refused the token: installation marked broken until it is reinstalled',
        );
      }
      return marked;
    },
    brokenOf: (tenantId) => findBrokenInstallation(deps.db.pool, tenantId),
    count: () => countBrokenInstallations(deps.db.pool),
    list: () => listBrokenInstallations(deps.db.pool),
  };
}
