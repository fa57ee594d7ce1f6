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
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { FALLBACK_RESPONSE, ast, createFaultHandler, de4a, esb, problem, routeNotFound, xks, xroad } from '@faultline/core';
import type {
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
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The faultline handler the plugin installed; `handle(err, request)` renders a fault. */
    faultline: FaultHandler;
  }
}

// Headers a route may have set for its own body; they would mislabel the fault's body.
const STALE_HEADERS = ['content-encoding', 'content-language', 'content-range'] as const;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * Whether a Fastify logger is the no-op one Fastify uses when logging is off (`Fastify()`
 * without `logger`): every level is the same empty function and there is no `level`. A real
 * logger silenced with level `silent` keeps its `level` and is respected.
 */
function isNullLogger(log: FastifyRequest['log']): boolean {
  const methods = log as unknown as Record<string, unknown>;
  return methods.level === undefined && LEVELS.every((level) => methods[level] === methods.error);
}

// Marks the scopes (Fastify instances) the plugin was registered in. A child scope inherits
// its parent's mark through the prototype, so only an own mark means "this very scope".
const REGISTERED = Symbol('faultline.registered');

const plugin: FastifyPluginCallback<FaultlineFastifyOptions> = (fastify, options, done) => {
  try {
    if (Object.hasOwn(fastify, REGISTERED)) {
      throw new Error('faultline: the plugin is already registered in this scope; register it once per scope');
    }
    if (options.notFound !== undefined && typeof options.notFound !== 'boolean') {
      throw new TypeError('faultline: options.notFound must be a boolean');
    }
    const handler = createFaultHandler(options);
    // With Fastify's logging off, faults go to the core's default (stderr), not nowhere.
    const useRequestLog = !isNullLogger(fastify.log);
    if (options.notFound !== false) setNotFoundHandler(fastify, handler, useRequestLog);
    Object.defineProperty(fastify, REGISTERED, { value: true });
    // A child scope with its own registration keeps the root's decorator (Fastify refuses to
    // redecorate); its error handler is its own.
    if (!fastify.hasDecorator('faultline')) fastify.decorate('faultline', handler);
    setErrorHandler(fastify, handler, useRequestLog);
    fastify.addHook('onSend', function faultlineStreamErrors(request, reply, payload, next) {
      if (isStream(payload)) watchStream(payload, request, reply, handler, useRequestLog);
      next(null, payload);
    });
  } catch (err) {
    // A callback plugin must report through `done`: a synchronous throw would crash the process.
    done(err as Error);
    return;
  }
  done();
};

function setErrorHandler(fastify: FastifyInstance, handler: FaultHandler, useRequestLog: boolean): void {
  // Fastify sends whatever a child scope's error handler throws synchronously as the body when
  // it is not an Error (`throw 'x'` answers 200 "x"). Handlers set after this plugin are wrapped
  // so such a value reaches this handler, inside an Error, and is answered as a fault.
  const set = fastify.setErrorHandler;
  fastify.setErrorHandler = function setGuardedErrorHandler(this: FastifyInstance, func: unknown) {
    return set.call(this, typeof func === 'function' ? guardNonErrors(func as ErrorHandlerFunction) : (func as ErrorHandlerFunction));
  } as FastifyInstance['setErrorHandler'];

  set.call(fastify, function faultlineErrorHandler(thrown: unknown, request, reply) {
    const error = unwrap(thrown);
    const info = requestInfo(request, reply, useRequestLog);
    if (reply.sent || reply.raw.headersSent) {
      handler.report(error, info);
      // The fault cannot be sent any more: end the connection rather than leave the client
      // waiting for the rest of a broken response, as Fastify's own fallback does.
      if (!reply.raw.writableEnded) reply.raw.destroy();
      return;
    }
    send(request, reply, handler.handle(error, info));
  });
}

function isStream(payload: unknown): payload is NodeJS.ReadableStream {
  return typeof payload === 'object' && payload !== null && typeof (payload as { pipe?: unknown }).pipe === 'function';
}

// The registration that reports a watched stream's failure: the innermost one, whose hook
// runs last, when a child scope registered the plugin again.
const watched = new WeakMap<object, { readonly handler: FaultHandler; readonly useRequestLog: boolean }>();

