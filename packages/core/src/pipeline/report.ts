/**
 * Step 6: one structured log event per fault, written before the response goes out.
 */
import type { LogLevel } from '../catalog.js';
import { stackOf } from '../fault.js';
import type { Fault } from '../fault.js';
import type { ErrorLike } from './types.js';
import type { FaultLogger, RequestInfo } from '../request.js';
import {
  causes,
  describeValue,
  isThenable,
  safeGet,
  stringOrUndefined,
  truncate,
} from '../safe.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { ResolvedLimits } from './limits.js';

const MAX_CAUSES = DEFAULT_LIMITS.causes;
// A name or a code is an identifier: longer ones are cut.
const MAX_NAME = 256;
// The frames a stack carries beyond its first line (which repeats the message).
const MAX_FRAMES = 16_384;

/**
 * What `onFault` receives, once per fault, after it was logged.
 *
 * @example
 * ```ts
 * const onFault = (event: FaultEvent): void => {
 *   if (!event.expected) metrics.increment('faults.unexpected', { code: String(event.fault.code) });
 * };
 * createFaultHandler({ dialect: 'xroad', onFault });
 * ```
 */
export interface FaultEvent {
  /** The resolved fault, with its correlation id. */
  readonly fault: Fault;
  /** The thrown value, untouched. */
  readonly error: unknown;
  readonly request: RequestInfo;
  /** `false` for unmapped errors and 5xx: the ones to alert on. */
  readonly expected: boolean;
  /** The level the fault was logged at. */
  readonly level: LogLevel;
  /**
   * Whether the fault's code is in its dialect's catalogue or in one of the `catalogs` given:
   * a code from a fixed, documented list, fit for a low-cardinality label. Always set by the
   * handler (optional only for events built by hand).
   */
  readonly catalogued?: boolean;
  /**
   * The HTTP status sent: the fault's, except where a convention says otherwise (X-Road SOAP
   * faults go out as 200). Always set by the handler.
   */
  readonly httpStatus?: number;
  /** Milliseconds faultline spent on the fault, from `handle()` to the log event (sub-ms precision). */
  readonly durationMs: number;
}

/**
 * A telemetry integration, given as the handler's `telemetry` option: a source of correlation
 * ids, fields for the log event, and an observer of every fault. `@faultline/opentelemetry`
 * builds one from the active span; anything else that knows a request's trace can too. Each
 * member is optional and synchronous; one that throws changes nothing but a warning in the log.
 *
 * @example
 * ```ts
 * const telemetry: FaultTelemetry = {
 *   correlationId: () => currentTraceId(),
 *   logFields: () => ({ trace_id: currentTraceId() }),
 *   onFault: (event) => { if (!event.expected) alerts.push(event.fault.code); },
 * };
 * createFaultHandler({ dialect: 'problem', telemetry });
 * ```
 */
export interface FaultTelemetry {
  /**
   * The correlation id of a request (a trace id, say), asked when the handler's own
   * `correlationId` option gives none. Only a plain token is taken, as from any source.
   */
  readonly correlationId?: (request: RequestInfo) => string | undefined;
  /** Fields added to the fault's log event, such as `trace_id` and `span_id`. */
  readonly logFields?: (
    fault: Fault,
    request: RequestInfo,
  ) => Readonly<Record<string, unknown>> | undefined;
  /** Called once per fault after it was logged, before the `onFault` option, in the request's context. */
  readonly onFault?: (event: FaultEvent) => void;
}

/** The limits a log entry keeps: the message's length and the causes logged. */
export type LogLimits = Pick<ResolvedLimits, 'message' | 'causes'>;

/** Server-side facts about the thrown value, as they appear under `err` in the log event,
 * the key pino and its ecosystem read an error from (a pino logger writes them through its own
 * `err` serializer).
 *
 * @example
 * ```ts
 * const error: LoggedError = { type: 'TypeError', message: 'x is undefined', causes: ['Error: connect ECONNREFUSED'] };
 * ```
 */
