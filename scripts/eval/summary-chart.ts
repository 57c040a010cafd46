import { encodeXML } from 'entities';
import { type SummaryRow, TARGETS } from './summary.js';

/** The three figures charted per set, each with its target (reached has none, so it is left to the table). */
const FIGURES = [
  {
    label: 'no model: answer shown',
    colour: '#2f6db5',
    of: (r: SummaryRow) => r.noModel.answerReached,
    target: TARGETS.noModel.shown,
  },
  {
    label: 'no model: abstained',
    colour: '#d9822b',
    of: (r: SummaryRow) => r.noModel.abstained,
    target: TARGETS.noModel.abstained,
  },
  {
    label: 'with a model: answer in the prompt',
    colour: '#3a9a5b',
    of: (r: SummaryRow) => r.withModel.answerReached,
    target: TARGETS.withModel.inPrompt,
  },
] as const;

const LABEL_WIDTH = 230;
const SCALE = 420;
const BAR = 9;
const SET_HEIGHT = FIGURES.length * (BAR + 2) + 12;
// Below the title and the legend, one line per figure.
const TOP = 34 + FIGURES.length * 16;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The chart in words, for a screen reader: each set's three figures. */
function altText(rows: SummaryRow[]): string {
  const sets = rows.map((r) => {
    const figures = FIGURES.map((f) => {
      const value = f.of(r);
      return value === null ? null : `${f.label} ${pct(value)}`;
    }).filter((x) => x !== null);
    return `${r.name}${r.heldOut ? ' (held-out)' : ''}: ${figures.join(', ')}`;
  });
  return `Answer quality by set. ${sets.join('; ')}.`;
}

/**
 * The summary as an SVG bar chart: per set (shipped, then held-out), each figure's bar with a tick at its target;
 * a bar short of its target is drawn hollow, so the sets that miss stand out without reading a number.
 */
export function summaryChart(rows: SummaryRow[]): string {
  const ordered = [...rows.filter((r) => !r.heldOut), ...rows.filter((r) => r.heldOut)];
  const height = TOP + ordered.length * SET_HEIGHT + 24;
  const width = LABEL_WIDTH + SCALE + 70;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11" role="img">`,
    // Read out instead of the bars: each set's figures in words.
    `<title>${encodeXML(altText(ordered))}</title>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">Answer quality by set (npm run eval): filled bars meet their target, hollow ones fall short</text>`,
  ];
  FIGURES.forEach((f, k) => {
    const y = 26 + k * 16;
    parts.push(
      `<rect x="8" y="${y}" width="10" height="10" fill="${f.colour}"/>`,
      `<text x="22" y="${y + 9}">${encodeXML(f.label)} (target ${pct(f.target)}, the black tick)</text>`,
    );
  });
  ordered.forEach((r, i) => {
    const y = TOP + i * SET_HEIGHT;
    const name = r.heldOut ? `${r.name} (held-out)` : r.name;
    parts.push(`<text x="8" y="${y + SET_HEIGHT / 2}">${encodeXML(name)}</text>`);
    FIGURES.forEach((f, k) => {
      const value = f.of(r);
      if (value === null) return;
      const barY = y + k * (BAR + 2);
      const short = value < f.target;
      const fill = short ? 'none' : f.colour;
      parts.push(
        `<rect class="${short ? 'short' : 'meets'}" x="${LABEL_WIDTH}" y="${barY}" width="${(value * SCALE).toFixed(1)}" height="${BAR}" fill="${fill}" stroke="${f.colour}"/>`,
        `<line x1="${LABEL_WIDTH + f.target * SCALE}" y1="${barY - 1}" x2="${LABEL_WIDTH + f.target * SCALE}" y2="${barY + BAR + 1}" stroke="#000"/>`,
        `<text x="${LABEL_WIDTH + value * SCALE + 4}" y="${barY + BAR - 1}" font-size="9">${pct(value)}</text>`,
      );
    });
  });
  const axisY = TOP + ordered.length * SET_HEIGHT + 4;
  for (const tick of [0, 0.5, 0.8, 0.9, 1]) {
    parts.push(
      `<text x="${LABEL_WIDTH + tick * SCALE - 8}" y="${axisY + 12}" font-size="9">${tick * 100}%</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
