import type { ConversationDto } from '@contracts/conversations.contract';
import { api, query } from '../api/client';
import { FilterBar } from '../components/filter-bar';
import { Mrkdwn } from '../components/mrkdwn';
import { Results } from '../components/results';
import { Empty } from '../components/states';
import { Badge, Card, PageHeader } from '../components/widgets';
import { fmtDate, fmtMs } from '../lib/format';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { useListFilters } from '../lib/use-list-filters';

const PAGE_SIZE = 20;
const OUTCOMES: Record<string, { tone: 'ok' | 'warn' | 'error' | 'info' | 'muted'; label: string }> = {
  answered: { tone: 'ok', label: 'Answered' },
  extractive: { tone: 'info', label: 'Quoted passages' },
  no_sources: { tone: 'warn', label: 'Not in documents' },
  small_talk: { tone: 'muted', label: 'Small talk' },
  failed: { tone: 'error', label: 'Failed' },
  rate_limited: { tone: 'muted', label: 'Rate limited' },
  over_quota: { tone: 'muted', label: 'Over quota' },
};
const OUTCOME_OPTIONS: Array<readonly [string, string]> = [
  ['', 'Any outcome'],
  ...Object.entries(OUTCOMES).map(([k, v]) => [k, v.label] as const),
];
const VOTES = [
  ['', 'Any votes'],
  ['up', '👍 Helpful'],
  ['down', '👎 Not helpful'],
] as const;

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
  const filtering = useListFilters({ outcome: '', feedback: '' });
  const { debounced, page, setPage } = filtering;
  const { outcome, feedback } = filtering.filters;
  const q = query({ search: debounced, outcome, feedback, page, pageSize: PAGE_SIZE });
  const list = useApi(`conv${q}`, () =>
    api.get<{ items: ConversationDto[]; total: number }>(`/api/conversations${q}`),
  );
  const filtered = Boolean(debounced || outcome || feedback);
  return (
    <>
      <PageHeader
        title="Conversations"
        subtitle="What people asked, what Lore answered, and how they voted."
      />
      <Card>
        <FilterBar
          list={filtering}
          search={{ label: 'Search questions and answers', placeholder: 'Search questions and answers' }}
          selects={[
            { key: 'outcome', label: 'Outcome', options: OUTCOME_OPTIONS },
            { key: 'feedback', label: 'Votes', options: VOTES },
          ]}
        />
        <Results
          state={list}
          label="Loading conversations…"
          paging={{ page, pageSize: PAGE_SIZE, onPage: setPage }}
          empty={
            <Empty title={filtered ? 'Nothing matches' : 'No questions yet'}>
              {filtered
                ? 'Try another search or filter.'
                : 'Questions appear here once people ask Lore in Slack, or you try the Ask playground.'}
            </Empty>
          }
        >
          {(items) => (
            <div className="conversation-list">
              {items.map((c) => (
                <Conversation key={c.id} c={c} />
              ))}
            </div>
          )}
        </Results>
      </Card>
    </>
  );
}
