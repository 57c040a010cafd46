import type { MemberDocumentView } from '../../../knowledge/collections/member-reading.service.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

// The cited passage (the URL's #chunk-N) is outlined; nothing else on the page needs styling to be read.
const STYLE = `body{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1c1d}
header p{color:#616061;margin:.25rem 0}section{padding:.75rem 1rem;margin:.75rem 0;border-left:3px solid #ddd;white-space:pre-wrap}
section:target{border-left-color:#1264a3;background:#f2f8fd}h2{font-size:.85rem;color:#616061;margin:0 0 .25rem;font-weight:600}
nav{display:flex;justify-content:space-between;margin:1.5rem 0}a{color:#1264a3}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Lore</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const pageLabel = (p: MemberDocumentView['passages'][number]) =>
  p.pageStart === null
    ? ''
    : p.pageEnd && p.pageEnd !== p.pageStart
      ? `pages ${p.pageStart}–${p.pageEnd}`
      : `page ${p.pageStart}`;

/** A document's passages as a member reads them: read-only, with the cited one outlined. */
export function memberViewPage(v: MemberDocumentView, selfPath: string): string {
  const added = v.versionAddedAt.toISOString().slice(0, 10);
  const sections = v.passages
    .map((p) => {
      const label = [p.section, pageLabel(p), `passage ${p.ordinal + 1} of ${v.total}`]
        .filter(Boolean)
        .join(' · ');
      return `<section id="chunk-${p.ordinal}"><h2>${escapeHtml(label)}</h2>${escapeHtml(p.content)}</section>`;
    })
    .join('\n');
  const at = (ordinal: number) => `${selfPath}?chunk=${ordinal}#chunk-${ordinal}`;
  const last = v.from + v.passages.length;
  const earlier =
    v.from > 0 ? `<a href="${at(Math.max(0, v.from - 35))}">← Earlier passages</a>` : '<span></span>';
  const later = last < v.total ? `<a href="${at(last + 5)}">Later passages →</a>` : '<span></span>';
  const original = v.sourceUrl
    ? `<p><a href="${escapeHtml(v.sourceUrl)}" rel="noopener noreferrer">Open the original</a></p>`
    : '';
  return page(
    v.title,
    `<header><h1>${escapeHtml(v.title)}</h1><p>In ${escapeHtml(v.collectionName)} · version ${v.version}, added ${added}</p>${original}</header>
<main>${sections}</main><nav>${earlier}${later}</nav>`,
  );
}

/** The page for a source the reader may not open: the same whether it is missing or someone else's. */
export function notAvailablePage(): string {
  return page(
    'Source not available',
    `<h1>This source is not available to you</h1><p>It may have been removed, or it belongs to a collection that the channels you are in do not use. Ask in the channel where the answer was given, or ask a workspace admin.</p>`,
  );
}

/** For a reader who is not signed in where Sign in with Slack is not set up (embedded defaults). */
export function signInNeededPage(): string {
  return page(
    'Sign in to read sources',
    `<h1>Sign in to read this source</h1><p>Sign in with Slack is not configured on this server. On embedded defaults, sign in to the dashboard at <a href="/app">/app</a> first.</p>`,
  );
}
