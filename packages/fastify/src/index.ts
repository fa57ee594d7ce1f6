/**
 * faultline for Fastify 5: one plugin that installs the error handler and the not-found
 * handler, answering in the configured convention.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import faultline from '@faultline/fastify';
 *
 * const app = Fastify({ logger: true });
 * await app.register(faultline, { dialect: 'xroad' });
 * ```
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import {
  DIALECTS,
  FALLBACK_RESPONSE,
  LOG_LEVELS,
  STALE_HEADERS,
  answerClientError,
  createFaultHandler,
  dialectSchemas,
  mergeVary,
  pathOfTarget,
  routeNotFound,
  statusPageError,
} from '@faultline/core';
import type {
  Dialect,
  DialectName,
  FaultHandler,
  FaultHandlerOptions,
  FaultLogger,
  FaultResponse,
  JsonSchema,
  RequestInfo,
  SchemaOptions,
} from '@faultline/core';

/**
 * Options of the plugin: the core handler's options, plus `notFound`.
 *
 * @example
 * ```ts
 * const options: FaultlineFastifyOptions = { dialect: 'xks', notFound: false };
 * await app.register(faultline, options);
 * ```
 */
export interface FaultlineFastifyOptions extends FaultHandlerOptions {
  /**
   * Install the not-found handler. Turn it off when the application sets its own with
   * `setNotFoundHandler` (Fastify allows one per prefix).
   * @default true
   */
  readonly notFound?: boolean;
  /**
   * Status pages: a reply a route ends with an error status and no body
   * (`reply.code(404).send()`) gets the dialect's fault for that status. A body the route sent
   * itself is never touched.
   * @default true
   */
  readonly statusPages?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The faultline handler the plugin installed; `handle(err, request)` renders a fault. */
    faultline: FaultHandler;
  }
}

/**
 * Whether a Fastify logger is the no-op one Fastify uses when logging is off (`Fastify()`
 * without `logger`): every level is the same empty function and there is no `level`. A real
 * logger silenced with level `silent` keeps its `level` and is respected.
 */
function isNullLogger(log: FastifyRequest['log']): boolean {
  const methods = log as unknown as Record<string, unknown>;
  return (
    methods.level === undefined && LOG_LEVELS.every((level) => methods[level] === methods.error)
  );
}

// Marks the scopes (Fastify instances) the plugin was registered in, with the registration. A
// child scope inherits its parent's mark through the prototype, so only an own mark means "this
// very scope", and the mark a route's scope reads is its nearest registration's.
const REGISTERED = Symbol('faultline.registered');

/** One registration of the plugin: its handler and how it reads requests. */
interface Registration {
  readonly handler: FaultHandler;
  readonly useRequestLog: boolean;
  readonly router: RouterRules;
  /** The error handler function this registration set on its scope, as Fastify reports it. */
  scopeHandler?: unknown;
}

/** How Fastify's router compares paths (its server options). */
interface RouterRules {
  readonly caseInsensitive: boolean;
  readonly duplicateSlashes: boolean;
  readonly semicolon: boolean;
}

function routerRules(fastify: FastifyInstance): RouterRules {
  const config = fastify.initialConfig as Readonly<Record<string, unknown>>;
  return {
    caseInsensitive: config.caseSensitive === false,
    duplicateSlashes: config.ignoreDuplicateSlashes === true,
    semicolon: config.useSemicolonDelimiter === true,
  };
}

