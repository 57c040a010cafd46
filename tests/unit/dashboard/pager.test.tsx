import { describe, expect, it } from 'vitest';
import { Pager } from '../../../dashboard/src/components/pager';
import { render, texts } from './render';

const noop = () => {};
const button = (body: HTMLElement, name: string) =>
  [...body.querySelectorAll('button')].find((b) => b.textContent?.includes(name));

describe('Pager', () => {
  it('on the first page shows "1–20 of 45" and only Next can be pressed', () => {
    const { body } = render(<Pager page={1} pageSize={20} total={45} onPage={noop} />);
    expect(texts(body, 'nav[aria-label="Pages"] span')).toEqual(['1–20 of 45']);
    expect(button(body, 'Previous')?.hasAttribute('disabled')).toBe(true);
    expect(button(body, 'Next')?.hasAttribute('disabled')).toBe(false);
  });

  it('on the last page shows the short remainder and only Previous can be pressed', () => {
    const { body } = render(<Pager page={3} pageSize={20} total={45} onPage={noop} />);
    expect(texts(body, '.pager span')).toEqual(['41–45 of 45']);
    expect(button(body, 'Previous')?.hasAttribute('disabled')).toBe(false);
    expect(button(body, 'Next')?.hasAttribute('disabled')).toBe(true);
  });

  it('in the middle both ways are open', () => {
    const { body } = render(<Pager page={2} pageSize={20} total={45} onPage={noop} />);
    expect(texts(body, '.pager span')).toEqual(['21–40 of 45']);
    expect(body.querySelectorAll('button[disabled]')).toHaveLength(0);
  });

  it('is not shown at all when everything fits on one page', () => {
    expect(render(<Pager page={1} pageSize={20} total={20} onPage={noop} />).html).toBe('');
  });
});
