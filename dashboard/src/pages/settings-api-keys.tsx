import type { ApiKeyDto, ApiKeyScope, CreatedApiKeyDto } from '@contracts/settings.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { type Column, DataTable } from '../components/data-table';
import { Field } from '../components/fields';
import { Results } from '../components/results';
import { Empty, Notice } from '../components/states';
import { Card, ConfirmDialog } from '../components/widgets';
import { fmtAgo, fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';
import { EXPIRY_CHOICES, KeyState, RotateDialog, SCOPE_LABELS, ScopePicker } from './settings-api-key-parts';

const usable = (k: ApiKeyDto) =>
  !k.revokedAt && !k.replacedBy && !(k.expiresAt && Date.parse(k.expiresAt) <= Date.now());

/** API keys for scripts: create with scopes and expiry (shown once), list, rotate, revoke. */
export function ApiKeysSection() {
  const keys = useApi('api-keys', () => api.get<{ items: ApiKeyDto[] }>('/api/api-keys'));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['documents:read', 'documents:write']);
  const [expiresInDays, setExpiresInDays] = useState<number | null>(null);
  const [rotating, setRotating] = useState<ApiKeyDto | null>(null);
  const [created, setCreated] = useState<CreatedApiKeyDto>();
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [copied, setCopied] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(undefined);
    try {
      setCreated(await api.post<CreatedApiKeyDto>('/api/api-keys', { name, scopes, expiresInDays }));
      setName('');
      setCopied(false);
      keys.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Creating the key failed.' });
    }
  };
  const rotate = async (k: ApiKeyDto, graceHours: number) => {
    setRotating(null);
    setStatus(undefined);
    try {
      setCreated(await api.post<CreatedApiKeyDto>(`/api/api-keys/${k.id}/rotate`, { graceHours }));
      setCopied(false);
      keys.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Rotating failed.' });
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
    { header: 'Scopes', cell: (k) => k.scopes.map((s) => SCOPE_LABELS[s]).join(', ') },
    { header: 'Created', hideOnPhone: true, cell: (k) => fmtDate(k.createdAt) },
    { header: 'Last used', hideOnPhone: true, cell: (k) => fmtAgo(k.lastUsedAt) },
    { header: 'Expires', hideOnPhone: true, cell: (k) => (k.expiresAt ? fmtDate(k.expiresAt) : 'Never') },
    { header: 'State', cell: (k) => <KeyState k={k} /> },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (k) =>
        k.revokedAt ? null : (
          <>
            {usable(k) ? (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setRotating(k)}>
                Rotate
              </button>
            ) : null}
            <button
              type="button"
              className="btn btn-ghost btn-small danger-text"
              onClick={() => setRevoking(k)}
            >
              Revoke
            </button>
          </>
        ),
    },
  ];

  return (
    <Card title="API keys">
      <p className="muted">
        For scripts that sync documents or ask questions:{' '}
        <code>curl -H "Authorization: Bearer lore_…" -F file=@doc.pdf …/api/documents</code>,{' '}
        <code>POST …/api/ask {'{"question": "…"}'}</code>. Each key may do only what its scopes allow.
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
        <Field label="Expiry" hideLabel>
          <select
            value={expiresInDays ?? ''}
            onChange={(e) => setExpiresInDays(e.target.value ? Number(e.target.value) : null)}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.days ?? ''}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!name.trim() || scopes.length === 0}>
          Create key
        </button>
      </form>
      <ScopePicker value={scopes} onChange={setScopes} />
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
      <RotateDialog
        rotating={rotating}
        onCancel={() => setRotating(null)}
        onConfirm={(k, g) => void rotate(k, g)}
      />
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
