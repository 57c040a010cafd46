import { z } from 'zod';

/** Request and response shapes of /api/documents/web: web pages and sitemaps as sources. */
export const addWebSourceBody = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Give the URL of a page or sitemap')
    .max(2048, 'The URL is longer than 2,048 characters'),
  kind: z.enum(['page', 'sitemap']).default('page'),
});
export type AddWebSourceBody = z.infer<typeof addWebSourceBody>;

export interface WebSourceDto {
  id: string;
  kind: 'page' | 'sitemap';
  url: string;
  /** The sitemap that listed this page, if any. */
  sitemapId: string | null;
  /** The document a page feeds (null for a sitemap). */
  documentId: string | null;
  status: 'pending' | 'ok' | 'failed';
  /** Why the last fetch was refused (`private_address`, `robots_disallowed`, `too_large`, `timeout`, …). */
  errorCode: string | null;
  errorReason: string | null;
  fetchedAt: string | null;
  nextFetchAt: string;
  createdAt: string;
}

/** `DELETE /api/documents/web/:id`: the source to stop following. */
export const webSourceIdParams = z.object({ id: z.uuid() });
