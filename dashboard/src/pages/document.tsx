import type { ChunkListDto, DocumentDetailDto } from '@contracts/documents.contract';
import { useEffect, useState } from 'react';
import { api, query } from '../api/client';
import { DocStatus, inProgress } from '../components/doc-status';
import { Pager } from '../components/pager';
import { Async, Empty } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
import { fmtBytes, fmtDate } from '../lib/format';
import { Link, useRoute } from '../lib/router';
import { useApi, useInterval } from '../lib/use-api';
import { DocumentCollection } from './document-collection';

const PAGE_SIZE = 50;

/**
 * One document: status, versions and its passages in reading order. `#chunk-<n>` (what Slack citations
 * link to) opens the page holding passage n, scrolls to it and highlights it.
 */
export function DocumentPage({ id }: { id: string }) {
  const { hash } = useRoute();
  const target = /^#chunk-(\d+)$/.exec(hash)?.[1];
  const targetOrdinal = target === undefined ? null : Number(target);
  const [page, setPage] = useState(targetOrdinal === null ? 1 : Math.floor(targetOrdinal / PAGE_SIZE) + 1);
  const detail = useApi(`doc-${id}`, () => api.get<DocumentDetailDto>(`/api/documents/${id}`));
  const chunks = useApi(`chunks-${id}-${page}`, () =>
    api.get<ChunkListDto>(`/api/documents/${id}/chunks${query({ page, pageSize: PAGE_SIZE })}`),
  );
  const working = Boolean(detail.data && inProgress(detail.data.document.status));
  useInterval(
    () => {
      detail.reload();
      chunks.reload();
    },
    1500,
    working,
  );

  useEffect(() => {
    if (targetOrdinal === null || !chunks.data) return;
    const el = document.getElementById(`chunk-${targetOrdinal}`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
  }, [chunks.data, targetOrdinal]);

  return (
    <Async state={detail} label="Loading the document…">
      {({ document: d, versions }) => (
        <>
          <p className="breadcrumb">
            <Link to="/documents">← Documents</Link>
          </p>
          <PageHeader title={d.title} subtitle={d.sourceName} actions={<DocStatus doc={d} />} />
          <div className="grid">
            <Card title="Versions">
              <ul className="versions">
                {versions.map((v) => (
                  <li key={v.id}>
                    <strong>v{v.version}</strong>{' '}
                    <DocStatus doc={{ ...v, progressDone: 0, progressTotal: 0 }} />
                    <div className="muted small">
                      {fmtDate(v.createdAt)} · {v.mediaType} · {fmtBytes(v.byteSize)}
                      {v.pageCount ? ` · ${v.pageCount} pages` : ''}
                      {v.id === d.activeVersionId ? ' · searchable' : ''}
                    </div>
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="Details">
              <dl className="facts">
                <dt>Collection</dt>
                <dd>
                  <DocumentCollection documentId={d.id} collectionId={d.collectionId} />
                </dd>
                <dt>Passages</dt>
                <dd>{d.chunkCount}</dd>
                <dt>Added by</dt>
                <dd>{d.createdBy}</dd>
                <dt>Added</dt>
                <dd>{fmtDate(d.createdAt)}</dd>
                <dt>Updated</dt>
                <dd>{fmtDate(d.updatedAt)}</dd>
              </dl>
            </Card>
          </div>
          <Card title="Passages">
            <Async state={chunks} label="Loading passages…">
              {(c) =>
                c.items.length === 0 ? (
                  <Empty title={working ? 'Still processing…' : 'No passages'}>
                    {working ? 'Passages appear here when the document is ready.' : d.errorReason}
                  </Empty>
                ) : (
                  <>
                    <ol className="chunks">
                      {c.items.map((ch) => (
                        <li
                          key={ch.id}
                          id={`chunk-${ch.ordinal}`}
                          className={`chunk ${ch.ordinal === targetOrdinal ? 'chunk-target' : ''}`}
                          tabIndex={-1}
                        >
                          <div className="chunk-meta muted small">
                            <a href={`#chunk-${ch.ordinal}`}>#{ch.ordinal}</a>
                            {ch.section ? ` · ${ch.section}` : ''}
                            {ch.pageStart
                              ? ` · page ${ch.pageStart}${ch.pageEnd && ch.pageEnd !== ch.pageStart ? `–${ch.pageEnd}` : ''}`
                              : ''}
                            {` · ${ch.tokenCount} tokens`}
                            {ch.embedded ? ' · embedded' : ''}
                          </div>
                          <p className="chunk-text">{ch.content}</p>
                        </li>
                      ))}
                    </ol>
                    <Pager page={page} pageSize={PAGE_SIZE} total={c.total} onPage={setPage} />
                  </>
                )
              }
            </Async>
          </Card>
        </>
      )}
    </Async>
  );
}
