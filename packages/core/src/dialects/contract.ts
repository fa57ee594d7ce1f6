/**
 * The contract every dialect fulfils. A dialect is a value, never a branch of a `switch`:
 * the handler looks it up in a registry and calls these functions.
 *
 * @module
 */
import type { Catalog, CatalogEntry } from '../catalog.js';
import type { Fault, FaultHeaders } from '../fault.js';
import type { RequestInfo } from '../request.js';
import type { FaultDocument } from '../read/document.js';
import type { Explanation, FaultOrigin, FaultReading } from '../read/types.js';
import type { Problem } from '../pipeline/types.js';
import type { DialectBodies } from './schema-kit.js';

/**
 * What a dialect knows while it resolves a fault.
 *
 * @example
 * ```ts
 * const context: ResolveContext = {
 *   request: { method: 'GET', url: '/kms/xks/v1/health' },
 *   correlationId: 'c0ffee',
 *   warn: (message, data) => console.warn(message, data),
 * };
 * ```
 */
export interface ResolveContext {
  /** The request being answered. */
  readonly request: RequestInfo;
  /** The id the resolved fault must carry (the thrown fault's own id when it has one). */
  readonly correlationId: string;
  /**
   * Logs a warning through the handler's logger, for contract violations a dialect corrects
   * (e.g. an XKS fault that does not apply to the operation).
   */
  warn(message: string, data?: object): void;
}

/**
 * The encoding a dialect answers in, e.g. `{ id: 'xml', mediaType: 'application/xml' }`.
 *
 * @example
 * ```ts
 * const json: Encoding = { id: 'json', mediaType: 'application/json' };
 * ```
 */
export interface Encoding {
  readonly id: string;
  readonly mediaType: string;
}

/**
 * An encoding a dialect answers in, and a request that selects it: OpenAPI documents and the
 * test suites ask the dialect in each of its encodings with these requests.
 *
 * @example
 * ```ts
 * const xml: EncodingExample = {
 *   encoding: { id: 'xml', mediaType: 'application/xml' },
 *   request: { headers: { accept: 'application/xml' } },
 * };
 * ```
 */
export interface EncodingExample {
  readonly encoding: Encoding;
  /** The request's headers (and whatever else selects the encoding). */
  readonly request: RequestInfo;
  /**
   * The dialect options the encoding needs, when it is not always on (DE4A's JSON with
   * `{ json: true }`, ESB's XML with `{ profile: 'apim-3.2' }`): each member must be equal.
   */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * How `parseFault` knows that a response came through a convention's infrastructure (a
 * security server, a gateway) and, when the body is not the convention's own, where it comes
 * from instead.
 *
 * @example
 * ```ts
 * const foreign: ForeignOrigin = {
 *   origin: { component: 4, summary: 'the service provider' },
 *   headerPrefix: 'x-road-',
 *   errorHeader: 'x-road-error',
 * };
 * ```
 */
export interface ForeignOrigin {
  /** The origin of a body without the convention's structure. */
  readonly origin: FaultOrigin;
  /** The prefix of the headers the infrastructure adds to every response it relays (lower case). */
  readonly headerPrefix?: string;
  /** The header that marks an error of the infrastructure itself: with it, an unreadable body is not the foreign one's. */
  readonly errorHeader?: string;
}

/**
 * What the exposure policy allows the renderer to show.
 *
 * @example
 * ```ts
 * const context: RenderContext = { request: { method: 'GET', url: '/orders/7' }, message: 'Order 7 not found' };
 * ```
 */
export interface RenderContext {
  readonly request: RequestInfo;
  /** The message to send: the fault's own, or the catalogue's generic text when hidden. */
  readonly message: string;
  /** Present only with `debug: true`: the stack and cause chain of the thrown error. */
  readonly debug?: DebugInfo;
  /** The catalogue entry of the fault's code (the dialect's or one of the handler's `catalogs`). */
  readonly entry?: CatalogEntry;
  /**
   * The retry hint, for bodies that carry one: whether this request may be retried (absent when
   * neither fault nor entry says), and when (absent when it may not be, or nobody said).
   */
  readonly retry?: RetryHint;
}

/**
 * A retry hint as the handler resolved it for one request.
 *
 * @example
 * ```ts
 * const hint: RetryHint = { retryable: true, after: 30 };
 * ```
 */
export interface RetryHint {
  /** Whether the request may be retried: its retry class applied to its method. */
  readonly retryable?: boolean;
  /** When: seconds, or a time. */
  readonly after?: number | Date;
}

/**
 * Server-side detail that reaches the client only with `debug: true`.
 *
 * @example
 * ```ts
 * const debug: DebugInfo = { stack: 'Error: boom\n    at main (app.js:1:1)', causes: ['Error: connect ECONNREFUSED'] };
 * ```
 */
export interface DebugInfo {
  readonly stack?: string;
  readonly causes: readonly string[];
}

