import type { Logger } from '../../../logger.js';
import type { TenantLifecycle } from '../../../tenants/lifecycle/lifecycle.service.js';
import type { SlackEvents } from '../event-router.js';
import { lifecycleKeysOf } from './lifecycle-keys.js';

/** `app_uninstalled`: every token of the workspace (or org) goes, and the tenant is deactivated. */
export function registerAppUninstalled(
  events: SlackEvents,
  deps: { lifecycle: TenantLifecycle; logger: Logger; forgetClient: (tenantId: string) => void },
): void {
  events.on('app_uninstalled', async ({ body, context }) => {
    const keys = lifecycleKeysOf(context);
    if (keys.length === 0) deps.logger.warn('app_uninstalled without a team or enterprise id: ignored');
    for (const key of keys) {
      const outcome = await deps.lifecycle.appUninstalled({
        key,
        eventTime: body.event_time,
        actor: 'slack',
      });
      if (outcome.tenantId && outcome.result === 'applied') deps.forgetClient(outcome.tenantId);
      if (outcome.result !== 'unknown_tenant') return;
    }
  });
}
