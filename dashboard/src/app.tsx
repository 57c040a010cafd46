import type { SessionDto } from '@contracts/session.contract';
import { useEffect } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/client';
import { Layout } from './components/layout';
import { ErrorState, Loading } from './components/states';
import { match, navigate, useRoute } from './lib/router';
import { rememberWorkspace, SessionContext } from './lib/session';
import { useApi } from './lib/use-api';
import { AskPage } from './pages/ask';
import { AuditPage } from './pages/audit';
import { ChooseWorkspacePage } from './pages/choose-workspace';
import { CollectionsPage } from './pages/collections';
import { ConversationsPage } from './pages/conversations';
import { DocumentPage } from './pages/document';
import { DocumentsPage } from './pages/documents';
import { GapsPage } from './pages/gaps';
import { NotFoundPage } from './pages/not-found';
import { OperatorPage } from './pages/operator';
import { OverviewPage } from './pages/overview';
import { PlansPage } from './pages/plans';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { UsagePage } from './pages/usage';

function Page({ session }: { session: SessionDto }) {
  const { path } = useRoute();
  const doc = match('/documents/:id', path);
  if (path === '/operator') return session.user.isPlatformAdmin ? <OperatorPage /> : <NotFoundPage />;
  if (!session.workspace) return session.user.isPlatformAdmin ? <OperatorPage /> : <NotFoundPage />;
  if (path === '/') return <OverviewPage />;
  if (path === '/documents') return <DocumentsPage />;
  if (doc?.id) return <DocumentPage id={doc.id} />;
  if (path === '/collections') return <CollectionsPage />;
  if (path === '/ask') return <AskPage />;
  if (path === '/usage') return <UsagePage />;
  if (path === '/conversations') return <ConversationsPage />;
  if (path === '/gaps') return <GapsPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/plans') return <PlansPage />;
  return <NotFoundPage />;
}

function SignedIn() {
  const session = useApi('session', () => api.get<SessionDto>('/api/session'));
  useEffect(() => {
    setUnauthorizedHandler(() => navigate('/sign-in?expired=1', { replace: true }));
  }, []);
  useEffect(() => {
    if (session.error?.status === 401) navigate('/sign-in', { replace: true });
  }, [session.error]);
  if (session.error && session.error.status !== 401) {
    return (
      <main className="main narrow">
        <ErrorState error={session.error} onRetry={session.reload} />
      </main>
    );
  }
  if (!session.data) return <Loading label="Opening your dashboard…" />;
  setCsrfToken(session.data.csrfToken);
  rememberWorkspace(session.data);
  return (
    <SessionContext.Provider value={session.data}>
      <Layout>
        {session.data.workspace && session.data.workspace.status !== 'active' ? (
          <ErrorState
            error={
              new Error(
                `This workspace is ${session.data.workspace.status === 'suspended' ? 'suspended by the Lore operator' : 'no longer installed'}, so its dashboard is closed.`,
              )
            }
          />
        ) : (
          <Page session={session.data} />
        )}
      </Layout>
    </SessionContext.Provider>
  );
}

/** The dashboard: sign-in pages outside the layout, everything else behind a session. */
export function App() {
  const { path } = useRoute();
  if (path === '/sign-in') return <SignInPage />;
  if (path === '/choose-workspace') return <ChooseWorkspacePage />;
  return <SignedIn />;
}
