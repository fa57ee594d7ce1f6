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
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { FALLBACK_RESPONSE, copyFault, createFaultHandler, routeNotFound } from '@faultline/core';
import type { FaultHandler, FaultHandlerOptions, FaultResponse, RequestInfo } from '@faultline/core';

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

// Headers a route may have set for its own body; they would mislabel the fault's body.
const STALE_HEADERS = ['content-encoding', 'content-language', 'content-range'] as const;

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
    send(req, res, handler.handle(err, request));
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
    send(req, res, handler.handle(routeNotFound(req.method, req.originalUrl), requestInfo(req, res)));
  };
}

function requestInfo(req: Request, res: Response): RequestInfo {
  return {
    method: req.method,
    url: req.originalUrl ?? req.url,
    headers: req.headers,
    body: req.body as unknown,
    statusCode: res.statusCode,
  };
}

// Copies the response onto the wire. Headers are legal and the status valid (the core checks
// both), so only a response that started meanwhile can make this fail.
function send(req: IncomingMessage, res: ServerResponse, response: FaultResponse): void {
  try {
    for (const name of STALE_HEADERS) res.removeHeader(name);
    res.statusCode = response.status;
    for (const name of Object.keys(response.headers)) {
      res.setHeader(name, response.headers[name] as string);
    }
    // Stop piping an unfinished request body anywhere, and drain it, so the answer is not
    // held up by it and the connection can be reused.
    if (!req.complete) {
      req.unpipe();
      req.resume();
    }
    res.end(req.method === 'HEAD' ? undefined : response.body);
  } catch {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = FALLBACK_RESPONSE.status;
    for (const [name, value] of Object.entries(FALLBACK_RESPONSE.headers)) res.setHeader(name, value);
    res.end(req.method === 'HEAD' ? undefined : FALLBACK_RESPONSE.body);
  }
}
