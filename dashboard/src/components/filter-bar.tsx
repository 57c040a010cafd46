import type { ListFilters } from '../lib/use-list-filters';
import { SearchField, SelectField } from './fields';

/** One drop-down of a filter bar: which filter it sets, its label, and its [value, label] options. */
export type FilterSelect<F extends Record<string, string>> = {
  [K in keyof F & string]: { key: K; label: string; options: ReadonlyArray<readonly [F[K], string]> };
}[keyof F & string];

/** The toolbar over a list: a search box, then a drop-down per filter (sort order included). */
export function FilterBar<F extends Record<string, string>>({
  list,
  search,
  selects,
}: {
  list: ListFilters<F>;
  search: { label: string; placeholder: string };
  selects: Array<FilterSelect<F>>;
}) {
  return (
    <div className="toolbar">
      <SearchField
        label={search.label}
        placeholder={search.placeholder}
        value={list.search}
        onChange={list.setSearch}
      />
      {selects.map((s) => (
        <SelectField<F[keyof F]>
          key={s.key}
          label={s.label}
          value={list.filters[s.key]}
          options={s.options}
          onChange={(v) => list.setFilter(s.key, v)}
        />
      ))}
    </div>
  );
}
