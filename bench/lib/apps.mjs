// The server of each variant (see ./variants.mjs). Every route throws the same error, a 404
// with its own message, as a route that looks a record up would; the floors answer the same
// 404 without throwing. No framework logging anywhere; faultline logs only in the two logging
// variants, so that the others compare rendering with rendering.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import strongErrorHandler from 'strong-error-handler';
import fastifyFaultline from '@faultline/fastify';
import { faultline as expressFaultline } from '@faultline/express';
import { de4a, esb, problem, xks, xroad } from '@faultline/core';
import { PATH, variant } from './variants.mjs';
import { expressJson, expressSoap, fastifyJson, fastifySoap } from './handwritten.mjs';

const ROUTE = PATH.replace(/42$/, ':id');

// The OpenTelemetry variants: the SDK registered with every span sampled and kept in memory
// until dropped by a processor that exports nothing, a meter provider whose reader is never
// collected, and a SERVER span around each request, as an HTTP instrumentation starts one. The
// two variants differ only in faultline's `telemetry` option.
let tracer;
async function startTelemetry() {
  const { metrics, trace } = await import('@opentelemetry/api');
  const { NodeTracerProvider, NoopSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  new NodeTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }).register();
  class Uncollected extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Uncollected()] }));
  tracer = trace.getTracer('bench');
  return (await import('@faultline/opentelemetry')).openTelemetry;
}
const SERVER_KIND = 1;
const inServerSpan = (name, run) =>
  tracer.startActiveSpan(name, { kind: SERVER_KIND }, (span) => run(span));

function notFound(id) {
  const err = new Error(`Person ${id} not found`);
  err.statusCode = 404;
  return err;
}

// The same 404 as each dialect's catalogue factory builds it: the factory variants' routes throw
// these, and each answers with exactly the bytes of its plain-Error variant (the bench checks).
const FACTORY_NOT_FOUND = {
  xroad: (id) => xroad.fault('Client.NotFound', `Person ${id} not found`),
  xks: (id) => xks.fault('InvalidUriPathException', `Person ${id} not found`),
  esb: () => esb.fault(404),
  de4a: () => de4a.fault(10001, [PATH]),
  problem: (id) => problem.fault(404, `Person ${id} not found`),
};

/** What a variant's route throws for a record it cannot find. */
const throwerOf = (id) => FACTORY_NOT_FOUND[variant(id).factory] ?? notFound;

/** The faultline options of a dialect variant: no logging, one dialect. */
const quiet = (dialect) => ({ dialect, logger: false });
// ESB answers XML only as WSO2 API Manager 3.2 (4.x sends JSON whatever the client accepts).
const esbXml = { dialect: 'esb', esb: { profile: 'apim-3.2' }, logger: false };

/**
 * A pino logger writing to a file through pino's asynchronous destination, or to a stream that
 * drops every line (the cost of building the log lines, without the cost of writing them).
 */
function benchLogger(kind, logFile) {
  if (kind === 'file')
    return pino(pino.destination({ dest: logFile, sync: false, minLength: 4096 }));
  return pino(new Writable({ write: (_chunk, _encoding, done) => done() }));
}

const FASTIFY = {
  'fastify-floor': (app) => {
    app.get(ROUTE, (request, reply) => {
      const { id } = request.params;
      reply
        .code(404)
        .send({ type: 'Client.NotFound', message: `Person ${id} not found`, detail: randomUUID() });
    });
  },
  'fastify-default': () => {},
  'fastify-hand-json': (app) => app.setErrorHandler(fastifyJson),
  'fastify-hand-soap': (app) => app.setErrorHandler(fastifySoap),
  'fastify-faultline-xroad-json': (app) => app.register(fastifyFaultline, quiet('xroad')),
  'fastify-faultline-xroad-soap': (app) => app.register(fastifyFaultline, quiet('xroad')),
  'fastify-faultline-xks': (app) => app.register(fastifyFaultline, quiet('xks')),
  'fastify-faultline-esb-xml': (app) => app.register(fastifyFaultline, esbXml),
  'fastify-faultline-de4a-xml': (app) => app.register(fastifyFaultline, quiet('de4a')),
  'fastify-faultline-problem': (app) => app.register(fastifyFaultline, quiet('problem')),
  'fastify-faultline-log-discard': (app) =>
    app.register(fastifyFaultline, { dialect: 'xroad', logger: benchLogger('discard') }),
  'fastify-faultline-log-file': (app, logFile) =>
    app.register(fastifyFaultline, { dialect: 'xroad', logger: benchLogger('file', logFile) }),
};

