import type { SessionDto } from '@contracts/session.contract';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, api } from '../api/client';
import { ADD_WORKSPACE_URL, switchWorkspace } from '../lib/session';

/** A workspace's Slack icon, or its initial in a square when it has none. */
function WorkspaceMark({ name, iconUrl }: { name: string; iconUrl: string | null }) {
  if (iconUrl) return <img className="brand-mark" src={iconUrl} alt="" width={28} height={28} />;
  return (
    <span className="brand-mark" aria-hidden="true">
      {name.trim().slice(0, 1).toUpperCase() || '?'}
    </span>
  );
}

/**
 * The header's workspace switcher, like Slack's: the current workspace, the others this browser signed in
 * to (switch), "Add another workspace" (Sign in with Slack again) and "Sign out of" the current one when
 * another remains. A disclosure: Tab moves through it, Escape closes it and returns focus to its button.
 */
export function WorkspaceMenu({
  session,
  initiallyOpen = false,
}: {
  session: SessionDto;
  initiallyOpen?: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const current = session.workspace;
  const others = session.workspaces.filter((w) => !w.current);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes it wherever focus is (inside it, or still on its button) and puts focus on the button.
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open]);

  const openWorkspace = async (tenantId: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await switchWorkspace(tenantId);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That workspace could not be opened.');
      setBusy(false);
    }
  };

  // Leaves the current workspace for the first other one that still opens; with none, signs out.
  const signOutOfCurrent = async () => {
    setBusy(true);
    for (const w of others) {
      try {
        return await switchWorkspace(w.tenantId, true);
      } catch {
        // That one is gone or no longer allowed (and has left the list): try the next.
      }
    }
    await api.del('/api/session').catch(() => {});
    window.location.assign('/app/sign-in?signedOut=1');
  };

  return (
    <div className="topbar-workspace" ref={root} style={{ position: 'relative' }}>
      <button
        ref={toggle}
        type="button"
        className="btn btn-ghost"
        // Compact, and allowed to shrink so a long name is cut short with an ellipsis on a phone.
        style={{ padding: '0.3rem 0.5rem', minWidth: 0, maxWidth: '100%' }}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        {current ? (
          <span className="workspace-name">{current.name}</span>
        ) : (
          <span className="muted">Operator</span>
        )}
        <span className="sr-only">: switch workspace</span>
        <span aria-hidden="true">▾</span>
      </button>
      {current?.isDemo ? <span className="badge badge-info">Demo</span> : null}
      {open ? (
        <section
          id={panelId}
          aria-label="Workspaces"
          className="user-menu-panel"
          style={{ left: 0, right: 'auto', minWidth: 260 }}
        >
          {others.length > 0 ? <p className="muted small">Switch to</p> : null}
          {others.length > 0 ? (
            <ul className="choice-list">
              {others.map((w) => (
                <li key={w.tenantId}>
                  <button
                    type="button"
                    className="btn btn-ghost choice"
                    style={{ justifyContent: 'flex-start' }}
                    disabled={busy}
                    onClick={() => openWorkspace(w.tenantId)}
                  >
                    <WorkspaceMark name={w.name} iconUrl={w.iconUrl} />
                    <span>{w.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <a className="btn btn-ghost" href={ADD_WORKSPACE_URL}>
            Add another workspace
          </a>
          {current && others.length > 0 ? (
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={signOutOfCurrent}>
              Sign out of {current.name}
            </button>
          ) : null}
          {error ? (
            <p className="small" role="alert">
              {error}
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
