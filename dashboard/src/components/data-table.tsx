import type { ReactNode } from 'react';

/** How a sortable column orders its rows (the server decides the direction of each sort). */
export interface ColumnSort<K extends string> {
  key: K;
  direction: 'ascending' | 'descending';
}

/** One column of a DataTable: its header, how a row fills its cell, and whether it sorts the table. */
export interface Column<T, K extends string = string> {
  header: string;
  /** The header is read out but not shown (an actions column). */
  hideHeader?: boolean;
  /** Left out on phones, where the table must fit the width. */
  hideOnPhone?: boolean;
  /** Classes of the body cells. */
  className?: string;
  cell: (row: T) => ReactNode;
  sort?: ColumnSort<K>;
}

const classes = (...names: Array<string | false | undefined>) => names.filter(Boolean).join(' ') || undefined;

/**
 * A table of rows described by a typed column list. A sortable column's header is a button (so Tab and
 * Enter/Space sort by it) and the sorted column carries aria-sort, which screen readers announce.
 */
export function DataTable<T, K extends string = string>({
  columns,
  rows,
  rowKey,
  className,
  sortedBy,
  onSort,
}: {
  columns: Array<Column<T, K>>;
  rows: T[];
  rowKey: (row: T) => string;
  className?: string;
  sortedBy?: K;
  onSort?: (key: K) => void;
}) {
  return (
    <table className={classes('table', className)}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th
              key={c.header}
              scope="col"
              className={classes(c.hideOnPhone && 'hide-phone')}
              aria-sort={c.sort && c.sort.key === sortedBy ? c.sort.direction : undefined}
            >
              <Header column={c} sorted={c.sort?.key === sortedBy} onSort={onSort} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td key={c.header} className={classes(c.hideOnPhone && 'hide-phone', c.className)}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Header<T, K extends string>({
  column,
  sorted,
  onSort,
}: {
  column: Column<T, K>;
  sorted: boolean;
  onSort?: (key: K) => void;
}) {
  if (column.hideHeader) return <span className="sr-only">{column.header}</span>;
  const { sort } = column;
  if (!sort || !onSort) return <>{column.header}</>;
  return (
    <button type="button" className="th-sort" onClick={() => onSort(sort.key)}>
      {column.header}
      <span className="sort-mark" aria-hidden="true">
        {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
      </span>
    </button>
  );
}
