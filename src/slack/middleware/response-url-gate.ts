import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import type { FetchFunction } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import { isSlackResponseUrl } from '../answers/response-url.js';

/** Every response_url a delivery carries: actions and commands have one, view submissions a list. */
function responseUrlsOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as { response_url?: unknown; response_urls?: unknown };
  const urls: unknown[] = [b.response_url];
  if (Array.isArray(b.response_urls))
    for (const r of b.response_urls) urls.push((r as { response_url?: unknown } | null)?.response_url);
  return urls.filter((u): u is string => typeof u === 'string' && u !== '');
}

/**
 * An interaction (button, modal, shortcut) whose response_url is not on Slack: true (and logged), so it is
 * acknowledged and dropped before any listener runs and Bolt's respond() never POSTs a tenant's messages
 * where a forged (or replayed and edited) payload said. Slash commands pass: /ask checks the same rule
 * itself and tells the asker (isSlackResponseUrl); slackOnlyFetch still stops any respond() off Slack.
 * Applied by listener-gate.ts.
 */
export function foreignResponseUrl(
  slackApiUrl: string,
  logger: Logger,
): (args: AnyMiddlewareArgs & AllMiddlewareArgs) => boolean {
  const log = logger.child({ component: 'response-url-gate' });
  return (args) => {
    const isCommand = typeof (args.body as { command?: unknown }).command === 'string';
    if (isCommand || !responseUrlsOf(args.body).some((u) => !isSlackResponseUrl(u, slackApiUrl)))
      return false;
    // The URL itself stays out of the log: it is a bearer capability when it is Slack's, junk when not.
    log.warn({ tenantId: args.context.tenantId }, 'delivery dropped: its response_url is not on Slack');
    return true;
  };
}

/**
 * The fetch Bolt gives respond() (and its Web API clients): refuses any URL off Slack (hooks host or
 * SLACK_API_URL's origin) without sending anything, whatever a listener was handed.
 */
export function slackOnlyFetch(inner: FetchFunction, slackApiUrl: string): FetchFunction {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    if (!isSlackResponseUrl(url, slackApiUrl))
      throw new Error('Refused to send a request off Slack (response_url or API URL not on Slack)');
    return inner(input, init);
  };
}
