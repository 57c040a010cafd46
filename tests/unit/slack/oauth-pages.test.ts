import { describe, expect, it } from 'vitest';
import { describeInstallFailure } from '../../../src/slack/oauth-failure.js';
import {
  renderFailurePage,
  renderInstallPage,
  renderSuccessPage,
} from '../../../src/slack/pages/oauth-pages.js';

describe('install pages', () => {
  it('escape everything that came from outside (workspace names, URLs)', () => {
    const html = renderSuccessPage({
      workspaceName: '<script>alert(1)</script> & "Co"',
      isEnterpriseInstall: false,
      dashboardUrl: 'https://lore.example.test/app?x="><b>',
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('href="https://lore.example.test/app?x=&quot;&gt;&lt;b&gt;"');
  });

  it('are complete HTML documents with the Add to Slack button and the scopes', () => {
    const html = renderInstallPage({
      authorizeUrl: 'https://slack.com/oauth/v2/authorize?scope=a&state=s',
      scopes: ['chat:write'],
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('href="https://slack.com/oauth/v2/authorize?scope=a&amp;state=s"');
    expect(html).toContain('alt="Add to Slack"');
    expect(html).toContain('<code>chat:write</code>');
  });

  it('the failure page says what went wrong and links to a retry', () => {
    const html = renderFailurePage({
      reason: 'Slack said <no>',
      retryUrl: '/slack/install',
      reference: 'req-1',
    });
    expect(html).toContain('Slack said &lt;no&gt;');
    expect(html).toContain('href="/slack/install"');
    expect(html).toContain('<code>req-1</code>');
  });
});

describe('install failure messages', () => {
  it('map each failure to a plain message and a status', () => {
    expect(describeInstallFailure({ code: 'slack_oauth_invalid_state' })).toMatchObject({
      status: 400,
      code: 'state_not_for_this_browser',
    });
    expect(describeInstallFailure({ code: 'lore_oauth_state_expired' })).toMatchObject({
      status: 400,
      code: 'state_expired',
    });
    expect(
      describeInstallFailure({ code: 'slack_webapi_platform_error', data: { error: 'invalid_code' } }),
    ).toMatchObject({ status: 400, code: 'invalid_code' });
    expect(
      describeInstallFailure({ code: 'slack_webapi_platform_error', data: { error: 'bad_client_secret' } }),
    ).toMatchObject({ status: 502 });
    expect(
      describeInstallFailure({ code: 'slack_webapi_platform_error', data: { error: 'team_added_to_org' } })
        .reason,
    ).toContain('team_added_to_org');
    expect(describeInstallFailure({ code: 'slack_webapi_request_error' })).toMatchObject({
      status: 502,
      code: 'slack_unreachable',
    });
    expect(describeInstallFailure(new Error('connection to db.internal failed'))).toEqual({
      status: 500,
      code: 'internal',
      reason: 'Something went wrong on our side while saving the install. Please try again.',
    });
  });
});
