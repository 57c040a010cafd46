import type { CollectionDto, CollectionsDto } from '@contracts/collections.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { type Column, DataTable } from '../components/data-table';
import { Field } from '../components/fields';
import { Async, Notice } from '../components/states';
import { Badge, Card, ConfirmDialog, PageHeader } from '../components/widgets';
import { useApi } from '../lib/use-api';
import { ChannelScopesSection } from './collection-channels';

type Status = { kind: 'ok' | 'error'; text: string } | undefined;

/** The server's message, with the fields at fault. */
export const messageOf = (e: unknown, fallback: string) =>
  e instanceof ApiError ? [e.message, ...(e.details ?? []).map((d) => d.message)].join(': ') : fallback;

/** Collections: which documents answer where. Channels map to collections; DMs use the default. */
export function CollectionsPage() {
  const state = useApi('collections', () => api.get<CollectionsDto>('/api/collections'));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [deleting, setDeleting] = useState<CollectionDto | null>(null);
  const [status, setStatus] = useState<Status>();

  const run = async (fn: () => Promise<unknown>, ok: string, fallback: string) => {
    setStatus(undefined);
    try {
      await fn();
      setStatus({ kind: 'ok', text: ok });
      state.reload();
    } catch (e) {
      setStatus({ kind: 'error', text: messageOf(e, fallback) });
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(
      async () => {
        await api.post('/api/collections', { name, description });
        setName('');
        setDescription('');
      },
      `Created “${name.trim()}”. Move documents into it from their page, then choose the channels that use it.`,
      'Creating the collection failed.',
    );
  };

  const columns: Array<Column<CollectionDto>> = [
    {
      header: 'Collection',
      cell: (c) => (
        <>
          <strong>{c.name}</strong> {c.isDefault ? <Badge tone="ok">Default</Badge> : null}
          {c.description ? <div className="muted">{c.description}</div> : null}
        </>
      ),
    },
    { header: 'Documents', cell: (c) => c.documentCount },
    {
      header: 'Channels',
      hideOnPhone: true,
      cell: (c) => (c.isDefault ? 'DMs, /ask, assistant, unmapped channels' : c.channelIds.length),
    },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (c) =>
        c.isDefault ? null : (
          <>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() =>
                void run(
                  () => api.patch(`/api/collections/${c.id}`, { isDefault: true }),
                  `“${c.name}” is now the default: DMs, /ask, the assistant and unmapped channels answer from it.`,
                  'Changing the default failed.',
                )
              }
            >
              Make default
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small danger-text"
              onClick={() => setDeleting(c)}
            >
              Delete
            </button>
          </>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Collections"
        subtitle="Group documents so each channel answers only from what it should: an HR collection never answers in #random."
      />
      <Card title="Collections">
        <form className="inline-form" onSubmit={create}>
          <Field label="Name" hideLabel grow>
            <input
              value={name}
              maxLength={80}
              placeholder="Name, e.g. HR"
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field label="Description" hideLabel grow>
            <input
              value={description}
              maxLength={500}
              placeholder="Who it is for (optional)"
              onChange={(e) => setDescription(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={!name.trim()}>
            Add collection
          </button>
        </form>
        {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
        <Async state={state} label="Loading collections…">
          {(d) => <DataTable columns={columns} rows={d.collections} rowKey={(c) => c.id} />}
        </Async>
      </Card>
      <Async state={state} label="Loading channels…">
        {(d) => <ChannelScopesSection data={d} onSaved={state.reload} />}
      </Async>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this collection?"
        confirmLabel="Delete collection"
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const c = deleting;
          setDeleting(null);
          if (c)
            void run(() => api.del(`/api/collections/${c.id}`), `Deleted “${c.name}”.`, 'Deleting failed.');
        }}
      >
        <p>Only an empty collection that no channel uses can be deleted.</p>
      </ConfirmDialog>
    </>
  );
}
