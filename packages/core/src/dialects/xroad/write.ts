/**
 * Extra file: X-Road's three text writers, each a port of a Java library's escaping.
 *
 * How the X-Road security server writes text, byte for byte (X-Road 7.5–7.8,
 * `ClientRestMessageHandler.sendErrorResponse` and `SoapFault.createFaultXml`): REST JSON
 * strings as Jackson writes them, REST XML text as the JDK's identity transformer writes it,
 * and SOAP text as Apache Commons Text `escapeXml10` escapes it. Each function returns the
 * text itself when nothing in it needs work, which is most fault text.
 *
 * Two safety rules differ from the security server, where it would send malformed output: in
 * REST XML, C0 controls (which the JDK writes as `&#1;`, not well-formed XML 1.0), lone
 * surrogates (the JDK throws and the body stays empty) and U+FFFE/U+FFFF become U+FFFD.
 *
 * @module
 */

// Jackson's short escapes; every other C0 control is `\u00XX` with upper-case hex.
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};
const JSON_WORK = /["\\\u0000-\u001F\uD800-\uDFFF]/;
// A pair first, so that only an unpaired surrogate is matched by the second branch.
const JSON_CHARS = /["\\\u0000-\u001F]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

function jsonChar(c: string): string {
  if (c.length === 2) return c;
  const short = JSON_SHORT[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  // A lone surrogate reaches Jackson's PrintWriter, whose UTF-8 encoder writes `?` for it.
  return code >= 0xd800 ? '?' : `\\u${hex4(code)}`;
}

/**
 * A quoted JSON string as the security server's Jackson generator writes it: `"` and `\`
 * escaped, `\b \t \n \f \r` in their short forms, other C0 controls as `\u00XX` with
 * upper-case hex, everything else as it is (`/`, DEL, C1, U+2028), and `?` for a lone
 * surrogate.
 *
 * @param text - any string
 * @returns the JSON string, quotes included
 * @example
 * ```ts
 * jacksonString('a\u001Bb\ud800'); // '"a\\u001Bb?"'
 * ```
 */
export function jacksonString(text: string): string {
  return JSON_WORK.test(text) ? `"${text.replace(JSON_CHARS, jsonChar)}"` : `"${text}"`;
}

const REST_XML_WORK =
  /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
const REST_XML_CHARS =
  /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;
const REST_XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#13;',
};

function restXmlChar(c: string): string {
  const entity = REST_XML_ENTITIES[c];
  if (entity !== undefined) return entity;
  const code = c.codePointAt(0) ?? 0;
  // Astral characters, DEL and C1 controls are decimal references; the rest is not XML 1.0.
  return c.length === 2 || (code >= 0x7f && code <= 0x9f) ? `&#${code};` : '\uFFFD';
}

/**
 * Element text as the JDK's identity transformer writes the security server's REST XML error:
 * `&`, `<` and `>` as entities, CR as `&#13;`, `'` and `"` as they are, characters outside
 * the BMP and U+007F–U+009F as decimal references (`&#128512;`, `&#127;`). C0 controls, lone
 * surrogates and U+FFFE/U+FFFF become U+FFFD (the safety rule above).
 *
 * @param text - any string
 * @returns text to place between tags
 * @example
 * ```ts
 * escapeRestXml(`Client 'A' <b>\u0085\ud83d\ude00`); // "Client 'A' &lt;b&gt;&#133;&#128512;"
 * ```
 */
export function escapeRestXml(text: string): string {
  return REST_XML_WORK.test(text) ? text.replace(REST_XML_CHARS, restXmlChar) : text;
}

const SOAP_WORK =
  /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
const SOAP_CHARS =
  /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;
const SOAP_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function soapChar(c: string): string {
  if (c.length === 2) return c;
  const entity = SOAP_ENTITIES[c];
  if (entity !== undefined) return entity;
  const code = c.charCodeAt(0);
  // U+007F–U+0084 and U+0086–U+009F are references; what XML 1.0 forbids is removed.
  return code >= 0x7f && code <= 0x9f ? `&#${code};` : '';
}

/**
 * SOAP fault text as Apache Commons Text `escapeXml10` escapes it for `SoapFault.createFaultXml`:
 * `& < > " '` as entities, U+007F–U+0084 and U+0086–U+009F as decimal references, and the
 * characters XML 1.0 forbids (C0 controls but TAB, LF and CR; lone surrogates; U+FFFE,
 * U+FFFF) removed. CR, U+0085 and characters outside the BMP stay as they are.
 *
 * @param text - any string
 * @returns text to place between tags
 * @example
 * ```ts
 * escapeSoapXml(`it's\u0001\r\u0080`); // 'it&apos;s\r&#128;'
 * ```
 */
export function escapeSoapXml(text: string): string {
  return SOAP_WORK.test(text) ? text.replace(SOAP_CHARS, soapChar) : text;
}
