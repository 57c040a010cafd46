import type { PendingChoiceDto, SignedInDto } from '@contracts/session.contract';
import { useState } from 'react';
import { ApiError, request } from '../api/client';
import { ErrorState, Loading, Notice } from '../components/states';
import { useApi } from '../lib/use-api';

/** After Sign in with Slack: someone who may open several workspaces picks one. */
export function ChooseWorkspacePage() {
  const pending = useApi('pending', () => request<PendingChoiceDto>('GET', '/auth/pending'));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const choose = async (tenantId: string) => {
    setBusy(true);
    try {
      const r = await request<SignedInDto>('POST', '/auth/choose', { tenantId });
      window.location.assign(r.redirect);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work. Please sign in again.');
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <h1>Choose a workspace</h1>
        {pending.loading ? <Loading /> : null}
        {pending.error ? (
          <>
            <ErrorState error={pending.error} />
            <a className="btn" href="/app/sign-in">
              Sign in again
            </a>
          </>
        ) : null}
        {pending.data ? (
          <>
            <p className="muted">Signed in as {pending.data.userName}. You can open these workspaces:</p>
            <ul className="choice-list">
              {pending.data.workspaces.map((w) => (
                <li key={w.tenantId}>
                  <button
                    type="button"
                    className="btn choice"
                    disabled={busy}
                    onClick={() => choose(w.tenantId)}
                  >
                    <span>{w.name}</span>
                    <span className="muted small">{w.role}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {error ? <Notice kind="error">{error}</Notice> : null}
      </div>
    </main>
  );
}
