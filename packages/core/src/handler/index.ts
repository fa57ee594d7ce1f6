/**
 * `createFaultHandler`: the whole pipeline behind one pure function,
 * `handle(thrown, request) → { status, headers, body, fault }`.
 *
 * @module
 */
import type { Catalog, CatalogEntry, LogLevel } from '../catalog.js';
import { buildFault, copyFault, stackOf } from '../fault.js';
import type { Fault } from '../fault.js';
import { headerCheck, isEchoHeaderName, isHeaderName, sanitizeHeaders } from '../headers.js';
import { classify, classifyFault, normalize } from '../pipeline/normalize.js';
import { checkBuiltins } from '../pipeline/recognise/index.js';
import type { BuiltinName, Builtins } from '../pipeline/recognise/index.js';
import type { ErrorLike } from '../pipeline/normalize.js';
import { causeChain, emit, logEvent, loggedError, stderrLogger } from '../pipeline/report.js';
import type { FaultLogEvent } from '../pipeline/report.js';
import type { FaultLogger, RequestInfo } from '../request.js';
import { reasonPhrase } from '../status.js';
import { boundedAccept, checkLimits, limitDetails } from '../pipeline/limits.js';
import type { FaultLimits, ResolvedLimits } from '../pipeline/limits.js';
import { checkSyncFunction, isThenable, ownOptions, syncResult, truncate } from '../safe.js';
import { uuid } from '../uuid.js';
import type { AstOptions } from '../dialects/ast/index.js';
import type { De4aOptions } from '../dialects/de4a/index.js';
import type { EsbOptions } from '../dialects/esb/index.js';
import type { ProblemOptions } from '../dialects/problem/index.js';
import type { XksOptions } from '../dialects/xks/index.js';
import type { XRoadOptions } from '../dialects/xroad/index.js';
import type { RenderContext, ResolveContext } from '../dialects/contract.js';
import { compileMappings } from './mappings.js';
import type { MappingRule } from './mappings.js';
import { compileSelection } from './select.js';
import type { DialectOption, Selected } from './select.js';

export type { DialectName } from '../dialects/registry.js';

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
  /** Milliseconds faultline spent on the fault, from `handle()` to the log event (sub-ms precision). */
  readonly durationMs: number;
}

/**
 * Options of {@link createFaultHandler} and of both adapters.
 *
 * @example
 * ```ts
 * const options: FaultHandlerOptions = {
 *   dialect: 'xroad',
 *   xroad: { side: 'client' },
 *   mappings: [{ code: 'ENOENT', to: { code: 'Server.ServerProxy.UnknownService' } }],
 *   debug: process.env.NODE_ENV !== 'production',
 * };
 * const handler = createFaultHandler(options);
 * ```
 */
export interface FaultHandlerOptions {
  /**
   * The convention to answer in: a built-in name or a dialect value; or dialects by route
   * prefix (`{ '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' }`, longest prefix
   * first); or a function of the request that returns one.
   * @default 'problem'
   */
  readonly dialect?: DialectOption;
  /**
   * Rules that turn the service's own errors into faults, by class, `code`, `name` or
   * predicate (see `MappingRule`). Checked when the handler is created.
   */
  readonly mappings?: readonly MappingRule[];
  /**
   * Catalogues of your own (`defineCatalog(...).catalog`), so that the handler knows their
   * codes' log levels and the generic text it sends when it hides a message.
   */
  readonly catalogs?: readonly Catalog[];
  /** Options of the `problem` dialect. */
  readonly problem?: ProblemOptions;
  /** Options of the `xroad` dialect. */
  readonly xroad?: XRoadOptions;
  /** Options of the `ast` dialect. */
  readonly ast?: AstOptions;
  /** Options of the `xks` dialect. */
  readonly xks?: XksOptions;
  /** Options of the `de4a` dialect. */
  readonly de4a?: De4aOptions;
  /** Options of the `esb` dialect: custom sequences, their use, the `WWW-Authenticate` challenge. */
  readonly esb?: EsbOptions;
  /**
   * Send the real message of hidden faults, the stack and the cause chain to the client.
   * Only this option turns it on; `NODE_ENV` plays no part.
   * @default false
   */
  readonly debug?: boolean;
  /**
   * A pino-compatible logger (`logger.error(obj, msg)`); `false` turns logging off. Default:
   * the request's own logger when the adapter has one (Fastify's `request.log`), else one
   * JSON line per fault on stderr.
   */
  readonly logger?: FaultLogger | false;
  /** The levels faults are logged at, by status class. @default { clientError: 'info', serverError: 'error' } */
  readonly levels?: { readonly clientError?: LogLevel; readonly serverError?: LogLevel };
  /**
   * The correlation id of a request: a function that makes it, or where to take it from —
   * `{ header: 'x-request-id' }` (the first of several names that carries a safe token),
   * `{ header: 'traceparent' }` (the W3C trace id), `{ requestId: true }` (Fastify's
   * `request.id`). Anything missing or unsafe falls back to a random UUID v4.
   * @default a random UUID v4
   */
  readonly correlationId?: ((request: RequestInfo) => string) | CorrelationSource;
  /** A response header that echoes the correlation id, e.g. `x-correlation-id`. */
  readonly correlationHeader?: string;
  /**
   * Called once per fault after it was logged, for metrics and tracing. It may be async; an
   * error it throws or a promise it rejects is logged as a warning and changes nothing.
   */
  readonly onFault?: (event: FaultEvent) => void | PromiseLike<void>;
  /**
   * Read `status`, `message`, `expose` and `headers` from thrown objects that are not `Error`s
   * (`throw { statusCode: 404, message: 'x' }`). Off by default: such values are answered as
   * internal errors and only their type is logged.
   * @default false
   */
  readonly trustObjects?: boolean;
  /**
   * Switch built-in recognisers off by name, e.g. `{ zod: false, network: false }`: the
   * errors they would claim get the usual answer. Every one is on by default.
   * @default every built-in on
   */
  readonly builtins?: Partial<Record<BuiltinName, boolean>>;
  /**
   * How much of a message (characters), of validation details and of a cause chain a response
   * and its log entry carry, and how much of an `Accept` header is read. Cuts are marked.
   * @default { message: 4096, details: 100, causes: 8, accept: 16384 }
   */
  readonly limits?: FaultLimits;
}

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

