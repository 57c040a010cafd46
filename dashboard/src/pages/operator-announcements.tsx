import type { AnnouncementDto } from '@contracts/announcements.contract';
import type { PlanDto } from '@contracts/platform.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { Field, SelectField } from '../components/fields';
import { Async, Notice } from '../components/states';
import { Badge, Card } from '../components/widgets';
import { fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';

type Level = AnnouncementDto['level'];
type AudienceKind = AnnouncementDto['audience']['kind'];

const LEVELS = [
  ['maintenance', 'Maintenance'],
  ['warning', 'Warning'],
  ['info', 'Info'],
] as const;
const AUDIENCES = [
  ['all', 'All workspaces'],
  ['plan', 'One plan'],
  ['tenants', 'Listed workspaces'],
] as const;

/** A datetime-local value `h` hours from now, in the browser's time zone. */
const localIn = (h: number) => {
  const d = new Date(Date.now() + h * 3_600_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const audienceText = (a: AnnouncementDto['audience']) =>
  a.kind === 'all'
    ? 'all workspaces'
    : a.kind === 'plan'
      ? `plan ${a.planId}`
      : `${a.tenantIds.length} workspace(s)`;

/**
 * The operator's announcements: compose one (level, Markdown text, audience, start and end) and end those
 * still showing. Workspaces see them as a dashboard banner and in App Home.
 */
export function Announcements({ plans }: { plans: PlanDto[] }) {
  const list = useApi('platform-announcements', () =>
    api.get<{ items: AnnouncementDto[] }>('/api/platform/announcements'),
  );
  const [level, setLevel] = useState<Level>('maintenance');
  const [audience, setAudience] = useState<AudienceKind>('all');
  const [planId, setPlanId] = useState(plans[0]?.id ?? '');
  const [tenantIds, setTenantIds] = useState('');
  const [text, setText] = useState('');
  const [startsAt, setStartsAt] = useState(localIn(0));
  const [endsAt, setEndsAt] = useState(localIn(2));
  const [dmAdmins, setDmAdmins] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post('/api/platform/announcements', {
        level,
        text,
        audience:
          audience === 'plan'
            ? { kind: 'plan', planId }
            : audience === 'tenants'
              ? { kind: 'tenants', tenantIds: tenantIds.split(/[\s,]+/).filter(Boolean) }
              : { kind: 'all' },
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        dmAdmins: level === 'maintenance' && dmAdmins,
      });
      setText('');
      setNotice({ kind: 'ok', text: 'Announcement created.' });
      list.reload();
    } catch (err) {
      const detail =
        err instanceof ApiError ? err.details?.map((d) => `${d.field}: ${d.message}`).join('; ') : '';
      setNotice({
        kind: 'error',
        text:
          err instanceof ApiError ? `${err.message}${detail ? ` (${detail})` : ''}` : 'That did not work.',
      });
    }
  };

  const end = async (a: AnnouncementDto) => {
    await api.post(`/api/platform/announcements/${a.id}/end`);
    list.reload();
  };

  return (
    <Card title="Announcements">
      <form className="announcement-form" onSubmit={submit}>
        <SelectField label="Level" hideLabel={false} value={level} options={LEVELS} onChange={setLevel} />
        <SelectField
          label="Audience"
          hideLabel={false}
          value={audience}
          options={AUDIENCES}
          onChange={setAudience}
        />
        {audience === 'plan' ? (
          <SelectField
            label="Plan"
            hideLabel={false}
            value={planId}
            options={plans.map((p) => [p.id, p.name] as const)}
            onChange={setPlanId}
          />
        ) : null}
        {audience === 'tenants' ? (
          <Field label="Tenant ids (comma-separated)" grow>
            <input value={tenantIds} onChange={(e) => setTenantIds(e.target.value)} required />
          </Field>
        ) : null}
        <Field label="Starts">
          <input
            type="datetime-local"
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            required
          />
        </Field>
        <Field label="Ends">
          <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
        </Field>
        <Field label="Text (Markdown)" grow>
          <textarea
            rows={3}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            required
          />
        </Field>
        {level === 'maintenance' ? (
          <label className="field">
            <span>
              <input type="checkbox" checked={dmAdmins} onChange={(e) => setDmAdmins(e.target.checked)} />{' '}
              Also DM each workspace's admins
            </span>
          </label>
        ) : null}
        <button type="submit" className="btn btn-primary">
          Announce
        </button>
      </form>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <Async state={list} label="Loading announcements…">
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted small">No announcements yet.</p>
          ) : (
            <ul className="announcement-list">
              {d.items.map((a) => {
                const live = !a.endedAt && new Date(a.endsAt).getTime() > Date.now();
                return (
                  <li key={a.id}>
                    <Badge tone={a.level === 'info' ? 'info' : 'warn'}>{a.level}</Badge>{' '}
                    {a.text.slice(0, 120)}{' '}
                    <span className="muted small">
                      — {audienceText(a.audience)}, {fmtDate(a.startsAt)} to {fmtDate(a.endedAt ?? a.endsAt)}
                    </span>{' '}
                    {live ? (
                      <button type="button" className="btn btn-ghost" onClick={() => end(a)}>
                        End now
                      </button>
                    ) : (
                      <Badge tone="muted">ended</Badge>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Async>
    </Card>
  );
}
