import { z } from 'zod';

/** Sign-in and session shapes of /auth and /api/session, shared by the server and the dashboard. */

/** Why a sign-in ended on the sign-in page instead of the dashboard (the `error` query parameter). */
export const signInError = z.enum([
  'cancelled',
  'expired',
  'failed',
  'not_installed',
  'not_admin',
  'suspended',
  'not_configured',
]);
export type SignInError = z.infer<typeof signInError>;

/** `GET /auth/slack/login?team=T…`: pre-selects a workspace on Slack's consent screen. */
export const signInQuery = z.object({
  team: z
    .string()
    .regex(/^[TE][A-Z0-9]{2,30}$/, 'must be a Slack team id such as T0123ABCD')
    .optional(),
  /** A member view page to return to: signs in a member to read sources, not to the dashboard. */
  next: z
    .string()
    .regex(/^\/read\/documents\/[0-9a-f-]{36}(\?chunk=\d{1,7})?$/, 'must be a /read/documents/ page')
    .optional(),
});

/** `GET /auth/slack/callback`: what Slack sends back (a code and our state, or an error). */
export const signInCallbackQuery = z.object({
  code: z.string().min(1).max(500).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
});

/** `POST /auth/choose`: the workspace picked by someone who may open several. */
export const chooseWorkspaceBody = z.object({ tenantId: z.uuid() });

/**
 * `POST /api/session/switch`: open another workspace this browser signed in to. With `signOutCurrent` the
 * workspace being left is signed out of (it leaves the list) instead of kept for later.
 */
export const switchWorkspaceBody = z.object({
  tenantId: z.uuid(),
  signOutCurrent: z.boolean().optional(),
});
export type SwitchWorkspaceBody = z.infer<typeof switchWorkspaceBody>;

export interface AuthOptionsDto {
  /** Sign in with Slack is configured (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET). */
  slackSignIn: boolean;
  /** The embedded-mode dev sign-in is available (never in production). */
  devSignIn: boolean;
}

export interface PendingChoiceDto {
  userName: string;
  workspaces: Array<{ tenantId: string; name: string; role: string }>;
}

/** A workspace in the switcher: one this browser signed in to, with its own sign-in still live. */
export interface SwitchableWorkspaceDto {
  tenantId: string;
  name: string;
  /** The workspace's Slack icon (https), when Sign in with Slack told us. */
  iconUrl: string | null;
  /** The workspace this session is in now. */
  current: boolean;
}

export interface SessionDto {
  user: { slackUserId: string; name: string; isPlatformAdmin: boolean };
  workspace: {
    tenantId: string;
    name: string;
    slackTeamId: string | null;
    status: 'active' | 'inactive' | 'suspended';
    isDemo: boolean;
  } | null;
  /** The workspaces this browser may switch between (the current one included), by name. */
  workspaces: SwitchableWorkspaceDto[];
  /** Send it as `x-csrf-token` on every POST, PUT, PATCH and DELETE. */
  csrfToken: string;
  expiresAt: string;
}

/** Where a sign-in that finished goes next. */
export interface SignedInDto {
  redirect: string;
}
