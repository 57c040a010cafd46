/**
 * Announcements are written in Markdown; Slack (App Home) and the dashboard's renderer both read Slack's
 * mrkdwn. This converts the common subset: **bold** and __bold__, *italic*, [label](url), # headings, and
 * "- " / "* " list items. Slack's control characters (&, <, >) in the text are escaped first, so an
 * announcement cannot inject mentions or links other than the ones it spells in Markdown.
 */
export function markdownToMrkdwn(markdown: string): string {
  const escaped = markdown.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return escaped
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/, '**$1**')
        .replace(/^(\s*)[-*+]\s+/, '$1• ')
        .replace(/(^|[^*])\*(?!\*)([^*\n]+?)\*(?!\*)/g, '$1_$2_')
        .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a?: string, b?: string) => `*${a ?? b}*`)
        .replace(
          /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g,
          (_m, label: string, url: string) => `<${url}|${label}>`,
        ),
    )
    .join('\n');
}
