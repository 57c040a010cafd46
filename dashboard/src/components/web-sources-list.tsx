import type { WebSourceDto } from '@contracts/web-sources.contract';
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import { fmtAgo, fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';
import { type Column, DataTable } from './data-table';
import { Notice } from './states';
import { Badge, Card, ConfirmDialog } from './widgets';

const STATUS: Record<WebSourceDto['status'], { tone: 'ok' | 'error' | 'muted'; label: string }> = {
  ok: { tone: 'ok', label: 'Fetched' },
  failed: { tone: 'error', label: 'Refused' },
  pending: { tone: 'muted', label: 'Waiting' },
};

/**
 * The URLs the workspace follows (pages added one by one, and sitemaps; a sitemap's own pages are in the
 * document list), each with its last fetch and a way to stop following it. `refreshKey` reloads the list.
 */
export function WebSourcesList({ refreshKey }: { refreshKey: number }) {
  const list = useApi(`web-sources-${refreshKey}`, () =>
    api.get<{ items: WebSourceDto[] }>('/api/documents/web'),
  );
  const [stopping, setStopping] = useState<WebSourceDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const followed = (list.data?.items ?? []).filter((s) => s.sitemapId === null);
  if (followed.length === 0) return notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null;

  const stop = async (s: WebSourceDto) => {
    setBusy(true);
    try {
      await api.del(`/api/documents/web/${s.id}`);
      setNotice({
        kind: 'ok',
        text: `Stopped following ${s.url}. Its documents stay until you delete them.`,
      });
      list.reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError ? err.message : 'That did not work.' });
    } finally {
      setBusy(false);
      setStopping(null);
    }
  };

  const columns: Array<Column<WebSourceDto>> = [
    { header: 'URL', cell: (s) => <span style={{ overflowWrap: 'anywhere' }}>{s.url}</span> },
    { header: 'Kind', hideOnPhone: true, cell: (s) => (s.kind === 'sitemap' ? 'Sitemap' : 'Page') },
    {
      header: 'Last fetch',
      cell: (s) => (
        <>
          <Badge tone={STATUS[s.status].tone}>{STATUS[s.status].label}</Badge>{' '}
          <span className="muted small">{s.errorReason ?? (s.fetchedAt ? fmtAgo(s.fetchedAt) : '')}</span>
        </>
      ),
    },
    { header: 'Next fetch', hideOnPhone: true, cell: (s) => fmtDate(s.nextFetchAt) },
    {
      header: 'Actions',
      hideHeader: true,
      cell: (s) => (
        <button type="button" className="btn btn-ghost" onClick={() => setStopping(s)}>
          Stop following
        </button>
      ),
    },
  ];
  return (
    <Card title="Followed web pages">
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <DataTable columns={columns} rows={followed} rowKey={(s) => s.id} />
      <ConfirmDialog
        open={stopping !== null}
        title="Stop following this URL?"
        confirmLabel="Stop following"
        busy={busy}
        onCancel={() => setStopping(null)}
        onConfirm={() => stopping && void stop(stopping)}
      >
        <p>
          Lore will no longer fetch {stopping?.url}
          {stopping?.kind === 'sitemap' ? ' or the pages it lists' : ''}. Documents already made from it stay,
          and answers keep citing them until you delete them.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
