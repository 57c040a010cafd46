import type { SettingsDto, UpdateSettingsBody } from '@contracts/settings.contract';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { RadioGroup } from '../components/fields';
import { Async, Notice } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
import { useApi } from '../lib/use-api';
import { ApiKeysSection } from './settings-api-keys';
import { DangerZone } from './settings-danger';
import { OpenAiKeySection } from './settings-openai-key';
import { ThreadSavingSection } from './settings-thread-saving';

type Status = { kind: 'ok' | 'error'; text: string } | undefined;

/** Saves part of the settings; reports success or the server's message (with the field at fault). */
function useSave(onSaved: (s: SettingsDto) => void) {
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);
  const save = async (change: UpdateSettingsBody, ok: string) => {
    setBusy(true);
    setStatus(undefined);
    try {
      onSaved(await api.patch<SettingsDto>('/api/settings', change));
      setStatus({ kind: 'ok', text: ok });
    } catch (e) {
      const msg =
        e instanceof ApiError
          ? [e.message, ...(e.details ?? []).map((d) => d.message)].join(': ')
          : 'Saving failed.';
      setStatus({ kind: 'error', text: msg });
    } finally {
      setBusy(false);
    }
  };
  return { status, busy, save };
}

const CHANNEL_MODES = [
  ['all', 'Every channel it has been added to'],
  ['selected', 'Only the channels listed below'],
] as const;
const STYLES = [
  ['concise', 'Concise: a few sentences'],
  ['detailed', 'Detailed: steps and context'],
] as const;

/** A section's submit button, with how the last save went beside it. */
function SaveRow({ status, busy, label }: { status: Status; busy: boolean; label: string }) {
  return (
    <div className="form-actions">
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : <span />}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {label}
      </button>
    </div>
  );
}

function ChannelsSection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [mode, setMode] = useState(s.channelMode);
  const [ids, setIds] = useState(s.allowedChannelIds.join('\n'));
  const { status, busy, save } = useSave(onSaved);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const allowedChannelIds = ids
      .split(/[\s,]+/)
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean);
    void save({ channelMode: mode, allowedChannelIds }, 'Channel settings saved.');
  };
  return (
    <Card title="Channels">
      <form onSubmit={submit} className="form">
        <RadioGroup
          legend="Where Lore answers when mentioned"
          name="channelMode"
          value={mode}
          options={CHANNEL_MODES}
          onChange={setMode}
        />
        <label className="label" htmlFor="channels">
          Allowed channel ids
        </label>
        <textarea
          id="channels"
          rows={3}
          value={ids}
          disabled={mode === 'all'}
          placeholder="C0123ABCD, C0456EFGH"
          onChange={(e) => setIds(e.target.value)}
        />
        <p className="muted small">
          In Slack: channel name → View channel details → the id at the bottom. Direct messages always work.
        </p>
        <SaveRow status={status} busy={busy} label="Save channels" />
      </form>
    </Card>
  );
}

function AnswersSection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [style, setStyle] = useState(s.answerStyle);
  const [instructions, setInstructions] = useState(s.instructions);
  const { status, busy, save } = useSave(onSaved);
  return (
    <Card title="Answer style">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ answerStyle: style, instructions }, 'Answer style saved.');
        }}
      >
        <RadioGroup legend="Length" name="style" value={style} options={STYLES} onChange={setStyle} />
        <label className="label" htmlFor="instructions">
          Extra instructions
        </label>
        <textarea
          id="instructions"
          rows={4}
          maxLength={2000}
          value={instructions}
          placeholder="Answer in British English. Refer people to #it-help for laptop problems."
          onChange={(e) => setInstructions(e.target.value)}
        />
        <p className="muted small">{instructions.length} / 2000</p>
        <SaveRow status={status} busy={busy} label="Save answer style" />
      </form>
    </Card>
  );
}

function LimitsSection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [rate, setRate] = useState(s.userRatePerMinute === null ? '' : String(s.userRatePerMinute));
  const { status, busy, save } = useSave(onSaved);
  useEffect(
    () => setRate(s.userRatePerMinute === null ? '' : String(s.userRatePerMinute)),
    [s.userRatePerMinute],
  );
  return (
    <Card title="Per-person limits">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ userRatePerMinute: rate.trim() === '' ? null : Number(rate) }, 'Limits saved.');
        }}
      >
        <label className="label" htmlFor="rate">
          Questions one person may ask per minute
        </label>
        <input
          id="rate"
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          value={rate}
          placeholder={`Plan default: ${s.planUserRatePerMinute}`}
          onChange={(e) => setRate(e.target.value)}
        />
        <p className="muted small">
          Leave empty to use your plan's limit ({s.planUserRatePerMinute} per minute).
        </p>
        <SaveRow status={status} busy={busy} label="Save limits" />
      </form>
    </Card>
  );
}

const RETENTION = [
  ['keep', 'Keep them'],
  ['30', 'Delete after 30 days'],
  ['90', 'Delete after 90 days'],
  ['365', 'Delete after 1 year'],
] as const;

/** How long questions and answers are kept (a daily job deletes older ones; usage totals stay). */
function RetentionSection({ s, onSaved }: { s: SettingsDto; onSaved: (s: SettingsDto) => void }) {
  const [keep, setKeep] = useState<(typeof RETENTION)[number][0]>(
    s.retentionDays === null ? 'keep' : (String(s.retentionDays) as '30' | '90' | '365'),
  );
  const { status, busy, save } = useSave(onSaved);
  return (
    <Card title="Questions and answers">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const retentionDays = keep === 'keep' ? null : (Number(keep) as 30 | 90 | 365);
          void save({ retentionDays }, 'Retention saved.');
        }}
      >
        <RadioGroup
          legend="Keep questions and answers"
          name="retention"
          value={keep}
          options={RETENTION}
          onChange={setKeep}
        />
        <p className="muted small">
          Older ones, with their sources, votes and knowledge gaps, are deleted once a day. Usage totals are
          kept.
        </p>
        <SaveRow status={status} busy={busy} label="Save retention" />
      </form>
    </Card>
  );
}

/** Channels, answer style, per-person limits, OpenAI key, API keys and the danger zone. */
export function SettingsPage() {
  const loaded = useApi('settings', () => api.get<SettingsDto>('/api/settings'));
  const [current, setCurrent] = useState<SettingsDto>();
  const s = current ?? loaded.data;
  return (
    <>
      <PageHeader title="Settings" subtitle="How Lore behaves in your workspace." />
      <Async state={{ ...loaded, data: s }} label="Loading settings…">
        {(data) => (
          <div className="settings">
            <ChannelsSection s={data} onSaved={setCurrent} />
            <AnswersSection s={data} onSaved={setCurrent} />
            <LimitsSection s={data} onSaved={setCurrent} />
            <ThreadSavingSection s={data} onSaved={setCurrent} />
            <RetentionSection s={data} onSaved={setCurrent} />
            <OpenAiKeySection s={data} onSaved={setCurrent} />
            <ApiKeysSection />
            <DangerZone />
          </div>
        )}
      </Async>
    </>
  );
}
