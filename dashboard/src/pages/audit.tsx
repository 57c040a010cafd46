import type { AuditEntryDto } from '@contracts/audit.contract';
import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client';
import { Async, Empty } from '../components/states';
import { Card, PageHeader, Pager } from '../components/widgets';
import { fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';

const PAGE_SIZE = 50;
const ACTIONS = [
  ['', 'All actions'],
  ['dashboard.', 'Sign-ins'],
  ['settings.', 'Settings'],
  ['openai_key.', 'OpenAI key'],
  ['api_key.', 'API keys'],
  ['document.', 'Documents'],
  ['knowledge', 'Knowledge base'],
  ['token.', 'Slack tokens'],
  ['tenant.', 'Workspace lifecycle'],
] as const;

/** Token, settings and admin actions, newest first, filterable by kind, person and date. */
export function AuditPage() {
  const [filters, setFilters] = useState({ action: '', actor: '', from: '', to: '' });
  const [draft, setDraft] = useState(filters);
  const [page, setPage] = useState(1);
  const q = query({ ...filters, page, pageSize: PAGE_SIZE });
  const list = useApi(`audit${q}`, () =>
    api.get<{ items: AuditEntryDto[]; total: number }>(`/api/audit${q}`),
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setPage(1);
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Who did what, and when: tokens, settings, keys, documents and sign-ins."
      />
      <Card>
        <form className="toolbar" onSubmit={apply}>
          <label className="field">
            <span>Action</span>
            <select value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
              {ACTIONS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Who</span>
            <input
              value={draft.actor}
              placeholder="Slack user or apikey:"
              onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            />
          </label>
          <label className="field">
            <span>From</span>
            <input
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </label>
          <label className="field">
            <span>To</span>
            <input
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </label>
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
        </form>
        <Async state={list} label="Loading the audit log…">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title="No entries match">Change the filters to see more.</Empty>
            ) : (
              <>
                <table className="table audit">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col" className="hide-phone">
                        Details
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((e) => (
                      <tr key={e.id}>
                        <td className="nowrap">{fmtDate(e.createdAt)}</td>
                        <td className="mono small">{e.actor}</td>
                        <td>
                          <code>{e.action}</code>
                          {e.target ? <div className="muted small mono">{e.target}</div> : null}
                        </td>
                        <td className="hide-phone mono small details">
                          {Object.keys(e.details).length ? JSON.stringify(e.details) : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
              </>
            )
          }
        </Async>
      </Card>
    </>
  );
}
