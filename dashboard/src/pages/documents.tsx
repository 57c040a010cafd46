import type { DocumentDto, DocumentListDto, ListDocumentsQuery } from '@contracts/documents.contract';
import { useEffect, useState } from 'react';
import { ApiError, api, query } from '../api/client';
import { DocStatus, inProgress } from '../components/doc-status';
import { Async, Empty, Notice } from '../components/states';
import { UploadZone } from '../components/upload-zone';
import { Card, ConfirmDialog, PageHeader, Pager } from '../components/widgets';
import { fmtAgo } from '../lib/format';
import { Link } from '../lib/router';
import { useApi, useInterval } from '../lib/use-api';

const PAGE_SIZE = 20;

/** Upload (drag and drop, several files), list with search, sort and paging, re-index and delete. */
export function DocumentsPage() {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sort, setSort] = useState<ListDocumentsQuery['sort']>('updated');
  const [status, setStatus] = useState<'' | DocumentDto['status']>('');
  const [page, setPage] = useState(1);
  const [toDelete, setToDelete] = useState<DocumentDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  useEffect(() => {
    const t = window.setTimeout(() => {
      setDebounced(search);
      setPage(1);
    }, 250);
    return () => window.clearTimeout(t);
  }, [search]);

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
      </Card>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <Card>
        <div className="toolbar">
          <label className="field grow">
            <span className="sr-only">Search documents</span>
            <input
              type="search"
              placeholder="Search by title or file name"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="sr-only">Status</span>
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as typeof status);
                setPage(1);
              }}
            >
              <option value="">Any status</option>
              <option value="ready">Ready</option>
              <option value="failed">Failed</option>
              <option value="queued">Queued</option>
              <option value="parsing">Parsing</option>
              <option value="embedding">Embedding</option>
            </select>
          </label>
          <label className="field">
            <span className="sr-only">Sort by</span>
            <select value={sort} onChange={(e) => setSort(e.target.value as ListDocumentsQuery['sort'])}>
              <option value="updated">Recently updated</option>
              <option value="created">Recently added</option>
              <option value="title">Title A–Z</option>
              <option value="status">Status</option>
            </select>
          </label>
        </div>
        <Async state={list} label="Loading documents…">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title={debounced || status ? 'No documents match' : 'No documents yet'}>
                {debounced || status
                  ? 'Try another search.'
                  : 'Drop a handbook, policy or FAQ above and Lore can answer from it in a minute.'}
              </Empty>
            ) : (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Title</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="hide-phone">
                        Passages
                      </th>
                      <th scope="col" className="hide-phone">
                        Version
                      </th>
                      <th scope="col" className="hide-phone">
                        Updated
                      </th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((d) => (
                      <tr key={d.id}>
                        <td>
                          <Link to={`/documents/${d.id}`} className="doc-title">
                            {d.title}
                          </Link>
                          <div className="muted small">{d.sourceName}</div>
                        </td>
                        <td>
                          <DocStatus doc={d} />
                        </td>
                        <td className="hide-phone">{d.chunkCount}</td>
                        <td className="hide-phone">v{d.latestVersion}</td>
                        <td className="hide-phone">{fmtAgo(d.updatedAt)}</td>
                        <td className="row-actions">
                          <button
                            type="button"
                            className="btn btn-ghost btn-small"
                            disabled={busy}
                            aria-label={`Re-index ${d.title}`}
                            onClick={() =>
                              run(
                                () => api.post(`/api/documents/${d.id}/reindex`),
                                `Re-indexing “${d.title}”.`,
                              )
                            }
                          >
                            Re-index
                          </button>
                          <button
                            type="button"
                            className="btn btn-ghost btn-small danger-text"
                            aria-label={`Delete ${d.title}`}
                            onClick={() => setToDelete(d)}
                          >
                            Delete
                          </button>
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
