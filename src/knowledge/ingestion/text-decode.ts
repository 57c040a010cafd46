const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes document bytes as text: UTF-8 (a BOM is dropped), or UTF-16 when it starts with a UTF-16 BOM.
 * Returns undefined for bytes that are not text: invalid UTF-8, NUL bytes, or many control characters.
 */
export function decodeText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff)
      text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    else text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return looksLikeText(text) ? text : undefined;
}

/** Binary data that happens to be valid UTF-8 still has NULs or many control characters; prose has neither. */
function looksLikeText(text: string): boolean {
  if (text.includes('\u0000')) return false;
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point here
  const controls = sample.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f]/g)?.length ?? 0;
  return controls <= Math.max(8, sample.length * 0.01);
}
