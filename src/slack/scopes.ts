/**
 * The bot scopes Lore asks for at install: exactly manifest.json's `oauth_config.scopes.bot`
 * (tests/unit/slack/scopes.test.ts keeps the two in step). Why each one: docs/slack-scopes.md.
 * The install asks for no user scopes: those belong to Sign in with Slack (the dashboard).
 */
export const BOT_SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'channels:read',
  'chat:write',
  'commands',
  'groups:history',
  'groups:read',
  'im:history',
  'im:read',
  'im:write',
  'team:read',
  'users:read',
] as const;