// A resolved fault, and whether it was deliberate (thrown as a fault, or mapped by a rule).
interface Resolved {
  readonly fault: Fault;
  readonly deliberate: boolean;
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const FALLBACK_BODY = 'Internal Server Error';

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
export const FALLBACK_RESPONSE: Readonly<Pick<FaultResponse, 'status' | 'headers' | 'body'>> = Object.freeze({
  status: 500,
  headers: Object.freeze({
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(FALLBACK_BODY.length),
    'x-content-type-options': 'nosniff',
  }),
  body: FALLBACK_BODY,
});

/**
 * Creates the pipeline that turns anything thrown into a dialect's error response. Options
 * are validated here, once: a bad option is a `TypeError` naming it, not a surprise at
 * request time.
 *
 * @param options - the dialect and its options, logging, debug, correlation ids
 * @returns the handler
 * @throws TypeError on an unknown dialect or an invalid option
 * @example
 * ```ts
 * const handler = createFaultHandler({ dialect: 'xroad', xroad: { side: 'client' } });
 * const { status, headers, body } = handler.handle(new Error('boom'), { method: 'GET', url: '/r1/x' });
 * // 500, x-road-error: Server.ClientProxy.ServiceFailed.InternalError
 * ```
 */
export function createFaultHandler(given: FaultHandlerOptions = {}): FaultHandler {
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('faultline: options must be an object');
  }
  // Own properties only: a key another module added to Object.prototype is no option.
  const options = handlerOptions(given);
  const selection = compileSelection(options.dialect, (id) => dialectOptions(options, id));
  const mappings = compileMappings(options.mappings, selection.all.map((selected) => selected.dialect));
  const ownCatalogs = checkCatalogs(options.catalogs);
  // The entry of a fault's code: the dialect's catalogue first, then the user's for that dialect.
  const entryOf = (runtime: Selected['runtime'], fault: Fault): CatalogEntry | undefined =>
    runtime.catalog.get(fault.code) ??
    ownCatalogs.find((c) => c.dialect === fault.dialect && c.get(fault.code) !== undefined)?.get(fault.code);
  const debug = checkBoolean(options.debug, 'debug');
  const trustObjects = checkBoolean(options.trustObjects, 'trustObjects');
  const builtins = checkBuiltins(options.builtins);
  const configuredLogger = checkLogger(options.logger);
  const levels = {
    clientError: checkLevel(options.levels?.clientError ?? 'info', 'levels.clientError'),
    serverError: checkLevel(options.levels?.serverError ?? 'error', 'levels.serverError'),
  };
  const makeId = correlationSource(options.correlationId);
  const echoHeader = checkEchoHeader(options.correlationHeader, selection.all);
  const onFault = checkFunction(options.onFault, 'onFault');
  const limits = checkLimits(options.limits);
  const legalHeader = headerCheck();

