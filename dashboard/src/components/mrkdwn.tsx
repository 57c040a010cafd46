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
  /(<(https?:\/\/[^|>\s]+)(?:\|([^>]+))?>|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~|`([^`\n]+)`|\[(\d{1,2})\])/g;

function inline(
  s: string,
  citations: boolean,
  citationHref?: (n: number) => string | undefined,
): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(decode(s.slice(last, at)));
    const key = `${at}`;
    if (m[2]) {
      parts.push(
        <a key={key} href={m[2]} target="_blank" rel="noreferrer noopener">
          {decode(m[3] ?? m[2])}
        </a>,
      );
    } else if (m[4]) parts.push(<strong key={key}>{decode(m[4])}</strong>);
    else if (m[5]) parts.push(<em key={key}>{decode(m[5])}</em>);
    else if (m[6]) parts.push(<s key={key}>{decode(m[6])}</s>);
    else if (m[7]) parts.push(<code key={key}>{decode(m[7])}</code>);
    else if (m[8] && !citations) parts.push(m[0]);
    else if (m[8]) {
      const n = Number(m[8]);
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

// Slack escapes these three in mrkdwn; shown as the characters (as text, never parsed as HTML).
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
