import { describe, expect, it } from 'vitest';
import { Mrkdwn } from '../../../dashboard/src/components/mrkdwn';
import { render, texts } from './render';

describe('Mrkdwn', () => {
  it('shows HTML in an answer as text: no script, no image, no handler reaches the page', () => {
    const answer = 'See <script>alert(1)</script> and <img src=x onerror=alert(2)> here';
    const { html, body } = render(<Mrkdwn text={answer} />);
    expect(body.textContent).toBe(answer);
    expect(body.querySelector('script, img, [onerror]')).toBeNull();
    expect(html).not.toMatch(/<(script|img)\b/);
  });

  it('decodes the entities Slack escapes, and still shows them as text', () => {
    const { html, body } = render(<Mrkdwn text={'&lt;script&gt;alert(1)&lt;/script&gt; &amp; more'} />);
    expect(body.textContent).toBe('<script>alert(1)</script> & more');
    expect(body.querySelector('script')).toBeNull();
    expect(html).toContain('&lt;script&gt;');
  });

  it('renders *bold*, _italic_, ~strike~ and `code`', () => {
    const { body } = render(<Mrkdwn text="*Book* _early_, ~late~ `never`" />);
    expect(texts(body, 'strong')).toEqual(['Book']);
    expect(texts(body, 'em')).toEqual(['early']);
    expect(texts(body, 's')).toEqual(['late']);
    expect(texts(body, 'code')).toEqual(['never']);
  });

  it('renders <url|label> as a link that opens in a new tab without handing over the page', () => {
    const { body } = render(<Mrkdwn text="Read <https://example.com/handbook|the handbook> first" />);
    const link = body.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/handbook');
    expect(link?.textContent).toBe('the handbook');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noreferrer noopener');
  });

  it('makes no link of anything but http(s), and keeps a hostile label as text', () => {
    const { body } = render(
      <Mrkdwn
        text={'<javascript:alert(1)|click> <https://example.com|&lt;img src=x onerror=alert(1)&gt;>'}
      />,
    );
    const links = [...body.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com']);
    expect(links[0]?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(body.querySelector('img')).toBeNull();
  });

  it('links [n] citations where the page gives a target, and leaves them plain where it does not', () => {
    const href = (n: number) => (n === 1 ? '/app/documents/d1#chunk-4' : undefined);
    const { body } = render(<Mrkdwn text="Fourteen days [1], economy [2]." citationHref={href} />);
    expect([...body.querySelectorAll('a.cite')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['[1]', '/app/documents/d1#chunk-4'],
    ]);
    expect(texts(body, 'span.cite')).toEqual(['[2]']);
  });

  it('renders > lines as one block quote, and line breaks as breaks', () => {
    const { body } = render(<Mrkdwn text={'Policy says:\n> Book early\n> Fly economy\nThanks'} />);
    expect(texts(body, 'blockquote')).toEqual(['Book earlyFly economy']);
    expect(body.querySelectorAll('blockquote br')).toHaveLength(1);
    expect(body.textContent).toContain('Thanks');
  });
});