  // An id from a function or from a thrown fault reaches a body and maybe a header: it must be
  // a plain token, like one taken from a request header; anything else gets a random id.
  const correlationIdFor = (request: RequestInfo, own?: string): string => {
    if (own !== undefined && SAFE_ID.test(own)) return own;
    if (makeId !== undefined) {
      try {
        const id = syncResult(makeId(request));
        if (typeof id === 'string' && SAFE_ID.test(id)) return id;
      } catch {
        // a failing id generator must not cost the response: use a random id
      }
    }
    return uuid();
  };

  const loggerFor = (request: RequestInfo): FaultLogger | false =>
    configuredLogger ?? request.log ?? stderrLogger;

  // Step 2: the user's mappings first, then thrown faults, then everything else classified.
  // One fault built per error: the dialect attaches the correlation id as it builds it.
  const resolve = (like: ErrorLike, request: RequestInfo, { dialect, runtime }: Selected): Resolved => {
    const rule = mappings?.match(like, request);
    const mapped = rule === undefined ? undefined : mappings?.apply(rule, like, request, dialect);
    const own = mapped ?? like.fault;
    const correlationId = correlationIdFor(request, own?.correlationId);
    const context: ResolveContext = {
      request,
      correlationId,
      warn(message, data) {
        const logger = loggerFor(request);
        if (logger !== false) emit(logger, 'warn', { correlationId, dialect: runtime.id, ...data }, message);
      },
    };
    // A fault whose code no convention could carry (hand-built, over-long) keeps only its status.
    const fault =
      own === undefined
        ? runtime.fromProblem(classify(like, request.statusCode), context)
        : isCarriedCode(own.code)
          ? runtime.adopt(own, context)
          : runtime.fromProblem(classifyFault(own), context);
    return {
      fault: fault.correlationId === correlationId ? fault : copyFault(fault, { correlationId }),
      deliberate: own !== undefined,
    };
  };

  const log = (
    { fault, deliberate }: Resolved,
    like: ErrorLike,
    request: RequestInfo,
    { runtime }: Selected,
    started: number,
    extra?: Partial<FaultLogEvent>,
  ) => {
    // Faults the service throws or maps are deliberate; so are errors carrying a 4xx status.
    // Everything else (unmapped errors, 5xx) is unexpected: its stack is logged and onFault hears so.
    const logger = loggerFor(request);
    if (logger === false && onFault === undefined) return; // nobody listens: nothing to build
    const expected = deliberate || (fault.status < 500 && like.status !== undefined);
    const level =
      entryOf(runtime, fault)?.logLevel ??
      (fault.status >= 500 ? levels.serverError : levels.clientError);
    if (logger !== false) {
      const event = { ...logEvent(fault, request, loggedError(like, !expected || debug, limits), logger), ...extra };
      emit(logger, level, event, truncate(like.message ?? fault.message, limits.message));
    }
    if (onFault !== undefined) {
      // Hooks are for observation: a failing one is logged and changes nothing, even when it
      // is async and rejects later.
      const failed = (failure: unknown) => {
        if (logger !== false) {
          emit(logger, 'warn', { correlationId: fault.correlationId, hookError: loggedError(safeNormalize(failure, false, limits), true, limits) }, 'faultline: the onFault hook failed');
        }
      };
      try {
        const result: unknown = onFault({ fault, error: like.value, request, expected, level, durationMs: performance.now() - started });
        if (isThenable(result)) void Promise.resolve(result).then(undefined, failed);
      } catch (failure) {
        failed(failure);
      }
    }
  };

  const render = (fault: Fault, like: ErrorLike, request: RequestInfo, { runtime }: Selected): FaultResponse => {
    const hidden = !fault.expose && !debug;
    const message = truncate(
      hidden || (fault.message === '' && runtime.keepsEmptyMessage !== true)
        ? (entryOf(runtime, fault)?.message ?? reasonPhrase(fault.status))
        : fault.message,
      limits.message,
    );
    const context: RenderContext = debug
      ? { request, message, debug: { stack: stackOf(like.value) ?? fault.stack, causes: causeChain(like.value, limits.causes) } }
      : // `debug` is an own property even when off: an inherited one must not switch it on.
        { request, message, debug: undefined };
    const rendered = runtime.render(limitDetails(fault, limits.details), runtime.negotiate(boundedAccept(request, limits.accept)), context);
    // Errors are not cached, and their encoding may depend on Accept; a fault may say otherwise.
    const headers: Record<string, string> = { 'cache-control': 'no-store', vary: 'Accept' };
    const own = fault.headers === undefined ? undefined : sanitizeHeaders(fault.headers);
    if (own !== undefined) {
      for (const name of Object.keys(own)) {
        if (!runtime.ownHeaders?.includes(name)) headers[name] = own[name] as string;
      }
    }
    const renderedHeaders = rendered.headers;
    for (const name of Object.keys(renderedHeaders)) {
      const value = renderedHeaders[name];
      if (typeof value === 'string' && legalHeader(name, value)) headers[name.toLowerCase()] = value;
    }
    headers['x-content-type-options'] = 'nosniff';
    if (echoHeader !== undefined && fault.correlationId !== undefined && SAFE_ID.test(fault.correlationId)) {
      headers[echoHeader] = fault.correlationId;
    }
    headers['content-length'] = String(Buffer.byteLength(rendered.body));
    return { status: rendered.status, headers, body: rendered.body, fault };
  };

