import type { Block, ParsedDocument } from './parse/document.js';

/** A heading and the blocks under it until the next heading; `level` 0 is the text before any heading. */
export interface Section {
  path: string[];
  level: number;
  blocks: Block[];
}

/**
 * Groups blocks into sections, each with its heading path. A title heading (the first heading, alone at
 * the shallowest level, with the document's title as text) is left out of the paths: the title is stored
 * beside every chunk already.
 */
export function toSections(doc: ParsedDocument): Section[] {
  const sections: Section[] = [{ path: [], level: 0, blocks: [] }];
  const stack: Array<{ level: number; text: string }> = [];
  const titleHeading = findTitleHeading(doc);
  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      while (stack.length && (stack.at(-1)?.level ?? 0) >= block.level) stack.pop();
      stack.push({ level: block.level, text: block.text });
      const path = stack.map((h) => h.text);
      if (titleHeading && stack[0]?.text === titleHeading) path.shift();
      sections.push({ path, level: block.level, blocks: [block] });
    } else {
      (sections.at(-1) as Section).blocks.push(block);
    }
  }
  return sections.filter((s) => s.blocks.length > 0);
}

/**
 * The heading level of the document's top-level sections: the shallowest level used, unless that level
 * holds only the document's opening heading (a title), in which case the next level down.
 */
export function topLevel(sections: Section[]): number {
  const levels = sections.map((s) => s.level).filter((l) => l > 0);
  if (levels.length === 0) return 1;
  const min = Math.min(...levels);
  const atMin = levels.filter((l) => l === min).length;
  const first = sections.find((s) => s.level > 0);
  const onlyTitle = atMin === 1 && first?.level === min && sections.indexOf(first) <= 1;
  const rest = levels.filter((l) => l > min);
  return onlyTitle && rest.length ? Math.min(...rest) : min;
}

/** The longest common leading part of heading paths. */
export function commonPath(paths: string[][]): string[] {
  const [first, ...others] = paths;
  if (!first) return [];
  let n = first.length;
  for (const p of others) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

function findTitleHeading(doc: ParsedDocument): string | undefined {
  const headings = doc.blocks.filter((b) => b.kind === 'heading');
  const first = headings[0];
  if (first?.kind !== 'heading') return undefined;
  const alone = headings.every((h) => h === first || (h.kind === 'heading' && h.level > first.level));
  return alone && comparable(first.text) === comparable(doc.title) ? first.text : undefined;
}

function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
