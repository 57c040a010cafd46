import type { ApiKeyDto, CreatedApiKeyDto } from '@contracts/settings.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { type Column, DataTable } from '../components/data-table';
import { Field } from '../components/fields';
import { Results } from '../components/results';
import { Empty, Notice } from '../components/states';
import { Badge, Card, ConfirmDialog } from '../components/widgets';
import { fmtAgo, fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';

/** API keys for scripted document syncs: create (shown once), list, revoke. */
export function ApiKeysSection() {
  const keys = useApi('api-keys', () => api.get<{ items: ApiKeyDto[] }>('/api/api-keys'));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKeyDto>();
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [copied, setCopied] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(undefined);
    try {
      setCreated(await api.post<CreatedApiKeyDto>('/api/api-keys', { name }));
      setName('');
      setCopied(false);
      keys.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Creating the key failed.' });
    }
  };
  const revoke = async (k: ApiKeyDto) => {
    setRevoking(null);
    try {
      await api.del(`/api/api-keys/${k.id}`);
      setStatus({ kind: 'ok', text: `Revoked “${k.name}”. Scripts using it stop working now.` });
      keys.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Revoking failed.' });
    }
  };

  const columns: Array<Column<ApiKeyDto>> = [
    { header: 'Name', cell: (k) => k.name },
    { header: 'Key', className: 'mono', cell: (k) => `${k.prefix}…` },
    { header: 'Created', hideOnPhone: true, cell: (k) => fmtDate(k.createdAt) },
    { header: 'Last used', hideOnPhone: true, cell: (k) => fmtAgo(k.lastUsedAt) },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (k) =>
        k.revokedAt ? (
          <Badge tone="muted">Revoked</Badge>
        ) : (
          <button
            type="button"
            className="btn btn-ghost btn-small danger-text"
            onClick={() => setRevoking(k)}
          >
            Revoke
          </button>
        ),
    },
  ];

  return (
    <Card title="API keys">
      <p className="muted">
        For scripts that sync documents:{' '}
        <code>curl -H "Authorization: Bearer lore_…" -F file=@doc.pdf …/api/documents</code>
      </p>
      {created ? (
        <div className="secret-once" role="status">
          <p>
            <strong>Copy this key now.</strong> It will not be shown again.
          </p>
          <div className="secret-row">
            <code className="mono" data-testid="new-api-key">
              {created.key}
            </code>
            <button
              type="button"
              className="btn btn-small"
              onClick={() =>
                navigator.clipboard?.writeText(created.key).then(
                  () => setCopied(true),
                  () => {},
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      <form className="inline-form" onSubmit={create}>
        <Field label="Key name" hideLabel grow>
          <input
            value={name}
            maxLength={100}
            placeholder="Name, e.g. wiki sync"
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!name.trim()}>
          Create key
        </button>
      </form>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
      <Results
        state={keys}
        label="Loading keys…"
        empty={
          <Empty title="No API keys">
            Create one for each script or integration, so you can revoke them one by one.
          </Empty>
        }
      >
        {(items) => <DataTable columns={columns} rows={items} rowKey={(k) => k.id} />}
      </Results>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this key?"
        confirmLabel="Revoke key"
        danger
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && void revoke(revoking)}
      >
        <p>Scripts using “{revoking?.name}” will get 401 errors from now on.</p>
      </ConfirmDialog>
    </Card>
  );
}
