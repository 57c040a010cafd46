import type { AskTraceDto } from '@contracts/ask.contract';

const DECISION: Record<NonNullable<AskTraceDto['declinedBy']> | 'none', string> = {
  retrieval: 'Declined before any model: nothing relevant enough was found.',
  model: 'The model read the passages and said they do not answer the question.',
  none: 'Answered from the passages below.',
};

// "… for that?" points back at the situation: then a passage covering only what is asked must hold a word of it.
const SITUATION_NOTE = {
  apart: '(told around the question: a passage need not hold these words)',
  held: '(what is asked points back at it: a top passage holds one of these words)',
  missing:
    '(what is asked points back at it, and no top passage holds any of these words: without a model none is quoted as the answer)',
};
const pointsBackNote = (p: AskTraceDto['pointsBack']) => (p === null ? 'apart' : p.held ? 'held' : 'missing');

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The playground's "why": what was searched, the passages retrieval found with their scores, who declined. */
export function AnswerTrace({ trace }: { trace: AskTraceDto }) {
  return (
    <details className="answer-trace">
      <summary>Why this answer</summary>
      <dl className="trace-facts">
        <dt>Searched for</dt>
        <dd>
          {trace.searchQuery}
          {trace.rewritten ? <span className="muted"> (rewritten from the thread by the model)</span> : null}
          {trace.spelling.length ? (
            <span className="muted">
              {' '}
              (read {trace.spelling.map((f) => `“${f.typed}” as “${f.corrected}”`).join(', ')})
            </span>
          ) : null}
        </dd>
        {trace.situation.length ? (
          <>
            <dt>Your situation</dt>
            <dd>
              {trace.situation.map((w) => `“${w}”`).join(', ')}{' '}
              <span className="muted">{SITUATION_NOTE[pointsBackNote(trace.pointsBack)]}</span>
            </dd>
          </>
        ) : null}
        {trace.askedAbout ? (
          <>
            <dt>Asked about</dt>
            <dd>
              “{trace.askedAbout.word}” <span className="muted">{askedAboutNote(trace.askedAbout)}</span>
            </dd>
          </>
        ) : null}
        <dt>Decision</dt>
        <dd>{DECISION[trace.declinedBy ?? 'none']}</dd>
        <dt>Retrieval</dt>
        <dd>
          {trace.confident ? 'confident' : 'not confident'} ·{' '}
          {trace.relevant ? 'related passages found' : 'nothing related'}
        </dd>
      </dl>
      {trace.passages.length ? (
        <table className="table trace-passages">
          <caption className="sr-only">Retrieved passages</caption>
          <thead>
            <tr>
              <th scope="col">Passage</th>
              <th scope="col">Score</th>
              <th
                scope="col"
                title="Share of the question's topic words the passage holds, each weighted by how rare it is in everyday English and among the passages found. Without a model, a top passage needs 50%."
              >
                Words matched (weighted)
              </th>
              <th scope="col">Similarity</th>
            </tr>
          </thead>
          <tbody>
            {trace.passages.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed once rendered; rank is its identity
              <tr key={i}>
                <td>
                  {p.title}
                  {p.section ? <span className="muted"> › {p.section}</span> : null}
                </td>
                <td>{p.score.toFixed(4)}</td>
                <td>{pct(p.termCoverage)}</td>
                <td>{p.similarity === null ? '—' : p.similarity.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">No passages were retrieved.</p>
      )}
    </details>
  );
}

/** Why the thing asked about matters: a thing named must be in the quoted passage; the weightiest word of what is
 * asked must be, unless the passage speaks to the whole message. */
function askedAboutNote({ held, named }: { held: boolean; named: boolean }): string {
  if (named) {
    return held
      ? '(a top passage holds it: without a model, only such a passage is quoted as the answer)'
      : '(no top passage holds it, so without a model none is quoted as the answer)';
  }
  return held
    ? '(the weightiest word of what you asked; a top passage holds it or a word near it)'
    : '(the weightiest word of what you asked; no top passage holds it or a word near it, so without a model none is quoted as the answer unless it speaks to your whole message)';
}
