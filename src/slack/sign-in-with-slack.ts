import { WebClient } from '@slack/web-api';
import { signInFailed } from '../errors.js';

/** Where Slack's consent screen lives (browser-facing, like Bolt's install URL; API calls use SLACK_API_URL). */
export const SLACK_OIDC_AUTHORIZE_URL = 'https://slack.com/openid/connect/authorize';
const ISSUER = 'https://slack.com';

/** Who signed in, from the id_token (checked) and openid.connect.userInfo. */
export interface SlackIdentity {
  userId: string;
  teamId: string;
  enterpriseId: string | null;
  name: string;
  teamName: string;
  /** The workspace's icon (https), or null when Slack says it is the default one. */
  teamImageUrl: string | null;
}

/** Sign in with Slack (OpenID Connect through the same Slack app that installs Lore). */
export interface SlackSignIn {
  /** The consent URL; `team` pre-selects a workspace for people signed in to several. */
  authorizeUrl(p: { state: string; nonce: string; team?: string }): string;
  /** Exchanges the callback's code, checks the id_token (audience, nonce, expiry, issuer) and reads the profile. */
  exchange(code: string, expectedNonce: string): Promise<SlackIdentity>;
}

/** Decodes a JWT's payload. The token came straight from Slack's token endpoint over TLS (OIDC core 3.1.3.7). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (!part) throw signInFailed('the id_token is not a JWT');
  try {
    const payload: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (!payload || typeof payload !== 'object') throw new Error('not an object');
    return payload as Record<string, unknown>;
  } catch (err) {
    throw signInFailed('the id_token payload is not JSON', err);
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The 44 px workspace icon of a claims set, unless it is Slack's default or not an https URL. */
function teamImage(claims: Record<string, unknown>): string | null {
  if (claims['https://slack.com/team_image_default'] === true) return null;
  const url = str(claims['https://slack.com/team_image_44']);
  return url.startsWith('https://') ? url : null;
}

/** Creates the Sign in with Slack client for the app's credentials; every Web API call uses SLACK_API_URL. */
export function createSlackSignIn(opts: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  apiUrl: string;
}): SlackSignIn {
  const anonymous = new WebClient(undefined, { slackApiUrl: opts.apiUrl, retryConfig: { retries: 0 } });
  return {
    authorizeUrl({ state, nonce, team }) {
      const url = new URL(SLACK_OIDC_AUTHORIZE_URL);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', 'openid profile email');
      url.searchParams.set('client_id', opts.clientId);
      url.searchParams.set('state', state);
      url.searchParams.set('nonce', nonce);
      url.searchParams.set('redirect_uri', opts.redirectUri);
      if (team) url.searchParams.set('team', team);
      return url.toString();
    },

    async exchange(code, expectedNonce) {
      let token: { id_token?: string; access_token?: string };
      try {
        // A code works once: no retries (see the install flow's oauth.v2.access).
        token = await anonymous.openid.connect.token({
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          code,
          redirect_uri: opts.redirectUri,
          grant_type: 'authorization_code',
        });
      } catch (err) {
        throw signInFailed('openid.connect.token was refused', err);
      }
      if (!token.id_token || !token.access_token)
        throw signInFailed('openid.connect.token returned no id_token');
      const claims = decodeJwtPayload(token.id_token);
      if (claims.aud !== opts.clientId) throw signInFailed('the id_token is for another client');
      if (claims.nonce !== expectedNonce) throw signInFailed('the id_token nonce does not match');
      if (claims.iss !== ISSUER) throw signInFailed('the id_token has an unexpected issuer');
      if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
        throw signInFailed('the id_token expired');
      const userId = str(claims['https://slack.com/user_id']) || str(claims.sub);
      const teamId = str(claims['https://slack.com/team_id']);
      if (!userId || !teamId) throw signInFailed('the id_token names no user or team');
      let info: Record<string, unknown> = {};
      try {
        const client = new WebClient(token.access_token, {
          slackApiUrl: opts.apiUrl,
          retryConfig: { retries: 1 },
        });
        info = (await client.openid.connect.userInfo()) as unknown as Record<string, unknown>;
      } catch {
        // The profile only adds display names; the checked id_token already says who this is.
      }
      return {
        userId,
        teamId,
        enterpriseId:
          str(claims['https://slack.com/enterprise_id']) ||
          str(info['https://slack.com/enterprise_id']) ||
          null,
        name: str(info.name) || str(claims.name) || userId,
        teamName:
          str(info['https://slack.com/team_name']) || str(claims['https://slack.com/team_name']) || teamId,
        teamImageUrl: teamImage(info) ?? teamImage(claims),
      };
    },
  };
}