export interface LoggedError {
  readonly type: string;
  readonly message: string;
  readonly code?: string | number;
  readonly stack?: string;
  readonly causes?: readonly string[];
}

/**
 * The log event of one fault.
 *
 * @example
 * ```ts
 * const event: FaultLogEvent = {
 *   correlationId: 'c0ffee',
 *   dialect: 'xroad',
 *   code: 'Server.ServerProxy.InternalError',
 *   status: 500,
 *   method: 'POST',
 *   url: '/r1/EE/GOV/123/app/getPerson',
 *   err: { type: 'TypeError', message: 'x is undefined' },
 * };
 * ```
 */
export interface FaultLogEvent {
  readonly correlationId: string;
  readonly dialect: string;
  readonly code: string | number;
  readonly status: number;
  readonly method?: string;
  readonly url?: string;
  readonly reqId?: string;
  /** The HTTP status sent, when it differs from the fault's (X-Road SOAP faults go out as 200). */
  readonly httpStatus?: number;
  /** Set when the response had already started and the fault could not be sent. */
  readonly responseStarted?: true;
  /** The upstream's answer, when the fault stands for one (an `UpstreamFault`). */
  readonly upstream?: UpstreamLogEvent;
  /** Set when the upstream's answer was forwarded unchanged. */
  readonly passthrough?: true;
  /** Why the dialect could not render the fault, when the fixed fallback answer went out instead. */
  readonly formatterError?: LoggedError;
  /** The thrown value, under pino's key for an error. */
  readonly err: LoggedError;
}

/**
 * What a log event says of an upstream's answer: its status, dialect, code and its own
 * correlation id, logged beside the one the caller gets.
 *
 * @example
 * ```ts
 * const upstream: UpstreamLogEvent = { status: 500, dialect: 'xroad', code: 'Server.ServerProxy.AccessDenied', correlationId: '2ea02d93-…' };
 * ```
 */
export interface UpstreamLogEvent {
  readonly status: number;
  readonly dialect?: string;
  readonly code?: string | number;
  readonly correlationId?: string;
}

// Characters JSON leaves raw that a terminal or a log viewer acts on: C1 controls, the line
// and paragraph separators, and the bidirectional overrides that reorder what a reader sees.
const SPOOFING = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON text with the characters a reader could be fooled by written as `\uXXXX` escapes:
 * the same JSON value, but one line that shows what it says.
 *
 * @param json - a JSON text
 * @returns the same JSON, escaped
 */
