/**
 * `Fault`: the one error model every dialect renders.
 *
 * @module
 */

/**
 * The brand that marks a fault, shared across duplicate installs of faultline.
 *
 * @example
 * ```ts
 * const fault = xroad.fault('Client.BadRequest', 'Missing member code');
 * (fault as unknown as Record<symbol, unknown>)[FAULT_BRAND]; // true; prefer isFault(fault)
 * ```
 */
export const FAULT_BRAND: unique symbol = Symbol.for('faultline.fault') as never;

/**
 * A header map carried by a fault; names are lower-case.
 *
 * @example
 * ```ts
 * const headers: FaultHeaders = { 'retry-after': '30' };
 * throw xks.fault('ThrottlingException', 'Slow down', { headers });
 * ```
 */
export type FaultHeaders = Readonly<Record<string, string>>;

/**
 * One validation problem, in a shape every dialect can render.
 *
 * @example
 * ```ts
 * const detail: FaultDetail = { pointer: '/body/name', message: "must have required property 'name'", keyword: 'required' };
 * throw problem.fault(422, 'Invalid order', { details: [detail] });
 * ```
 */
export interface FaultDetail {
  /** JSON pointer to the offending value, e.g. `/body/name`; empty for the whole input. */
  readonly pointer: string;
  /** What is wrong, e.g. `must have required property 'name'`. */
  readonly message: string;
  /** The rule that failed, e.g. `required`. */
  readonly keyword?: string;
}

/**
 * Everything a fault is made of.
 *
 * @example
 * ```ts
 * const init: FaultInit = { dialect: 'problem', code: 'OrderNotFound', status: 404, message: 'Order 7 not found' };
 * throw new Fault(init);
 * ```
 */
export interface FaultInit {
  /** The dialect whose code this is, e.g. `xroad`. */
  readonly dialect: string;
  /** The dialect-native code, e.g. `Server.ClientProxy.UnknownMember`. */
  readonly code: string | number;
  /** The HTTP status, an integer in 400–599. */
  readonly status: number;
  /** The message meant for the client. */
  readonly message: string;
  /** A symbolic name; defaults to the code. */
  readonly name?: string;
  /** What the code means. */
  readonly description?: string;
  /** The values a message template was filled with. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Extra response headers, e.g. `retry-after`. */
  readonly headers?: FaultHeaders;
  /** Whether the message may reach the client; defaults to `status < 500`. */
  readonly expose?: boolean;
  /** Validation problems. */
  readonly details?: readonly FaultDetail[];
  /** The error that caused this one (logged, sent only with `debug`). */
  readonly cause?: unknown;
  /** The id that ties the response to the log line; set by the handler when absent. */
  readonly correlationId?: string;
  /**
   * Extension members for problem+json bodies (RFC 9457 §3.2), e.g. `{ balance: 30 }`; the
   * members the dialect sets itself cannot be replaced.
   */
  readonly extensions?: FaultExtensions;
  /** Whether a client may retry; over the catalogue entry's. */
  readonly retry?: 'no' | 'yes' | 'idempotent';
  /** When a retry may succeed: seconds, or a time (sent as an HTTP date); over the entry's. */
  readonly retryAfter?: number | Date;
}

/**
 * Extension members of a problem+json body: JSON values by member name.
 *
 * @example
 * ```ts
 * const extensions: FaultExtensions = { balance: 30, accounts: ['/account/12345'] };
 * throw problem.fault(403, 'Your balance is 30, the price is 50', { extensions });
 * ```
 */
export type FaultExtensions = Readonly<Record<string, unknown>>;

/**
 * An error in a named convention. A `Fault` can be thrown like any `Error`; faultline's
 * handlers render it exactly as its dialect prescribes. Faults are immutable: the handler
 * returns a copy carrying the correlation id instead of changing the thrown one.
 *
 * Recognised across duplicate installs through the `Symbol.for('faultline.fault')` brand,
 * so `instanceof Fault` and {@link isFault} hold for a fault built by another copy.
 *
 * @example
 * ```ts
 * throw new Fault({ dialect: 'xroad', code: 'Client.BadRequest', status: 400, message: 'No id' });
 * ```
 */
