import type { CollectionsDto } from '@contracts/collections.contract';
import { useState } from 'react';
import { api } from '../api/client';
import { Notice } from '../components/states';
import { useApi } from '../lib/use-api';
import { messageOf } from './collections';

/** The document's collection, changeable: which channels may cite it follows from it. */
export function DocumentCollection({
  documentId,
  collectionId,
}: {
  documentId: string;
  collectionId: string;
}) {
  const state = useApi('collections', () => api.get<CollectionsDto>('/api/collections'));
  const [current, setCurrent] = useState(collectionId);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const move = async (id: string) => {
    try {
      await api.post(`/api/collections/${id}/documents`, { documentIds: [documentId] });
      setCurrent(id);
      const name = state.data?.collections.find((c) => c.id === id)?.name ?? 'the collection';
      setStatus({ kind: 'ok', text: `Moved to ${name}.` });
    } catch (err) {
      setStatus({ kind: 'error', text: messageOf(err, 'Moving the document failed.') });
    }
  };
  return (
    <>
      <select aria-label="Collection" value={current} onChange={(e) => void move(e.target.value)}>
        {(state.data?.collections ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
    </>
  );
}