const plugin: FastifyPluginCallback<FaultlineFastifyOptions> = (fastify, options, done) => {
  try {
    if (Object.hasOwn(fastify, REGISTERED)) {
      throw new Error(
        'faultline: the plugin is already registered in this scope; register it once per scope',
      );
    }
    const notFound = Object.hasOwn(options, 'notFound') ? options.notFound : undefined;
    if (notFound !== undefined && typeof notFound !== 'boolean') {
      throw new TypeError('faultline: options.notFound must be a boolean');
    }
    const statusPages = Object.hasOwn(options, 'statusPages') ? options.statusPages : undefined;
    if (statusPages !== undefined && typeof statusPages !== 'boolean') {
      throw new TypeError('faultline: options.statusPages must be a boolean');
    }
    const registration: Registration = {
      handler: createFaultHandler(options),
      // With Fastify's logging off, faults go to the core's default (stderr), not nowhere.
      useRequestLog: !isNullLogger(fastify.log),
      router: routerRules(fastify),
    };
    const routeLevel = routeErrorHandler(registration);
    if (notFound !== false) setNotFoundHandler(fastify, registration, routeLevel);
    Object.defineProperty(fastify, REGISTERED, { value: registration });
    // A child scope with its own registration keeps the root's decorator (Fastify refuses to
    // redecorate); its error handler is its own.
    if (!fastify.hasDecorator('faultline')) fastify.decorate('faultline', registration.handler);
    setErrorHandler(fastify, registration);
    fastify.addHook('onRoute', function faultlineRoute(route) {
      guardRoute(route, registration, routeLevel);
    });
    fastify.addHook('onSend', function faultlineStreamErrors(request, reply, payload, next) {
      if (isStream(payload)) watchStream(payload, request, reply, registration);
      next(null, payload);
    });
    if (statusPages !== false) {
      fastify.addHook('onSend', function faultlineStatusPages(request, reply, payload, next) {
        next(null, statusPage(registration, request, reply, payload));
      });
    }
  } catch (err) {
    // A callback plugin must report through `done`: a synchronous throw would crash the process.
    done(err as Error);
    return;
  }
  done();
};

function setErrorHandler(fastify: FastifyInstance, registration: Registration): void {
  // Fastify sends whatever a child scope's error handler throws synchronously as the body when
  // it is not an Error (`throw 'x'` answers 200 "x"). Handlers set after this plugin are wrapped
  // so such a value reaches this handler, inside an Error, and is answered as a fault.
  const set = fastify.setErrorHandler;
  fastify.setErrorHandler = function setGuardedErrorHandler(this: FastifyInstance, func: unknown) {
    return set.call(
      this,
      typeof func === 'function'
        ? guardNonErrors(func as ErrorHandlerFunction)
        : (func as ErrorHandlerFunction),
    );
  } as FastifyInstance['setErrorHandler'];

  set.call(fastify, function faultlineErrorHandler(thrown: unknown, request, reply) {
    answer(registration, thrown, request, reply);
  });
  registration.scopeHandler = fastify.errorHandler;
}

// Fastify hands an error raised while a reply is being sent (an `onSend` hook that fails) to
// the *next* error handler of the route's chain, which is Fastify's own default below the
// scope's: it would answer in no dialect, with the hook's message. Every route therefore gets
// a route-level faultline handler above the scope's, so the scope's faultline handler is the
// next one and sends the fault once more, without the hooks. A route in a scope whose own error
// handler was set after the plugin is left to that handler: the route-level handler passes the
// error on by throwing it.
function routeErrorHandler(registration: Registration): ErrorHandlerFunction {
  const faultlineRouteErrorHandler = function (
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (!SENDING.has(reply) && request.server.errorHandler !== registration.scopeHandler) {
      throw isError(error) ? error : new RethrownValue(error);
    }
    answer(registration, error, request, reply);
  };
  ROUTE_HANDLERS.add(faultlineRouteErrorHandler);
  return faultlineRouteErrorHandler;
}

// The route-level handlers of every registration: a child scope's registration replaces its
// parent's on the routes it declares.
const ROUTE_HANDLERS = new WeakSet<object>();
// Route handlers already guarded (Fastify calls onRoute again for a route's HEAD twin).
const GUARDED = new WeakSet<object>();