/**
 * A rendered error response, before the handler adds its common headers.
 *
 * @example
 * ```ts
 * const rendered: Rendered = { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not found"}' };
 * ```
 */
export interface Rendered {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A dialect configured for one handler.
 *
 * @example
 * ```ts
 * const runtime: DialectRuntime = xroad.configure({ side: 'client' });
 * runtime.id; // 'xroad'
 * ```
 */
export interface DialectRuntime {
  readonly id: string;
  readonly catalog: Catalog;
  /** Headers only the dialect sets (lower-case), in any encoding; an error cannot set them. */
  readonly ownHeaders?: readonly string[];
  /**
   * Whether a fault's explicit empty message is sent empty (X-Road's `"message":""`). By
   * default the catalogue's text stands in for it, as it does for a hidden message.
   */
  readonly keepsEmptyMessage?: boolean;
  /** This dialect's fault for a classified non-fault error (or another dialect's fault). */
  fromProblem(problem: Problem, context: ResolveContext): Fault;
  /**
   * A thrown fault of this dialect in final form (completed code, dialect policy applied), or
   * `undefined` when the fault is not the dialect's or is malformed: the handler then answers
   * it with {@link fromProblem}, from its status. It may return the fault itself; the handler
   * attaches `context.correlationId` once.
   */
  adopt(fault: Fault, context: ResolveContext): Fault | undefined;
  /** The encoding to answer `request` in. Never fails: there is always a default. */
  negotiate(request: RequestInfo): Encoding;
  /** The response for `fault` in `encoding`. */
  render(fault: Fault, encoding: Encoding, context: RenderContext): Rendered;
  /**
   * A fixed response for when rendering fails, for dialects whose clients cannot take the
   * default `text/plain` 500 (an XKS client needs JSON). Static: it is sent as is.
   */
  readonly fallback?: Rendered;
}

/**
 * A fault described as data, as mapping rules give it: the dialect's code and what to change.
 * Each dialect reads it with its own factory (`xroad.fault`, `esb.fault`, …).
 *
 * @example
 * ```ts
 * const spec: FaultSpec = { code: 'Server.ServerProxy.AccessDenied', message: 'Access denied' };
 * throw xroad.make(spec);
 * ```
 */
export interface FaultSpec {
  /** The dialect's code or name, e.g. `Server.ServerProxy.AccessDenied`, `KeyNotFoundException`, 900901. */
  readonly code: string | number;
  /** The message; default: the catalogue's text. */
  readonly message?: string;
  /** Template parameters (DE4A `{0}`, `{1}`, …). */
  readonly params?: readonly (string | number)[];
  /** A status other than the code's, where the dialect allows one. */
  readonly status?: number;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** Whether the message may reach the client; default: the dialect factory's (deliberate faults are shown). */
  readonly expose?: boolean;
  /** The error the fault stands for. */
  readonly cause?: unknown;
}

/**
 * A convention faultline speaks. `O` is the dialect's own options.
 *
 * @example
 * ```ts
 * const dialect: Dialect = xroad;
 * createFaultHandler({ dialect });
 * ```
 */
export interface Dialect<O = unknown> {
  readonly id: string;
  readonly catalog: Catalog;
  /** Resolves the dialect's options once, when a handler is created; throws `TypeError` on bad ones. */
  configure(options?: O): DialectRuntime;
  /**
   * Builds a fault from a spec (mapping rules use it). Throws `TypeError` for a code the dialect
   * does not know or an option it does not take, so rules fail when the handler is created.
   */
  make?(spec: FaultSpec): Fault;
  /**
   * Reads a response body in this dialect's convention back into its fault (`parseFault`);
   * `undefined` when the body is not one. Never throws.
   */
  read?(document: FaultDocument): FaultReading | undefined;
  /**
   * Every catalogue entry a code or name matches, explained, with the code's arithmetic
   * (`explain`); empty when nothing matches. Without it, codes and names are looked up in
   * the catalogue.
   */
  explain?(query: string): readonly Explanation[];
  /** The schemas of the dialect's bodies (`schema()`, `dialectSchemas`, `openApiResponses`). */
  readonly bodies?: DialectBodies;
  /**
   * Where an error comes from that reached the client through this convention's
   * infrastructure without its structure (X-Road: the service provider, component 4):
   * `parseFault` reports it for such a response.
   */
  readonly foreignOrigin?: ForeignOrigin;
  /**
   * The status the convention's rule gives a code when a catalogue of your own leaves it out
   * (X-Road: 500 for `Server.*`, 400 for `Client.*`); without it such a code needs a status.
   */
  defaultStatus?(code: string | number): number | undefined;
  /** The encodings the dialect answers in, each with a request that selects it. */
  readonly encodings?: readonly EncodingExample[];
  /** The names of the options it reads under its id; others are warned about (see `defineDialect`). */
  readonly optionKeys?: readonly string[];
}
