import type { AuditEntryDto } from '@contracts/audit.contract';
import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client';
import { type Column, DataTable } from '../components/data-table';
import { Field, SelectField } from '../components/fields';
import { Results } from '../components/results';
import { Empty } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
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

const COLUMNS: Array<Column<AuditEntryDto>> = [
  { header: 'When', className: 'nowrap', cell: (e) => fmtDate(e.createdAt) },
  { header: 'Who', className: 'mono small', cell: (e) => e.actor },
  {
    header: 'Action',
    cell: (e) => (
      <>
        <code>{e.action}</code>
        {e.target ? <div className="muted small mono">{e.target}</div> : null}
      </>
    ),
  },
  {
    header: 'Details',
    hideOnPhone: true,
    className: 'mono small details',
    cell: (e) => (Object.keys(e.details).length ? JSON.stringify(e.details) : ''),
  },
];

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
        actions={
          <a className="btn" href={`/api/audit.csv${query(filters)}`} download>
            Export CSV
          </a>
        }
      />
      <Card>
        <form className="toolbar" onSubmit={apply}>
          <SelectField
            label="Action"
            hideLabel={false}
            value={draft.action}
            options={ACTIONS}
            onChange={(action) => setDraft({ ...draft, action })}
          />
          <Field label="Who">
            <input
              value={draft.actor}
              placeholder="Slack user or apikey:"
              onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            />
          </Field>
          <Field label="From">
            <input
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </Field>
          <Field label="To">
            <input
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </Field>
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
        </form>
        <Results
          state={list}
          label="Loading the audit log…"
          paging={{ page, pageSize: PAGE_SIZE, onPage: setPage }}
          empty={<Empty title="No entries match">Change the filters to see more.</Empty>}
        >
          {(entries) => <DataTable className="audit" columns={COLUMNS} rows={entries} rowKey={(e) => e.id} />}
        </Results>
      </Card>
    </>
  );
}
