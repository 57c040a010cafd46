import type { SessionDto, SwitchWorkspaceBody } from '@contracts/session.contract';
import { createContext, useContext } from 'react';
import { api } from '../api/client';

/** The signed-in user and workspace, for every page under the layout. */
export const SessionContext = createContext<SessionDto | null>(null);

/** The current session (pages render only once it is known). */
export function useSession(): SessionDto {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in layout');
  return s;
}

const REMEMBERED = 'lore.workspaces';

/** Workspaces this browser signed in to before (team id and name only), for the sign-in page's shortcuts. */
export function rememberedWorkspaces(): Array<{ teamId: string; name: string }> {
  try {
    const v = JSON.parse(localStorage.getItem(REMEMBERED) ?? '[]') as unknown;
    return Array.isArray(v)
      ? v.filter((w) => typeof w?.teamId === 'string' && typeof w?.name === 'string').slice(0, 8)
      : [];
  } catch {
    return [];
  }
}

/** Remembers the workspace of a session so the next sign-in can offer it directly. */
export function rememberWorkspace(s: SessionDto): void {
  const w = s.workspace;
  if (!w?.slackTeamId || w.isDemo) return;
  const rest = rememberedWorkspaces().filter((x) => x.teamId !== w.slackTeamId);
  localStorage.setItem(
    REMEMBERED,
    JSON.stringify([{ teamId: w.slackTeamId, name: w.name }, ...rest].slice(0, 8)),
  );
}

/**
 * Opens another workspace this browser signed in to (the server keeps the list and checks access again),
 * then reloads into it: the switch gives a new cookie and CSRF token. With `signOutCurrent` the workspace
 * being left is signed out of instead of kept in the list.
 */
export async function switchWorkspace(tenantId: string, signOutCurrent = false): Promise<void> {
  const body: SwitchWorkspaceBody = signOutCurrent ? { tenantId, signOutCurrent } : { tenantId };
  await api.post<SessionDto>('/api/session/switch', body);
  window.location.assign('/app');
}

/** Where "Add another workspace" starts: Sign in with Slack from this browser, which keeps its workspaces. */
export const ADD_WORKSPACE_URL = '/auth/slack/login';
