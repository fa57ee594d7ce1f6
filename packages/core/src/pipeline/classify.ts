/**
 * Step 2 for errors that are not faults: what kind of failure a normalised error is, and with
 * which status and message; and a fault of another dialect seen the same way.
 *
 * @module
 */
import { isErrorStatus } from '../fault.js';
import type { Fault } from '../fault.js';
import type { ErrorLike, Problem, ProblemKind } from './types.js';
import type { UpstreamInfo } from './upstream.js';

const KIND_BY_STATUS: Readonly<Record<number, ProblemKind>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  422: 'validation',
  429: 'tooManyRequests',
};

/**
 * Classifies an error that is not a fault. The status is the error's own (4xx/5xx only),
 * else `fallbackStatus` when that is an error status (the response's status, as Express's
 * finalhandler does), else 500. The message is exposed only when the error says so
 * (`expose`) or carries a 4xx status itself.
 *
 * @param like - the normalised error
 * @param fallbackStatus - the response's status before the error, if any
 * @returns the problem the dialect turns into its fault
 */
export function classify(like: ErrorLike, fallbackStatus?: number): Problem {
  if (like.upstream !== undefined) return upstreamProblem(like, like.upstream);
  const own = like.trusted ? like.status : undefined;
  // A validation error without a status of its own (zod, ajv) is the caller's: 400.
  const status =
    own ??
    (like.validation !== undefined ? 400 : isErrorStatus(fallbackStatus) ? fallbackStatus : 500);
  const kind: ProblemKind =
    like.framework ??
    (like.validation !== undefined ? 'validation' : undefined) ??
    KIND_BY_STATUS[status] ??
    (own === undefined ? 'internal' : status >= 500 ? 'serverError' : 'clientError');
  const problem: { -readonly [K in keyof Problem]: Problem[K] } = {
    kind,
    status,
    message: like.frameworkText ?? (like.trusted ? like.message : undefined) ?? '',
    expose:
      like.trusted &&
      (like.expose ?? (status < 500 && (own !== undefined || like.validation !== undefined))),
    // Assigned rather than spread in: this runs for every error that is not a fault.
    headers: like.headers,
    details: like.validation,
    cause: like.value,
    trusted: like.trusted,
    network: like.network,
  };
  // Only trusted values carry their name and code, and untrusted ones not even the key.
  if (like.trusted && like.name !== undefined) problem.name = like.name;
  if (like.trusted && like.code !== undefined) problem.code = like.code;
  return problem;
}

/** A fault of another dialect, as a problem the handler's dialect turns into its own fault. */
export function classifyFault(fault: Fault): Problem {
  return {
    kind: KIND_BY_STATUS[fault.status] ?? (fault.status >= 500 ? 'serverError' : 'clientError'),
    status: fault.status,
    message: fault.message,
    expose: fault.expose,
    ...(fault.headers === undefined ? {} : { headers: fault.headers }),
    ...(fault.details === undefined ? {} : { details: fault.details }),
    cause: fault,
    trusted: true,
  };
}

// The upstream statuses that report the caller's own mistake, relayed: the caller asked for
// something missing, sent a bad or too large body, or is sending too much. Any other 4xx
// (401, 403, 405, 407, …) is the calling service's own failure towards its upstream.
const CALLER_KIND: Readonly<Record<number, ProblemKind>> = {
  400: 'badRequest',
  404: 'notFound',
  409: 'clientError',
  410: 'clientError',
  412: 'clientError',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  422: 'validation',
  429: 'tooManyRequests',
};

/**
 * An upstream's answer as a problem of the caller's: the caller's own mistake stays a client
 * fault with the upstream's status; anything else is a failed dependency, 504 when the upstream
 * timed out, else 502. The upstream's message is shown only when the upstream fault says so.
 */
function upstreamProblem(like: ErrorLike, upstream: UpstreamInfo): Problem {
  const status = isErrorStatus(upstream.status)
    ? upstream.status
    : isErrorStatus(upstream.faultStatus)
      ? upstream.faultStatus
      : 502;
  const message = like.message ?? '';
  const kind = CALLER_KIND[status];
  if (kind !== undefined) {
    return { kind, status, message, expose: upstream.expose, cause: like.value, trusted: true };
  }
  const timeout = status === 504 || status === 408;
  return {
    kind: 'internal',
    status: timeout ? 504 : 502,
    message,
    expose: upstream.expose,
    cause: like.value,
    trusted: true,
    upstream: {
      failure: timeout ? 'timeout' : 'failed',
      status: upstream.status,
      ...(upstream.dialect === undefined ? {} : { dialect: upstream.dialect }),
      ...(upstream.code === undefined ? {} : { code: upstream.code }),
    },
  };
}
