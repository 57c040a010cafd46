import { describe, expect, it } from 'vitest';
import { FilterBar } from '../../../dashboard/src/components/filter-bar';
import type { ListFilters } from '../../../dashboard/src/lib/use-list-filters';
import { render, texts } from './render';

type Filters = { status: string; sort: 'updated' | 'title' };
const list = (filters: Filters, search = ''): ListFilters<Filters> => ({
  search,
  setSearch: () => {},
  debounced: search,
  filters,
  setFilter: () => {},
  page: 1,
  setPage: () => {},
});

const bar = (l: ListFilters<Filters>) =>
  render(
    <FilterBar
      list={l}
      search={{ label: 'Search documents', placeholder: 'Search by title or file name' }}
      selects={[
        {
          key: 'status',
          label: 'Status',
          options: [
            ['', 'Any status'],
            ['failed', 'Failed'],
          ],
        },
        {
          key: 'sort',
          label: 'Sort by',
          options: [
            ['updated', 'Recently updated'],
            ['title', 'Title A–Z'],
          ],
        },
      ]}
    />,
  ).body;

describe('FilterBar', () => {
  it('labels every control (for screen readers only: the placeholder and options speak for themselves)', () => {
    const body = bar(list({ status: '', sort: 'updated' }));
    const labels = [...body.querySelectorAll('label.field')];
    expect(labels.map((l) => [texts(l, '.sr-only')[0], l.querySelector('input, select')?.tagName])).toEqual([
      ['Search documents', 'INPUT'],
      ['Status', 'SELECT'],
      ['Sort by', 'SELECT'],
    ]);
    const input = body.querySelector('input');
    expect(input?.getAttribute('type')).toBe('search');
    expect(input?.getAttribute('placeholder')).toBe('Search by title or file name');
  });

  it('shows what is typed and the chosen option of each filter', () => {
    const body = bar(list({ status: 'failed', sort: 'title' }, 'travel'));
    expect(body.querySelector('input')?.getAttribute('value')).toBe('travel');
    expect(texts(body, 'option[selected]')).toEqual(['Failed', 'Title A–Z']);
  });
});
