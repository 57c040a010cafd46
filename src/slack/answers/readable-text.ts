/**
 * A Slack message's text as the member reads it. Slack sends its markup (a link as `<https://…|label>`, a channel
 * as `<#C123|general>`, @here as `<!here>`) and escapes `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`. Read as
 * sent, "vacation &amp; sick days" was searched with a word "amp", and a pasted link as the pieces of its URL,
 * each a topic word no passage holds; the dashboard showed "&amp;" too. User mentions stay as Slack's markup
 * (the bot's own is removed by the listener; search drops the others).
 */
export function readableSlackText(text: string): string {
  return (
    text
      .replace(
        /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g,
        (_, url: string, label?: string) => label || url,
      )
      .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
      .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
      // Last: what Slack escaped is text the member typed, never markup.
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
}
