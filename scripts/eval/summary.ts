import { type AnswerEvalResult, pct } from './evaluate-answers.js';

export interface SummaryRow {
  name: string;
  heldOut: boolean;
  noModel: AnswerEvalResult;
  withModel: AnswerEvalResult;
}

/** One figure of a set, and the target for it (issue 12), on every set, shipped or held-out. */
export interface Figure {
  label: string;
  of: (r: SummaryRow) => number | null;
  /** Null: no target ("reached" shows how far the closest passages go). */
  target: number | null;
  /** The target is a ceiling (at most), not a floor (at least). */
  ceiling?: true;
  /** Drawn in the chart (summary-chart.ts) in this colour; a 5% ceiling would be unreadable on its 0-100% scale. */
  colour?: string;
}

export const FIGURES: readonly Figure[] = [
  { label: 'no model: answer shown', of: (r) => r.noModel.answerReached, target: 0.8, colour: '#2f6db5' },
  { label: 'no model: abstained', of: (r) => r.noModel.abstained, target: 0.8, colour: '#d9822b' },
  {
    label: 'no model: reached',
    of: (r) => r.noModel.answerReached + (r.noModel.closest?.answerShown ?? 0),
    target: null,
  },
  {
    label: 'with a model: answer in the prompt',
    of: (r) => r.withModel.answerReached,
    target: 0.9,
    colour: '#3a9a5b',
  },
  { label: 'with a model: declined before it', of: (r) => r.withModel.falseIdk, target: 0.05, ceiling: true },
];

/** Whether a figure's value misses its target. */
export const shortOf = (f: Figure, x: number): boolean =>
  f.target !== null && (f.ceiling ? x > f.target : x < f.target);

const cell = (f: Figure, x: number | null) => (x === null ? 'n/a' : `${pct(x)}${shortOf(f, x) ? ' ✗' : ''}`);

/** The mean of each figure over the rows that have it (null when none does). */
const mean = (rows: SummaryRow[]): Array<number | null> =>
  FIGURES.map((f) => {
    const xs = rows.map(f.of).filter((x): x is number => x !== null);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  });

/**
 * One table of every set's answer figures against the targets (✗: short of it), shipped sets then held-out
 * ones, with each group's mean: where the targets hold and where they do not, at a glance.
 */
export function formatSummary(rows: SummaryRow[]): string {
  const line = (name: string, values: Array<number | null>) => [
    name,
    ...FIGURES.map((f, k) => cell(f, values[k] ?? null)),
  ];
  const table: string[][] = [['set', ...FIGURES.map((f) => f.label)]];
  for (const heldOut of [false, true]) {
    const group = rows.filter((r) => r.heldOut === heldOut);
    for (const r of group)
      table.push(
        line(
          r.name,
          FIGURES.map((f) => f.of(r)),
        ),
      );
    if (group.length > 1) table.push(line(heldOut ? 'mean, held-out' : 'mean, shipped', mean(group)));
  }
  const widths = table[0]?.map((_, k) => Math.max(...table.map((row) => (row[k] ?? '').length))) ?? [];
  const targets = FIGURES.flatMap((f) =>
    f.target === null ? [] : [`${f.label} ${f.ceiling ? '≤' : '≥'} ${pct(f.target)}`],
  );
  return [
    'Summary',
    ...table.map((row) =>
      row.map((c, k) => (k === 0 ? c.padEnd(widths[k] ?? 0) : c.padStart(widths[k] ?? 0))).join('  '),
    ),
    `Targets: ${targets.join('; ')} (✗: short of it; reached: shown or among the closest passages)`,
  ].join('\n');
}
