import type { App } from '@slack/bolt';
import type { AnswerListenerDeps } from '../answers/listener-deps.js';
import { registerFeedback } from './actions/feedback.js';
import { registerHomeOpenDashboard } from './actions/home-open-dashboard.js';
import { registerShareAnswer } from './actions/share-answer.js';
import { registerAssistant } from './assistant/assistant.js';
import { registerAsk } from './commands/ask.js';
import type { SlackEvents } from './event-router.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerAppMention } from './events/app-mention.js';
import { registerMessage } from './events/message.js';
import { registerFeedbackReason } from './views/feedback-reason.js';

/**
 * Registers the answering surfaces (mentions, DMs, thread follow-ups, /ask, the assistant panel), feedback
 * and the App Home. Wired through createSlackApp's `extraListeners`. The Assistant comes first: it is
 * global middleware that takes the assistant panel's (and DM threads') messages before `message` sees them.
 */
export function registerAnswerListeners(app: App, events: SlackEvents, deps: AnswerListenerDeps): void {
  registerAssistant(app, deps);
  registerAppMention(events, deps);
  registerMessage(events, deps);
  registerAsk(app, deps);
  registerFeedback(app, deps);
  registerFeedbackReason(app, deps);
  registerShareAnswer(app, deps);
  registerAppHomeOpened(events, deps);
  registerHomeOpenDashboard(app);
}
