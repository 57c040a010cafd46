import type { GapDto } from '@contracts/conversations.contract';
import type { DocumentDto } from '@contracts/documents.contract';
import { useState } from 'react';
import { ApiError, api, query } from '../api/client';
import { Results } from '../components/results';
import { Empty, Notice } from '../components/states';
import { UploadZone } from '../components/upload-zone';
import { Badge, Card, PageHeader } from '../components/widgets';
import { fmtAgo } from '../lib/format';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';

const PAGE_SIZE = 20;
type Status = GapDto['status'];

function Gap({ gap, onChanged }: { gap: GapDto; onChanged: (message: string) => void }) {
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string>();
  const set = async (status: Status, documentId?: string) => {
    try {
      await api.patch(`/api/gaps/${gap.id}`, { status, documentId: documentId ?? null });
      onChanged(
        status === 'resolved' ? 'Marked as answered.' : status === 'dismissed' ? 'Dismissed.' : 'Re-opened.',
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work.');
    }
  };
  const uploaded = (doc: DocumentDto) => void set('resolved', doc.id);
  return (
    <li className="gap">
      <div className="gap-main">
        <p className="question">{gap.question}</p>
        <p className="muted small">
          {gap.reason === 'no_sources' ? (
            <Badge tone="warn">No sources found</Badge>
          ) : (
            <Badge tone="error">👎 Voted not helpful</Badge>
          )}{' '}
          {gap.count > 1 ? <Badge tone="muted">asked {gap.count} times</Badge> : null} {fmtAgo(gap.createdAt)}
          {gap.resolvedDocument ? (
            <>
              {' '}
              · covered by{' '}
              <Link to={`/documents/${gap.resolvedDocument.id}`}>{gap.resolvedDocument.title}</Link>
            </>
          ) : null}
        </p>
        {gap.feedbackReason ? (
          <blockquote className="feedback-reason">“{gap.feedbackReason}”</blockquote>
        ) : null}
      </div>
      <div className="gap-actions">
        {gap.status === 'open' ? (
          <>
            <button
              type="button"
              className="btn btn-primary btn-small"
              aria-expanded={adding}
              onClick={() => setAdding((a) => !a)}
            >
              Add a document
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => set('resolved')}>
              Mark answered
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => set('dismissed')}>
              Dismiss
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => set('open')}>
            Re-open
          </button>
        )}
      </div>
      {adding ? (
        <div className="gap-upload">
          <UploadZone compact onChange={() => {}} onUploaded={uploaded} />
        </div>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </li>
  );
}

/** The inbox of unanswered and 👎 questions; adding a document that covers one closes it. */
export function GapsPage() {
  const [status, setStatus] = useState<Status>('open');
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string>();
  const q = query({ status, page, pageSize: PAGE_SIZE });
  const list = useApi(`gaps${q}`, () => api.get<{ items: GapDto[]; total: number }>(`/api/gaps${q}`));
  return (
    <>
      <PageHeader
        title="Knowledge gaps"
        subtitle="Questions Lore could not answer well. Close them by adding the document that answers them."
      />
      <div className="tabs" role="tablist" aria-label="Gap status">
        {(['open', 'resolved', 'dismissed'] as const).map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={status === s}
            className="tab"
            onClick={() => {
              setStatus(s);
              setPage(1);
            }}
          >
            {s === 'open' ? 'Open' : s === 'resolved' ? 'Answered' : 'Dismissed'}
          </button>
        ))}
      </div>
      {message ? <Notice kind="ok">{message}</Notice> : null}
      <Card>
        <Results
          state={list}
          label="Loading knowledge gaps…"
          paging={{ page, pageSize: PAGE_SIZE, onPage: setPage }}
          empty={
            <Empty
              title={
                status === 'open'
                  ? 'No open gaps'
                  : `Nothing ${status === 'resolved' ? 'answered' : 'dismissed'} yet`
              }
            >
              {status === 'open'
                ? 'When Lore cannot answer a question, or someone votes 👎, it shows up here.'
                : null}
            </Empty>
          }
        >
          {(gaps) => (
            <ul className="gap-list">
              {gaps.map((g) => (
                <Gap
                  key={g.id}
                  gap={g}
                  onChanged={(m) => {
                    setMessage(m);
                    list.reload();
                  }}
                />
              ))}
            </ul>
          )}
        </Results>
      </Card>
    </>
  );
}