function guardRoute(
  route: RouteOptions,
  registration: Registration,
  routeLevel: ErrorHandlerFunction,
): void {
  if (route.errorHandler === undefined || ROUTE_HANDLERS.has(route.errorHandler)) {
    route.errorHandler = routeLevel as RouteOptions['errorHandler'];
  }
  const own = route.handler;
  if (typeof own !== 'function' || GUARDED.has(own)) return;
  // An error thrown after the reply was sent or hijacked reaches no error handler: Fastify only
  // logs it when logging is on. It is reported here, once, like an error after a response
  // started.
  const guarded = function faultlineRoute(
    this: FastifyInstance,
    request: FastifyRequest,
    reply: FastifyReply,
  ): unknown {
    let result: unknown;
    try {
      result = own.call(this, request, reply);
    } catch (error) {
      if (!reply.sent) throw error;
      reportAfterSent(registration, error, request, reply);
      return undefined;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(undefined, (error: unknown) => {
        if (reply.sent) reportAfterSent(registration, error, request, reply);
      });
    }
    return result;
  };
  GUARDED.add(guarded);
  route.handler = guarded as RouteOptions['handler'];
}

function reportAfterSent(
  registration: Registration,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  try {
    registration.handler.report(unwrap(error), requestInfo(request, reply, registration));
  } catch {
    // report never throws; requestInfo reads only the request
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    return false;
  }
}

// The faults being sent, by reply, with what is needed to send them once more should a hook
// fail on the way.
const SENDING = new WeakMap<
  FastifyReply,
  {
    readonly response: FaultResponse;
    readonly registration: Registration;
    readonly info: RequestInfo;
  }
>();

// The error handler's work, at route and at scope level.
function answer(
  registration: Registration,
  thrown: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { handler } = registration;
  const error = unwrap(thrown);
  const info = requestInfo(request, reply, registration);
  if (reply.raw.headersSent || reply.raw.writableEnded || (reply.sent && !SENDING.has(reply))) {
    handler.report(error, info);
    // The fault cannot be sent any more: end the connection rather than leave the client
    // waiting for the rest of a broken response, as Fastify's own fallback does.
    if (!reply.raw.writableEnded) reply.raw.destroy();
    return;
  }
  const sending = SENDING.get(reply);
  if (sending !== undefined) {
    // Sending the fault failed on the way (an onSend hook threw): the failure is logged with
    // the fault's id, and the fault goes out as rendered, without the hooks.
    sending.registration.handler.reportSendError(error, sending.response.fault, sending.info);
    writeRaw(request, reply, sending.response);
    return;
  }
  send(request, reply, handler.handle(error, info), registration, info);
}

// An error status with no body, from a route or another plugin, answered as the dialect's fault
// for that status; faultline's own faults (XKS's empty 405 among them) are left as they are.
function statusPage(
  registration: Registration,
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
): unknown {
  const status = reply.statusCode;
  const empty =
    body === undefined ||
    body === null ||
    body === '' ||
    (body instanceof Uint8Array && body.byteLength === 0);
  if (!empty || status < 400 || status > 599 || SENDING.has(reply) || request.method === 'HEAD')
    return body;
  // Every registration's hook sees every route below it: the route's nearest one answers.
  if ((request.server as unknown as Record<symbol, unknown>)[REGISTERED] !== registration)
    return body;
  const info = requestInfo(request, reply, registration);
  const response = registration.handler.handle(statusPageError(status), info);
  try {
    for (const name of ['content-type', 'content-length', ...STALE_HEADERS]) {
      if (reply.hasHeader(name)) reply.removeHeader(name);
    }
    reply.code(response.status).headers(response.headers);
    SENDING.set(reply, { response, registration, info });
    return payload(response);
  } catch (failure) {
    registration.handler.reportSendError(failure, response.fault, info);
    return body;
  }
}

function isStream(payload: unknown): payload is NodeJS.ReadableStream {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { pipe?: unknown }).pipe === 'function'
  );
}

// The registration that reports a watched stream's failure: the innermost one, whose hook
// runs last, when a child scope registered the plugin again.
const watched = new WeakMap<object, Registration>();

