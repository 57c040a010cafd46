import type { Logger } from '../logger.js';
import type { ClientFactory } from './client-factory.js';

/** What Slack says about a member's role in a workspace (users.info with the tenant's bot token). */
export interface WorkspaceRole {
  isAdmin: boolean;
  isOwner: boolean;
}

/**
 * Asks Slack whether a user administers or owns the tenant's workspace. A deleted user, a missing token or
 * any Slack error counts as "no role": the dashboard fails closed.
 */
export function createWorkspaceRoleCheck(
  clients: Pick<ClientFactory, 'getClient'>,
  logger: Logger,
  timeoutMs = 10_000,
) {
  return async (tenantId: string, userId: string): Promise<WorkspaceRole> => {
    let timer: NodeJS.Timeout | undefined;
    // The pooled clients retry for minutes (right for jobs); a person waiting on a sign-in gets an answer in seconds.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`users.info took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const client = await clients.getClient(tenantId);
      const res = await Promise.race([client.users.info({ user: userId }), timeout]);
      const u = res.user;
      if (!u || u.deleted) return { isAdmin: false, isOwner: false };
      return { isAdmin: Boolean(u.is_admin), isOwner: Boolean(u.is_owner || u.is_primary_owner) };
    } catch (err) {
      logger.warn(
        { tenantId, err: { message: (err as Error).message } },
        'users.info failed during dashboard sign-in',
      );
      return { isAdmin: false, isOwner: false };
    } finally {
      clearTimeout(timer);
    }
  };
}
