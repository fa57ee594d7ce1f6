/**
 * Header hygiene: only legal names and values ever reach `setHeader`, so writing a fault
 * can never fail with `ERR_INVALID_CHAR`.
 */
import { safeGet } from './safe.js';
import type { FaultHeaders } from './fault.js';

// RFC 9110 token and field-value (obs-text allowed, as Node does).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

// Headers an error may never set: the renderer owns the body's framing and type.
const RESERVED = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-range',
  'transfer-encoding',
  'set-cookie',
  'connection',
]);

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
