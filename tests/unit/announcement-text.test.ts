import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../src/tenants/notices/announcement-text.js';

describe('announcement Markdown → Slack mrkdwn', () => {
  it('converts bold, italic, links, headings and list items', () => {
    expect(
      markdownToMrkdwn(
        '# Upgrade\n**Sunday** at *02:00* UTC, see [status](https://status.example.com)\n- one\n* two',
      ),
    ).toBe('*Upgrade*\n*Sunday* at _02:00_ UTC, see <https://status.example.com|status>\n• one\n• two');
  });

  it('escapes Slack control characters, so text cannot ping @channel or smuggle a link', () => {
    expect(markdownToMrkdwn('<!channel> read <https://evil.example|this> & that')).toBe(
      '&lt;!channel&gt; read &lt;https://evil.example|this&gt; &amp; that',
    );
    // Only http(s) links become links.
    expect(markdownToMrkdwn('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});
