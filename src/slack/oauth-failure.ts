/** Error code the state store uses for an expired, replayed or forged state (Bolt's own codes differ). */
export const STATE_EXPIRED_CODE = 'lore_oauth_state_expired';

/** What the failure page says and the HTTP status it is sent with. */
export interface InstallFailure {
  status: number;
  reason: string;
  /** A short code for logs and the page's reference (never a secret). */
  code: string;
}

interface CodedError {
  code?: string;
  data?: { error?: string };
}

// Slack's oauth.v2.access errors that mean this deployment's Slack credentials are wrong.
const MISCONFIGURED = new Set([
  'invalid_client_id',
  'bad_client_secret',
  'bad_redirect_uri',
  'oauth_authorization_url_mismatch',
]);

/** Maps an error from Bolt's OAuth callback to a message a person who clicked "Add to Slack" understands. */
export function describeInstallFailure(error: unknown): InstallFailure {
  const e = (error ?? {}) as CodedError;
  switch (e.code) {
    case 'slack_oauth_installer_authorization_error':
      return {
        status: 400,
        code: 'access_denied',
        reason: 'The install was cancelled in Slack, so Lore was not added.',
      };
    case 'slack_oauth_missing_state':
    case 'slack_oauth_missing_code':
      return {
        status: 400,
        code: 'missing_parameters',
        reason:
          'This page was opened without the details Slack sends back after an install. Start the install again.',
      };
    case 'slack_oauth_invalid_state':
      return {
        status: 400,
        code: 'state_not_for_this_browser',
        reason:
          'This install was started in a different browser (or its cookie was cleared). Start it again in the browser you finish it in.',
      };
    case STATE_EXPIRED_CODE:
      return {
        status: 400,
        code: 'state_expired',
        reason:
          'This install link has expired or was already used. Install links work once and for 10 minutes.',
      };
    case 'slack_webapi_platform_error': {
      const slackError = e.data?.error ?? 'unknown_error';
      if (slackError === 'invalid_code' || slackError === 'code_already_used') {
        return {
          status: 400,
          code: slackError,
          reason: 'Slack did not accept the authorization code (it expired or was already used).',
        };
      }
      if (MISCONFIGURED.has(slackError)) {
        return {
          status: 502,
          code: slackError,
          reason:
            "This Lore server's Slack app settings do not match Slack's. Ask the operator to check them.",
        };
      }
      return {
        status: 502,
        code: slackError,
        reason: `Slack refused to complete the install (${slackError}).`,
      };
    }
    case 'slack_webapi_request_error':
    case 'slack_webapi_http_error':
    case 'slack_webapi_rate_limited_error':
      return {
        status: 502,
        code: 'slack_unreachable',
        reason: 'Lore could not reach Slack to finish the install. Please try again in a minute.',
      };
    default:
      return {
        status: 500,
        code: 'internal',
        reason: 'Something went wrong on our side while saving the install. Please try again.',
      };
  }
}
