/**
 * JSON text of strings, for renderers that write a fixed body shape as a template instead of
 * serializing an object: the same bytes as `JSON.stringify`, for a fraction of its cost.
 */

// What JSON.stringify escapes in a string: the quote, the backslash, C0 controls and every
// surrogate that is not part of a pair (checked by JSON.stringify itself when one shows up).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`: the quoted JSON string. Text with nothing to escape, which is most
 * fault text, is quoted as it is.
 *
 * @param text - any string, including lone surrogates and control characters
 * @returns exactly what `JSON.stringify(text)` returns
 */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * The quoted JSON of texts known in advance (catalogue codes and messages, reason phrases),
 * written once: a renderer looks a text up here before quoting it.
 *
 * @param texts - the constant texts
 * @returns each text's `jsonString`, by text
 * @example
 * ```ts
 * const quoted = jsonStrings(['Not Found']);
 * quoted.get('Not Found') ?? jsonString(text); // '"Not Found"'
 * ```
 */
export function jsonStrings(texts: Iterable<string>): ReadonlyMap<string, string> {
  const quoted = new Map<string, string>();
  for (const text of texts) quoted.set(text, jsonString(text));
  return quoted;
}
