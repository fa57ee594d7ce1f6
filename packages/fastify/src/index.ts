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
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { createFaultHandler, routeNotFound } from '@faultline/core';
import type { FaultHandler, FaultHandlerOptions, FaultLogger, FaultResponse, RequestInfo } from '@faultline/core';

/** Options of the plugin: the core handler's options, plus `notFound`. */
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

const FALLBACK_BODY = 'Internal Server Error';

const plugin: FastifyPluginCallback<FaultlineFastifyOptions> = (fastify, options, done) => {
  let handler: FaultHandler;
  try {
    handler = createFaultHandler(options);
    // A second registration in the same scope fails here with FST_ERR_DEC_ALREADY_PRESENT.
    fastify.decorate('faultline', handler);
  } catch (err) {
    // A callback plugin must report through `done`: a synchronous throw would crash the process.
    done(err as Error);
    return;
  }

  fastify.setErrorHandler(function faultlineErrorHandler(error: unknown, request, reply) {
    const info = requestInfo(request, reply);
    if (reply.sent || reply.raw.headersSent) {
      handler.report(error, info);
      // The fault cannot be sent any more: end the connection rather than leave the client
      // waiting for the rest of a broken response, as Fastify's own fallback does.
      if (!reply.raw.writableEnded) reply.raw.destroy();
      return;
    }
    send(request, reply, handler.handle(error, info));
  });

  if (options.notFound !== false) {
    fastify.setNotFoundHandler(function faultlineNotFound(request, reply) {
      send(request, reply, handler.handle(routeNotFound(request.method, request.url), requestInfo(request, reply)));
    });
  }
  done();
};

function requestInfo(request: FastifyRequest, reply: FastifyReply): RequestInfo {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    id: request.id,
    log: request.log as unknown as FaultLogger,
    statusCode: reply.statusCode,
  };
}

// Sends through the reply so Fastify's hooks run. Headers are legal and the status valid
// (the core checks both); should sending still fail, the handler must not throw, or Fastify
// would fall back to its default handler, so the fixed text/plain 500 goes out on the raw
// response instead.
function send(request: FastifyRequest, reply: FastifyReply, response: FaultResponse): void {
  try {
    reply
      .code(response.status)
      .headers(response.headers)
      .send(response.body);
  } catch {
    const raw = reply.raw;
    reply.hijack();
    if (raw.headersSent) {
      raw.destroy();
      return;
    }
    raw.writeHead(500, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(FALLBACK_BODY.length),
    });
    raw.end(request.method === 'HEAD' ? undefined : FALLBACK_BODY);
  }
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
