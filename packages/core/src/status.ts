/**
 * Status coercion: `toStatus` reads an error's `status`/`statusCode`; `errorStatus` applies the
 * same rule to values already read.
 */
import { StatusCodes } from 'http-status-codes';
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

// The reason phrases of the error statuses: RFC 9110 §15's names, and for the statuses other
// RFCs define, those of IANA's HTTP Status Code Registry. Where http-status-codes' phrase is
// obsolete (413 Request Entity Too Large, 414 Request-URI Too Long, 416 Requested Range Not
// Satisfiable, 422 Unprocessable Entity) or missing (425, 506, 508, 510), the registry's is
// used; statuses the registry does not assign (418 "(Unused)", 419, 420, 509, …) have none.
const PHRASES: ReadonlyMap<number, string> = new Map([
  [StatusCodes.BAD_REQUEST, 'Bad Request'],
  [StatusCodes.UNAUTHORIZED, 'Unauthorized'],
  [StatusCodes.PAYMENT_REQUIRED, 'Payment Required'],
  [StatusCodes.FORBIDDEN, 'Forbidden'],
  [StatusCodes.NOT_FOUND, 'Not Found'],
  [StatusCodes.METHOD_NOT_ALLOWED, 'Method Not Allowed'],
  [StatusCodes.NOT_ACCEPTABLE, 'Not Acceptable'],
  [StatusCodes.PROXY_AUTHENTICATION_REQUIRED, 'Proxy Authentication Required'],
  [StatusCodes.REQUEST_TIMEOUT, 'Request Timeout'],
  [StatusCodes.CONFLICT, 'Conflict'],
  [StatusCodes.GONE, 'Gone'],
  [StatusCodes.LENGTH_REQUIRED, 'Length Required'],
  [StatusCodes.PRECONDITION_FAILED, 'Precondition Failed'],
  [StatusCodes.REQUEST_TOO_LONG, 'Content Too Large'],
  [StatusCodes.REQUEST_URI_TOO_LONG, 'URI Too Long'],
  [StatusCodes.UNSUPPORTED_MEDIA_TYPE, 'Unsupported Media Type'],
  [StatusCodes.REQUESTED_RANGE_NOT_SATISFIABLE, 'Range Not Satisfiable'],
  [StatusCodes.EXPECTATION_FAILED, 'Expectation Failed'],
  [StatusCodes.MISDIRECTED_REQUEST, 'Misdirected Request'],
  [StatusCodes.UNPROCESSABLE_ENTITY, 'Unprocessable Content'],
  [StatusCodes.LOCKED, 'Locked'],
  [StatusCodes.FAILED_DEPENDENCY, 'Failed Dependency'],
  [425, 'Too Early'],
  [StatusCodes.UPGRADE_REQUIRED, 'Upgrade Required'],
  [StatusCodes.PRECONDITION_REQUIRED, 'Precondition Required'],
  [StatusCodes.TOO_MANY_REQUESTS, 'Too Many Requests'],
  [StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE, 'Request Header Fields Too Large'],
  [StatusCodes.UNAVAILABLE_FOR_LEGAL_REASONS, 'Unavailable For Legal Reasons'],
  [StatusCodes.INTERNAL_SERVER_ERROR, 'Internal Server Error'],
  [StatusCodes.NOT_IMPLEMENTED, 'Not Implemented'],
  [StatusCodes.BAD_GATEWAY, 'Bad Gateway'],
  [StatusCodes.SERVICE_UNAVAILABLE, 'Service Unavailable'],
  [StatusCodes.GATEWAY_TIMEOUT, 'Gateway Timeout'],
  [StatusCodes.HTTP_VERSION_NOT_SUPPORTED, 'HTTP Version Not Supported'],
  [506, 'Variant Also Negotiates'],
  [StatusCodes.INSUFFICIENT_STORAGE, 'Insufficient Storage'],
  [508, 'Loop Detected'],
  [510, 'Not Extended'],
  [StatusCodes.NETWORK_AUTHENTICATION_REQUIRED, 'Network Authentication Required'],
]);

/** The registered reason phrase of a status (`Content Too Large` for 413), or `undefined`. */
export function registeredPhrase(status: number): string | undefined {
  return PHRASES.get(status);
}

/**
 * The reason phrase of a status, e.g. `Internal Server Error` for 500; for a status
 * without one, the phrase of its class (400 or 500).
 */
export function reasonPhrase(status: number): string {
  return PHRASES.get(status) ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}