// A stream that fails after the response started never reaches an error handler: Fastify cuts
// the response off and only writes a warning to its own log, which may be off. It is reported
// here, once, like any error after the response started. One that fails earlier reaches the
// error handler instead.
function watchStream(
  stream: NodeJS.ReadableStream,
  request: FastifyRequest,
  reply: FastifyReply,
  registration: Registration,
): void {
  const first = !watched.has(stream);
  watched.set(stream, registration);
  if (!first) return;
  stream.once('error', (err: unknown) => {
    const by = watched.get(stream);
    if (by !== undefined && reply.raw.headersSent)
      by.handler.report(err, requestInfo(request, reply, by));
  });
}

function setNotFoundHandler(
  fastify: FastifyInstance,
  registration: Registration,
  routeLevel: ErrorHandlerFunction,
): void {
  try {
    // The route-level error handler covers the not-found handler's own sending too.
    const opts = { errorHandler: routeLevel } as Parameters<
      FastifyInstance['setNotFoundHandler']
    >[0];
    fastify.setNotFoundHandler(
      opts,
      function faultlineNotFound(request: FastifyRequest, reply: FastifyReply) {
        const info = requestInfo(request, reply, registration);
        send(
          request,
          reply,
          registration.handler.handle(routeNotFound(request.method, request.url), info),
          registration,
          info,
        );
      },
    );
  } catch (err) {
    // Fastify allows one not-found handler per prefix: a child scope without a prefix of its
    // own shares its parent's.
    throw new Error(
      `faultline: a not-found handler is already set for this prefix (${(err as Error).message}); register the plugin with { notFound: false } here, or in a scope with its own prefix`,
      { cause: err },
    );
  }
}

type ErrorHandlerFunction = (
  this: FastifyInstance,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
) => unknown;

// A value that is not an Error, thrown by another error handler; the fault is made of `value`.
class RethrownValue extends Error {
  constructor(readonly value: unknown) {
    super('an error handler threw a value that is not an Error');
  }
}

// `instanceof` runs a Proxy's getPrototypeOf trap, which may throw: both checks are guarded.
function isError(value: unknown): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function unwrap(thrown: unknown): unknown {
  try {
    return thrown instanceof RethrownValue ? thrown.value : thrown;
  } catch {
    return thrown;
  }
}

function guardNonErrors(func: ErrorHandlerFunction): ErrorHandlerFunction {
  // A value passed on by faultline's route-level handler reaches the function unwrapped.
  const guarded = function (
    this: FastifyInstance,
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): unknown {
    try {
      return func.call(this, unwrap(error), request, reply);
    } catch (thrown) {
      throw isError(thrown) ? thrown : new RethrownValue(thrown);
    }
  };
  // Fastify prints a handler by its name (printRoutes, errors).
  Object.defineProperty(guarded, 'name', { value: func.name });
  return guarded;
}

function requestInfo(
  request: FastifyRequest,
  reply: FastifyReply,
  { useRequestLog, router }: Pick<Registration, 'useRequestLog' | 'router'>,
): RequestInfo {
  return {
    method: request.method,
    url: request.url,
    path: routedPath(request.url, router),
    caseInsensitivePath: router.caseInsensitive,
    headers: request.headers,
    body: request.body,
    id: request.id,
    log: useRequestLog ? (request.log as unknown as FaultLogger) : undefined,
    statusCode: reply.statusCode,
    raw: request,
  };
}

// The path as Fastify's router (find-my-way) compares it: the target's path, an absolute-form
// target's too, percent-decoded except for reserved characters, with the server's rules for
// `;` and repeated slashes.
function routedPath(url: string, router: RouterRules): string {
  let path = pathOfTarget(url);
  if (router.semicolon) {
    const semicolon = path.indexOf(';');
    if (semicolon !== -1) path = path.slice(0, semicolon);
  }
  if (path.includes('%')) {
    try {
      path = decodeURI(path);
    } catch {
      // a malformed escape: find-my-way keeps such a path as it is, and so do we
    }
  }
  return router.duplicateSlashes ? path.replace(/\/{2,}/g, '/') : path;
}

