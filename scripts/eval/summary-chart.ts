import { encodeXML } from 'entities';
import { pct } from './evaluate-answers.js';
import { FIGURES, type Figure, type SummaryRow, shortOf } from './summary.js';

type Charted = Figure & { target: number; colour: string };

/** The figures charted per set: those with a colour, each against its target. */
const CHARTED = FIGURES.filter((f): f is Charted => f.colour !== undefined && f.target !== null);

const LABEL_WIDTH = 230;
const SCALE = 420;
const BAR = 9;
const SET_HEIGHT = CHARTED.length * (BAR + 2) + 12;
// Below the title and the legend, one line per figure.
const TOP = 34 + CHARTED.length * 16;
/** Where a share (0..1) falls on the bars' scale. */
const xAt = (share: number) => LABEL_WIDTH + share * SCALE;

/** The chart in words, for a screen reader: each set's three figures. */
function altText(rows: SummaryRow[]): string {
  const sets = rows.map((r) => {
    const figures = CHARTED.flatMap((figure) => {
      const value = figure.of(r);
      return value === null ? [] : [`${figure.label} ${pct(value)}`];
    });
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
  CHARTED.forEach((f, k) => {
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
    CHARTED.forEach((f, k) => {
      const value = f.of(r);
      if (value === null) return;
      const barY = y + k * (BAR + 2);
      const short = shortOf(f, value);
      const fill = short ? 'none' : f.colour;
      parts.push(
        `<rect class="${short ? 'short' : 'meets'}" x="${LABEL_WIDTH}" y="${barY}" width="${(value * SCALE).toFixed(1)}" height="${BAR}" fill="${fill}" stroke="${f.colour}"/>`,
        `<line x1="${xAt(f.target)}" y1="${barY - 1}" x2="${xAt(f.target)}" y2="${barY + BAR + 1}" stroke="#000"/>`,
        `<text x="${xAt(value) + 4}" y="${barY + BAR - 1}" font-size="9">${pct(value)}</text>`,
      );
    });
  });
  const axisY = TOP + ordered.length * SET_HEIGHT + 4;
  for (const tick of [0, 0.5, 0.8, 0.9, 1]) {
    parts.push(`<text x="${xAt(tick) - 8}" y="${axisY + 12}" font-size="9">${tick * 100}%</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
