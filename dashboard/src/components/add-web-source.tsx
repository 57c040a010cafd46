import type { WebSourceDto } from '@contracts/web-sources.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { Field, SelectField } from './fields';
import { Notice } from './states';

const KINDS = [
  ['page', 'One page'],
  ['sitemap', 'Every page of a sitemap'],
] as const;

/**
 * Adds a web page or a sitemap as a source. The server only checks and queues it; the worker fetches it,
 * and a page that cannot be used shows up in the list below as failed, with the reason.
 */
export function AddWebSource({ onAdded }: { onAdded: () => void }) {
  const [url, setUrl] = useState('');
  const [kind, setKind] = useState<'page' | 'sitemap'>('page');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const { source } = await api.post<{ source: WebSourceDto }>('/api/documents/web', { url, kind });
      setNotice({
        kind: 'ok',
        text: `Added ${source.url}. Lore fetches it in a moment and again every day.`,
      });
      setUrl('');
      onAdded();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError ? err.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="toolbar" onSubmit={submit} aria-label="Add a web page">
      <Field label="Web page or sitemap URL" hideLabel grow>
        <input
          type="url"
          required
          placeholder="https://handbook.example.com/travel"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </Field>
      <SelectField label="What the URL is" value={kind} options={KINDS} onChange={setKind} />
      <button type="submit" className="btn" disabled={busy || !url.trim()}>
        Add web page
      </button>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
    </form>
  );
}
