/**
 * AST code arithmetic: a full code is the subsystem's decimal digits followed by the error
 * code's (`510` ‖ `4001` = `5104001`), and splits back the same way. Pure functions.
 *
 * @module
 */
import { AST_SUBSYSTEM } from './catalog.js';

/**
 * A full code split into its parts, as `ast.decode` returns it.
 *
 * @example
 * ```ts
 * const parts: AstCodeParts | undefined = ast.decode(5104001); // { subsystem: 510, error: 4001 }
 * ```
 */
export interface AstCodeParts {
  readonly subsystem: number;
  readonly error: number;
}

/**
 * Whether a value is a positive safe integer, the form of every part and every full code.
 *
 * @example
 * ```ts
 * isPart(510); // true
 * ```
 */
export function isPart(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Joins a subsystem and an error code into a full code: the subsystem's decimal digits
 * followed by the error code's.
 *
 * @param subsystem - a positive integer, e.g. `510`
 * @param error - a positive integer, e.g. `4001`
 * @returns the full code, e.g. `5104001`
 * @throws TypeError when either part is not a positive integer or the result is not a safe integer
 * @example
 * ```ts
 * ast.code(510, 10);    // 51010
 * ast.code(510, 50021); // 51050021
 * ```
 */
export function code(subsystem: number, error: number): number {
  if (!isPart(subsystem)) {
    throw new TypeError(
      `faultline: an AST subsystem must be a positive integer, got ${String(subsystem)}`,
    );
  }
  if (!isPart(error)) {
    throw new TypeError(
      `faultline: an AST error code must be a positive integer, got ${String(error)}`,
    );
  }
  const full = Number(`${subsystem}${error}`);
  if (!Number.isSafeInteger(full)) {
    throw new TypeError(`faultline: AST code ${subsystem}‖${error} is too long for a JSON number`);
  }
  return full;
}

/**
 * Splits a full code into subsystem and error code, the inverse of `ast.code`. A value
 * that is no such code (not a positive integer, other leading digits, nothing or a leading
 * zero after them) gives `undefined`: decode is meant for codes read from the wire.
 *
 * @param full - a full code, e.g. `5104001`
 * @param [subsystem=510] - the subsystem whose codes to recognise
 * @returns `{ subsystem, error }`, or `undefined`
 * @throws TypeError when `subsystem` is not a positive integer
 * @example
 * ```ts
 * ast.decode(5104001);     // { subsystem: 510, error: 4001 }
 * ast.decode(51610, 516);  // { subsystem: 516, error: 10 }
 * ast.decode(51610);       // undefined
 * ```
 */
export function decode(full: number, subsystem: number = AST_SUBSYSTEM): AstCodeParts | undefined {
  if (!isPart(subsystem)) {
    throw new TypeError(
      `faultline: an AST subsystem must be a positive integer, got ${String(subsystem)}`,
    );
  }
  if (!isPart(full)) return undefined;
  const digits = String(full);
  const prefix = String(subsystem);
  const rest = digits.slice(prefix.length);
  // A leading zero would not survive `code`, so such a split is not a round trip.
  if (!digits.startsWith(prefix) || rest === '' || rest.startsWith('0')) return undefined;
  return { subsystem, error: Number(rest) };
}
