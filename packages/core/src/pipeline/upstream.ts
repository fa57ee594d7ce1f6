/**
 * `UpstreamFault`: an error response a service received from a service it called, kept as
 * data (the upstream's dialect, code, status, message and correlation id), so that the handler
 * answers it in the caller's convention, or forwards it unchanged when it already is one.
 *
 * @module
 */
import type { Fault } from '../fault.js';
import type { FaultFormat } from '../read/types.js';
import { safeGet, stringOrUndefined } from '../safe.js';

/**
 * The brand that marks an upstream fault, shared across duplicate installs of faultline.
 *
 * @example
 * ```ts
 * (upstream as unknown as Record<symbol, unknown>)[UPSTREAM_BRAND]; // true; prefer isUpstreamFault
 * ```
 */
export const UPSTREAM_BRAND: unique symbol = Symbol.for('faultline.upstream') as never;

/**
 * The upstream response as read: its status, its headers (lower-case names) and its body text,
 * when the body was read whole, within the limit, as UTF-8.
 *
 * @example
 * ```ts
 * const response: UpstreamResponse = { status: 502, headers: { 'content-type': 'application/problem+json' }, body: '{…}' };
 * ```
 */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, exactly as received; `undefined` when it was too large, not UTF-8 or not read. */
  readonly body: string | undefined;
}

/**
 * What an upstream fault is made of.
 *
 * @example
 * ```ts
 * const init: UpstreamFaultInit = { status: 502, message: 'the body is not valid JSON', response };
 * ```
 */
export interface UpstreamFaultInit {
  /** The HTTP status the upstream answered with. */
  readonly status: number;
  /** The upstream's message (a recognised fault's), or why the body is no fault. */
  readonly message: string;
  /** The fault the body carries, when `parseFault` recognised one. */
  readonly fault?: Fault;
  /** The shape the fault was read from. */
  readonly format?: FaultFormat;
  /** Whether the upstream's message may reach the caller. @default false */
  readonly expose?: boolean;
  /** The response as read. */
  readonly response: UpstreamResponse;
  /** The raw response object (a `fetch` Response, an `IncomingMessage`, …). */
  readonly cause?: unknown;
}

// Ids reach a log line beside the caller's: only plain tokens of visible ASCII are kept.
const SAFE_UPSTREAM_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * An error response from a service this one called, read by `faultFromResponse`: the
 * upstream's dialect, code, status, message and correlation id, kept as data, with the raw
 * response as `cause`. Thrown (by `throwIfFault` or by hand), the handler answers it in the
 * caller's dialect: a client mistake the upstream reports stays a client fault, anything else
 * becomes the dialect's dependency failure; the upstream's message reaches the caller only
 * when the fault (or a mapping rule) says it is exposable.
 *
 * @example
 * ```ts
 * const response = await fetch('http://127.0.0.1:8080/orders/7');
 * const upstream = await faultFromResponse(response);
 * if (upstream !== undefined) throw upstream; // UpstreamFault: problem NotFound 404
 * ```
 */
export class UpstreamFault extends Error {
  declare readonly [UPSTREAM_BRAND]: true;
  /** The upstream's dialect (`xroad`, `problem`, …), `undefined` when its body is no fault. */
  readonly dialect: string | undefined;
  /** The upstream's code, e.g. `Server.ServerProxy.AccessDenied`. */
  readonly code: string | number | undefined;
  /** The HTTP status the upstream answered with (200 for an X-Road SOAP fault). */
  readonly status: number;
  /** The upstream's correlation id (X-Road `detail`, problem `instance`, …), when a plain token. */
  readonly correlationId: string | undefined;
  /** Whether the upstream's message may reach the caller. */
  readonly expose: boolean;
  /** The shape the fault was read from. */
  readonly format: FaultFormat | undefined;
  /** The fault the body carries, as its dialect reads it. */
  readonly fault: Fault | undefined;
  /** The response as read, for passthrough and for the log. */
  readonly response: UpstreamResponse;

  /** @param init - the fields */
  constructor(init: UpstreamFaultInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const fault = init.fault;
    this.name = 'UpstreamFault';
    this.dialect = fault?.dialect;
    this.code = fault?.code;
    this.status = init.status;
    const id = fault?.correlationId?.replace(/^urn:uuid:/, '');
    this.correlationId = id !== undefined && SAFE_UPSTREAM_ID.test(id) ? id : undefined;
    this.expose = init.expose === true;
    this.format = init.format;
    this.fault = fault;
    this.response = init.response;
  }

  /** `instanceof UpstreamFault` holds for one of another install too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UpstreamFault) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isUpstreamFault(value);
  }
}

Object.defineProperty(UpstreamFault.prototype, UPSTREAM_BRAND, { value: true });

/**
 * Tells whether a value is an upstream fault, from this install of faultline or another.
 * Never throws.
 *
 * @param value - any value
 * @returns `true` for a branded upstream fault
 * @example
 * ```ts
 * isUpstreamFault(await faultFromResponse(response)); // true for an error response
 * ```
 */
export function isUpstreamFault(value: unknown): value is UpstreamFault {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as { [UPSTREAM_BRAND]?: unknown })[UPSTREAM_BRAND] === true;
  } catch {
    return false;
  }
}

/** What the pipeline reads of an upstream fault, each field guarded. */
export interface UpstreamInfo {
  readonly dialect: string | undefined;
  readonly code: string | number | undefined;
  /** The HTTP status it came with. */
  readonly status: number;
  /** The status its convention gives its code (an X-Road SOAP fault at 200 has one). */
  readonly faultStatus: number | undefined;
  readonly correlationId: string | undefined;
  readonly expose: boolean;
  readonly response: UpstreamResponse | undefined;
}

/**
 * An upstream fault's fields, read safely (one of another install may be anything).
 *
 * @param value - a branded upstream fault
 * @returns its fields
 */
export function upstreamInfo(value: object): UpstreamInfo {
  const status = safeGet(value, 'status');
  const code = safeGet(value, 'code');
  const fault = safeGet(value, 'fault');
  const faultStatus =
    typeof fault === 'object' && fault !== null ? safeGet(fault, 'status') : undefined;
  const id = stringOrUndefined(safeGet(value, 'correlationId'));
  const response = safeGet(value, 'response');
  return {
    dialect: stringOrUndefined(safeGet(value, 'dialect')),
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    status: typeof status === 'number' && Number.isInteger(status) ? status : 502,
    faultStatus: typeof faultStatus === 'number' ? faultStatus : undefined,
    correlationId: id !== undefined && SAFE_UPSTREAM_ID.test(id) ? id : undefined,
    expose: safeGet(value, 'expose') === true,
    response: isResponse(response) ? response : undefined,
  };
}

function isResponse(value: unknown): value is UpstreamResponse {
  if (typeof value !== 'object' || value === null) return false;
  const headers = safeGet(value, 'headers');
  const body = safeGet(value, 'body');
  return (
    typeof safeGet(value, 'status') === 'number' &&
    typeof headers === 'object' &&
    headers !== null &&
    (body === undefined || typeof body === 'string')
  );
}
