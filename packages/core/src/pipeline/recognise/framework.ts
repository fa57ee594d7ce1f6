/**
 * Recognising framework errors: Fastify's by `code`, Express body-parser's by `type`, zlib's
 * inflate failures, and faultline's own unknown-route error, each with the one fixed text a
 * client gets for it.
 *
 * @module
 */
import type { ProblemKind } from '../types.js';
import { truncate } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import type { Builtins } from './index.js';

/**
 * The code faultline's not-found helpers give their 404 error.
 *
 * @example
 * ```ts
 * const fault = createFaultHandler({ dialect: 'problem' }).handle(routeNotFound('GET', '/nope')).fault;
 * fault.status; // 404; the thrown error's code is ROUTE_NOT_FOUND
 * ```
 */
export const ROUTE_NOT_FOUND = 'FAULTLINE_ROUTE_NOT_FOUND';

/**
 * The error the adapters raise for a request no route matches. It reflects the method and
 * path (cut to 256 characters); every encoding escapes them.
 *
 * @param method - the request method
 * @param url - the request target; the query string is dropped
 * @returns a 404 error that every dialect renders as its not-found fault
 * @example
 * ```ts
 * routeNotFound('GET', '/x?token=1').message; // 'No route for GET /x'
 * ```
 */
export function routeNotFound(method: string | undefined, url: string | undefined): Error {
  const path = truncate((url ?? '/').split('?', 1)[0] ?? '/', 256);
  return Object.assign(stacklessError(`No route for ${method ?? 'GET'} ${path}`), {
    status: 404,
    expose: true,
    code: ROUTE_NOT_FOUND,
  });
}

/**
 * The `code` of {@link statusPageError}'s errors.
 *
 * @example
 * ```ts
 * statusPageError(502).code === STATUS_PAGE; // true
 * ```
 */
export const STATUS_PAGE = 'FAULTLINE_STATUS_PAGE';

/**
 * The error that stands for a response a route or the framework ended with an error status and
 * no body (`res.sendStatus(502)`, `reply.code(404).send()`): the handler answers it as the
 * dialect's fault for that status, the status read even with the `httpErrors` recogniser off.
 * Its message is the status's reason phrase; a 5xx's is hidden like any.
 *
 * @param status - the response's status, 400–599
 * @returns the error, with no stack frames
 * @example
 * ```ts
 * handler.handle(statusPageError(502), request).body; // the dialect's bad-gateway fault
 * ```
 */
export function statusPageError(status: number): Error & { readonly status: number } {
  return Object.assign(stacklessError(reasonPhrase(status)), { status, code: STATUS_PAGE });
}

// An Error whose stack names no frames: the frames would be faultline's own and say nothing,
// and capturing them is the dearest step of answering a flood of requests for unknown routes.
function stacklessError(message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Error(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A framework or library error faultline knows: its kind, and the one text a client gets for it. */
export interface KnownError {
  readonly kind: ProblemKind;
  /** `undefined` where the error's own message is the client's (an unknown route's path, validation). */
  readonly text?: string;
}

// Library messages name parser internals, differ between Express and Fastify, and may carry
// what an application put in them (body-parser's `verify` error: a signature, a key id); the
// client gets one fixed text per kind of error, and the original goes to the log.
const BODY_UNREADABLE: KnownError = {
  kind: 'invalidBody',
  text: 'The request body could not be parsed',
};
/** zlib's inflate failure, which is body-parser's only when it came with a 4xx status. */
export const BODY_UNDECODABLE: KnownError = {
  kind: 'invalidBody',
  text: 'The request body could not be decoded',
};
const TOO_LARGE: KnownError = { kind: 'payloadTooLarge', text: 'The request body is too large' };
const UNSUPPORTED: KnownError = {
  kind: 'unsupportedMediaType',
  text: 'The request content type or encoding is not supported',
};
const LENGTH_MISMATCH: KnownError = {
  kind: 'badRequest',
  text: 'The request body does not match its Content-Length',
};

// Fastify's errors by code.
const BY_CODE: Readonly<Record<string, KnownError>> = {
  FST_ERR_NOT_FOUND: { kind: 'notFound', text: 'Not Found' },
  FST_ERR_VALIDATION: { kind: 'validation' },
  FST_ERR_CTP_INVALID_JSON_BODY: BODY_UNREADABLE,
  FST_ERR_CTP_EMPTY_JSON_BODY: BODY_UNREADABLE,
  FST_ERR_CTP_BODY_TOO_LARGE: TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: LENGTH_MISMATCH,
  FST_ERR_BAD_URL: { kind: 'badRequest', text: 'The request URL is not valid' },
};
// Express body-parser's (and raw-body's) errors by `type`.
const BY_TYPE: Readonly<Record<string, KnownError>> = {
  'entity.parse.failed': BODY_UNREADABLE,
  'entity.too.large': TOO_LARGE,
  'parameters.too.many': TOO_LARGE,
  'encoding.unsupported': UNSUPPORTED,
  'charset.unsupported': UNSUPPORTED,
  'request.aborted': {
    kind: 'badRequest',
    text: 'The request was aborted before its body was read',
  },
  'request.size.invalid': LENGTH_MISMATCH,
  'entity.verify.failed': { kind: 'forbidden', text: 'The request body failed verification' },
};
// zlib's errors, which body-parser passes on with status 400 when a gzip, deflate or brotli
// body cannot be inflated ("incorrect header check").
const ZLIB_CODE = /^(?:Z_[A-Z_]+|ERR__ERROR_[A-Z0-9_]+)$/;
const ROUTE: KnownError = { kind: 'notFound' };

// The framework error a code or body-parser `type` names, when its recogniser is on.
export function frameworkError(
  code: string | number | undefined,
  type: string | undefined,
  builtins: Builtins,
): KnownError | undefined {
  if (code === ROUTE_NOT_FOUND) return ROUTE;
  if (typeof code === 'string' && builtins.fastify && Object.hasOwn(BY_CODE, code))
    return BY_CODE[code];
  if (!builtins.bodyParser) return undefined;
  if (type !== undefined && Object.hasOwn(BY_TYPE, type)) return BY_TYPE[type];
  return typeof code === 'string' && ZLIB_CODE.test(code) ? BODY_UNDECODABLE : undefined;
}