// Fastify appends `; charset=utf-8` to a JSON content type without a charset when the payload
// is a string; such bodies go out as a Buffer, every other one as the string it is (which
// saves a copy, and lets Node write headers and body as one chunk). An empty body (XKS's 405)
// goes out as no payload at all, to which Fastify adds no Content-Type.
function payload(response: FaultResponse): string | Buffer | undefined {
  if (response.body === '') return undefined;
  const type = response.headers['content-type'] ?? '';
  return type.includes('json') && !type.includes('charset=')
    ? Buffer.from(response.body)
    : response.body;
}

// Sends through the reply so Fastify's hooks run. Headers are legal and the status valid
// (the core checks both). Headers the route set for its own body or connection go first, on
// the reply and on the raw response: a `Trailer` or a `Transfer-Encoding` beside the fault's
// `Content-Length` makes Node refuse the response, and connection-specific headers leave an
// HTTP/2 stream unanswered. Should sending still fail, the handler must not throw, or Fastify
// would fall back to its default handler, so the fixed text/plain 500 goes out on the raw
// response instead.
function send(
  request: FastifyRequest,
  reply: FastifyReply,
  response: FaultResponse,
  registration: Registration,
  info: RequestInfo,
): void {
  try {
    for (const name of STALE_HEADERS) {
      if (reply.hasHeader(name)) reply.removeHeader(name);
      if (reply.raw.hasHeader(name)) reply.raw.removeHeader(name);
    }
    // reply.code() refuses statuses above 599; a custom ESB sequence may send up to 999.
    if (response.status > 599) reply.raw.statusCode = response.status;
    else reply.code(response.status);
    SENDING.set(reply, { response, registration, info });
    // A Vary a hook set (CORS's Origin) still holds for the fault: added to, not replaced.
    const vary = response.headers['vary'];
    const varied = vary === undefined ? undefined : reply.getHeader('vary');
    reply.headers(response.headers);
    if (varied !== undefined) reply.header('vary', mergeVary(varied, vary!));
    reply.send(payload(response));
  } catch (failure) {
    registration.handler.reportSendError(failure, response.fault, info);
    writeRaw(request, reply, FALLBACK_RESPONSE, true);
  }
}

// A response written on the raw response, Fastify's hooks skipped: the fault as rendered, with
// the headers the route set for its body or connection removed, or (`fallback`) the fixed
// text/plain 500 with every header removed. Should even the fallback fail, the connection is
// closed. Never throws.
function writeRaw(
  request: FastifyRequest,
  reply: FastifyReply,
  response: Pick<FaultResponse, 'status' | 'headers' | 'body'>,
  fallback = false,
): void {
  const raw = reply.raw;
  try {
    if (!reply.sent) reply.hijack();
    if (raw.headersSent) {
      raw.destroy();
      return;
    }
    for (const name of fallback ? raw.getHeaderNames() : STALE_HEADERS)
      if (raw.hasHeader(name)) raw.removeHeader(name);
    raw.writeHead(response.status, response.headers);
    raw.end(request.method === 'HEAD' ? undefined : response.body);
  } catch {
    if (!fallback) {
      writeRaw(request, reply, FALLBACK_RESPONSE, true);
      return;
    }
    try {
      raw.destroy();
    } catch {
      // the socket is gone already
    }
  }
}