export function jsonLine(json: string): string {
  SPOOFING.lastIndex = 0;
  return SPOOFING.test(json)
    ? json.replace(SPOOFING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/**
 * The default logger: one JSON line per event on stderr, pino's shape with a level name
 * (`{"level":"error","time":…,"msg":…,…}`). C1 controls and bidirectional overrides are
 * escaped, so a logged message cannot reorder or hide the line.
 */
export const stderrLogger: FaultLogger = Object.freeze(
  Object.fromEntries(
    (['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const).map((level) => [
      level,
      (obj: object, msg?: string) => {
        process.stderr.write(
          `${jsonLine(JSON.stringify({ level, time: Date.now(), ...obj, msg }))}\n`,
        );
      },
    ]),
  ),
);

/**
 * Writes one event; a logger that throws, rejects or lacks the level falls back to stderr.
 */
export function emit(logger: FaultLogger, level: LogLevel, event: object, msg: string): void {
  try {
    const write = logger[level] ?? logger.error;
    if (typeof write !== 'function') throw new TypeError(`logger has no '${level}' method`);
    const result: unknown = write.call(logger, event, msg);
    // An async logger's failure must not become an unhandled rejection.
    if (isThenable(result))
      void Promise.resolve(result).then(undefined, () => stderrLogger[level]?.(event, msg));
  } catch {
    try {
      stderrLogger[level]?.(event, msg);
    } catch {
      // stderr itself failed: nothing is left to write to
    }
  }
}

/** The messages of an error's `cause` chain, at most `max`, safe against cycles and getters. */
export function causeChain(value: unknown, max: number = MAX_CAUSES): string[] {
  return causes(value, max + 1)
    .slice(1)
    .map((cause) => truncate(describeError(cause), 1024));
}

function describeError(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describeValue(value);
  const name = stringOrUndefined(safeGet(value, 'name')) ?? 'Error';
  const message = stringOrUndefined(safeGet(value, 'message'));
  return message === undefined ? name : `${name}: ${message}`;
}

/**
 * The `err` part of a log event, bounded by the `limits`: the message cut at
 * `limits.message`, the name and code at 256 characters, the stack at `limits.message` plus
 * 16 384 characters of frames, at most `limits.causes` causes. The stack is read only when
 * asked for (unexpected errors, 5xx, debug): reading `.stack` costs more than everything else
 * on the error path.
 */
export function loggedError(
  like: ErrorLike,
  withStack: boolean,
  limits: LogLimits = DEFAULT_LIMITS,
): LoggedError {
  const value = like.value;
  const stack = withStack ? stackOf(value) : undefined;
  const causes = causeChain(value, limits.causes);
  const code = like.code;
  return {
    type: truncate(
      like.name ?? (typeof value === 'object' && value !== null ? 'Object' : typeof value),
      MAX_NAME,
    ),
    message: truncate(
      like.message ?? (typeof value === 'object' && value !== null ? '' : describeValue(value)),
      limits.message,
    ),
    ...(code === undefined
      ? {}
      : { code: typeof code === 'string' ? truncate(code, MAX_NAME) : code }),
    ...(stack === undefined ? {} : { stack: truncate(stack, limits.message + MAX_FRAMES) }),
    ...(causes.length === 0 ? {} : { causes }),
  };
}

/**
 * The log event of `fault`, answering `request`. `reqId` is left out when the logger is the
 * request's own (Fastify's `request.log` binds it already).
 */
export function logEvent(
  fault: Fault,
  request: RequestInfo,
  error: LoggedError,
  logger: FaultLogger,
): FaultLogEvent {
  return {
    correlationId: fault.correlationId ?? '',
    dialect: fault.dialect,
    code: fault.code,
    status: fault.status,
    ...(request.method === undefined ? {} : { method: request.method }),
    ...(request.url === undefined ? {} : { url: request.url }),
    ...(request.id === undefined || logger === request.log ? {} : { reqId: request.id }),
    err: errFor(error, logger),
  };
}

// pino keeps its serializers under this public symbol, on every logger and child logger.
const PINO_SERIALIZERS = Symbol.for('pino.serializers');

/**
 * The logged error as `logger` is to receive it under `err`. A pino logger (one with an `err`
 * serializer: pino's standard one unless replaced) serializes what it finds there, so it gets
 * an error-like copy with no prototype, whose `name` is the type: pino's standard serializer
 * writes it as `{ type, message, stack, code, causes }`, the fields of any error pino logs (with
 * `stack: ""` where faultline read none). The thrown value itself is never handed over: a
 * frozen fault, a Proxy or a getter would make the serializer throw, and its message and stack
 * would escape the limits. Any other logger gets the record as it is.
 *
 * @param error - the bounded record of the thrown value
 * @param logger - the logger the event goes to
 * @returns what goes under `err`
 * @example
 * ```ts
 * errFor({ type: 'TypeError', message: 'x is undefined' }, pino()); // pino logs err.type 'TypeError'
 * ```
 */
export function errFor(error: LoggedError, logger: FaultLogger): LoggedError {
  let serializers: unknown;
  try {
    serializers = (logger as Record<symbol, unknown>)[PINO_SERIALIZERS];
  } catch {
    return error;
  }
  if (typeof (serializers as { err?: unknown } | undefined)?.err !== 'function') return error;
  const copy = Object.assign(Object.create(null) as object, error) as LoggedError;
  Object.defineProperty(copy, 'name', { value: error.type });
  return copy;
}