const EXPRESS = {
  'express-floor': null,
  'express-default': () => {},
  'express-strong-json': (app) => app.use(strongErrorHandler({ debug: false, log: false })),
  'express-strong-xml': (app) => app.use(strongErrorHandler({ debug: false, log: false })),
  'express-hand-json': (app) => app.use(expressJson),
  'express-hand-soap': (app) => app.use(expressSoap),
  'express-faultline-xroad-json': (app) => app.use(expressFaultline(quiet('xroad'))),
  'express-faultline-xroad-xml': (app) => app.use(expressFaultline(quiet('xroad'))),
  'express-faultline-xroad-soap': (app) => app.use(expressFaultline(quiet('xroad'))),
  'express-faultline-xks': (app) => app.use(expressFaultline(quiet('xks'))),
  'express-faultline-esb-xml': (app) => app.use(expressFaultline(esbXml)),
  'express-faultline-de4a-xml': (app) => app.use(expressFaultline(quiet('de4a'))),
  'express-faultline-problem': (app) => app.use(expressFaultline(quiet('problem'))),
};

/**
 * Builds the server of a variant, not yet listening.
 *
 * @param {string} id - the variant id
 * @param {{ logFile: string }} options - where the file-logging variant writes
 * @returns {Promise<import('node:http').Server>}
 */
export async function buildServer(id, { logFile }) {
  if (id === 'fastify-otel-off' || id === 'fastify-otel-on') {
    const openTelemetry = await startTelemetry();
    const app = Fastify();
    app.addHook('onRequest', (request, reply, done) =>
      inServerSpan(request.method, (span) => {
        reply.raw.on('finish', () => span.end());
        done();
      }),
    );
    await app.register(fastifyFaultline, {
      ...quiet('xroad'),
      ...(id === 'fastify-otel-on' ? { telemetry: openTelemetry() } : {}),
    });
    app.get(ROUTE, async (request) => {
      throw notFound(request.params.id);
    });
    await app.ready();
    return app.server;
  }
  if (id === 'express-otel-off' || id === 'express-otel-on') {
    const openTelemetry = await startTelemetry();
    const app = express();
    app.use((req, res, next) =>
      inServerSpan(req.method, (span) => {
        res.on('finish', () => span.end());
        next();
      }),
    );
    app.get(ROUTE, async (req) => {
      throw notFound(req.params.id);
    });
    app.use(
      expressFaultline({
        ...quiet('xroad'),
        ...(id === 'express-otel-on' ? { telemetry: openTelemetry() } : {}),
      }),
    );
    return createServer(app);
  }
  const setup = variant(id).factory === undefined ? id : variant(id).ref;
  if (Object.hasOwn(FASTIFY, setup)) {
    const app = Fastify();
    // Plugins and error handlers first: a route takes the error handler of its scope as it is added.
    await FASTIFY[setup](app, logFile);
    if (id !== 'fastify-floor') {
      const thrown = throwerOf(id);
      app.get(ROUTE, async (request) => {
        throw thrown(request.params.id);
      });
    }
    await app.ready();
    return app.server;
  }
  if (Object.hasOwn(EXPRESS, setup)) {
    const app = express();
    if (id === 'express-floor') {
      app.get(ROUTE, (req, res) => {
        res.status(404).json({
          type: 'Client.NotFound',
          message: `Person ${req.params.id} not found`,
          detail: randomUUID(),
        });
      });
    } else {
      const thrown = throwerOf(id);
      app.get(ROUTE, async (req) => {
        throw thrown(req.params.id);
      });
      EXPRESS[setup](app);
    }
    return createServer(app);
  }
  throw new Error(`no server for variant '${id}'`);
}