/**
 * Fastify's `frameworkErrors` server option: Fastify answers a malformed URL (`/%`,
 * `FST_ERR_BAD_URL`), an over-long path parameter and a failed async constraint by itself,
 * before any plugin's error handler can run, unless this option is set. With this function
 * they are answered by the faultline handler registered on the application (as
 * `Client.BadRequest` for X-Road); before the plugin is registered, with the fixed
 * `text/plain` fallback.
 *
 * @param error - the framework error
 * @param request - the request Fastify built for it
 * @param reply - its reply
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import faultline, { frameworkErrors } from '@faultline/fastify';
 *
 * const app = Fastify({ frameworkErrors });
 * await app.register(faultline, { dialect: 'xroad' });
 * ```
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const handler = (request.server as { faultline?: FaultHandler }).faultline;
  if (handler === undefined) {
    reply
      .code(FALLBACK_RESPONSE.status)
      .headers(FALLBACK_RESPONSE.headers)
      .send(FALLBACK_RESPONSE.body);
    return;
  }
  const registration: Registration = {
    handler,
    useRequestLog: !isNullLogger(request.log),
    router: routerRules(request.server),
  };
  const info = requestInfo(request, reply, registration);
  send(request, reply, handler.handle(error, info), registration, info);
}

/**
 * Fastify's `clientErrorHandler` server option: requests Node's HTTP parser rejects (a
 * malformed request line or header, headers over Node's limit, a request that did not arrive
 * in time) never reach a route or an error handler, and Fastify answers them with its own
 * JSON. With this function they get the dialect's fault of the handler registered on the
 * application (431, 413, 408 or 400), logged once, as a raw HTTP/1.1 response with
 * `Connection: close`; before the plugin is registered, the fixed `text/plain` fallback. It
 * applies to HTTP/1.1 only: Node raises no such event for HTTP/2.
 *
 * @param error - the parser's error
 * @param socket - the client's socket
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import faultline, { clientErrorHandler, frameworkErrors } from '@faultline/fastify';
 *
 * const app = Fastify({ frameworkErrors, clientErrorHandler });
 * await app.register(faultline, { dialect: 'xroad' });
 * ```
 */
export function clientErrorHandler(
  this: FastifyInstance | undefined,
  error: Error,
  socket: Duplex,
): void {
  let handler: FaultHandler | undefined;
  try {
    handler = (this as { faultline?: FaultHandler } | undefined)?.faultline;
  } catch {
    handler = undefined;
  }
  answerClientError(handler, error, socket);
}

/**
 * Route response schemas for the error statuses, as {@link faultSchemas} returns them.
 *
 * @example
 * ```ts
 * const errors: FaultRouteSchemas = faultSchemas('xroad');
 * app.get('/persons/:id', { schema: { response: { 200: personSchema, ...errors } } }, handler);
 * ```
 */
export interface FaultRouteSchemas {
  readonly '4xx': JsonSchema;
  readonly '5xx': JsonSchema;
}

/**
 * Response schemas for a route's error statuses: the dialect's JSON body schema under `4xx` and
 * `5xx`, to spread into `schema.response`, so that the route's documentation (e.g. through
 * `@fastify/swagger`) shows the errors it sends. The plugin sends every fault as a ready-made
 * body, which Fastify does not serialize again, so the bytes on the wire stay the same with or
 * without these schemas.
 *
 * @param dialect - a built-in dialect name, or a dialect value (yours too, with `bodies`)
 * @param options - your own catalogues (codes as an enum), `debug`
 * @returns `{ '4xx': schema, '5xx': schema }`
 * @throws TypeError for an unknown dialect, or one that describes no bodies
 * @example
 * ```ts
 * app.post('/orders', { schema: { response: { 200: orderSchema, ...faultSchemas('problem') } } }, handler);
 * ```
 */
export function faultSchemas(
  dialect: DialectName | Dialect,
  options?: SchemaOptions,
): FaultRouteSchemas {
  const isValue = typeof dialect === 'object' && dialect !== null;
  if (!isValue && !Object.hasOwn(DIALECTS, dialect))
    throw new TypeError(`faultline: unknown dialect '${String(dialect)}'`);
  // Fastify compiles response schemas with its own draft; the body schema needs no $schema.
  const { $schema: _draft, ...json } = dialectSchemas(dialect, options).json;
  return Object.freeze({ '4xx': json, '5xx': json });
}

/**
 * The plugin, wrapped with `fastify-plugin` so the handlers apply to the whole application,
 * not only to the scope it is registered in. Child scopes can still set their own error
 * handler, as Fastify users expect.
 *
 * @example
 * ```ts
 * await app.register(faultline, { dialect: 'xroad', xroad: { side: 'client' } });
 * ```
 */
export const faultline = fp(plugin, { name: '@faultline/fastify', fastify: '5.x' });
export default faultline;
