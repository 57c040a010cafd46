import { describe, expect, it } from 'vitest';
import { stripBotMention } from '../../../src/slack/answers/listener-deps.js';
import { readableSlackText } from '../../../src/slack/answers/readable-text.js';

describe('readableSlackText: a message as the member reads it, not as Slack sends it', () => {
  it('shows links as their labels (or their address), channels by name and @here as typed', () => {
    expect(
      readableSlackText('see <https://intranet.example/travel|the travel page> for <#C0123|travel>'),
    ).toBe('see the travel page for #travel');
    expect(readableSlackText('is <https://intranet.example/vpn> down?')).toBe(
      'is https://intranet.example/vpn down?',
    );
    expect(readableSlackText('email <mailto:hr@example.com|hr@example.com> <!here>')).toBe(
      'email hr@example.com @here',
    );
  });

  it('decodes what Slack escaped, last, so typed text never turns into markup or a second decoding', () => {
    expect(readableSlackText('vacation &amp; sick days for &lt;10 people &gt; 3 weeks')).toBe(
      'vacation & sick days for <10 people > 3 weeks',
    );
    expect(readableSlackText('what does &amp;lt; mean')).toBe('what does &lt; mean');
  });

  it('leaves user mentions as markup: the bot’s own is removed, search drops the others', () => {
    expect(stripBotMention('<@UBOT> ask <@U42|ana> about vacation &amp; leave', 'UBOT')).toBe(
      'ask <@U42|ana> about vacation & leave',
    );
  });
});
