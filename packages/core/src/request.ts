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
  /** The request headers, lower-case names. */
  readonly headers?: RequestHeaders;
  /** The parsed or raw body, when the framework already read it (used to detect SOAP). */
  readonly body?: unknown;
  /** The framework's request id, logged next to the correlation id. */
  readonly id?: string;
  /** A per-request logger (Fastify's `request.log`); the handler's `logger` option wins. */
  readonly log?: FaultLogger;
  /** The response status set before the error, used when the error carries none (4xx/5xx only). */
  readonly statusCode?: number;
}
