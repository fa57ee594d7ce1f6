/**
 * Status coercion: `toStatus` reads an error's `status`/`statusCode`; `errorStatus` applies the
 * same rule to values already read.
 */
import { getReasonPhrase } from 'http-status-codes';
import { isErrorStatus } from './fault.js';
import { safeGet } from './safe.js';

/**
 * The error status an error-like object asks for: its `status` if that is an integer in
 * 400–599, else its `statusCode` if that is, else `undefined`. `status` wins, as in Express's
 * finalhandler; strings such as `'404'`, non-integers and values outside 400–599 are ignored.
 *
 * @param err - any object; reads are guarded
 * @returns the status, or `undefined`
 * @example
 * ```ts
 * toStatus({ status: 404 });            // 404
 * toStatus({ status: 200, statusCode: 409 }); // 409
 * toStatus({ statusCode: '404' });      // undefined
 * ```
 */
export function toStatus(err: object): number | undefined {
  const status = safeGet(err, 'status');
  if (isErrorStatus(status)) return status;
  return errorStatus(undefined, safeGet(err, 'statusCode'));
}

/** The rule of {@link toStatus}, for `status` and `statusCode` values already read. */
export function errorStatus(status: unknown, statusCode: unknown): number | undefined {
  if (isErrorStatus(status)) return status;
  return isErrorStatus(statusCode) ? statusCode : undefined;
}

/**
 * The reason phrase of a status, e.g. `Internal Server Error` for 500; for a status
 * without one, the phrase of its class (400 or 500).
 */
export function reasonPhrase(status: number): string {
  try {
    return getReasonPhrase(status);
  } catch {
    return getReasonPhrase(status >= 500 ? 500 : 400);
  }
}
