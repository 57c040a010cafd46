import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * A suspended or inactive tenant gets no answers: true (and logged) when the delivery's tenant is not
 * active. Events that skip authorization (app_uninstalled, tokens_revoked) carry no tenant status and
 * always pass. Applied by listener-gate.ts.
 */
export function inactiveTenant(logger: Logger): (args: AnyMiddlewareArgs & AllMiddlewareArgs) => boolean {
  const log = logger.child({ component: 'tenant-status-gate' });
  return (args) => {
    const status = args.context.tenantStatus as string | undefined;
    if (status === undefined || status === 'active') return false;
    log.info(
      { tenantId: args.context.tenantId, status },
      'tenant is not active: request dropped without an answer',
    );
    return true;
  };
}
