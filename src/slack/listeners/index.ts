import type { App } from '@slack/bolt';
import type { TenantLifecycle } from '../../tenants/lifecycle/lifecycle.service.js';
import type { AnswerListenerDeps } from '../answers/listener-deps.js';
import { registerFeedback } from './actions/feedback.js';
import { registerHomeOpenDashboard } from './actions/home-open-dashboard.js';
import { registerShareAnswer } from './actions/share-answer.js';
import { registerViewSources } from './actions/view-sources.js';
import { registerWelcomeOpenDashboard } from './actions/welcome-open-dashboard.js';
import { registerAssistant } from './assistant/assistant.js';
import { registerAsk } from './commands/ask.js';
import { createDeliveryRouter } from './delivery-router.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerAppMention } from './events/app-mention.js';
import { registerAppUninstalled } from './events/app-uninstalled.js';
import { registerMessage } from './events/message.js';
import { registerTokensRevoked } from './events/tokens-revoked.js';
import { registerSaveToLore } from './shortcuts/save-to-lore.js';
import { registerFeedbackReason } from './views/feedback-reason.js';

/** What the listeners need: the lifecycle (uninstall, revoke) and what the answering surfaces need. */
export interface ListenerDeps extends AnswerListenerDeps {
  lifecycle: TenantLifecycle;
  forgetClient: (tenantId: string) => void;
}

/**
 * Registers every Slack listener, one per file under listeners/<kind>/: the lifecycle events, the answering
 * surfaces (mentions, DMs, thread follow-ups, /ask, the assistant panel), feedback, View sources, Save to
 * Lore and the App Home. The Assistant comes first: it is global middleware that takes the assistant
 * panel's (and DM threads') messages before `message` sees them. All the others sit behind one router,
 * Bolt global middleware after it (see delivery-router.ts).
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerAssistant(app, deps);
  const { events, interactions, middleware } = createDeliveryRouter();
  registerAppUninstalled(events, deps);
  registerTokensRevoked(events, deps);
  registerAppMention(events, deps);
  registerMessage(events, deps);
  registerAsk(interactions, deps);
  registerFeedback(interactions, deps);
  registerFeedbackReason(interactions, deps);
  registerShareAnswer(interactions, deps);
  registerViewSources(interactions, deps);
  registerAppHomeOpened(events, deps);
  registerWelcomeOpenDashboard(interactions);
  registerHomeOpenDashboard(interactions);
  registerSaveToLore(interactions, deps);
  app.use(middleware);
}
