/**
 * What the core knows of a request and of a logger: plain data, so the core imports no
 * framework. Adapters fill these from Express's `req` or Fastify's `request`.
 */
import type { LogLevel } from './catalog.js';

/**
 * A request header map, as Node and the frameworks give it (lower-case names).
 *
 * @example
 * ```ts
 * const headers: RequestHeaders = { accept: 'application/json', 'x-forwarded-for': ['10.0.0.1', '10.0.0.2'] };
 * ```
 */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A pino-compatible logger: `logger.error(obj, msg)`.
 *
 * @example
 * ```ts
 * const logger: FaultLogger = { error: (obj, msg) => console.error(msg, obj), warn: (obj, msg) => console.warn(msg, obj) };
 * createFaultHandler({ dialect: 'problem', logger }); // or pino(), or `false` for none
 * ```
 */
export type FaultLogger = {
  readonly [L in LogLevel]?: (obj: object, msg?: string) => void;
};

/**
 * The request a fault answers. Every field is optional: `handle(err)` works without one.
 *
 * @example
 * ```ts
 * const request: RequestInfo = { method: 'POST', url: '/r1/EE/GOV/123/app/getPerson', headers: { accept: 'application/json' } };
 * createFaultHandler({ dialect: 'xroad' }).handle(new Error('boom'), request);
 * ```
 */
export interface RequestInfo {
  /** The HTTP method, e.g. `GET`. */
  readonly method?: string;
  /** The request target as received, e.g. `/r1/EE/GOV/123/app/getPerson?id=1`. */
  readonly url?: string;
  /**
   * The path the framework routed the request on, as its router compared it: the pathname of
   * the target (an absolute-form target's too), percent-decoded where the router decodes
   * (Fastify). Dialects by route prefix, X-Road SOAP routes and XKS operations are chosen on
   * it, so they agree with the route that ran. Default: the path of `url`.
   */
  readonly path?: string;
  /** Whether the router matched paths regardless of case (Express's default), so prefixes do too. */
  readonly caseInsensitivePath?: boolean;
  /** The request headers, lower-case names. */
  readonly headers?: RequestHeaders;
  /** The parsed or raw body, when the framework already read it (used to detect SOAP). */
  readonly body?: unknown;
  /**
   * The framework's request id (Fastify's `request.id`, or the `req.id` that `pino-http` or
   * another middleware set in Express), logged next to the correlation id.
   */
  readonly id?: string;
  /**
   * A per-request logger (Fastify's `request.log`, or the `req.log` that `pino-http` set in
   * Express); the handler's `logger` option wins.
   */
  readonly log?: FaultLogger;
  /**
   * The framework's own request object (Express's `req`, Fastify's `request`), for `onFault`
   * hooks and mapping predicates that read what middleware put on it, such as `req.user`.
   * faultline itself never reads, logs or sends it.
   */
  readonly raw?: unknown;
  /** The response status set before the error, used when the error carries none (4xx/5xx only). */
  readonly statusCode?: number;
}

/**
 * The path a request was routed on: the adapter's `path`, else the path of `url` (the target up
 * to `?` or `#`; for an absolute-form target, the path after its authority).
 *
 * @param request - the request
 * @returns the path, `/` when there is none
 * @example
 * ```ts
 * requestPath({ url: 'http://gw.example/kms/xks/v1/health?x=1' }); // '/kms/xks/v1/health'
 * ```
 */
export function requestPath(request: RequestInfo): string {
  const path = request.path;
  if (typeof path === 'string') return path;
  return pathOfTarget(request.url);
}

/**
 * The path of a request target: up to `?` or `#`; for an absolute-form target
 * (`http://host/x`), the path after its authority.
 *
 * @param target - the request target
 * @returns the path, `/` when there is none
 * @example
 * ```ts
 * pathOfTarget('/kms/xks/v1/health?x=1'); // '/kms/xks/v1/health'
 * ```
 */
export function pathOfTarget(target: unknown): string {
  if (typeof target !== 'string' || target === '') return '/';
  let start = 0;
  if (target.charCodeAt(0) !== 0x2f) {
    const authority = ABSOLUTE_FORM.exec(target);
    if (authority === null) return target.startsWith('*') ? '*' : '/';
    start = authority[0].length;
  }
  const query = target.indexOf('?', start);
  const fragment = target.indexOf('#', start);
  const end = query === -1 || (fragment !== -1 && fragment < query) ? fragment : query;
  const path = end === -1 ? target.slice(start) : target.slice(start, end);
  return path === '' ? '/' : path;
}

// `scheme://authority` at the start of an absolute-form target (RFC 9112 §3.2.2).
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
