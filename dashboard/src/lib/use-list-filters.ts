import { useEffect, useState } from 'react';

/** A list page's search box (as typed, and as applied), filters and page number. */
export interface ListFilters<F extends Record<string, string>> {
  search: string;
  setSearch: (search: string) => void;
  debounced: string;
  filters: F;
  setFilter: <K extends keyof F>(key: K, value: F[K]) => void;
  page: number;
  setPage: (page: number) => void;
}

/**
 * A list page's search box, filters and page number. The search is applied once typing pauses (250 ms),
 * and any change of search or filter goes back to page 1, so nobody lands on a page past the results.
 */
export function useListFilters<F extends Record<string, string>>(initial: F): ListFilters<F> {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [filters, setFilters] = useState(initial);
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = window.setTimeout(() => {
      setDebounced(search);
      setPage(1);
    }, 250);
    return () => window.clearTimeout(t);
  }, [search]);
  const setFilter = <K extends keyof F>(key: K, value: F[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  };
  return { search, setSearch, debounced, filters, setFilter, page, setPage };
}
