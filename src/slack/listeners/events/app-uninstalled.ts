import type { Logger } from '../../../logger.js';
import type { TenantLifecycle } from '../../../tenants/lifecycle/lifecycle.service.js';
import type { SlackEvents } from '../delivery-router.js';
import { applyToKnownTenant } from './lifecycle-keys.js';

/** `app_uninstalled`: every token of the workspace (or org) goes, and the tenant is deactivated. */
export function registerAppUninstalled(
  events: SlackEvents,
  deps: { lifecycle: TenantLifecycle; logger: Logger; forgetClient: (tenantId: string) => void },
): void {
  events.on('app_uninstalled', ({ body, context }) =>
    applyToKnownTenant('app_uninstalled', context, deps, (key) =>
      deps.lifecycle.appUninstalled({ key, eventTime: body.event_time, actor: 'slack' }),
    ),
  );
}