  return Object.freeze({
    dialect: selection.fallback.runtime.id,
    handle(thrown: unknown, request: RequestInfo = {}): FaultResponse {
      const started = onFault === undefined ? 0 : performance.now();
      const like = safeNormalize(thrown, trustObjects, limits, builtins);
      const selected = selection.select(request);
      let resolved: Resolved | undefined;
      try {
        resolved = resolve(like, request, selected);
        const response = render(resolved.fault, like, request, selected);
        const extra = response.status === resolved.fault.status ? undefined : { httpStatus: response.status };
        log(resolved, like, request, selected, started, extra);
        return response;
      } catch (failure) {
        return fallback(like, request, selected, resolved?.fault, failure);
      }
    },
    report(thrown: unknown, request: RequestInfo = {}): Fault {
      const started = onFault === undefined ? 0 : performance.now();
      const like = safeNormalize(thrown, trustObjects, limits, builtins);
      const selected = selection.select(request);
      let resolved: Resolved;
      try {
        resolved = resolve(like, request, selected);
      } catch {
        resolved = { fault: internalFault(selected.runtime.id, correlationIdFor(request), like.value), deliberate: false };
      }
      log(resolved, like, request, selected, started, { responseStarted: true });
      return resolved.fault;
    },
    reportSendError(thrown: unknown, fault: Fault, request: RequestInfo = {}): void {
      const logger = loggerFor(request);
      if (logger === false) return;
      try {
        const event = {
          ...logEvent(fault, request, loggedError(safeNormalize(thrown, false, limits), true, limits), logger),
          sendError: true as const,
        };
        emit(logger, 'error', event, 'faultline could not send the fault as rendered');
      } catch {
        // logging is best effort here: the fault itself was logged before it was sent
      }
    },
  });

  // The dialect failed: answer a fixed text/plain 500 and log the failure with the error.
  function fallback(
    like: ErrorLike,
    request: RequestInfo,
    { runtime }: Selected,
    resolved: Fault | undefined,
    failure: unknown,
  ): FaultResponse {
    const fault = internalFault(runtime.id, resolved?.correlationId ?? correlationIdFor(request), like.value);
    const logger = loggerFor(request);
    if (logger !== false) {
      const failureLike = safeNormalize(failure, false, limits);
      const event = {
        ...logEvent(fault, request, loggedError(like, true, limits), logger),
        formatterError: loggedError(failureLike, true, limits),
      };
      emit(logger, 'error', event, `faultline could not render a ${runtime.id} fault`);
    }
    const own = runtime.fallback;
    if (own === undefined) return { ...FALLBACK_RESPONSE, fault };
    return {
      status: own.status,
      headers: { ...own.headers, 'x-content-type-options': 'nosniff', 'content-length': String(Buffer.byteLength(own.body)) },
      body: own.body,
      fault,
    };
  }
}

// The options with own properties only, copied; the values that are objects of their own
// (a logger, catalogues) are kept as they are.
function handlerOptions(given: FaultHandlerOptions): FaultHandlerOptions {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    copy[key] = key === 'logger' || key === 'catalogs' ? value : ownOptions(value);
  }
  return copy as FaultHandlerOptions;
}

function safeNormalize(thrown: unknown, trustObjects: boolean, limits: ResolvedLimits, builtins?: Builtins): ErrorLike {
  try {
    return normalize(thrown, trustObjects, builtins, limits);
  } catch {
    return { value: thrown, trusted: false };
  }
}

// The longest code a fault may carry: every convention's codes are short identifiers, and a
// code is sent in headers (X-Road-Error) that have their own limits.
const MAX_CODE = 256;

function isCarriedCode(code: string | number): boolean {
  return typeof code === 'number' || code.length <= MAX_CODE;
}

