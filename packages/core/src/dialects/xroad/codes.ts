/**
 * X-Road's code arithmetic: the prefix of each Security Server side, `withPrefix` as
 * `CodedException.withPrefix` joins prefixes, and the REST status rule (500 for `Server.*`,
 * 400 for `Client.*`). Pure functions, no catalogue.
 *
 * @module
 */

/**
 * The Security Server role a service plays: client proxy (consumer) or server proxy (provider).
 *
 * @example
 * ```ts
 * const side: XRoadSide = 'client';
 * createFaultHandler({ dialect: 'xroad', xroad: { side } });
 * ```
 */
export type XRoadSide = 'client' | 'server';

/**
 * The code prefix of each side.
 *
 * @example
 * ```ts
 * PREFIX.client; // 'Server.ClientProxy'
 * ```
 */
export const PREFIX: Readonly<Record<XRoadSide, string>> = {
  client: 'Server.ClientProxy',
  server: 'Server.ServerProxy',
};

/**
 * Whether a code carries its `Server.`/`Client.` prefix already.
 *
 * @example
 * ```ts
 * isQualified('UnknownService'); // false
 * ```
 */
export function isQualified(code: string): boolean {
  return code.startsWith('Server.') || code.startsWith('Client.');
}

/**
 * X-Road's `CodedException.withPrefix`: joins the prefixes with `.` and prepends them unless
 * the code already starts with them.
 *
 * @param code - a code such as `InternalError`
 * @param prefixes - e.g. `'Server.ServerProxy'`, or `'ServiceFailed'`
 * @returns the prefixed code
 * @example
 * ```ts
 * withPrefix('InternalError', 'ServiceFailed'); // 'ServiceFailed.InternalError'
 * withPrefix('Server.ServerProxy.X', 'Server.ServerProxy'); // unchanged
 * ```
 */
export function withPrefix(code: string, ...prefixes: string[]): string {
  const prefix = prefixes.join('.');
  return prefix === '' || code.startsWith(prefix) ? code : `${prefix}.${code}`;
}

/**
 * X-Road's REST status rule: 500 when the code starts with `Server.`, else 400. An unprefixed
 * code counts as `Server.*`: the side's prefix completes it.
 */
export function restStatus(code: string): number {
  return code.startsWith('Client.') ? 400 : 500;
}

/**
 * A code with the side's prefix, unless it has a `Server.`/`Client.` prefix already.
 *
 * @example
 * ```ts
 * qualify('UnknownService', 'server'); // 'Server.ServerProxy.UnknownService'
 * ```
 */
export function qualify(code: string, side: XRoadSide): string {
  return isQualified(code) ? code : withPrefix(code, PREFIX[side]);
}

/**
 * The side of an option, checked.
 *
 * @example
 * ```ts
 * checkSide('client'); // 'client'; anything else is a TypeError
 * ```
 */
export function checkSide(side: unknown): XRoadSide {
  if (side !== 'client' && side !== 'server') {
    throw new TypeError(
      `faultline: xroad side must be 'client' or 'server', got '${String(side)}'`,
    );
  }
  return side;
}
