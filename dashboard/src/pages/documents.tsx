import type { DocumentDto, DocumentListDto, ListDocumentsQuery } from '@contracts/documents.contract';
import { useState } from 'react';
import { ApiError, api, query } from '../api/client';
import { AddWebSource } from '../components/add-web-source';
import { inProgress } from '../components/doc-status';
import { FilterBar } from '../components/filter-bar';
import { Results } from '../components/results';
import { Empty, Notice } from '../components/states';
import { UploadZone } from '../components/upload-zone';
import { WebSourcesList } from '../components/web-sources-list';
import { Card, ConfirmDialog, PageHeader } from '../components/widgets';
import { useApi, useInterval } from '../lib/use-api';
import { useListFilters } from '../lib/use-list-filters';
import { DocumentsTable } from './documents-table';

const PAGE_SIZE = 20;
const STATUSES = [
  ['', 'Any status'],
  ['ready', 'Ready'],
  ['failed', 'Failed'],
  ['queued', 'Queued'],
  ['parsing', 'Parsing'],
  ['embedding', 'Embedding'],
] as const;
const SORTS = [
  ['updated', 'Recently updated'],
  ['created', 'Recently added'],
  ['title', 'Title A–Z'],
  ['status', 'Status'],
] as const;

/** Upload (drag and drop, several files), list with search, sort and paging, re-index and delete. */
export function DocumentsPage() {
  const filtering = useListFilters({
    status: '' as '' | DocumentDto['status'],
    sort: 'updated' as ListDocumentsQuery['sort'],
  });
  const { debounced, filters, setFilter, page, setPage } = filtering;
  const { status, sort } = filters;
  const [toDelete, setToDelete] = useState<DocumentDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  // Bumped when a source is added, so the followed-pages list reloads.
  const [sourcesKey, setSourcesKey] = useState(0);

  const q = query({
    search: debounced,
    sort,
    order: sort === 'title' ? 'asc' : 'desc',
    status,
    page,
    pageSize: PAGE_SIZE,
  });
  const list = useApi(`docs${q}`, () => api.get<DocumentListDto>(`/api/documents${q}`));
  useInterval(list.reload, 2000, Boolean(list.data?.items.some((d) => inProgress(d.status))));

  const run = async (action: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await action();
      setNotice({ kind: 'ok', text: ok });
      list.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: e instanceof ApiError ? e.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  };
  const filtered = Boolean(debounced || status);

  return (
    <>
      <PageHeader
        title="Documents"
        subtitle="Everything Lore answers from. Each upload is split into passages that answers cite."
        actions={
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() =>
              run(
                () => api.post<{ queued: number }>('/api/documents/reindex', { all: true }),
                'Re-indexing every document.',
              )
            }
          >
            Re-index all
          </button>
        }
      />
      <Card>
        <UploadZone onChange={list.reload} />
        <AddWebSource
          onAdded={() => {
            list.reload();
            setSourcesKey((k) => k + 1);
          }}
        />
      </Card>
      <WebSourcesList refreshKey={sourcesKey} />
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <Card>
        <FilterBar
          list={filtering}
          search={{ label: 'Search documents', placeholder: 'Search by title or file name' }}
          selects={[
            { key: 'status', label: 'Status', options: STATUSES },
            { key: 'sort', label: 'Sort by', options: SORTS },
          ]}
        />
        <Results
          state={list}
          label="Loading documents…"
          paging={{ page, pageSize: PAGE_SIZE, onPage: setPage }}
          empty={
            <Empty title={filtered ? 'No documents match' : 'No documents yet'}>
              {filtered
                ? 'Try another search.'
                : 'Drop a handbook, policy or FAQ above and Lore can answer from it in a minute.'}
            </Empty>
          }
        >
          {(docs) => (
            <DocumentsTable
              docs={docs}
              sort={sort}
              onSort={(v) => setFilter('sort', v)}
              busy={busy}
              onReindex={(d) =>
                run(() => api.post(`/api/documents/${d.id}/reindex`), `Re-indexing “${d.title}”.`)
              }
              onDelete={setToDelete}
            />
          )}
        </Results>
      </Card>
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this document?"
        confirmLabel="Delete document"
        danger
        busy={busy}
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          const d = toDelete;
          setToDelete(null);
          if (d) void run(() => api.del(`/api/documents/${d.id}`), `Deleted “${d.title}”.`);
        }}
      >
        <p>
          “{toDelete?.title}” and all its versions and passages will be removed. Answers will stop citing it.
          This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
