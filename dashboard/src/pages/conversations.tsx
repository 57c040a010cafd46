import type { ConversationDto } from '@contracts/conversations.contract';
import { useEffect, useState } from 'react';
import { api, query } from '../api/client';
import { Mrkdwn } from '../components/mrkdwn';
import { Async, Empty } from '../components/states';
import { Badge, Card, PageHeader, Pager } from '../components/widgets';
import { fmtDate, fmtMs } from '../lib/format';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';

const PAGE_SIZE = 20;
const OUTCOMES: Record<string, { tone: 'ok' | 'warn' | 'error' | 'info' | 'muted'; label: string }> = {
  answered: { tone: 'ok', label: 'Answered' },
  extractive: { tone: 'info', label: 'Quoted passages' },
  no_sources: { tone: 'warn', label: 'Not in documents' },
  failed: { tone: 'error', label: 'Failed' },
  rate_limited: { tone: 'muted', label: 'Rate limited' },
  over_quota: { tone: 'muted', label: 'Over quota' },
};

function Conversation({ c }: { c: ConversationDto }) {
  const outcome = OUTCOMES[c.outcome] ?? { tone: 'muted' as const, label: c.outcome };
  return (
    <article className="conversation">
      <header className="conversation-head">
        <p className="question">{c.question}</p>
        <Badge tone={outcome.tone}>{outcome.label}</Badge>
      </header>
      {c.answerText ? (
        <div className="conversation-answer">
          <Mrkdwn text={c.answerText} />
        </div>
      ) : null}
      {c.sources.length ? (
        <ul className="source-list">
          {c.sources.map((s) => (
            <li key={s.position}>
              [{s.position}]{' '}
              {s.documentId ? (
                <Link to={`/documents/${s.documentId}`}>{s.title}</Link>
              ) : (
                <span>{s.title} (deleted)</span>
              )}
              {s.section ? <span className="muted"> › {s.section}</span> : null}
              <span className="muted small"> · score {s.score.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <footer className="muted small conversation-meta">
        {fmtDate(c.createdAt)} · {c.slackUserId || 'someone'}
        {c.slackChannelId ? ` in ${c.slackChannelId}` : ''}
        {c.surface ? ` · ${c.surface}` : ''} · {fmtMs(c.latencyMs)} · {c.totalTokens} tokens
        {c.thumbsUp ? ` · 👍 ${c.thumbsUp}` : ''}
        {c.thumbsDown ? ` · 👎 ${c.thumbsDown}` : ''}
      </footer>
      {c.feedbackReasons.length ? (
        <blockquote className="feedback-reason">
          {c.feedbackReasons.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: reasons can repeat and are never reordered
            <p key={i}>“{r}”</p>
          ))}
        </blockquote>
      ) : null}
    </article>
  );
}

/** Recent questions and answers with their sources and votes, searchable. */
export function ConversationsPage() {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [outcome, setOutcome] = useState('');
  const [feedback, setFeedback] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = window.setTimeout(() => {
      setDebounced(search);
      setPage(1);
    }, 250);
    return () => window.clearTimeout(t);
  }, [search]);
  const q = query({ search: debounced, outcome, feedback, page, pageSize: PAGE_SIZE });
  const list = useApi(`conv${q}`, () =>
    api.get<{ items: ConversationDto[]; total: number }>(`/api/conversations${q}`),
  );
  return (
    <>
      <PageHeader
        title="Conversations"
        subtitle="What people asked, what Lore answered, and how they voted."
      />
      <Card>
        <div className="toolbar">
          <label className="field grow">
            <span className="sr-only">Search questions and answers</span>
            <input
              type="search"
              placeholder="Search questions and answers"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="sr-only">Outcome</span>
            <select
              value={outcome}
              onChange={(e) => {
                setOutcome(e.target.value);
                setPage(1);
              }}
            >
              <option value="">Any outcome</option>
              {Object.entries(OUTCOMES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="sr-only">Votes</span>
            <select
              value={feedback}
              onChange={(e) => {
                setFeedback(e.target.value);
                setPage(1);
              }}
            >
              <option value="">Any votes</option>
              <option value="up">👍 Helpful</option>
              <option value="down">👎 Not helpful</option>
            </select>
          </label>
        </div>
        <Async state={list} label="Loading conversations…">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title={debounced || outcome || feedback ? 'Nothing matches' : 'No questions yet'}>
                {debounced || outcome || feedback
                  ? 'Try another search or filter.'
                  : 'Questions appear here once people ask Lore in Slack, or you try the Ask playground.'}
              </Empty>
            ) : (
              <>
                <div className="conversation-list">
                  {data.items.map((c) => (
                    <Conversation key={c.id} c={c} />
                  ))}
                </div>
                <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
              </>
            )
          }
        </Async>
      </Card>
    </>
  );
}
