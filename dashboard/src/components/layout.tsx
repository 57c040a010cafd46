import type { ReactNode } from 'react';
import { useState } from 'react';
import { api } from '../api/client';
import { Link, useRoute } from '../lib/router';
import { useSession } from '../lib/session';
import { NoticeBanners } from './notice-banners';
import { WorkspaceMenu } from './workspace-menu';

const TENANT_NAV = [
  { to: '/', label: 'Overview', icon: '◎' },
  { to: '/documents', label: 'Documents', icon: '▤' },
  { to: '/collections', label: 'Collections', icon: '❏' },
  { to: '/ask', label: 'Ask playground', icon: '✦' },
  { to: '/usage', label: 'Usage', icon: '▁▃▅' },
  { to: '/conversations', label: 'Conversations', icon: '❝' },
  { to: '/gaps', label: 'Knowledge gaps', icon: '◌' },
  { to: '/settings', label: 'Settings', icon: '⚙' },
  { to: '/plans', label: 'Plans', icon: '▦' },
  { to: '/audit', label: 'Audit log', icon: '☰' },
];

function isActive(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

/**
 * The frame of every signed-in page: navigation (a drawer on phones), the workspace switcher, user and
 * sign-out ("Sign out" ends this browser's sign-ins; "everywhere" every session of this Slack user).
 */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const { path } = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const nav = [
    ...(session.workspace ? TENANT_NAV : []),
    ...(session.user.isPlatformAdmin ? [{ to: '/operator', label: 'Operator view', icon: '⌘' }] : []),
  ];

  const signOut = async (everywhere: boolean) => {
    setBusy(true);
    try {
      if (everywhere) await api.post('/api/session/revoke-all');
      else await api.del('/api/session');
    } finally {
      window.location.assign('/app/sign-in?signedOut=1');
    }
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="btn btn-ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
          <span className="sr-only">Menu</span>
        </button>
        <Link to={session.workspace ? '/' : '/operator'} className="brand">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          <span className="brand-text">Lore</span>
        </Link>
        <WorkspaceMenu session={session} />
        <details className="user-menu">
          <summary>
            <span className="avatar" aria-hidden="true">
              {session.user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name">{session.user.name}</span>
          </summary>
          <div className="user-menu-panel">
            <p className="muted small">Signed in as {session.user.slackUserId}</p>
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => signOut(false)}>
              Sign out
            </button>
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => signOut(true)}>
              Sign out everywhere
            </button>
          </div>
        </details>
      </header>
      <nav id="sidebar" className={`sidebar ${menuOpen ? 'open' : ''}`} aria-label="Main">
        <ul>
          {nav.map((n) => (
            <li key={n.to}>
              <Link
                to={n.to}
                aria-current={isActive(path, n.to) ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {n.icon}
                </span>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {session.workspace ? <NoticeBanners workspaceId={session.workspace.tenantId} /> : null}
        {children}
      </main>
    </div>
  );
}
