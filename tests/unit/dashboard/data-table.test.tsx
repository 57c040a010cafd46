import { describe, expect, it } from 'vitest';
import { type Column, DataTable } from '../../../dashboard/src/components/data-table';
import { render, texts } from './render';

interface Doc {
  id: string;
  title: string;
  passages: number;
}
type Sort = 'title' | 'updated';

const DOCS: Doc[] = [
  { id: 'a', title: 'Travel <b>policy</b>', passages: 12 },
  { id: 'b', title: 'Expenses', passages: 3 },
];
const COLUMNS: Array<Column<Doc, Sort>> = [
  { header: 'Title', sort: { key: 'title', direction: 'ascending' }, cell: (d) => d.title },
  { header: 'Passages', hideOnPhone: true, className: 'mono', cell: (d) => d.passages },
  { header: 'Updated', sort: { key: 'updated', direction: 'descending' }, cell: () => 'today' },
  {
    header: 'Actions',
    hideHeader: true,
    className: 'row-actions',
    cell: (d) => <button type="button">Delete {d.id}</button>,
  },
];
const noop = () => {};

describe('DataTable', () => {
  it('renders one row per item, cells in column order, text as text', () => {
    const { body } = render(<DataTable columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} />);
    const rows = [...body.querySelectorAll('tbody tr')].map((r) => texts(r, 'td'));
    expect(rows).toEqual([
      ['Travel <b>policy</b>', '12', 'today', 'Delete a'],
      ['Expenses', '3', 'today', 'Delete b'],
    ]);
    expect(body.querySelector('tbody b')).toBeNull();
  });

  it('names every column for screen readers, showing the actions header to them only', () => {
    const { body } = render(<DataTable columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} />);
    expect(texts(body, 'th[scope="col"]')).toEqual(['Title', 'Passages', 'Updated', 'Actions']);
    expect(texts(body, 'th .sr-only')).toEqual(['Actions']);
  });

  it('hides phone-hidden columns in both header and cells, and keeps cell classes', () => {
    const { body } = render(
      <DataTable className="audit" columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} />,
    );
    expect(body.querySelector('table')?.getAttribute('class')).toBe('table audit');
    expect(texts(body, 'th.hide-phone')).toEqual(['Passages']);
    expect(texts(body, 'td.hide-phone.mono')).toEqual(['12', '3']);
    expect(body.querySelectorAll('td.row-actions')).toHaveLength(2);
  });

  it('makes sortable headers buttons and marks only the sorted column with aria-sort', () => {
    const { body } = render(
      <DataTable columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} sortedBy="updated" onSort={noop} />,
    );
    expect([...body.querySelectorAll('th button.th-sort')].map((b) => b.firstChild?.textContent)).toEqual([
      'Title',
      'Updated',
    ]);
    const sorted = [...body.querySelectorAll('th[aria-sort]')];
    expect(sorted.map((th) => [th.textContent?.replace(/[▲▼↕]/g, ''), th.getAttribute('aria-sort')])).toEqual(
      [['Updated', 'descending']],
    );
  });

  it('says ascending when the table is sorted by an A–Z column', () => {
    const { body } = render(
      <DataTable columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} sortedBy="title" onSort={noop} />,
    );
    expect(body.querySelector('th[aria-sort]')?.getAttribute('aria-sort')).toBe('ascending');
    expect(texts(body, 'th[aria-sort] .sort-mark')).toEqual(['▲']);
  });

  it('offers no sort buttons when the table cannot be sorted', () => {
    const { body } = render(<DataTable columns={COLUMNS} rows={DOCS} rowKey={(d) => d.id} />);
    expect(body.querySelectorAll('thead button')).toHaveLength(0);
    expect(body.querySelectorAll('th[aria-sort]')).toHaveLength(0);
  });
});
