/**
 * XKS path rules: the base path `[prefix]/kms/xks/v1`, the four APIs it names, the prefix's
 * limits (`XksProxyUriPath` is at most 128 characters), and what an `errorMessage` may hold.
 * Pure functions, no catalogue.
 *
 * @module
 */
import type { XksOperation } from './catalog.js';

/**
 * An XKS API request recognised from its path.
 *
 * @example
 * ```ts
 * const route: XksRoute | undefined = xks.operationOf('/kms/xks/v1/keys/k-1/metadata');
 * // { operation: 'GetKeyMetadata', keyId: 'k-1' }
 * ```
 */
export interface XksRoute {
  readonly operation: XksOperation;
  /** The `externalKeyId` path segment; absent for `GetHealthStatus`. */
  readonly keyId?: string;
}

export const BASE = '/kms/xks/v1';
/**
 * The longest `errorMessage` sent: the spec ("Error codes") wants it under 512 characters.
 *
 * @example
 * ```ts
 * sanitizeErrorMessage('x'.repeat(600)).length === MAX_ERROR_MESSAGE; // true
 * ```
 */
export const MAX_ERROR_MESSAGE = 511;
// XksProxyUriPath (prefix + `/kms/xks/v1`) is at most 128 characters of [A-Za-z0-9/_-].
export const MAX_PREFIX = 128 - BASE.length;
export const PREFIX_PATTERN = /^(?:\/[A-Za-z0-9_-]+)*$/;
const NOT_PRINTABLE = /[^\x20-\x7E]/;
const KEY_ROUTE = /^\/keys\/([A-Za-z0-9._-]{1,128})\/(metadata|encrypt|decrypt)$/;
const OPERATION_BY_SEGMENT: Readonly<Record<string, XksOperation>> = {
  metadata: 'GetKeyMetadata',
  encrypt: 'Encrypt',
  decrypt: 'Decrypt',
};

/**
 * Makes a message fit for `errorMessage`: every character outside printable ASCII
 * (0x20–0x7E) becomes `?` (one `?` per code point, so a surrogate pair gives one and a lone
 * surrogate gives one), then the text is cut to `MAX_ERROR_MESSAGE` (511) characters.
 * Replacing rather than dropping keeps the shape of the text readable in CloudWatch.
 *
 * @param text - any message
 * @returns printable ASCII, at most 511 characters
 * @example
 * ```ts
 * sanitizeErrorMessage('Schlüssel\n1'); // 'Schl?ssel?1'
 * ```
 */
export function sanitizeErrorMessage(text: string): string {
  // Printable ASCII, which is most fault text, only needs the cut.
  if (!NOT_PRINTABLE.test(text)) {
    return text.length > MAX_ERROR_MESSAGE ? text.slice(0, MAX_ERROR_MESSAGE) : text;
  }
  // Each code point becomes one character, so 2 × 511 UTF-16 units always suffice.
  return text
    .slice(0, 2 * MAX_ERROR_MESSAGE)
    .replace(/[^\x20-\x7E]/gu, '?')
    .slice(0, MAX_ERROR_MESSAGE);
}

export function checkPrefix(prefix: unknown, name: string): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX || !PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `faultline: ${name} must be '' or a path such as '/tenant-a' of [A-Za-z0-9/_-] segments, at most ${MAX_PREFIX} characters`,
    );
  }
  return prefix;
}

// The part of `path` after `[prefix]/kms/xks/v1`, or undefined when the path is not under it.
// Without a prefix, the first `/kms/xks/v1` segment run preceded by a valid prefix counts.
export function restOf(path: string, prefix: string): string | undefined {
  // Every path under the base contains it: most paths are answered by this one search.
  if (!path.includes(BASE)) return undefined;
  const query = path.indexOf('?');
  const fragment = path.indexOf('#');
  const end = query === -1 || (fragment !== -1 && fragment < query) ? fragment : query;
  const bare = end === -1 ? path : path.slice(0, end);
  const boundary = (at: number) => at === bare.length || bare[at] === '/';
  if (prefix !== '') {
    const base = prefix + BASE;
    return bare.startsWith(base) && boundary(base.length) ? bare.slice(base.length) : undefined;
  }
  for (let at = bare.indexOf(BASE); at !== -1; at = bare.indexOf(BASE, at + 1)) {
    if (at > MAX_PREFIX) return undefined;
    if (boundary(at + BASE.length) && PREFIX_PATTERN.test(bare.slice(0, at)))
      return bare.slice(at + BASE.length);
  }
  return undefined;
}

/**
 * Recognises an XKS proxy API request from its path: `[prefix]/kms/xks/v1/health` and
 * `[prefix]/kms/xks/v1/keys/{externalKeyId}/metadata|encrypt|decrypt`, with `externalKeyId`
 * of 1–128 characters `[A-Za-z0-9._-]`. The query string is ignored; anything else (a
 * trailing `/`, another case, a percent-encoded key id) is not an API path.
 *
 * @param path - the request target, e.g. `req.originalUrl`
 * @param prefix - the path prefix before `/kms/xks/v1`; `''` (default) accepts any
 * @returns the operation and key id, or `undefined`
 * @throws TypeError when `prefix` is not a valid XKS path prefix
 * @example
 * ```ts
 * operationOf('/tenant/kms/xks/v1/keys/k-1/decrypt?x=1'); // { operation: 'Decrypt', keyId: 'k-1' }
 * operationOf('/kms/xks/v1/health', '/tenant');            // undefined
 * ```
 */
export function operationOf(path: string, prefix = ''): XksRoute | undefined {
  const base = checkPrefix(prefix, 'prefix');
  return typeof path === 'string' ? routeOfPath(path, base) : undefined;
}

/**
 * {@link operationOf} for a prefix already checked with {@link checkPrefix}.
 *
 * @param path - the request target
 * @param prefix - a valid path prefix, or `''`
 * @returns the operation and key id, or `undefined`
 */
export function routeOfPath(path: string, prefix: string): XksRoute | undefined {
  const rest = restOf(path, prefix);
  if (rest === '/health') return { operation: 'GetHealthStatus' };
  const match = rest === undefined ? null : KEY_ROUTE.exec(rest);
  if (match === null) return undefined;
  return { operation: OPERATION_BY_SEGMENT[match[2]!]!, keyId: match[1]! };
}

/**
 * Whether a path is under the XKS base path `[prefix]/kms/xks/v1` (the base itself
 * included), whether or not it names an API.
 *
 * @param path - the request target
 * @param prefix - the path prefix before `/kms/xks/v1`; `''` (default) accepts any
 * @returns `true` for `/kms/xks/v1`, `/kms/xks/v1/nope`, `/p/kms/xks/v1/health`, …
 * @throws TypeError when `prefix` is not a valid XKS path prefix
 * @example
 * ```ts
 * isUnderPrefix('/kms/xks/v1/keys'); // true
 * isUnderPrefix('/kms/xks/v10');     // false
 * ```
 */
export function isUnderPrefix(path: string, prefix = ''): boolean {
  const base = checkPrefix(prefix, 'prefix');
  return typeof path === 'string' && restOf(path, base) !== undefined;
}
