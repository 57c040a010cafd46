import type { SlackBlock } from '@contracts/ask.contract';
import { Mrkdwn } from './mrkdwn';

type TextObject = { type: string; text: string } | string | undefined;

function Text({ value }: { value: TextObject }) {
  if (!value) return null;
  if (typeof value === 'string') return <span>{value}</span>;
  return value.type === 'mrkdwn' ? <Mrkdwn text={value.text} /> : <span>{value.text}</span>;
}

/**
 * A Slack message as Slack would show it, from its Block Kit blocks: header, section (text, fields),
 * context, divider and actions (buttons are shown, not wired: this is a preview). Unknown blocks are named.
 */
export function BlockKitMessage({ blocks, botName = 'Lore' }: { blocks: SlackBlock[]; botName?: string }) {
  return (
    <article className="slack-message" aria-label="Answer as shown in Slack">
      <div className="slack-avatar" aria-hidden="true">
        L
      </div>
      <div className="slack-content">
        <div className="slack-meta">
          <strong>{botName}</strong>
          <span className="slack-app-tag">APP</span>
        </div>
        {blocks.map((b, i) => (
          <Block key={b.block_id ?? i} block={b} />
        ))}
      </div>
    </article>
  );
}

// Block Kit elements carry no ids and a message is rendered once, never reordered: list positions are stable keys.
function Block({ block }: { block: SlackBlock }) {
  switch (block.type) {
    case 'header':
      return (
        <div className="bk-header">
          <Text value={block.text} />
        </div>
      );
    case 'section':
      return (
        <div className="bk-section">
          <Text value={block.text} />
          {block.fields ? (
            <div className="bk-fields">
              {block.fields.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a rendered message is static and never reordered
                <div key={i}>
                  <Text value={f} />
                </div>
              ))}
            </div>
          ) : null}
        </div>
      );
    case 'context':
      return (
        <div className="bk-context">
          {(block.elements ?? []).map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a rendered message is static and never reordered
            <span key={i}>
              {e.type === 'mrkdwn' ? (
                <Mrkdwn text={String(e.text ?? '')} citations={false} />
              ) : (
                String(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))
              )}
            </span>
          ))}
        </div>
      );
    case 'divider':
      return <hr className="bk-divider" />;
    case 'actions':
      return (
        <div className="bk-actions">
          {(block.elements ?? []).map((e) => {
            const label = typeof e.text === 'string' ? e.text : (e.text?.text ?? e.action_id ?? 'Button');
            const key = e.action_id ?? e.url ?? label;
            return e.url ? (
              <a key={key} className="bk-button" href={e.url} target="_blank" rel="noreferrer noopener">
                {label}
              </a>
            ) : (
              <button
                key={key}
                type="button"
                className={`bk-button ${e.style ? `bk-${e.style}` : ''}`}
                title="Shown as in Slack; votes are cast in Slack"
              >
                {label}
              </button>
            );
          })}
        </div>
      );
    default:
      return <div className="bk-unknown muted">[{block.type} block]</div>;
  }
}
