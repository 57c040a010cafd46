import type { SettingsDto } from '@contracts/settings.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { Notice } from '../components/states';
import { Badge, Card } from '../components/widgets';

/** The workspace's own OpenAI key: write-only, tested before it is saved, shown only as its last four. */
export function OpenAiKeySection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const act = async (fn: () => Promise<SettingsDto>, ok: string) => {
    setBusy(true);
    setStatus(undefined);
    try {
      onSaved(await fn());
      setKey('');
      setStatus({ kind: 'ok', text: ok });
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof ApiError ? e.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () => api.put<SettingsDto>('/api/settings/openai-key', { key: key.trim() }),
      'Key tested and saved. Answers now use your OpenAI account.',
    );
  };
  return (
    <Card title="OpenAI key">
      <p>
        {s.openAiKey.set ? (
          <>
            <Badge tone="ok">Your key</Badge> <span className="mono">sk-…{s.openAiKey.last4}</span> is used
            for this workspace's answers; usage is metered but not capped by the plan.
          </>
        ) : (
          <>
            <Badge tone="muted">Platform key</Badge> Answers use Lore's key, within your plan's monthly quota.
          </>
        )}
      </p>
      <form className="form" onSubmit={submit} autoComplete="off">
        <label className="label" htmlFor="openai-key">
          {s.openAiKey.set ? 'Replace with another key' : 'Use your own key'}
        </label>
        <input
          id="openai-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="sk-…"
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <p className="muted small">
          It is tested with OpenAI before saving, stored encrypted, and never shown again.
        </p>
        <div className="form-actions">
          {status ? <Notice kind={status.kind}>{status.text}</Notice> : <span />}
          <div className="button-row">
            {s.openAiKey.set ? (
              <button
                type="button"
                className="btn btn-ghost danger-text"
                disabled={busy}
                onClick={() =>
                  act(
                    () => api.del<SettingsDto>('/api/settings/openai-key'),
                    'Key removed. Answers use the platform key again.',
                  )
                }
              >
                Remove key
              </button>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={busy || key.trim().length < 20}>
              {busy ? 'Testing…' : 'Test and save'}
            </button>
          </div>
        </div>
      </form>
    </Card>
  );
}