export class Fault extends Error {
  declare readonly [FAULT_BRAND]: true;
  /** The dialect whose code this is. */
  declare readonly dialect: string;
  /** The dialect-native code. */
  declare readonly code: string | number;
  /** The HTTP status, an integer in 400–599. */
  declare readonly status: number;
  /** Whether the message may reach the client. */
  declare readonly expose: boolean;
  /** What the code means. */
  declare readonly description: string | undefined;
  /** The values a message template was filled with. */
  declare readonly params: Readonly<Record<string, unknown>> | undefined;
  /** Extra response headers. */
  declare readonly headers: FaultHeaders | undefined;
  /** Validation problems. */
  declare readonly details: readonly FaultDetail[] | undefined;
  /** The id that ties the response to the log line. */
  declare readonly correlationId: string | undefined;
  /** Extension members for problem+json bodies. */
  declare readonly extensions: FaultExtensions | undefined;
  /** Whether a client may retry. */
  declare readonly retry: 'no' | 'yes' | 'idempotent' | undefined;
  /** When a retry may succeed: seconds, or a time. */
  declare readonly retryAfter: number | Date | undefined;

  /**
   * @param init - the fault's fields
   * @throws TypeError when the code is empty or the status is not an integer in 400–599
   */
  constructor(init: FaultInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    if (init.code === '' || (typeof init.code !== 'string' && typeof init.code !== 'number')) {
      throw new TypeError('faultline: a fault needs a non-empty code');
    }
    checkStatus(init.status, 'status');
    checkRetry(init.retry, init.retryAfter);
    defineFields(this, init);
  }

  /** `instanceof Fault` holds for any branded fault, including one from another install. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== Fault) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isFault(value);
  }
}

/**
 * Tells whether a value is a fault, from this install of faultline or another. Never throws,
 * even for a Proxy whose traps throw.
 *
 * @param value - any value
 * @returns `true` for a branded fault
 * @example
 * ```ts
 * isFault(xroad.fault('Client.BadRequest')); // true
 * ```
 */
export function isFault(value: unknown): value is Fault {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as { [FAULT_BRAND]?: unknown })[FAULT_BRAND] === true;
  } catch {
    return false;
  }
}

// Whether faults built by catalogue factories capture stack frames (see `catalogueFault`).
let factoryStacks = false;

/**
 * Makes faults built by catalogue factories capture their stack frames from now on, in the whole
 * process. A handler created with `debug: true` or `captureStack: true` calls it: faults are
 * built before any handler sees them, so the choice cannot be a handler's alone.
 */
export function captureFactoryStacks(): void {
  factoryStacks = true;
}

/**
 * Builds a fault for a catalogue factory (`xroad.fault`, `esb.fault`, a `defineCatalog`
 * factory, …). An expected fault's frames are read by nobody and capturing them is the dearest
 * step of throwing it, so the fault carries none: its `stack` is the first line alone
 * (`NotFound: Person 42 not found`), as Node writes it under `Error.stackTraceLimit = 0`.
 * After {@link captureFactoryStacks} it captures them as `new Fault` always does.
 */
