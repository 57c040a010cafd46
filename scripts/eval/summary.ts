import type { AnswerEvalResult } from './evaluate-answers.js';

/** The targets (issue 12): what each figure must reach, on every set, shipped or held-out. */
export const TARGETS = {
  noModel: { shown: 0.8, abstained: 0.8 },
  withModel: { inPrompt: 0.9, declined: 0.05 },
} as const;

export interface SummaryRow {
  name: string;
  heldOut: boolean;
  noModel: AnswerEvalResult;
  withModel: AnswerEvalResult;
}

type Figures = [shown: number, abstained: number | null, reached: number, inPrompt: number, declined: number];

const figuresOf = (r: SummaryRow): Figures => [
  r.noModel.answerReached,
  r.noModel.abstained,
  r.noModel.answerReached + (r.noModel.closest?.answerShown ?? 0),
  r.withModel.answerReached,
  r.withModel.falseIdk,
];

/** Each figure, and whether it misses its target ("reached" has none: it shows how far the closest passages go). */
const MEETS: Array<((x: number) => boolean) | null> = [
  (x) => x >= TARGETS.noModel.shown,
  (x) => x >= TARGETS.noModel.abstained,
  null,
  (x) => x >= TARGETS.withModel.inPrompt,
  (x) => x <= TARGETS.withModel.declined,
];

const HEADER = [
  'set',
  'no model: shown',
  'abstained',
  'reached',
  'with a model: in prompt',
  'declined before it',
];

function cell(x: number | null, k: number): string {
  if (x === null) return 'n/a';
  const pct = `${(x * 100).toFixed(1)}%`;
  return MEETS[k]?.(x) === false ? `${pct} ✗` : pct;
}

/** The mean of each figure over the rows (a figure no row has stays null). */
function mean(rows: Figures[]): Figures {
  return [0, 1, 2, 3, 4].map((k) => {
    const xs = rows.map((f) => f[k]).filter((x): x is number => x !== null && x !== undefined);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  }) as Figures;
}

/**
 * One table of every set's answer figures against the targets (✗: short of it), shipped sets then held-out
 * ones, with each group's mean: where the targets hold and where they do not, at a glance.
 */
export function formatSummary(rows: SummaryRow[]): string {
  const line = (name: string, f: Figures) => [name, ...f.map((x, k) => cell(x, k))];
  const table: string[][] = [HEADER];
  for (const heldOut of [false, true]) {
    const group = rows.filter((r) => r.heldOut === heldOut);
    if (group.length === 0) continue;
    for (const r of group) table.push(line(r.name, figuresOf(r)));
    if (group.length > 1)
      table.push(line(heldOut ? 'mean, held-out' : 'mean, shipped', mean(group.map(figuresOf))));
  }
  const widths = HEADER.map((_, k) => Math.max(...table.map((row) => (row[k] ?? '').length)));
  const targets = `Targets: no model shown ≥ ${TARGETS.noModel.shown * 100}%, abstained ≥ ${TARGETS.noModel.abstained * 100}%; with a model in prompt ≥ ${TARGETS.withModel.inPrompt * 100}%, declined before it ≤ ${TARGETS.withModel.declined * 100}% (✗: short of it; reached: shown or among the closest passages)`;
  return [
    'Summary',
    ...table.map((row) =>
      row.map((c, k) => (k === 0 ? c.padEnd(widths[k] ?? 0) : c.padStart(widths[k] ?? 0))).join('  '),
    ),
    targets,
  ].join('\n');
}
