import type { RequestHandler } from 'express';
import type { Logger } from '../../logger.js';

/** Where Slack delivers events, commands and interactions (Bolt's receiver endpoint). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack's replay window: a request timestamp more than five minutes from now, either way, is refused. */
export const SLACK_REQUEST_WINDOW_S = 5 * 60;

/**
 * Runs before Bolt's receiver on POST /slack/events. Bolt verifies the signature (constant-time) and
 * refuses stale timestamps, but accepts any timestamp from the future; this refuses those with 401 too, so
 * a captured request cannot be replayed later by someone who set its clock ahead. Missing or malformed
 * headers are left to Bolt, which refuses them.
 */
export function slackRequestWindow(deps: { logger: Logger; now?: () => number }): RequestHandler {
  const now = deps.now ?? Date.now;
  return (req, res, next) => {
    const ts = Number(req.get('x-slack-request-timestamp'));
    if (Number.isFinite(ts) && ts - Math.floor(now() / 1000) > SLACK_REQUEST_WINDOW_S) {
      deps.logger.warn({ component: 'slack' }, 'Slack request refused: its timestamp is in the future');
      res.status(401).end();
      return;
    }
    next();
  };
}
