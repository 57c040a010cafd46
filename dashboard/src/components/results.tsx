import type { ReactNode } from 'react';
import type { Loaded } from '../lib/use-api';
import { Pager } from './pager';
import { Async } from './states';

/**
 * A loaded list: the loading and error states, what to show when it is empty, the items, and the pager
 * under them when `paging` is given (the server's `total` decides how many pages there are).
 */
export function Results<T>({
  state,
  label,
  empty,
  paging,
  children,
}: {
  state: Loaded<{ items: T[]; total?: number }>;
  label: string;
  empty: ReactNode;
  paging?: { page: number; pageSize: number; onPage: (page: number) => void };
  children: (items: T[]) => ReactNode;
}) {
  return (
    <Async state={state} label={label}>
      {(data) =>
        data.items.length === 0 ? (
          empty
        ) : (
          <>
            {children(data.items)}
            {paging ? <Pager {...paging} total={data.total ?? data.items.length} /> : null}
          </>
        )
      }
    </Async>
  );
}
