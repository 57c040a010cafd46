import { isListItem, isTableRow, LIST_MARKER, splitSentences } from '../ingestion/sentences.js';
import { contentTerms } from './question-terms.js';

/** One sentence of a passage as a quote reads it: a line's sentence, a heading, or a table row. */
export interface Sentence {
  i: number;
  text: string;
  terms: Set<string>;
  heading: boolean;
  /** Index of the heading line this sentence sits under, or -1. */
  under: number;
  /** For a table row, the index of its table's first row (the column names), or -1. */
  header: number;
  /** A table row (the column names included): shown when it matched, never as context around another. */
  row: boolean;
  /** Starts or ends a line shown on its own (a table row, a list item's first or last sentence). */
  opensLine: boolean;
  closesLine: boolean;
}

/** A line's sentences; a list item's marker stays with its first ("1." is no sentence of its own). */
function sentencesOf(line: string): string[] {
  const marker = line.match(LIST_MARKER)?.[0] ?? '';
  const parts = splitSentences(line.slice(marker.length));
  return marker && parts.length ? [`${marker}${parts[0]}`, ...parts.slice(1)] : parts;
}

/**
 * A line that reads as a heading: one short sentence without closing punctuation, followed by more text, and
 * neither a table row nor a list item (short ones end without punctuation too, and hold answers).
 */
const isHeading = (line: string, last: boolean) =>
  !last &&
  line.length <= 80 &&
  !isTableRow(line) &&
  !isListItem(line) &&
  !/[.!?:;…,)"”]$/.test(line) &&
  splitSentences(line).length === 1;

/**
 * A passage's sentences in reading order: each line split into sentences, except a heading and a table row, which
 * are one each; each sentence with its terms, the heading it sits under, and its table's first row.
 */
export function readSentences(passage: string): Sentence[] {
  const lines = passage
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
  const sentences: Sentence[] = [];
  let under = -1;
  let header = -1;
  lines.forEach((line, li) => {
    const heading = isHeading(line, li === lines.length - 1);
    // A table row is one unit, read with its table's first row (the column names).
    const row = !heading && isTableRow(line);
    if (!row) header = -1;
    else if (header < 0) header = sentences.length;
    const parts = heading || row ? [line] : sentencesOf(line);
    const ownLine = row || isListItem(line);
    parts.forEach((text, k) => {
      const i = sentences.length;
      sentences.push({
        i,
        text,
        terms: new Set(contentTerms(text)),
        heading,
        under: heading ? -1 : under,
        header: row && header !== i ? header : -1,
        row,
        opensLine: ownLine && k === 0,
        closesLine: ownLine && k === parts.length - 1,
      });
      if (heading) under = i;
    });
  });
  return sentences;
}
