// biome-ignore lint/suspicious/noExplicitAny: Block Kit messages are JSON documents.
type Json = any;

/** Slack mrkdwn as a terminal shows it: links as "label (url)", entities decoded. */
function plain(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<!date\^\d+\^[^|]*\|([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Renders a posted message (text and Block Kit blocks) as plain text for the simulator's output. */
export function renderMessage(message: { text?: string; blocks?: Json[] }): string {
  const blocks: Json[] = Array.isArray(message.blocks) ? message.blocks : [];
  if (blocks.length === 0) return plain(String(message.text ?? ''));
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'section':
          return plain(b.text?.text ?? '');
        case 'context':
          return (b.elements ?? []).map((e: Json) => `  ${plain(e.text ?? '')}`).join('\n');
        case 'actions':
          return (b.elements ?? []).map((e: Json) => `[ ${e.text?.text ?? e.action_id} ]`).join(' ');
        case 'header':
          return `# ${b.text?.text ?? ''}`;
        case 'divider':
          return '---';
        default:
          return '';
      }
    })
    .filter(Boolean)
    .join('\n\n');
}
