/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Builds HTML from a template: interpolations are escaped; arrays are joined; `Html` passes through. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif;
         background: #f3f4f6; color: #1f2937; }
  main { max-width: 560px; margin: 64px auto; padding: 32px 36px; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 24px; margin: 0 0 12px; }
  p, li { color: #374151; }
  .muted { color: #6b7280; font-size: 14px; }
  .button { display: inline-block; padding: 10px 18px; border-radius: 8px; background: #1f2937; color: #fff;
            text-decoration: none; font-weight: 600; }
  .secondary { background: #fff; color: #1f2937; border: 1px solid #d1d5db; margin-left: 8px; }
  .error { border-left: 4px solid #dc2626; padding: 8px 14px; background: #fef2f2; }
  .ok { border-left: 4px solid #16a34a; padding: 8px 14px; background: #f0fdf4; }
  code { background: #f3f4f6; padding: 1px 5px; border-radius: 4px; font-size: 14px; }
  ul.scopes { columns: 2; font-size: 14px; padding-left: 18px; }
`;

/** A complete page: doctype, charset, viewport, Lore's styles and the given body. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Lore</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
}
