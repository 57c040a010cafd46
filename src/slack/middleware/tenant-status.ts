import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Global middleware: a suspended or inactive tenant gets no answers. Its events were acknowledged already
 * (Slack must not retry); commands and actions are acknowledged silently; no listener runs. Events that
 * skip authorization (app_uninstalled, tokens_revoked) carry no tenant status and always pass.
 */
export function tenantStatusGate(logger: Logger): Middleware<AnyMiddlewareArgs> {
  const log = logger.child({ component: 'tenant-status-gate' });
  return async (args) => {
    const status = args.context.tenantStatus as string | undefined;
    if (status === undefined || status === 'active') {
      await args.next();
      return;
    }
    log.info(
      { tenantId: args.context.tenantId, status },
      'tenant is not active: request dropped without an answer',
    );
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}
