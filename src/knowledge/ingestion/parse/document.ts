/** One structural piece of a parsed document; `page` is 1-based and only set for paged formats (PDF). */
export type Block =
  | { kind: 'heading'; level: number; text: string; page?: number }
  | { kind: 'text'; text: string; page?: number };

/** A document reduced to its title and an ordered list of headings and text, ready for chunking. */
export interface ParsedDocument {
  title: string;
  pageCount?: number;
  blocks: Block[];
}
