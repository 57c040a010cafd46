import type { DocumentDto, ListDocumentsQuery } from '@contracts/documents.contract';
import { type Column, DataTable } from '../components/data-table';
import { DocStatus } from '../components/doc-status';
import { fmtAgo } from '../lib/format';
import { Link } from '../lib/router';

type Sort = ListDocumentsQuery['sort'];

/** The documents list: title and file, status, passages, version, last update, re-index and delete. */
export function DocumentsTable({
  docs,
  sort,
  onSort,
  busy,
  onReindex,
  onDelete,
}: {
  docs: DocumentDto[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  busy: boolean;
  onReindex: (doc: DocumentDto) => void;
  onDelete: (doc: DocumentDto) => void;
}) {
  const columns: Array<Column<DocumentDto, Sort>> = [
    {
      header: 'Title',
      sort: { key: 'title', direction: 'ascending' },
      cell: (d) => (
        <>
          <Link to={`/documents/${d.id}`} className="doc-title">
            {d.title}
          </Link>
          <div className="muted small">{d.sourceName}</div>
        </>
      ),
    },
    {
      header: 'Status',
      sort: { key: 'status', direction: 'descending' },
      cell: (d) => <DocStatus doc={d} />,
    },
    { header: 'Passages', hideOnPhone: true, cell: (d) => d.chunkCount },
    { header: 'Version', hideOnPhone: true, cell: (d) => `v${d.latestVersion}` },
    {
      header: 'Updated',
      hideOnPhone: true,
      sort: { key: 'updated', direction: 'descending' },
      cell: (d) => fmtAgo(d.updatedAt),
    },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (d) => (
        <>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={busy}
            aria-label={`Re-index ${d.title}`}
            onClick={() => onReindex(d)}
          >
            Re-index
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small danger-text"
            aria-label={`Delete ${d.title}`}
            onClick={() => onDelete(d)}
          >
            Delete
          </button>
        </>
      ),
    },
  ];
  return <DataTable columns={columns} rows={docs} rowKey={(d) => d.id} sortedBy={sort} onSort={onSort} />;
}
