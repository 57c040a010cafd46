import type { CollectionsDto } from '@contracts/collections.contract';
import type { DocumentDto, UploadResultDto } from '@contracts/documents.contract';
import { useRef, useState } from 'react';
import { api, uploadFile } from '../api/client';
import { fmtBytes } from '../lib/format';
import { useApi, useInterval } from '../lib/use-api';
import { DocStatus, inProgress } from './doc-status';

interface UploadItem {
  key: string;
  name: string;
  size: number;
  progress: number;
  phase: 'waiting' | 'uploading' | 'processing' | 'done' | 'error';
  message?: string;
  doc?: DocumentDto;
  outcome?: UploadResultDto['outcome'];
}

const ACCEPT = '.pdf,.docx,.md,.markdown,.html,.htm,.txt,application/pdf,text/plain,text/markdown,text/html';
const PARALLEL = 2;

/**
 * Drag-and-drop (or pick) several files: each uploads on its own with a progress bar, then its pipeline
 * status is polled until it is ready or failed. `onChange` lets the list refresh.
 */
export function UploadZone({
  onChange,
  onUploaded,
  compact,
}: {
  onChange: () => void;
  onUploaded?: (doc: DocumentDto) => void;
  compact?: boolean;
}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const collections = useApi('collections', () => api.get<CollectionsDto>('/api/collections'));
  // Unset: the workspace's default collection (the server's choice, so this works before the list loads).
  const [target, setTarget] = useState('');
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const update = (key: string, patch: Partial<UploadItem>) =>
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  const start = (files: File[]) => {
    const fresh = files.map((f, n) => ({
      key: `${Date.now()}-${n}-${f.name}`,
      name: f.name,
      size: f.size,
      progress: 0,
      phase: 'waiting' as const,
      file: f,
    }));
    setItems((list) => [...fresh.map(({ file: _f, ...i }) => i), ...list]);
    const queue = [...fresh];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { key, file } = next;
        update(key, { phase: 'uploading' });
        try {
          const res = await uploadFile<{ results: UploadResultDto[] }>(
            '/api/documents',
            file,
            (p) => update(key, { progress: p }),
            target ? { collectionId: target } : {},
          );
          const r = res.results[0];
          if (!r || r.error || !r.document) {
            update(key, { phase: 'error', message: r?.error?.message ?? 'The upload was refused.' });
          } else {
            const done = !inProgress(r.document.status);
            update(key, {
              phase: done ? 'done' : 'processing',
              progress: 1,
              doc: r.document,
              outcome: r.outcome,
            });
            onUploaded?.(r.document);
          }
        } catch (e) {
          update(key, { phase: 'error', message: e instanceof Error ? e.message : 'The upload failed.' });
        }
        onChange();
      }
    };
    void Promise.all(Array.from({ length: Math.min(PARALLEL, fresh.length) }, worker));
  };

  useInterval(
    () => {
      for (const item of items) {
        if (item.phase !== 'processing' || !item.doc) continue;
        api.get<{ document: DocumentDto }>(`/api/documents/${item.doc.id}`).then(
          ({ document }) => {
            const done = !inProgress(document.status);
            update(item.key, { doc: document, phase: done ? 'done' : 'processing' });
            if (done) onChange();
          },
          () => {},
        );
      }
    },
    1000,
    items.some((i) => i.phase === 'processing'),
  );

  const options = collections.data?.collections ?? [];
  return (
    <div className="upload">
      {options.length > 1 ? (
        <label className="upload-target">
          Add to collection{' '}
          <select
            value={target || (options.find((c) => c.isDefault)?.id ?? '')}
            onChange={(e) => setTarget(e.target.value)}
          >
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for mice; the button inside is the keyboard path */}
      <div
        className={`dropzone ${over ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const files = [...e.dataTransfer.files];
          if (files.length) start(files);
        }}
      >
        <p className="dropzone-title">Drop files here to add them to the knowledge base</p>
        {compact ? null : (
          <p className="muted small">PDF, Word (DOCX), Markdown, HTML or text. Several at once is fine.</p>
        )}
        <button type="button" className="btn btn-primary" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          // Out of the Tab order: it is invisible, and the button above is the keyboard path to it.
          tabIndex={-1}
          aria-label="Choose files to upload"
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length) start(files);
          }}
        />
      </div>
      {items.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads" aria-live="polite">
          {items.map((i) => (
            <li key={i.key} className={`upload-item upload-${i.phase}`}>
              <div className="upload-name">
                <strong>{i.name}</strong> <span className="muted small">{fmtBytes(i.size)}</span>
              </div>
              {i.phase === 'uploading' || i.phase === 'waiting' ? (
                <div
                  className="meter-track"
                  role="progressbar"
                  aria-label={`Uploading ${i.name}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(i.progress * 100)}
                >
                  <div className="meter-fill" style={{ width: `${Math.round(i.progress * 100)}%` }} />
                </div>
              ) : null}
              <div className="upload-state">
                {i.phase === 'waiting' ? <span className="muted">Waiting…</span> : null}
                {i.phase === 'uploading' ? (
                  <span className="muted">Uploading {Math.round(i.progress * 100)}%</span>
                ) : null}
                {i.doc && (i.phase === 'processing' || i.phase === 'done') ? <DocStatus doc={i.doc} /> : null}
                {i.outcome === 'duplicate' ? (
                  <span className="muted small">Identical to a file already here: not processed again.</span>
                ) : null}
                {i.outcome === 'new_version' ? (
                  <span className="muted small">New version of an existing document.</span>
                ) : null}
                {i.phase === 'error' ? <span className="error-text">{i.message}</span> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
