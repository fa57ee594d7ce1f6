/**
 * faultline for Express 4 and 5: an error middleware and a not-found middleware that answer
 * in the configured convention.
 *
 * ```ts
 * import express from 'express';
 * import { faultline, notFound } from '@faultline/express';
 *
 * const app = express();
 * // routes…
 * app.use(notFound());
 * app.use(faultline({ dialect: 'xroad' }));
 * ```
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import {
  FALLBACK_RESPONSE,
  STALE_HEADERS,
  answerClientError,
  copyFault,
  createFaultHandler,
  mergeVary,
  routeNotFound,
  statusPageError,
} from '@faultline/core';
import type {
  FaultHandler,
  FaultHandlerOptions,
  FaultLogger,
  FaultResponse,
  RequestInfo,
} from '@faultline/core';

/**
 * Options of {@link faultline} and {@link notFound}: the core handler's options.
 *
 * @example
 * ```ts
 * const options: FaultlineExpressOptions = { dialect: 'xroad', xroad: { side: 'client' } };
 * app.use(notFound());
 * app.use(faultline(options));
 * ```
 */
export type FaultlineExpressOptions = FaultHandlerOptions;

/**
 * The error middleware. Put it after every route and after {@link notFound}. It answers every
 * error in the configured dialect, logs it once with its correlation id before answering, and
 * never throws into Express. When the response has already started it logs the error, then
 * calls `next(fault)` with the resolved fault (without its `cause`, so Express's own logging
 * cannot trip over a hostile thrown value) and Express closes the connection.
 *
 * @param options - the dialect and its options (see `FaultHandlerOptions`)
 * @returns a four-argument Express error middleware
 * @throws TypeError on invalid options, when called (not at request time)
 * @example
 * ```ts
 * app.use(faultline({ dialect: 'xroad', xroad: { side: 'client' } }));
 * ```
 */
export function faultline(options: FaultlineExpressOptions = {}): ErrorRequestHandler {
  const handler = createFaultHandler(options);
  return function faultlineErrorHandler(err: unknown, req: Request, res: Response, next) {
    const request = requestInfo(req, res);
    if (res.headersSent) {
      next(copyFault(handler.report(err, request), { cause: undefined }));
      return;
    }
    send(req, res, handler.handle(err, request), handler, request);
  };
}

/**
 * The not-found middleware, for after the last route. Without options it passes a 404 error
 * to the error middleware ({@link faultline}), which answers it as the dialect's not-found
 * fault (`Client.NotFound` for X-Road). With options it answers by itself.
 *
 * @param options - answer directly with a handler of these options
 * @returns an Express middleware
 * @example
 * ```ts
 * app.use(notFound());
 * app.use(faultline({ dialect: 'xroad' }));
 * ```
 */
export function notFound(options?: FaultlineExpressOptions): RequestHandler {
  if (options === undefined) {
    return function faultlineNotFound(req, _res, next) {
      next(routeNotFound(req.method, req.originalUrl));
    };
  }
  const handler: FaultHandler = createFaultHandler(options);
  return function faultlineNotFound(req, res) {
    const request = requestInfo(req, res);
    send(
      req,
      res,
      handler.handle(routeNotFound(req.method, req.originalUrl), request),
      handler,
      request,
    );
  };
}

/**
 * Status pages: a response a route or a middleware ends with an error status and no body of
 * its own (`res.sendStatus(502)`, `res.status(503).end()`, `res.status(404).send()`) gets the
 * dialect's fault for that status, logged once, as ASP.NET's `UseStatusCodePages` does. Put it
 * before the routes. A body the route wrote itself is never touched, nor a response to `HEAD`
 * (whose body is never sent), nor a status outside 400–599.
 *
 * @param options - the handler options (the same as {@link faultline}'s)
 * @returns an Express middleware
 * @example
 * ```ts
 * app.use(statusPages({ dialect: 'xroad' }));
 * app.get('/health', (_req, res) => res.sendStatus(503)); // an X-Road fault, not "Service Unavailable"
 * ```
 */