function internalFault(dialect: string, correlationId: string, cause: unknown): Fault {
  return buildFault(
    { dialect, code: 'InternalError', status: 500, message: FALLBACK_BODY, expose: false, cause, correlationId },
    cause,
  );
}

// A dialect's options live under its id (`xroad: {...}`); they must be an object if given.
function dialectOptions(options: FaultHandlerOptions, id: string): unknown {
  const value = (options as unknown as Record<string, unknown>)[id];
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError(`faultline: options.${id} must be an object`);
  }
  return value;
}

/**
 * Where the correlation id comes from, when no function makes it.
 *
 * @example
 * ```ts
 * const correlationId: CorrelationSource = { header: ['x-request-id', 'traceparent'] };
 * createFaultHandler({ dialect: 'xroad', correlationId });
 * ```
 */
export interface CorrelationSource {
  /** Request headers to take it from, first match wins; `traceparent` gives the W3C trace id. */
  readonly header?: string | readonly string[];
  /** Take the framework's request id (Fastify's `request.id`). */
  readonly requestId?: boolean;
}

// Ids reach a response body and maybe a header: only plain tokens of visible ASCII are taken.
const SAFE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

// W3C Trace Context: version, trace id, parent id, flags, all lower-case hex; a later version
// may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;

/**
 * The trace id of a `traceparent` header, when the header is valid as W3C Trace Context
 * requires: not version `ff`, nothing appended to version `00`, neither the trace id nor the
 * parent id all zeros.
 */
function traceIdOf(header: string): string | undefined {
  const match = TRACEPARENT.exec(header);
  if (match === null) return undefined;
  const [, version, traceId, parentId, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId as string) || /^0+$/.test(parentId as string)) return undefined;
  return traceId;
}

function correlationSource(option: unknown): ((request: RequestInfo) => string) | undefined {
  if (option === undefined || typeof option === 'function') {
    return checkSyncFunction(option as ((request: RequestInfo) => string) | undefined, 'options.correlationId');
  }
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new TypeError('faultline: options.correlationId must be a function or { header, requestId }');
  }
  const { header, requestId } = option as CorrelationSource;
  const names = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && isHeaderName(n))) {
    throw new TypeError('faultline: options.correlationId.header must be a header name or a list of them');
  }
  if (requestId !== undefined && typeof requestId !== 'boolean') {
    throw new TypeError('faultline: options.correlationId.requestId must be a boolean');
  }
  const lower = names.map((n) => n.toLowerCase());
  return (request) => {
    for (const name of lower) {
      const value = request.headers?.[name];
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined) continue;
      const id = name === 'traceparent' ? traceIdOf(text) : text;
      if (id !== undefined && SAFE_ID.test(id)) return id;
    }
    if (requestId === true && typeof request.id === 'string' && SAFE_ID.test(request.id)) return request.id;
    return '';
  };
}

// The echo header must be a header of its own: not framing, not hop-by-hop, not one faultline
// or a dialect writes (their value would be replaced, or the response broken).
function checkEchoHeader(value: unknown, dialects: readonly Selected[]): string | undefined {
  if (value === undefined) return undefined;
  const name = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (name === undefined || !isEchoHeaderName(name) || dialects.some(({ runtime }) => runtime.ownHeaders?.includes(name))) {
    throw new TypeError(
      `faultline: options.correlationHeader must be a header name of its own such as x-correlation-id (got ${typeof value === 'string' ? `'${value}'` : typeof value}: framing, hop-by-hop and the headers faultline writes are refused)`,
    );
  }
  return name;
}

function checkCatalogs(value: unknown): readonly Catalog[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'object' && c !== null && typeof (c as Catalog).get === 'function')) {
    throw new TypeError('faultline: options.catalogs must be a list of catalogues (defineCatalog(...).catalog)');
  }
  return value as readonly Catalog[];
}

function checkBoolean(value: unknown, name: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`faultline: options.${name} must be a boolean`);
  }
  return value === true;
}

function checkLogger(logger: unknown): FaultLogger | false | undefined {
  if (logger === undefined || logger === false) return logger;
  if (typeof logger !== 'object' || logger === null || typeof (logger as FaultLogger).error !== 'function') {
    throw new TypeError('faultline: options.logger must be a pino-compatible logger (with an error method) or false');
  }
  return logger as FaultLogger;
}

function checkLevel(level: unknown, name: string): LogLevel {
  if (!LEVELS.includes(level as LogLevel)) {
    throw new TypeError(`faultline: options.${name} must be one of ${LEVELS.join(', ')}`);
  }
  return level as LogLevel;
}

function checkFunction<F>(value: F | undefined, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`faultline: options.${name} must be a function`);
  }
  return value;
}
