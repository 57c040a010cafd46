import type { ApiKeyDto, ApiKeyScope } from '@contracts/settings.contract';
import { useState } from 'react';
import { Badge, ConfirmDialog } from '../components/widgets';
import { fmtDate } from '../lib/format';

/** What each scope lets a script do, in the words the admin chooses by. */
export const SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'documents:read': 'Read documents',
  'documents:write': 'Upload and delete documents',
  ask: 'Ask questions (POST /api/ask)',
};
// Typed as a Record over the contract's scopes, so a scope added there fails to compile here until labelled.
const SCOPES = Object.keys(SCOPE_LABELS) as ApiKeyScope[];

export const EXPIRY_CHOICES: Array<{ label: string; days: number | null }> = [
  { label: 'Never expires', days: null },
  { label: 'Expires in 30 days', days: 30 },
  { label: 'Expires in 90 days', days: 90 },
  { label: 'Expires in 1 year', days: 365 },
];

const GRACE_CHOICES: Array<{ label: string; hours: number }> = [
  { label: 'Stop the old key now', hours: 0 },
  { label: 'Keep the old key for 1 hour', hours: 1 },
  { label: 'Keep the old key for 24 hours', hours: 24 },
  { label: 'Keep the old key for 7 days', hours: 168 },
];

/** A key's state as the list shows it: revoked, expired, rotated (until when), or active. */
export function KeyState({ k, now = Date.now() }: { k: ApiKeyDto; now?: number }) {
  if (k.revokedAt) return <Badge tone="muted">Revoked</Badge>;
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return <Badge tone="error">Expired</Badge>;
  if (k.replacedBy) return <Badge tone="warn">Rotated: works until {fmtDate(k.expiresAt)}</Badge>;
  return <Badge tone="ok">Active</Badge>;
}

/** Scope checkboxes for a new key (at least one must stay ticked). */
export function ScopePicker({
  value,
  onChange,
}: {
  value: ApiKeyScope[];
  onChange: (scopes: ApiKeyScope[]) => void;
}) {
  return (
    <fieldset className="scope-picker">
      <legend>What the key may do</legend>
      {SCOPES.map((scope) => (
        <label key={scope}>
          <input
            type="checkbox"
            checked={value.includes(scope)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, scope] : value.filter((s) => s !== scope))
            }
          />{' '}
          {SCOPE_LABELS[scope]}
        </label>
      ))}
    </fieldset>
  );
}

/** Rotation: the admin picks how long the old key keeps working while scripts switch to the new one. */
export function RotateDialog({
  rotating,
  onCancel,
  onConfirm,
}: {
  rotating: ApiKeyDto | null;
  onCancel: () => void;
  onConfirm: (k: ApiKeyDto, graceHours: number) => void;
}) {
  const [grace, setGrace] = useState(24);
  return (
    <ConfirmDialog
      open={rotating !== null}
      title="Rotate this key?"
      confirmLabel="Issue new key"
      onCancel={onCancel}
      onConfirm={() => rotating && onConfirm(rotating, grace)}
    >
      <p>A new key for “{rotating?.name}” is shown once, with the same scopes.</p>
      <label>
        Old key{' '}
        <select value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
          {GRACE_CHOICES.map((g) => (
            <option key={g.hours} value={g.hours}>
              {g.label}
            </option>
          ))}
        </select>
      </label>
    </ConfirmDialog>
  );
}
