import type { DeletedDataDto } from '@contracts/settings.contract';
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import { Notice } from '../components/states';
import { Card, ConfirmDialog } from '../components/widgets';
import { useSession } from '../lib/session';

/** Delete all of the workspace's documents, questions and gaps, after typing its name. */
export function DangerZone() {
  const session = useSession();
  const name = session.workspace?.name ?? '';
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.post<DeletedDataDto>('/api/settings/delete-all-data', { confirm: typed });
      setStatus({
        kind: 'ok',
        text: `Deleted ${r.documents} documents, ${r.answers} answers and ${r.gaps} knowledge gaps.`,
      });
      setOpen(false);
      setTyped('');
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof ApiError ? e.message : 'Deleting failed.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Danger zone" className="danger-card">
      <p>
        Delete every document, passage, question, answer and knowledge gap of this workspace. Settings, API
        keys, the Slack install, usage records and the audit log stay.
      </p>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Delete all data…
      </button>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
      <ConfirmDialog
        open={open}
        title="Delete all of this workspace's data?"
        confirmLabel="Delete everything"
        danger
        busy={busy}
        disabled={typed.trim() !== name.trim()}
        onCancel={() => {
          setOpen(false);
          setTyped('');
        }}
        onConfirm={run}
      >
        <p>This cannot be undone. Type the workspace name to confirm:</p>
        <p>
          <strong>{name}</strong>
        </p>
        <label className="sr-only" htmlFor="confirm-name">
          Workspace name
        </label>
        <input
          id="confirm-name"
          value={typed}
          autoComplete="off"
          onChange={(e) => setTyped(e.target.value)}
        />
      </ConfirmDialog>
    </Card>
  );
}
