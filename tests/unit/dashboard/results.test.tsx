import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../dashboard/src/api/client';
import { Results } from '../../../dashboard/src/components/results';
import { Empty } from '../../../dashboard/src/components/states';
import { render, texts } from './render';

type Page = { items: string[]; total?: number };
const state = (data: Page | undefined, error?: ApiError) => ({
  data,
  error,
  loading: !data,
  reload: () => {},
});
const paging = { page: 1, pageSize: 2, onPage: () => {} };

const list = (s: ReturnType<typeof state>, withPaging = true) =>
  render(
    <Results
      state={s}
      label="Loading documents…"
      empty={<Empty title="No documents yet">Drop a handbook above.</Empty>}
      paging={withPaging ? paging : undefined}
    >
      {(items) => (
        <ul>
          {items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </Results>,
  ).body;

describe('Results', () => {
  it('announces loading until the first answer', () => {
    const body = list(state(undefined));
    expect(texts(body, '[role="status"]')).toEqual(['Loading documents…']);
  });

  it('shows the empty state, and no pager, when there is nothing', () => {
    const body = list(state({ items: [], total: 0 }));
    expect(texts(body, '.state-empty .state-title')).toEqual(['No documents yet']);
    expect(body.querySelector('ul, .pager')).toBeNull();
  });

  it('shows the items and a pager over the total the server counted', () => {
    const body = list(state({ items: ['Travel', 'Expenses'], total: 5 }));
    expect(texts(body, 'li')).toEqual(['Travel', 'Expenses']);
    expect(texts(body, '.pager span')).toEqual(['1–2 of 5']);
  });

  it('shows no pager for an unpaged list', () => {
    const body = list(state({ items: ['a', 'b', 'c'] }), false);
    expect(texts(body, 'li')).toEqual(['a', 'b', 'c']);
    expect(body.querySelector('.pager')).toBeNull();
  });

  it("shows a failed load with the server's message and a way to try again", () => {
    const body = list(state(undefined, new ApiError(503, 'unavailable', 'Lore is restarting.')));
    expect(texts(body, '[role="alert"] .state-body')).toEqual(['Lore is restarting.']);
    expect(texts(body, 'button')).toEqual(['Try again']);
  });
});
