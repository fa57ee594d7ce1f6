/**
 * XML text as Apache Axiom writes it through the Woodstox StAX writer (FasterXML/woodstox
 * `BufferingXmlWriter.writeCharacters` and `writeAsEntity`), which is how WSO2's gateway
 * serialises its SOAP faults and OM-built XML bodies: `&` and `<` as entities, `>` only where it
 * could close a CDATA section (first in the text, or after `]`), CR and the controls U+007F to
 * U+009F as hexadecimal references (`&#xd;`), quotes and apostrophes as they are.
 *
 * One exception keeps the output well-formed: Woodstox refuses the characters XML 1.0 forbids
 * (C0 controls other than tab, LF and CR; lone surrogates) and writes U+FFFE and U+FFFF as
 * references no parser accepts; here each of them becomes U+FFFD.
 */

// Characters outside XML 1.0 `Char`: C0 controls, U+FFFE/U+FFFF and unpaired surrogates.
const INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>\r\u007F-\u009F]/g;
const NEEDS_WORK =
  /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

function reference(text: string, c: string, offset: number): string {
  if (c === '&') return '&amp;';
  if (c === '<') return '&lt;';
  if (c === '>') return offset === 0 || text[offset - 1] === ']' ? '&gt;' : '>';
  return `&#x${c.charCodeAt(0).toString(16)};`;
}

/**
 * Escapes element text as Axiom and Woodstox write it, with characters XML 1.0 forbids
 * replaced by U+FFFD.
 *
 * @param text - any string, including lone surrogates and control characters
 * @returns the text as it goes between tags
 * @example
 * ```ts
 * escapeStaxText(`a < b & "c" 'd' ]]> \r`); // `a &lt; b &amp; "c" 'd' ]]&gt; &#xd;`
 * ```
 */
export function escapeStaxText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  const valid = text.replace(INVALID, '\uFFFD');
  return valid.replace(SPECIAL, (c: string, offset: number) => reference(valid, c, offset));
}