// A stream that fails after the response started never reaches an error handler: Fastify cuts
// the response off and only writes a warning to its own log, which may be off. It is reported
// here, once, like any error after the response started. One that fails earlier reaches the
// error handler instead.
function watchStream(stream: NodeJS.ReadableStream, request: FastifyRequest, reply: FastifyReply, handler: FaultHandler, useRequestLog: boolean): void {
  const first = !watched.has(stream);
  watched.set(stream, { handler, useRequestLog });
  if (!first) return;
  stream.once('error', (err: unknown) => {
    const by = watched.get(stream);
    if (by !== undefined && reply.raw.headersSent) by.handler.report(err, requestInfo(request, reply, by.useRequestLog));
  });
}

function setNotFoundHandler(fastify: FastifyInstance, handler: FaultHandler, useRequestLog: boolean): void {
  try {
    fastify.setNotFoundHandler(function faultlineNotFound(request, reply) {
      const info = requestInfo(request, reply, useRequestLog);
      send(request, reply, handler.handle(routeNotFound(request.method, request.url), info));
    });
  } catch (err) {
    // Fastify allows one not-found handler per prefix: a child scope without a prefix of its
    // own shares its parent's.
    throw new Error(
      `faultline: a not-found handler is already set for this prefix (${(err as Error).message}); register the plugin with { notFound: false } here, or in a scope with its own prefix`,
      { cause: err },
    );
  }
}

type ErrorHandlerFunction = (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

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
  const guarded = function (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
    try {
      return func.call(this, error, request, reply);
    } catch (thrown) {
      throw isError(thrown) ? thrown : new RethrownValue(thrown);
    }
  };
  // Fastify prints a handler by its name (printRoutes, errors).
  Object.defineProperty(guarded, 'name', { value: func.name });
  return guarded;
}

function requestInfo(request: FastifyRequest, reply: FastifyReply, useRequestLog: boolean): RequestInfo {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    id: request.id,
    log: useRequestLog ? (request.log as unknown as FaultLogger) : undefined,
    statusCode: reply.statusCode,
  };
}

// Fastify appends `; charset=utf-8` to a JSON content type without a charset when the payload
// is a string; such bodies go out as a Buffer, every other one as the string it is (which
// saves a copy, and lets Node write headers and body as one chunk). An empty body (XKS's 405)
// goes out as no payload at all, to which Fastify adds no Content-Type.
function payload(response: FaultResponse): string | Buffer | undefined {
  if (response.body === '') return undefined;
  const type = response.headers['content-type'] ?? '';
  return type.includes('json') && !type.includes('charset=') ? Buffer.from(response.body) : response.body;
}

// Sends through the reply so Fastify's hooks run. Headers are legal and the status valid
// (the core checks both); should sending still fail, the handler must not throw, or Fastify
// would fall back to its default handler, so the fixed text/plain 500 goes out on the raw
// response instead.
function send(request: FastifyRequest, reply: FastifyReply, response: FaultResponse): void {
  try {
    for (const name of STALE_HEADERS) reply.removeHeader(name);
    // reply.code() refuses statuses above 599; a custom ESB sequence may send up to 999.
    if (response.status > 599) reply.raw.statusCode = response.status;
    else reply.code(response.status);
    reply.headers(response.headers).send(payload(response));
  } catch {
    const raw = reply.raw;
    reply.hijack();
    if (raw.headersSent) {
      raw.destroy();
      return;
    }
    raw.writeHead(FALLBACK_RESPONSE.status, FALLBACK_RESPONSE.headers);
    raw.end(request.method === 'HEAD' ? undefined : FALLBACK_RESPONSE.body);
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
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const handler = (request.server as { faultline?: FaultHandler }).faultline;
  if (handler === undefined) {
    reply.code(FALLBACK_RESPONSE.status).headers(FALLBACK_RESPONSE.headers).send(FALLBACK_RESPONSE.body);
    return;
  }
  send(request, reply, handler.handle(error, requestInfo(request, reply, !isNullLogger(request.log))));
}

const DIALECTS = { xroad, xks, esb, de4a, ast, problem } as const;

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
 * @param dialect - a built-in dialect name
 * @param options - your own catalogues (codes as an enum), `debug`
 * @returns `{ '4xx': schema, '5xx': schema }`
 * @throws TypeError for an unknown dialect
 * @example
 * ```ts
 * app.post('/orders', { schema: { response: { 200: orderSchema, ...faultSchemas('problem') } } }, handler);
 * ```
 */
export function faultSchemas(dialect: DialectName, options?: SchemaOptions): FaultRouteSchemas {
  const value = Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined;
  if (value === undefined) throw new TypeError(`faultline: unknown dialect '${String(dialect)}'`);
  // Fastify compiles response schemas with its own draft; the body schema needs no $schema.
  const { $schema: _draft, ...json } = value.schema(options).json;
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
