import { XMLParser } from 'fast-xml-parser';

/** What a sitemap lists: page URLs, or (a sitemap index) other sitemaps. */
export interface ParsedSitemap {
  kind: 'urlset' | 'index';
  urls: string[];
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Reads a sitemap (sitemaps.org: `<urlset><url><loc>`, or `<sitemapindex><sitemap><loc>`). Entities are not
 * expanded (no entity bombs); the body is already bounded in bytes by the fetch. Returns null when the XML
 * is not a sitemap at all.
 */
export function parseSitemap(xml: string): ParsedSitemap | null {
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ processEntities: false, ignoreAttributes: true, removeNSPrefix: true }).parse(xml);
  } catch {
    return null;
  }
  const locs = (entries: unknown) =>
    asArray(entries as Array<{ loc?: unknown }> | { loc?: unknown })
      .map((e) => (typeof e?.loc === 'string' ? e.loc.trim() : ''))
      .filter(Boolean);
  const urlset = doc.urlset as { url?: unknown } | undefined;
  if (urlset !== undefined) return { kind: 'urlset', urls: [...new Set(locs(urlset?.url))] };
  const index = doc.sitemapindex as { sitemap?: unknown } | undefined;
  if (index !== undefined) return { kind: 'index', urls: locs(index?.sitemap) };
  return null;
}
