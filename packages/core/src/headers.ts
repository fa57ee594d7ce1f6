/**
 * Header hygiene: only legal names and values ever reach `setHeader`, so writing a fault
 * can never fail with `ERR_INVALID_CHAR`.
 */
import { safeGet } from './safe.js';
import type { FaultHeaders } from './fault.js';

// RFC 9110 token and field-value (obs-text allowed, as Node does).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Headers a route may have set that must not go out with a fault: hop-by-hop headers
 * (RFC 9110 §7.6.1), the connection-specific headers HTTP/2 forbids in a response (RFC 9113
 * §8.2.2: Node leaves such a stream unanswered) and the framing and content headers the
 * fault's body replaces. `Trailer` belongs here too: Node refuses it on a response with a
 * `Content-Length`. `Connection` is not: Node manages it (and stops writing its own when it is
 * removed), and drops it from an HTTP/2 response by itself. Remove only the ones that are set:
 * removing an absent `Transfer-Encoding` or `Content-Length` changes how Node frames a body.
 *
 * @example
 * ```ts
 * for (const name of STALE_HEADERS) if (res.hasHeader(name)) res.removeHeader(name); // before writing a fault
 * ```
 */
export const STALE_HEADERS: readonly string[] = Object.freeze([
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'http2-settings',
  'content-length',
  'content-encoding',
  'content-language',
  'content-range',
]);

// Headers an error may never set: the renderer owns the body's type and framing, and the
// connection is not the error's.
const RESERVED: ReadonlySet<string> = new Set([
  ...STALE_HEADERS,
  'connection',
  'content-type',
  'set-cookie',
]);

// Headers faultline or a dialect writes on every fault, and framing: an echo of the
// correlation id under one of these names would replace or break them.
const NOT_FOR_ECHO: ReadonlySet<string> = new Set([
  ...RESERVED,
  'cache-control',
  'vary',
  'x-content-type-options',
  'content-security-policy',
  'x-road-error',
  'soapaction',
  'www-authenticate',
  'retry-after',
  'allow',
  'date',
  'server',
  'location',
]);

/**
 * Whether `name` may carry the echo of the correlation id: a header name that is not one a
 * fault response already owns (its framing, its content headers, the headers faultline and the
 * dialects write) and not a hop-by-hop header.
 *
 * @param name - a lower-case header name
 * @returns `true` for a name such as `x-correlation-id`
 */
export function isEchoHeaderName(name: string): boolean {
  return isHeaderName(name) && !NOT_FOR_ECHO.has(name) && !name.startsWith('content-');
}

/**
 * The `Vary` a fault goes out with when the response already has one: what a middleware set
 * before the error (CORS's `Origin`, compression's `Accept-Encoding`) still shapes the answer,
 * so the fault's names are added to it, each name once, rather than put in its place. `*` stays
 * `*`. An existing value that is not a legal header value is replaced.
 *
 * @param existing - the response's current `Vary` (`res.getHeader('vary')`): a string, a list
 *   of strings, or nothing
 * @param ours - the fault's `Vary`, e.g. `Accept`
 * @returns the value to send
 * @example
 * ```ts
 * mergeVary('Origin', 'Accept'); // 'Origin, Accept'
 * mergeVary(undefined, 'Accept'); // 'Accept'
 * ```
 */
export function mergeVary(existing: unknown, ours: string): string {
  const before = Array.isArray(existing)
    ? existing.filter((v): v is string => typeof v === 'string').join(', ')
    : typeof existing === 'string'
      ? existing
      : '';
  if (before.trim() === '' || !isHeaderValue(before)) return ours;
  const names = before
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.includes('*')) return '*';
  const seen = new Set(names.map((name) => name.toLowerCase()));
  for (const name of ours.split(',')) {
    const trimmed = name.trim();
    if (trimmed === '' || seen.has(trimmed.toLowerCase())) continue;
    seen.add(trimmed.toLowerCase());
    names.push(trimmed);
  }
  return names.join(', ');
}

/** Whether `value` may be sent as a header value. */
export function isHeaderValue(value: string): boolean {
  return value.length <= 8192 && FIELD_VALUE.test(value);
}

/** Whether `name` may be sent as a header name. */
export function isHeaderName(name: string): boolean {
  return name.length <= 256 && TOKEN.test(name);
}

/**
 * `isHeaderName(name) && isHeaderValue(value)`, remembered: a dialect renders the same few
 * headers for every fault (its content types, its codes), so the pairs found legal are kept,
 * at most `max` of them and only values up to 256 characters; when full, it starts afresh.
 */
export function headerCheck(max = 256): (name: string, value: string) => boolean {
  const legal = new Map<string, Set<string>>();
  let size = 0;
  return (name, value) => {
    const values = legal.get(name);
    if (values?.has(value)) return true;
    if (!isHeaderName(name) || !isHeaderValue(value)) return false;
    if (value.length <= 256) {
      if (size >= max) {
        legal.clear();
        size = 0;
      }
      const set = legal.get(name);
      if (set === undefined) legal.set(name, new Set([value]));
      else set.add(value);
      size += 1;
    }
    return true;
  };
}

/**
 * The legal, non-reserved entries of an error's `headers` property, with lower-case names.
 * Strings, numbers and arrays of strings are accepted (arrays joined by `, `); anything else,
 * and a `headers` that is not a plain record, is dropped.
 */
export function sanitizeHeaders(raw: unknown): FaultHeaders | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  let keys: string[];
  try {
    keys = Object.keys(raw);
  } catch {
    return undefined;
  }
  let out: Record<string, string> | undefined;
  for (const key of keys.slice(0, 64)) {
    const name = key.toLowerCase();
    if (!isHeaderName(name) || RESERVED.has(name)) continue;
    const value = headerValue(safeGet(raw, key));
    if (value === undefined || !isHeaderValue(value)) continue;
    (out ??= {})[name] = value;
  }
  return out;
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  try {
    if (Array.isArray(value) && value.length <= 64 && value.every((v) => typeof v === 'string')) {
      return value.join(', ');
    }
  } catch {
    // an array Proxy whose traps throw
  }
  return undefined;
}

/** The first value of a request header, whatever shape the framework gives it. */
export function firstHeader(
  headers: Readonly<Record<string, string | readonly string[] | undefined>> | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/** All values of a request header joined by `,`, as HTTP allows for list-valued headers. */
export function listHeader(
  headers: Readonly<Record<string, string | readonly string[] | undefined>> | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(',') : undefined;
}

/**
 * The value of `Retry-After` (RFC 9110 §10.2.3): seconds, or an HTTP date.
 *
 * @example
 * ```ts
 * retryAfterValue(new Date(Date.UTC(2026, 11, 2, 9, 0))); // 'Wed, 02 Dec 2026 09:00:00 GMT'
 * ```
 */
export function retryAfterValue(after: number | Date): string {
  return typeof after === 'number' ? String(after) : after.toUTCString();
}
