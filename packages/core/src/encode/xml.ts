/**
 * XML text escaping shared by every XML encoding. Output is always well-formed XML 1.0:
 * markup characters are escaped and characters XML 1.0 forbids are replaced by U+FFFD.
 */

// Characters outside XML 1.0 `Char` (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]): C0 controls, U+FFFE/U+FFFF and unpaired surrogates.
const INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"'\r]/g;
const NEEDS_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw CR would reach the reader as LF (XML 1.0 §2.11 end-of-line handling); as a character
  // reference it stays a CR, as the JDK's serializer writes it.
  '\r': '&#13;',
};

/**
 * Escapes text for use in XML element content or a quoted attribute: `& < > " '` become
 * entities (as Apache Commons `escapeXml10` does, which X-Road uses), CR becomes `&#13;` (so
 * it is read back as CR, not LF) and characters that XML 1.0 forbids become U+FFFD.
 *
 * @param text - any string, including lone surrogates and control characters
 * @returns text safe to place between tags
 * @example
 * ```ts
 * escapeXml('a < b & "c"\u0001'); // 'a &lt; b &amp; &quot;c&quot;\uFFFD'
 * ```
 */
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INVALID, '\uFFFD').replace(SPECIAL, (c) => ENTITIES[c] ?? c);
}
