import nock from 'nock';
import { cookieFrom } from './dashboard.js';
import { SLACK_API, SLACK_ENV, slackFixture } from './slack.js';

const oidc = slackFixture('openid-connect');

/** A JWT with the documented claims changed as given (Lore reads it straight from Slack's token endpoint). */
export function idToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ ...oidc.idTokenClaims, ...claims })}.c2lnbmF0dXJl`;
}

/** Slack's side of one Sign in with Slack: the token (with the nonce Lore sent) and the user info. */
export function nockSlackSignIn(
  who: { userId: string; teamId: string; nonce: string },
  userInfo: Record<string, unknown> = {},
): void {
  nock(SLACK_API)
    .post('/api/openid.connect.token')
    .reply(200, {
      ...oidc.token.payload,
      id_token: idToken({
        nonce: who.nonce,
        aud: SLACK_ENV.SLACK_CLIENT_ID,
        exp: Math.floor(Date.now() / 1000) + 300,
        sub: who.userId,
        'https://slack.com/user_id': who.userId,
        'https://slack.com/team_id': who.teamId,
      }),
    });
  nock(SLACK_API)
    .post('/api/openid.connect.userInfo')
    .reply(200, {
      ...oidc.userInfo.payload,
      name: `Name of ${who.userId}`,
      'https://slack.com/team_name': `Team ${who.teamId}`,
      ...userInfo,
    });
}

/**
 * The browser's whole round trip from `startPath` (a page that sends it to sign in, or /auth/slack/login):
 * → /auth/slack/login → Slack → /auth/slack/callback. Returns the callback's response (cookies, redirect).
 */
export async function signInWithSlack(
  baseUrl: string,
  who: { userId: string; teamId: string },
  loginPath = '/auth/slack/login',
): Promise<Response> {
  const start = await fetch(`${baseUrl}${loginPath}`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location') ?? 'https://invalid.test');
  nockSlackSignIn({ ...who, nonce: authorize.searchParams.get('nonce') ?? '' });
  return fetch(`${baseUrl}/auth/slack/callback?code=c&state=${authorize.searchParams.get('state')}`, {
    headers: { cookie: cookieFrom(start, 'lore_signin') ?? '' },
    redirect: 'manual',
  });
}
