import type { CollectionsDto, SlackChannelsDto } from '@contracts/collections.contract';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../api/client';
import { Field } from '../components/fields';
import { Notice } from '../components/states';
import { Card } from '../components/widgets';
import { useApi } from '../lib/use-api';
import { messageOf } from './collections';

const CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

/** Which collections (and instructions) each channel answers with; channels picked by name. */
export function ChannelScopesSection({ data, onSaved }: { data: CollectionsDto; onSaved: () => void }) {
  const [refresh, setRefresh] = useState(0);
  const listing = useApi(`slack-channels-${refresh}`, () =>
    api.get<SlackChannelsDto>(`/api/slack-channels${refresh ? '?refresh=1' : ''}`),
  );
  const [filter, setFilter] = useState('');
  const [channelId, setChannelId] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [instructions, setInstructions] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const collectionName = new Map(data.collections.map((c) => [c.id, c.name]));
  const channelName = new Map((listing.data?.channels ?? []).map((c) => [c.id, c.name]));
  const label = (id: string, name: string | null | undefined) => (name ? `#${name}` : id);

  const matches = useMemo(() => {
    const f = filter.trim().toLowerCase().replace(/^#/, '');
    return (listing.data?.channels ?? []).filter((c) => !f || c.name.includes(f)).slice(0, 50);
  }, [filter, listing.data]);

  const edit = (id: string) => {
    const existing = data.channels.find((s) => s.channelId === id);
    setChannelId(id);
    setChosen(existing?.collectionIds ?? []);
    setInstructions(existing?.instructions ?? '');
    setStatus(undefined);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.put(`/api/channel-scopes/${channelId}`, { collectionIds: chosen, instructions });
      setStatus({ kind: 'ok', text: `Saved ${label(channelId, channelName.get(channelId))}.` });
      onSaved();
    } catch (err) {
      setStatus({ kind: 'error', text: messageOf(err, 'Saving the channel failed.') });
    }
  };
  const remove = async (id: string) => {
    try {
      await api.del(`/api/channel-scopes/${id}`);
      setStatus({
        kind: 'ok',
        text: `${label(id, channelName.get(id))} answers from the default collection again.`,
      });
      onSaved();
    } catch (err) {
      setStatus({ kind: 'error', text: messageOf(err, 'Removing failed.') });
    }
  };

  return (
    <Card
      title="Channels"
      actions={
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setRefresh((n) => n + 1)}>
          Reload channel names
        </button>
      }
    >
      <p className="muted">
        A channel without settings answers from the default collection, like DMs, /ask and the assistant
        panel.
      </p>
      {listing.data?.problem ? <Notice kind="warn">{listing.data.problem}</Notice> : null}
      {data.channels.length > 0 ? (
        <ul className="plain-list">
          {data.channels.map((s) => (
            <li key={s.channelId}>
              <strong>{label(s.channelId, s.channelName ?? channelName.get(s.channelId))}</strong>:{' '}
              {s.collectionIds.length
                ? s.collectionIds.map((id) => collectionName.get(id) ?? id).join(', ')
                : 'default collection'}
              {s.instructions ? <span className="muted"> · “{s.instructions}”</span> : null}{' '}
              <button type="button" className="btn btn-ghost btn-small" onClick={() => edit(s.channelId)}>
                Edit
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small danger-text"
                onClick={() => void remove(s.channelId)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={save} className="stack">
        <Field label="Find a channel">
          <input
            type="search"
            value={filter}
            placeholder="#channel name, or a channel id"
            onChange={(e) => {
              setFilter(e.target.value);
              if (CHANNEL_ID.test(e.target.value.trim())) edit(e.target.value.trim());
            }}
          />
        </Field>
        <Field label="Channel">
          <select value={channelId} onChange={(e) => edit(e.target.value)}>
            <option value="">Choose a channel…</option>
            {channelId && !matches.some((c) => c.id === channelId) ? (
              <option value={channelId}>{label(channelId, channelName.get(channelId))}</option>
            ) : null}
            {matches.map((c) => (
              <option key={c.id} value={c.id}>
                #{c.name}
                {c.isPrivate ? ' (private)' : ''}
              </option>
            ))}
          </select>
        </Field>
        {listing.data && !listing.data.complete && !listing.data.problem ? (
          <p className="muted">
            Only the first 2,000 channels are listed: type a channel id for another one.
          </p>
        ) : null}
        <fieldset>
          <legend className="label">Collections it answers from</legend>
          {data.collections.map((c) => (
            <label key={c.id} className="radio">
              <input
                type="checkbox"
                checked={chosen.includes(c.id)}
                onChange={(e) =>
                  setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <Field label="Instructions in this channel (tone, audience)">
          <textarea
            value={instructions}
            maxLength={1000}
            rows={3}
            placeholder="e.g. Audience: managers. Keep a formal tone."
            onChange={(e) => setInstructions(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!channelId}>
          Save channel
        </button>
      </form>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
    </Card>
  );
}
