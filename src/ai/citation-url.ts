/** What a citation link needs to know about the passage it cites. */
export interface Citable {
  documentId: string;
  /** The passage's place in the document; null when it is gone (the link then opens the document). */
  ordinal: number | null;
  /** The web page or Slack thread the document came from, if it did. */
  sourceUrl?: string | null;
}

/**
 * Where a citation links: the web page or Slack thread the document came from, or else the member view
 * (any member may sign in and read it there, within their channels' collections) scrolled to the passage.
 */
export function citationUrl(publicUrl: string, p: Citable): string {
  if (p.sourceUrl) return p.sourceUrl;
  const at = p.ordinal === null ? '' : `?chunk=${p.ordinal}#chunk-${p.ordinal}`;
  return `${publicUrl}/read/documents/${p.documentId}${at}`;
}
