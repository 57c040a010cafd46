import type { Response } from 'express';

/** What every paged query carries once validated (1-based `page`). */
interface PageQuery {
  page: number;
  pageSize: number;
}

/** The rows a page asks for, as the repositories take them. */
export const pageWindow = (q: PageQuery) => ({ limit: q.pageSize, offset: (q.page - 1) * q.pageSize });

/** Answers a paged list the one way the dashboard reads it: the rows, the total, and the page asked for. */
export function sendPage<T>(res: Response, q: PageQuery, page: { items: T[]; total: number }): void {
  res.json({ items: page.items, total: page.total, page: q.page, pageSize: q.pageSize });
}
