/**
 * What a handler is and what it returns, and the fixed answer when a fault cannot be rendered.
 *
 * @module
 */
import type { Fault } from '../fault.js';
import type { RequestInfo } from '../request.js';

/**
 * The response for one fault, ready for an adapter to copy onto the wire.
 *
 * @example
 * ```ts
 * const response: FaultResponse = createFaultHandler({ dialect: 'problem' }).handle(problem.fault(404));
 * response.status; // 404
 * response.headers['content-type']; // 'application/problem+json'
 * ```
 */
export interface FaultResponse {
  readonly status: number;
  /** Lower-case names, legal values, including `content-type` and `content-length`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The resolved fault, carrying the correlation id the body carries. */
  readonly fault: Fault;
}

/**
 * A configured pipeline.
 *
 * @example
 * ```ts
 * const handler: FaultHandler = createFaultHandler({ dialect: 'xks' });
 * const { status, headers, body } = handler.handle(new Error('boom'), { method: 'POST', url: '/kms/xks/v1/health' });
 * ```
 */
export interface FaultHandler {
  /** The dialect this handler answers in. */
  readonly dialect: string;
  /**
   * Resolves, logs and renders a thrown value. Pure apart from the log event and `onFault`;
   * never throws: if rendering fails, the answer is a fixed `text/plain` 500.
   */
  handle(thrown: unknown, request?: RequestInfo): FaultResponse;
  /**
   * Resolves and logs a thrown value that cannot be answered any more (the response already
   * started). Never throws.
   */
  report(thrown: unknown, request?: RequestInfo): Fault;
  /**
   * Logs an error that broke the sending of `fault` after it was logged (a framework hook that
   * failed while the response was written), with the fault's correlation id. Never throws.
   */
  reportSendError(thrown: unknown, fault: Fault, request?: RequestInfo): void;
}

/** The body of {@link FALLBACK_RESPONSE}. */
export const FALLBACK_BODY = 'Internal Server Error';

/**
 * The fixed answer when a fault cannot be rendered: a `text/plain` 500 with no details. The
 * adapters send it too if writing the rendered response fails.
 *
 * @example
 * ```ts
 * res.writeHead(FALLBACK_RESPONSE.status, FALLBACK_RESPONSE.headers);
 * res.end(FALLBACK_RESPONSE.body);
 * ```
 */
export const FALLBACK_RESPONSE: Readonly<Pick<FaultResponse, 'status' | 'headers' | 'body'>> =
  Object.freeze({
    status: 500,
    headers: Object.freeze({
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(FALLBACK_BODY.length),
      'x-content-type-options': 'nosniff',
    }),
    body: FALLBACK_BODY,
  });
