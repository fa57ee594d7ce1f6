/**
 * Step 6: one structured log event per fault, written before the response goes out.
 */
import type { LogLevel } from './catalog.js';
import { stackOf } from './fault.js';
import type { Fault } from './fault.js';
import type { ErrorLike } from './normalize.js';
import type { FaultLogger, RequestInfo } from './request.js';
import { describeValue, safeGet, stringOrUndefined, truncate } from './safe.js';
import { DEFAULT_LIMITS } from './limits.js';

const MAX_CAUSES = DEFAULT_LIMITS.causes;

/** Server-side facts about the thrown value, as they appear under `error` in the log
 * event (not `err`: pino's error serializer would re-serialize this plain record).
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
 *   error: { type: 'TypeError', message: 'x is undefined' },
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
  readonly error: LoggedError;
}

/**
 * The default logger: one JSON line per event on stderr, pino's shape with a level name
 * (`{"level":"error","time":…,"msg":…,…}`).
 */
export const stderrLogger: FaultLogger = Object.freeze(
  Object.fromEntries(
    (['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const).map((level) => [
      level,
      (obj: object, msg?: string) => {
        process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...obj, msg })}\n`);
      },
    ]),
  ),
);

/** Whether a value is a promise or another thenable: what an async hook or logger returns. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Writes one event; a logger that throws, rejects or lacks the level falls back to stderr.
 */
export function emit(logger: FaultLogger, level: LogLevel, event: object, msg: string): void {
  try {
    const write = logger[level] ?? logger.error;
    if (typeof write !== 'function') throw new TypeError(`logger has no '${level}' method`);
    const result: unknown = write.call(logger, event, msg);
    // An async logger's failure must not become an unhandled rejection.
    if (isThenable(result)) void result.then(undefined, () => stderrLogger[level]?.(event, msg));
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
  const causes: string[] = [];
  const seen = new Set<unknown>([value]);
  let current = typeof value === 'object' && value !== null ? safeGet(value, 'cause') : undefined;
  while (current !== undefined && causes.length < max && !seen.has(current)) {
    seen.add(current);
    causes.push(truncate(describeError(current), 1024));
    current = typeof current === 'object' && current !== null ? safeGet(current, 'cause') : undefined;
  }
  return causes;
}

function describeError(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describeValue(value);
  const name = stringOrUndefined(safeGet(value, 'name')) ?? 'Error';
  const message = stringOrUndefined(safeGet(value, 'message'));
  return message === undefined ? name : `${name}: ${message}`;
}

/**
 * The `error` part of a log event. The stack is read only when asked for (unexpected errors,
 * 5xx, debug): reading `.stack` costs more than everything else on the error path.
 */
export function loggedError(like: ErrorLike, withStack: boolean, maxCauses: number = MAX_CAUSES): LoggedError {
  const value = like.value;
  const stack = withStack ? stackOf(value) : undefined;
  const causes = causeChain(value, maxCauses);
  return {
    type: like.name ?? (typeof value === 'object' && value !== null ? 'Object' : typeof value),
    message: like.message ?? (typeof value === 'object' && value !== null ? '' : truncate(describeValue(value), 4096)),
    ...(like.code === undefined ? {} : { code: like.code }),
    ...(stack === undefined ? {} : { stack }),
    ...(causes.length === 0 ? {} : { causes }),
  };
}

/**
 * The log event of `fault`, answering `request`. `reqId` is left out when the logger is the
 * request's own (Fastify's `request.log` binds it already).
 */
export function logEvent(fault: Fault, request: RequestInfo, error: LoggedError, logger: FaultLogger): FaultLogEvent {
  return {
    correlationId: fault.correlationId ?? '',
    dialect: fault.dialect,
    code: fault.code,
    status: fault.status,
    ...(request.method === undefined ? {} : { method: request.method }),
    ...(request.url === undefined ? {} : { url: request.url }),
    ...(request.id === undefined || logger === request.log ? {} : { reqId: request.id }),
    error,
  };
}
