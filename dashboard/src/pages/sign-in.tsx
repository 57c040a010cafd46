import type { AuthOptionsDto, SignedInDto, SignInError } from '@contracts/session.contract';
import { useState } from 'react';
import { ApiError, request } from '../api/client';
import { Notice } from '../components/states';
import { useRoute } from '../lib/router';
import { rememberedWorkspaces } from '../lib/session';
import { useApi } from '../lib/use-api';

const MESSAGES: Record<SignInError, (team: string) => { title: string; body: string }> = {
  not_admin: (team) => ({
    title: 'Ask your Slack admin',
    body: `Only the person who installed Lore and the admins and owners of ${team || 'the workspace'} can open its dashboard. Ask one of them to make the change you need, or to make you a workspace admin.`,
  }),
  not_installed: (team) => ({
    title: 'Lore is not installed there',
    body: `Lore is not installed in ${team || 'that workspace'}. An admin can add it with “Add to Slack”, or sign in with another workspace.`,
  }),
  suspended: (team) => ({
    title: 'This workspace is suspended',
    body: `Lore is suspended for ${team || 'this workspace'}. Contact the Lore operator.`,
  }),
  cancelled: () => ({
    title: 'Sign-in cancelled',
    body: 'You cancelled on Slack. Sign in again whenever you are ready.',
  }),
  expired: () => ({
    title: 'That sign-in expired',
    body: 'Sign-in links work once and for ten minutes. Please start again.',
  }),
  failed: () => ({
    title: 'Sign-in did not work',
    body: 'Slack could not confirm who you are. Please try again.',
  }),
  not_configured: () => ({
    title: 'Sign in with Slack is not set up',
    body: 'This server has no Slack app configured (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET).',
  }),
};

/** Sign in with Slack, the explanation of a refused sign-in, and (embedded mode) the dev sign-in. */
export function SignInPage() {
  const { search } = useRoute();
  const options = useApi('auth-options', () => request<AuthOptionsDto>('GET', '/auth/options'));
  const [busy, setBusy] = useState(false);
  const [devError, setDevError] = useState<string>();
  const error = search.get('error') as SignInError | null;
  const message = error && MESSAGES[error] ? MESSAGES[error](search.get('team') ?? '') : null;
  const remembered = rememberedWorkspaces();

  const devSignIn = async () => {
    setBusy(true);
    setDevError(undefined);
    try {
      const r = await request<SignedInDto>('POST', '/auth/dev-sign-in', {});
      window.location.assign(r.redirect);
    } catch (e) {
      setDevError(e instanceof ApiError ? e.message : 'The dev sign-in failed.');
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          Lore
        </div>
        <h1>Sign in to the dashboard</h1>
        <p className="muted">Manage your workspace's knowledge base, settings and usage.</p>
        {message ? (
          <Notice kind={error === 'cancelled' ? 'info' : 'warn'}>
            <strong>{message.title}.</strong> {message.body}
          </Notice>
        ) : null}
        {search.get('signedOut') ? <Notice kind="ok">You are signed out.</Notice> : null}
        {search.get('expired') ? (
          <Notice kind="info">Your session ended. Sign in again to continue.</Notice>
        ) : null}
        <div className="signin-actions">
          {options.data?.slackSignIn === false ? (
            <p className="muted small">
              Sign in with Slack needs a Slack app: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (see the
              README).
            </p>
          ) : (
            <a className="btn btn-slack" href="/auth/slack/login">
              <SlackMark /> Sign in with Slack
            </a>
          )}
          {remembered.length > 1
            ? remembered.map((w) => (
                <a
                  key={w.teamId}
                  className="btn btn-ghost"
                  href={`/auth/slack/login?team=${encodeURIComponent(w.teamId)}`}
                >
                  Sign in to {w.name}
                </a>
              ))
            : null}
          {options.data?.devSignIn ? (
            <div className="dev-signin">
              <p className="muted small">
                Embedded mode: try everything on the demo workspace, as an admin and operator.
              </p>
              <button type="button" className="btn" onClick={devSignIn} disabled={busy}>
                {busy ? 'Opening…' : 'Dev sign-in (demo workspace)'}
              </button>
              {devError ? <Notice kind="error">{devError}</Notice> : null}
            </div>
          ) : null}
        </div>
        <p className="muted small">
          In several workspaces? Slack lets you choose the workspace on its sign-in screen.
        </p>
      </div>
    </main>
  );
}

function SlackMark() {
  return (
    <svg aria-hidden="true" width="18" height="18" viewBox="0 0 54 54">
      <path
        fill="#36C5F0"
        d="M19.7 0a5.4 5.4 0 0 0 0 10.8h5.4V5.4A5.4 5.4 0 0 0 19.7 0m0 14.4H5.4a5.4 5.4 0 0 0 0 10.8h14.3a5.4 5.4 0 0 0 0-10.8"
      />
      <path
        fill="#2EB67D"
        d="M54 19.8a5.4 5.4 0 0 0-10.8 0v5.4h5.4a5.4 5.4 0 0 0 5.4-5.4m-14.4 0V5.4a5.4 5.4 0 0 0-10.8 0v14.4a5.4 5.4 0 0 0 10.8 0"
      />
      <path
        fill="#ECB22E"
        d="M34.2 54a5.4 5.4 0 0 0 0-10.8h-5.4v5.4a5.4 5.4 0 0 0 5.4 5.4m0-14.4h14.4a5.4 5.4 0 0 0 0-10.8H34.2a5.4 5.4 0 0 0 0 10.8"
      />
      <path
        fill="#E01E5A"
        d="M0 34.2a5.4 5.4 0 0 0 10.8 0v-5.4H5.4A5.4 5.4 0 0 0 0 34.2m14.4 0v14.4a5.4 5.4 0 0 0 10.8 0V34.2a5.4 5.4 0 0 0-10.8 0"
      />
    </svg>
  );
}
