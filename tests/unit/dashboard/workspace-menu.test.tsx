import type { SessionDto } from '@contracts/session.contract';
import { describe, expect, it } from 'vitest';
import { WorkspaceMenu } from '../../../dashboard/src/components/workspace-menu';
import { render, texts } from './render';

const HOSTILE = '<img src=x onerror=alert(1)> Ops';
/** The workspace names in the switch buttons, as a screen reader reads them (the initials are hidden). */
const NAMES = 'section li button > span:not([aria-hidden])';

function sessionIn(current: string, others: string[]): SessionDto {
  return {
    user: { slackUserId: 'U1', name: 'Ada', isPlatformAdmin: false },
    workspace: { tenantId: 't-current', name: current, slackTeamId: 'T1', status: 'active', isDemo: false },
    workspaces: [
      { tenantId: 't-current', name: current, iconUrl: null, current: true },
      ...others.map((name, i) => ({ tenantId: `t-${i}`, name, iconUrl: null, current: false })),
    ],
    csrfToken: 'x',
    expiresAt: new Date().toISOString(),
  };
}

describe('WorkspaceMenu', () => {
  it('is a closed disclosure button named after the current workspace until opened', () => {
    const { body } = render(<WorkspaceMenu session={sessionIn('Acme', ['Globex'])} />);
    const toggle = body.querySelector('button');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    expect(texts(body, '.workspace-name')).toEqual(['Acme']);
    expect(body.querySelector('section')).toBeNull();
  });

  it('open, offers the other workspaces, "Add another workspace" and signing out of the current one', () => {
    const { body } = render(
      <WorkspaceMenu session={sessionIn('Acme', ['Globex', 'Initech'])} initiallyOpen />,
    );
    const panel = body.querySelector('section[aria-label="Workspaces"]');
    expect(body.querySelector('button')?.getAttribute('aria-controls')).toBe(panel?.id);
    expect(texts(body, NAMES)).toEqual(['Globex', 'Initech']);
    const add = [...body.querySelectorAll('a')].find((a) => a.textContent === 'Add another workspace');
    expect(add?.getAttribute('href')).toBe('/auth/slack/login');
    expect(texts(body, 'section > button')).toEqual(['Sign out of Acme']);
  });

  it('with no other workspace offers only "Add another workspace"', () => {
    const { body } = render(<WorkspaceMenu session={sessionIn('Acme', [])} initiallyOpen />);
    expect(body.querySelectorAll('section li')).toHaveLength(0);
    expect(texts(body, 'section a')).toEqual(['Add another workspace']);
    expect(body.querySelectorAll('section > button')).toHaveLength(0);
  });

  it('shows a hostile workspace name as text, never as markup', () => {
    const { body, html } = render(<WorkspaceMenu session={sessionIn(HOSTILE, [HOSTILE])} initiallyOpen />);
    expect(body.querySelectorAll('img')).toHaveLength(0);
    expect(html).not.toContain('<img');
    expect(texts(body, '.workspace-name')).toEqual([HOSTILE]);
    expect(texts(body, NAMES)).toEqual([HOSTILE]);
  });

  it("shows a workspace's Slack icon when it has one, and its initial otherwise", () => {
    const session = sessionIn('Acme', ['Globex', 'Initech']);
    const icon = 'https://avatars.slack-edge.com/2026-01-01/globex_44.png';
    session.workspaces = session.workspaces.map((w) => (w.name === 'Globex' ? { ...w, iconUrl: icon } : w));
    const { body } = render(<WorkspaceMenu session={session} initiallyOpen />);
    const images = [...body.querySelectorAll('section li img')];
    expect(images.map((i) => [i.getAttribute('src'), i.getAttribute('alt')])).toEqual([[icon, '']]);
    expect(texts(body, 'section li [aria-hidden="true"]')).toEqual(['I']);
  });
});