export function statusPages(options: FaultlineExpressOptions = {}): RequestHandler {
  const handler = createFaultHandler(options);
  return function faultlineStatusPages(req, res, next) {
    if (req.method === 'HEAD') {
      next();
      return;
    }
    const end = res.end;
    const write = res.write;
    const sendStatus = res.sendStatus;
    let wrote = false;
    let bare = false;
    res.write = function faultlineWrite(this: Response, ...args: unknown[]) {
      wrote = true;
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as Response['write'];
    res.sendStatus = function faultlineSendStatus(this: Response, code: number) {
      bare = true;
      return sendStatus.call(this, code);
    };
    res.end = function faultlineEnd(this: Response, ...args: unknown[]) {
      res.end = end;
      res.write = write;
      res.sendStatus = sendStatus;
      const status = res.statusCode;
      const chunk = typeof args[0] === 'function' ? undefined : args[0];
      if (
        !SENDING.has(res) &&
        !res.headersSent &&
        !wrote &&
        status >= 400 &&
        status <= 599 &&
        (bare || isEmptyBody(chunk))
      ) {
        const request = requestInfo(req, res);
        const response = handler.handle(statusPageError(status), request);
        try {
          for (const name of OWN_BODY_HEADERS) if (res.hasHeader(name)) res.removeHeader(name);
        } catch {
          // the headers are as they are; send() below writes the fault's over them
        }
        send(req, res, response, handler, request);
        const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (callback !== undefined) res.once('finish', callback);
        return res;
      }
      return (end as (...a: unknown[]) => Response).apply(this, args);
    } as Response['end'];
    next();
  };
}

// Headers a route set for the body it did not send: the fault's own replace them.
const OWN_BODY_HEADERS = ['content-type', 'content-length', 'etag', ...STALE_HEADERS];

function isEmptyBody(chunk: unknown): boolean {
  return (
    chunk === undefined ||
    chunk === null ||
    chunk === '' ||
    (chunk instanceof Uint8Array && chunk.byteLength === 0)
  );
}

/**
 * A listener for the HTTP server's `clientError` event: requests Node cannot parse (a
 * malformed request line, headers over Node's limit, a request that did not arrive in time)
 * never reach Express, and Node answers them with a bare `400 Bad Request`. With this listener
 * they get the dialect's fault (431, 413, 408 or 400), logged once, as a raw HTTP/1.1 response;
 * the socket is then closed.
 *
 * @param options - the handler options (the same as {@link faultline}'s), or a handler
 * @returns the listener
 * @example
 * ```ts
 * const server = app.listen(8080);
 * server.on('clientError', clientErrorHandler({ dialect: 'xroad' }));
 * ```
 */
export function clientErrorHandler(
  options: FaultlineExpressOptions | FaultHandler = {},
): (error: Error, socket: Duplex) => void {
  const handler = isHandler(options) ? options : createFaultHandler(options);
  return function faultlineClientError(error, socket) {
    answerClientError(handler, error, socket);
  };
}

function isHandler(value: unknown): value is FaultHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FaultHandler).handle === 'function'
  );
}

function requestInfo(req: Request, res: Response): RequestInfo {
  return {
    method: req.method,
    url: req.originalUrl ?? req.url,
    headers: req.headers,
    body: req.body as unknown,
    statusCode: res.statusCode,
    id: middlewareId(req),
    log: middlewareLog(req),
    raw: req,
    // Express routes on the raw path (the core's default) and, unless the application turned
    // `case sensitive routing` on, without regard to case.
    caseInsensitivePath: caseInsensitive(req),
  };
}

// What a logging middleware such as pino-http put on the request: its id (a string, or a
// number as pino-http's default generator makes) and its per-request logger (one with an
// `error` method). The reads are guarded: a getter another middleware defined may throw.
function middlewareId(req: Request): string | undefined {
  try {
    const id = (req as Request & { id?: unknown }).id;
    if (typeof id === 'string') return id;
    return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

function middlewareLog(req: Request): FaultLogger | undefined {
  try {
    const log = (req as Request & { log?: unknown }).log;
    return typeof log === 'object' &&
      log !== null &&
      typeof (log as FaultLogger).error === 'function'
      ? (log as FaultLogger)
      : undefined;
  } catch {
    return undefined;
  }
}

function caseInsensitive(req: Request): boolean {
  try {
    return req.app.enabled('case sensitive routing') !== true;
  } catch {
    return true; // no application (a direct call): Express's default
  }
}

// Responses faultline is writing a fault on: status pages leave them alone, since a fault with
// no body (XKS's 405) is an answer, not a bare status.
const SENDING = new WeakSet<ServerResponse>();

// Copies the response onto the wire. Headers are legal and the status valid (the core checks
// both). Headers the route set for its own body or connection go first: a `Trailer` or a
// `Transfer-Encoding` left beside the fault's `Content-Length` makes Node refuse the response
// or send both framings, and connection-specific headers leave an HTTP/2 stream unanswered.
function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: FaultResponse,
  handler: FaultHandler,
  request: RequestInfo,
): void {
  SENDING.add(res);
  try {
    for (const name of STALE_HEADERS) if (res.hasHeader(name)) res.removeHeader(name);
    res.statusCode = response.status;
    for (const name of Object.keys(response.headers)) {
      const value = response.headers[name] as string;
      // A Vary a middleware set (CORS's Origin) still holds for the fault: added to, not replaced.
      res.setHeader(
        name,
        name === 'vary' && res.hasHeader('vary') ? mergeVary(res.getHeader('vary'), value) : value,
      );
    }
    // Stop piping an unfinished request body anywhere, and drain it, so the answer is not
    // held up by it and the connection can be reused.
    // Node's requests always say whether they are complete; a request object without the
    // property (a test double, an injected request) has no body in flight to drain.
    if (req.complete === false) {
      req.unpipe();
      req.resume();
    }
    res.end(req.method === 'HEAD' ? undefined : response.body);
  } catch (failure) {
    handler.reportSendError(failure, response.fault, request);
    sendFallback(req, res);
  }
}

// The fixed text/plain 500, on a response cleared of every header the route or the failed
// attempt set; should even that fail, the connection is closed. Never throws: an error from
// here would reach Express's final handler, which may throw in turn outside any guard.
function sendFallback(req: IncomingMessage, res: ServerResponse): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = FALLBACK_RESPONSE.status;
    for (const [name, value] of Object.entries(FALLBACK_RESPONSE.headers))
      res.setHeader(name, value);
    res.end(req.method === 'HEAD' ? undefined : FALLBACK_RESPONSE.body);
  } catch {
    try {
      res.destroy();
    } catch {
      // the socket is gone already
    }
  }
}
