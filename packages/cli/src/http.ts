/**
 * Captured responses: a body alone, or a whole HTTP response as `curl -i` prints it (status
 * line, headers, blank line, body; interim `100 Continue` responses skipped).
 *
 * @module
 */

/**
 * A captured response, split.
 *
 * @example
 * ```ts
 * const captured: Captured = { status: 500, headers: { 'content-type': 'application/json' }, body: '{}' };
 * ```
 */
export interface Captured {
  /** The status of the status line, when the capture has one. */
  readonly status?: number;
  /** The headers, lower-case names (repeated ones joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body. */
  readonly body: string;
}

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})(?:\s[^\r\n]*)?\r?\n/;

/**
 * Splits a capture into status, headers and body. Text that does not start with an HTTP
 * status line is all body.
 *
 * @param text - the capture
 * @returns the parts
 * @example
 * ```ts
 * splitResponse('HTTP/1.1 500 Server Error\r\nContent-Type: application/json\r\n\r\n{}');
 * // { status: 500, headers: { 'content-type': 'application/json' }, body: '{}' }
 * ```
 */
export function splitResponse(text: string): Captured {
  let rest = text.replace(/^\uFEFF/, '');
  for (let guard = 0; guard < 8; guard++) {
    const line = STATUS_LINE.exec(rest);
    if (line === null) break;
    const end = /\r?\n\r?\n/.exec(rest);
    const head = end === null ? rest : rest.slice(0, end.index);
    const body = end === null ? '' : rest.slice(end.index + end[0].length);
    const status = Number(line[1]);
    if (status >= 100 && status < 200 && STATUS_LINE.test(body)) {
      rest = body;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const raw of head.split(/\r?\n/).slice(1)) {
      const colon = raw.indexOf(':');
      if (colon <= 0) continue;
      const name = raw.slice(0, colon).trim().toLowerCase();
      const value = raw.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    return { status, headers, body };
  }
  return { headers: {}, body: rest };
}
