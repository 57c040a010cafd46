import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../../src/slack/scopes.js';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8'));

describe('install scopes', () => {
  it('ask for exactly the bot scopes manifest.json declares', () => {
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('are each explained in docs/slack-scopes.md', () => {
    const doc = readFileSync('docs/slack-scopes.md', 'utf8');
    for (const scope of BOT_SCOPES) expect(doc, scope).toContain(`\`${scope}\``);
  });

  it('match the install paths in the manifest (redirect URL, events URL)', () => {
    expect(manifest.oauth_config.redirect_urls).toContain('https://YOUR_DOMAIN/slack/oauth_redirect');
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://YOUR_DOMAIN/slack/events');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_uninstalled', 'tokens_revoked']),
    );
  });
});
