/** Hosts where Slack issues response_urls (commercial and GovSlack). */
const SLACK_RESPONSE_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * True when a slash command's or action's `response_url` points at Slack: https on Slack's hooks host, or
 * the configured SLACK_API_URL's own origin (a local stand-in or a test double). Anything else would make
 * Lore POST a tenant's passages wherever a forged (or replayed) request said.
 */
export function isSlackResponseUrl(raw: string | undefined, slackApiUrl: string): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:' && SLACK_RESPONSE_HOSTS.has(url.hostname) && !url.port) return true;
  return url.origin === new URL(slackApiUrl).origin;
}
