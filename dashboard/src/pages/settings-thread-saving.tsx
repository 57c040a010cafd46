import type { SettingsDto } from '@contracts/settings.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { RadioGroup } from '../components/fields';
import { Notice } from '../components/states';
import { Card } from '../components/widgets';

const WHO = [
  ['everyone', 'Every member of the workspace'],
  ['admins', 'Only workspace admins and owners'],
] as const;

/** Who may use the "Save to Lore" message shortcut to save a Slack thread as a document. */
export function ThreadSavingSection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [who, setWho] = useState(s.threadSavePolicy);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setStatus(undefined);
    try {
      onSaved(await api.patch<SettingsDto>('/api/settings', { threadSavePolicy: who }));
      setStatus({ kind: 'ok', text: 'Saved.' });
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : 'Saving failed.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Saving Slack threads">
      <form className="form" onSubmit={submit}>
        <RadioGroup
          legend="Who may use “Save to Lore” on a message"
          name="thread-save"
          value={who}
          options={WHO}
          onChange={setWho}
        />
        <div className="form-actions">
          {status ? <Notice kind={status.kind}>{status.text}</Notice> : <span />}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Card>
  );
}
