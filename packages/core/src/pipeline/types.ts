/**
 * The data the pipeline passes from step to step: a thrown value read safely (`ErrorLike`),
 * and a non-fault error classified (`Problem`, `ProblemKind`), which each dialect turns into
 * its own fault.
 *
 * @module
 */
import type { Fault, FaultDetail, FaultHeaders } from '../fault.js';
import type { UpstreamInfo } from './upstream.js';

/**
 * What kind of failure a non-fault error is, whatever framework or library threw it.
 *
 * @example
 * ```ts
 * const kind: ProblemKind = 'validation';
 * ```
 */
export type ProblemKind =
  | 'internal'
  | 'serverError'
  | 'badRequest'
  | 'invalidBody'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'tooManyRequests'
  | 'clientError';

/**
 * A thrown value that is not a fault, classified: a framework error (Fastify validation or
 * body parsing, Express body-parser, an unknown route), an http-errors/Boom-style error, or
 * anything else (`internal`). Each dialect turns it into its own fault.
 *
 * @example
 * ```ts
 * const problem: Problem = { kind: 'notFound', status: 404, message: 'Not Found', expose: true, cause: new Error('Not Found') };
 * ```
 */
export interface Problem {
  readonly kind: ProblemKind;
  /** The status the error asked for, or 500. */
  readonly status: number;
  /** The error's own message (the exposure policy decides whether the client sees it). */
  readonly message: string;
  /** Whether the error's message may reach the client. */
  readonly expose: boolean;
  /** Legal headers the error carries (only when it carries a valid status). */
  readonly headers?: FaultHeaders;
  /** Validation problems. */
  readonly details?: readonly FaultDetail[];
  /** The error's `name` (e.g. `AbortError`, `TimeoutError`), read safely. */
  readonly name?: string;
  /** The error's `code` (e.g. `ECONNREFUSED`, `FST_ERR_VALIDATION`), read safely. */
  readonly code?: string | number;
  /** The thrown value. */
  readonly cause: unknown;
  /**
   * Whether `cause` may decide the answer (an `Error`, or any object with `trustObjects`).
   * Dialects that look inside it (timeouts, network errors) must not when it is `false`: a
   * thrown `{ code: 'ECONNREFUSED' }` is an internal error, not a transport failure.
   */
  readonly trusted?: boolean;
  /**
   * `false` when the `network` built-in is off: dialects must not read `cause` as a failed
   * dependency call (no X-Road `NetworkError`, no XKS `DependencyTimeoutException`, no ESB
   * transport code); it is an internal error.
   */
  readonly network?: false;
  /**
   * Set when the error is a service's answer to a call that failed (an `UpstreamFault` the
   * caller is not to blame for): dialects answer it as their dependency failure, a timeout
   * (the upstream answered 504 or 408) as their dependency timeout.
   */
  readonly upstream?: UpstreamProblem;
}

/**
 * A failed call to another service, as dialects see it.
 *
 * @example
 * ```ts
 * const upstream: UpstreamProblem = { failure: 'timeout', status: 504, dialect: 'problem', code: 'GatewayTimeout' };
 * ```
 */
export interface UpstreamProblem {
  /** `timeout` when the upstream timed out, `failed` for any other failure it answered. */
  readonly failure: 'timeout' | 'failed';
  /** The HTTP status the upstream answered with. */
  readonly status: number;
  readonly dialect?: string;
  readonly code?: string | number;
}

/** A thrown value, read once and safely. */
export interface ErrorLike {
  /** The thrown value itself. */
  readonly value: unknown;
  /** The value when it is a fault (of this install or rebuilt from another). */
  readonly fault?: Fault;
  /** Whether the value's status, message and headers are read (Errors; objects if configured). */
  readonly trusted: boolean;
  readonly name?: string;
  readonly message?: string;
  readonly code?: string | number;
  /** A valid error status the value carries (`status`, then `statusCode`, then Boom's). */
  readonly status?: number;
  readonly expose?: boolean;
  readonly headers?: FaultHeaders;
  /** The framework error it is (Fastify's codes, body-parser's `type`, an unknown route). */
  readonly framework?: ProblemKind;
  /** The fixed text a client gets for that framework error instead of the library's message. */
  readonly frameworkText?: string;
  /** Validation problems (Fastify, zod, ajv, an AggregateError of client errors). */
  readonly validation?: readonly FaultDetail[];
  /** `false` when the `network` built-in is off: the value is not read as a failed dependency call. */
  readonly network?: false;
  /** The value is an `UpstreamFault`: the upstream's answer, read safely. */
  readonly upstream?: UpstreamInfo;
}
