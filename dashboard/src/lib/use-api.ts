import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

/** A GET's state: the data once loaded, the error if it failed, and a way to load it again. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `fetcher()` whenever `key` changes; stale answers from an earlier key are ignored. */
export function useApi<T>(key: string | null, fetcher: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(key !== null);
  const [tick, setTick] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is how reload() asks for the same key again
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoading(true);
    setError(undefined);
    latest.current().then(
      (d) => {
        if (!live) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(
          e instanceof ApiError ? e : new ApiError(0, 'error', 'Something went wrong. Please try again.'),
        );
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn: () => void, ms: number, active: boolean): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(id);
  }, [ms, active]);
}
