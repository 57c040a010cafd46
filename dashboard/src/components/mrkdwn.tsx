import { Fragment, type ReactNode } from 'react';

/**
 * Renders Slack mrkdwn (*bold*, _italic_, ~strike~, `code`, > quotes, <url|label> links, [n] citations) as
 * React elements. Never HTML: every piece of text becomes a text node, so nothing a tenant uploads can run.
 */
export function Mrkdwn({
  text,
  citationHref,
  citations = true,
}: {
  text: string;
  citationHref?: (n: number) => string | undefined;
  citations?: boolean;
}) {
  const lines = text.split('\n');
  const out: ReactNode[] = [];
  let quote: string[] = [];
  const flushQuote = (key: number) => {
    if (quote.length === 0) return;
    out.push(
      <blockquote key={`q${key}`}>
        {quote.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a rendered message is static and never reordered
          <Fragment key={i}>
            {i > 0 ? <br /> : null}
            {inline(l, citations, citationHref)}
          </Fragment>
        ))}
      </blockquote>,
    );
    quote = [];
  };
  lines.forEach((line, i) => {
    const q = /^(>|&gt;)\s?(.*)$/.exec(line);
    if (q) {
      quote.push(q[2] ?? '');
      return;
    }
    flushQuote(i);
    out.push(
      // biome-ignore lint/suspicious/noArrayIndexKey: a rendered message is static and never reordered
      <Fragment key={i}>
        {inline(line, citations, citationHref)}
        {i < lines.length - 1 ? <br /> : null}
      </Fragment>,
    );
  });
  flushQuote(lines.length);
  return <div className="mrkdwn">{out}</div>;
}

const TOKEN =
  /<(?<url>https?:\/\/[^|>\s]+)(?:\|(?<label>[^>]+))?>|:(?<emoji>[a-z0-9_+-]+):|\*(?<bold>[^*\n]+)\*|_(?<italic>[^_\n]+)_|~(?<strike>[^~\n]+)~|`(?<code>[^`\n]+)`|\[(?<cite>\d{1,2})\]/g;

function inline(
  s: string,
  citations: boolean,
  citationHref?: (n: number) => string | undefined,
): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    const g = m.groups ?? {};
    if (at > last) parts.push(decode(s.slice(last, at)));
    const key = `${at}`;
    if (g.url) {
      parts.push(
        <a key={key} href={g.url} target="_blank" rel="noreferrer noopener">
          {decode(g.label ?? g.url)}
        </a>,
      );
    } else if (g.emoji) parts.push(EMOJI[g.emoji] ?? m[0]);
    else if (g.bold) parts.push(<strong key={key}>{decode(g.bold)}</strong>);
    else if (g.italic) parts.push(<em key={key}>{decode(g.italic)}</em>);
    else if (g.strike) parts.push(<s key={key}>{decode(g.strike)}</s>);
    else if (g.code) parts.push(<code key={key}>{decode(g.code)}</code>);
    else if (g.cite && !citations) parts.push(m[0]);
    else if (g.cite) {
      const n = Number(g.cite);
      const href = citationHref?.(n);
      parts.push(
        href ? (
          <a key={key} className="cite" href={href}>
            [{n}]
          </a>
        ) : (
          <span key={key} className="cite">
            [{n}]
          </span>
        ),
      );
    }
    last = at + m[0].length;
  }
  if (last < s.length) parts.push(decode(s.slice(last)));
  return parts;
}

// The shortcodes Lore's own messages use, drawn as Slack draws them; any other stays as typed.
const EMOJI: Record<string, string> = {
  page_facing_up: '📄',
  wave: '👋',
  mag: '🔍',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  bulb: '💡',
  hourglass_flowing_sand: '⏳',
};

// Slack escapes these three in mrkdwn; shown as the characters (as text, never parsed as HTML).
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
