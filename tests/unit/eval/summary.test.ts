import { describe, expect, it } from 'vitest';
import type { AnswerEvalResult } from '../../../scripts/eval/evaluate-answers.js';
import { formatSummary, type SummaryRow } from '../../../scripts/eval/summary.js';
import { summaryChart } from '../../../scripts/eval/summary-chart.js';

const result = (
  mode: AnswerEvalResult['mode'],
  answerReached: number,
  falseIdk: number,
  abstained: number | null,
  closestShown = 0,
): AnswerEvalResult => ({
  mode,
  answerReached,
  falseIdk,
  abstained,
  closest: mode === 'no model' ? { answerShown: closestShown, unanswerableShown: null } : null,
  judgedBy: 'answer text',
  perQuery: new Map(),
});

const row = (
  name: string,
  heldOut: boolean,
  shown: number,
  abstained: number,
  inPrompt: number,
): SummaryRow => ({
  name,
  heldOut,
  noModel: result('no model', shown, 1 - shown, abstained, 0.1),
  withModel: result('with a model', inPrompt, 0.02, 0),
});

describe('the eval summary against the targets', () => {
  const text = formatSummary([
    row('slack', false, 0.872, 1, 0.992),
    row('kestrel', false, 0.803, 0.8, 0.921),
    row('quillmark', true, 0.74, 0.667, 1),
  ]);
  const line = (name: string) => text.split('\n').find((l) => l.startsWith(name)) ?? '';

  it('marks each figure short of its target, and none that meets it', () => {
    expect(line('quillmark')).toMatch(/74\.0% ✗ +66\.7% ✗ +84\.0% +100\.0% +2\.0%$/);
    // 80.3% shown and exactly 80% abstained meet their targets.
    expect(line('kestrel')).not.toContain('✗');
    // Declined before the model is a ceiling: 8% is over its 5%.
    const declining = {
      ...row('tidewater', false, 0.9, 0.8, 0.96),
      withModel: result('with a model', 0.96, 0.08, 0),
    };
    expect(
      formatSummary([declining])
        .split('\n')
        .find((l) => l.startsWith('tidewater')),
    ).toMatch(/8\.0% ✗$/);
  });

  it('gives the shipped sets a mean, and a held-out set of one none', () => {
    expect(line('mean, shipped')).toMatch(/^mean, shipped +83\.8% +90\.0% +93\.8% +95\.7% +2\.0%$/);
    expect(text).not.toContain('mean, held-out');
  });

  it('lists the shipped sets before the held-out ones, whatever order they ran in', () => {
    const reordered = formatSummary([
      row('quillmark', true, 0.74, 0.667, 1),
      row('slack', false, 0.872, 1, 0.992),
    ]);
    const names = reordered.split('\n').map((l) => l.split(' ')[0]);
    expect(names.indexOf('slack')).toBeLessThan(names.indexOf('quillmark'));
  });
});

describe('the eval summary as a chart', () => {
  const svg = summaryChart([row('quillmark', true, 0.74, 0.667, 1), row('slack', false, 0.872, 1, 0.992)]);

  it('draws a bar per figure and set, hollow where the figure is short of its target', () => {
    expect(svg.match(/<rect class="(meets|short)"/g)).toHaveLength(6);
    // Quillmark's 74.0% shown and 66.7% abstained fall short of 80%; Slack's three figures meet theirs.
    expect(svg.match(/class="short"/g)).toHaveLength(2);
    expect(svg).toContain('width="310.8" height="9" fill="none"');
  });

  it('says the same in words for a screen reader', () => {
    expect(svg).toContain(
      '<title>Answer quality by set. slack: no model: answer shown 87.2%, no model: abstained 100.0%, with a model: answer in the prompt 99.2%; quillmark (held-out):',
    );
  });

  it('names held-out sets as such, after the shipped ones', () => {
    expect(svg.indexOf('>slack<')).toBeLessThan(svg.indexOf('>quillmark (held-out)<'));
  });
});
