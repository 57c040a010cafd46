import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { appMentionFor, postSlackEvent, slackFixture } from '../support/slack.js';
import { startTestApp } from '../support/test-app.js';

describe('embedded mode without a Slack app (no SLACK_CLIENT_ID)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const devSecret = loadConfig({}).slack.signingSecret;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.cleanup());

  it('/slack/install explains that the Slack app is not configured yet, and how to configure it', async () => {
    const res = await fetch(`${app.url}/slack/install`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('The Slack app is not configured yet');
    expect(html).toContain('manifest.json');
    expect(html).toContain('SLACK_CLIENT_ID');
    expect(html).toContain('Install a real Slack app');
  });

  it('/slack/oauth_redirect says the same instead of a 404', async () => {
    const res = await fetch(`${app.url}/slack/oauth_redirect?code=x&state=y`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('not configured yet');
  });

  it('still verifies and acknowledges signed events (200), and refuses unsigned ones (401)', async () => {
    const signed = await postSlackEvent(app.url, appMentionFor({ teamId: 'T0LOREDEMO' }), devSecret);
    expect(signed.status).toBe(200);
    const forged = await postSlackEvent(app.url, appMentionFor({ teamId: 'T0LOREDEMO' }), 'wrong-secret');
    expect(forged.status).toBe(401);
  });

  it('answers the url_verification challenge (events-url-verification.json)', async () => {
    const payload = slackFixture('events-url-verification').payload;
    const res = await postSlackEvent(app.url, payload, devSecret);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: payload.challenge });
  });
});
