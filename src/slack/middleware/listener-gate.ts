import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { foreignResponseUrl } from './response-url-gate.js';
import { inactiveTenant } from './tenant-status.js';

/**
 * Bolt global middleware in front of every listener: a delivery for a tenant that is not active, or an
 * interaction whose response_url is not on Slack, is acknowledged (events were already: Slack must not
 * retry; commands and actions silently) and dropped; no listener runs. One middleware for both checks:
 * Bolt copies the listener arguments for every middleware step of every delivery (BENCHMARKS.md, "Issue 11").
 */
export function listenerGate(slackApiUrl: string, logger: Logger): Middleware<AnyMiddlewareArgs> {
  const inactive = inactiveTenant(logger);
  const foreign = foreignResponseUrl(slackApiUrl, logger);
  return async (args) => {
    if (!inactive(args) && !foreign(args)) {
      await args.next();
      return;
    }
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}
