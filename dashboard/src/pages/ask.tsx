import type { AskResultDto, SlackBlock } from '@contracts/ask.contract';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import { AnswerTrace } from '../components/answer-trace';
import { BlockKitMessage } from '../components/block-kit';
import { Empty, Notice } from '../components/states';
import { Badge, Card, PageHeader } from '../components/widgets';
import { fmtMs, fmtNumber, fmtUsd } from '../lib/format';
import { Link } from '../lib/router';

const OUTCOME: Record<AskResultDto['outcome'], { tone: 'ok' | 'warn' | 'error' | 'info'; label: string }> = {
  answered: { tone: 'ok', label: 'Answered with sources' },
  extractive: { tone: 'info', label: 'Quoted passages (no AI model set up)' },
  no_sources: { tone: 'warn', label: 'Not in your documents: logged as a knowledge gap' },
  small_talk: { tone: 'info', label: 'Small talk: not a question for your documents' },
  rate_limited: { tone: 'warn', label: 'Rate limited' },
  over_quota: { tone: 'warn', label: 'Monthly quota reached' },
  failed: { tone: 'error', label: 'Failed' },
};

/** Without blocks from the pipeline: the text and numbered sources, as the answer message lays them out. */
function fallbackBlocks(r: AskResultDto): SlackBlock[] {
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: r.text } }];
  if (r.sources.length) {
    blocks.push({
      type: 'context',
      elements: r.sources.map((s) => ({
        type: 'mrkdwn',
        text: `[${s.position}] <${s.url}|${s.title}${s.section ? ` › ${s.section}` : ''}>`,
      })),
    });
  }
  return blocks;
}

/** Ask a question and see the answer exactly as Slack would get it, with sources and scores. */
export function AskPage() {
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [history, setHistory] = useState<Array<{ id: number; question: string; result: AskResultDto }>>([]);

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.post<AskResultDto>('/api/ask', { question });
      setHistory((h) => [{ id: (h[0]?.id ?? 0) + 1, question, result }, ...h].slice(0, 10));
      setQuestion('');
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', 'The question could not be asked.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Ask playground"
        subtitle="The same retrieval and answer service Slack uses; the answer is shown as it would look in Slack."
      />
      <Card>
        <form className="ask-form" onSubmit={ask}>
          <label htmlFor="question" className="label">
            Your question
          </label>
          <textarea
            id="question"
            rows={3}
            value={question}
            maxLength={2000}
            placeholder="How many vacation days do new employees get?"
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
            }}
          />
          <div className="form-actions">
            <span className="muted small">Ctrl+Enter to ask</span>
            <button type="submit" className="btn btn-primary" disabled={busy || question.trim().length < 3}>
              {busy ? 'Thinking…' : 'Ask'}
            </button>
          </div>
        </form>
        {error ? (
          <Notice kind="error">
            {error.status === 503
              ? 'Answers are not available on this server yet: the answer pipeline is not running.'
              : error.message}
            {error.details?.length ? ` (${error.details.map((d) => d.message).join('; ')})` : ''}
          </Notice>
        ) : null}
      </Card>
      {history.length === 0 && !busy ? (
        <Empty title="Ask something your documents cover">
          Answers appear here as Slack would show them, with the passages they cite. Nothing relevant? You'll
          see that too, and the question lands in <Link to="/gaps">knowledge gaps</Link>.
        </Empty>
      ) : null}
      {history.map(({ id, question: q, result: r }) => (
        <Card key={id} className="answer-card">
          <p className="asked">
            <span className="muted">You asked</span> {q}
          </p>
          <BlockKitMessage blocks={r.blocks.length ? r.blocks : fallbackBlocks(r)} />
          <div className="answer-meta">
            <Badge tone={OUTCOME[r.outcome].tone}>{OUTCOME[r.outcome].label}</Badge>
            <span className="muted small">
              {r.usage.model || 'no model'} · {fmtNumber(r.usage.promptTokens + r.usage.completionTokens)}{' '}
              tokens · {fmtUsd(r.usage.costUsd)} · {fmtMs(r.usage.latencyMs)} · key: {r.usage.keySource}
            </span>
          </div>
          {r.sources.length ? (
            <table className="table sources">
              <caption className="sr-only">Sources</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Source</th>
                  <th scope="col">Score</th>
                </tr>
              </thead>
              <tbody>
                {r.sources.map((s) => (
                  <tr key={s.position}>
                    <td className="nowrap">[{s.position}]</td>
                    <td>
                      <Link to={`/documents/${s.documentId}${new URL(s.url, window.location.origin).hash}`}>
                        {s.title}
                      </Link>
                      {s.section ? <span className="muted"> › {s.section}</span> : null}
                      {s.pageStart ? <span className="muted"> · p. {s.pageStart}</span> : null}
                      <div className="muted small excerpt">{s.excerpt}</div>
                    </td>
                    <td>{s.score.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {r.trace ? <AnswerTrace trace={r.trace} /> : null}
        </Card>
      ))}
    </>
  );
}