export function catalogueFault(init: FaultInit): Fault {
  if (factoryStacks) return new Fault(init);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Fault(init);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Builds a fault without capturing a stack trace: the pipeline makes faults for errors that
 * already have a stack, so it reports the stack of `origin` instead of paying for a new one.
 */
export function buildFault(
  init: FaultInit,
  origin?: unknown,
  proto: object = Fault.prototype,
): Fault {
  checkStatus(init.status, 'status');
  const fault = Object.create(proto) as Fault & { [ORIGIN]?: unknown; message: string };
  fault.message = init.message;
  fault[ORIGIN] = origin;
  defineFields(fault, init);
  return fault;
}

// Where a built fault's stack comes from: the error it stands for (see `buildFault`).
const ORIGIN = Symbol('faultline.origin');

// The brand lives on the prototype, not on each fault: a plain object spread from a fault
// (`{ ...fault, message: 'x' }`) copies own properties only, so it is no fault and is not
// trusted. A fault of another install carries the brand on its own prototype.
Object.defineProperty(Fault.prototype, FAULT_BRAND, { value: true });

// Faults built without `new` have no own `stack`: this accessor reports their origin's. Faults
// made with `new Fault` carry their own, which shadows it.
Object.defineProperty(Fault.prototype, 'stack', {
  get(this: { [ORIGIN]?: unknown }) {
    return stackOf(this[ORIGIN]);
  },
  configurable: true,
});

/**
 * Copies a fault with some fields changed. No new stack is captured: the copy reports the
 * original's stack.
 *
 * @param fault - the fault to copy
 * @param patch - the fields to change
 * @returns the copy, with the original's prototype
 * @example
 * ```ts
 * const relayed = copyFault(fault, { correlationId: upstreamId });
 * ```
 */
export function copyFault(fault: Fault, patch: Partial<FaultInit>): Fault {
  return buildFault(
    {
      dialect: fault.dialect,
      code: fault.code,
      status: fault.status,
      message: fault.message,
      name: fault.name,
      description: fault.description,
      params: fault.params,
      headers: fault.headers,
      expose: fault.expose,
      details: fault.details,
      cause: fault.cause,
      correlationId: fault.correlationId,
      extensions: fault.extensions,
      retry: fault.retry,
      retryAfter: fault.retryAfter,
      ...patch,
    },
    fault,
    Object.getPrototypeOf(fault) as object,
  );
}

/** The `stack` of a value, when it is an object with a string stack; never throws. */
export function stackOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const stack = (value as { stack?: unknown }).stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

// Plain assignments and one freeze: defining each field with a descriptor cost several times
// more on the error path. Frozen, the fault cannot change after it is built.
function defineFields(target: Fault, init: FaultInit): void {
  const fields = target as unknown as Record<PropertyKey, unknown>;
  fields.name = init.name ?? String(init.code);
  fields.dialect = init.dialect;
  fields.code = init.code;
  fields.status = init.status;
  fields.expose = init.expose ?? init.status < 500;
  fields.description = init.description;
  fields.params = init.params;
  fields.headers = init.headers;
  fields.details = init.details;
  fields.correlationId = init.correlationId;
  fields.extensions = init.extensions;
  fields.retry = init.retry;
  fields.retryAfter = init.retryAfter;
  if (init.cause !== undefined && !Object.hasOwn(target, 'cause')) fields.cause = init.cause;
  Object.freeze(target);
}

/**
 * An HTTP error status, checked: the one check of every status a fault, a factory or a
 * catalogue is given.
 *
 * @param value - the status given
 * @param where - what was given it, for the message, e.g. `esb.fault option status`
 * @returns the status
 * @throws TypeError `faultline: <where> must be an integer in 400-599 (got <value>)`
 * @example
 * ```ts
 * checkStatus(404, 'status'); // 404
 * ```
 */
export function checkStatus(value: unknown, where: string): number {
  if (!isErrorStatus(value))
    throw new TypeError(`faultline: ${where} must be an integer in 400-599 (got ${String(value)})`);
  return value;
}

/** Whether a value is an HTTP error status: an integer in 400–599. */
export function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/**
 * Checks a retry hint: a retry class, and seconds (a whole number, 0 or more) or a valid Date.
 *
 * @param retry - `no`, `yes` or `idempotent`
 * @param retryAfter - seconds or a time
 * @throws TypeError naming the one that is invalid
 * @example
 * ```ts
 * checkRetry('yes', 30); // fine
 * ```
 */
export function checkRetry(retry: unknown, retryAfter: unknown): void {
  if (retry !== undefined && retry !== 'no' && retry !== 'yes' && retry !== 'idempotent')
    throw new TypeError("faultline: retry must be 'no', 'yes' or 'idempotent'");
  if (retryAfter === undefined) return;
  const valid =
    typeof retryAfter === 'number'
      ? Number.isSafeInteger(retryAfter) && retryAfter >= 0
      : retryAfter instanceof Date && !Number.isNaN(retryAfter.getTime());
  if (!valid)
    throw new TypeError('faultline: retryAfter must be a whole number of seconds or a valid Date');
}
