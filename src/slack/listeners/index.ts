import type { App } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import type { TenantLifecycle } from '../../tenants/lifecycle.service.js';
import { registerWelcomeOpenDashboard } from './actions/welcome-open-dashboard.js';
import type { SlackEvents } from './event-router.js';
import { registerAppUninstalled } from './events/app-uninstalled.js';
import { registerTokensRevoked } from './events/tokens-revoked.js';

/** What the listeners need; grows as surfaces are added. */
export interface ListenerDeps {
  lifecycle: TenantLifecycle;
  logger: Logger;
  forgetClient: (tenantId: string) => void;
}

/** Registers every Slack listener, one per file under listeners/<kind>/. */
export function registerListeners(app: App, events: SlackEvents, deps: ListenerDeps): void {
  registerAppUninstalled(events, deps);
  registerTokensRevoked(events, deps);
  registerWelcomeOpenDashboard(app);
}
