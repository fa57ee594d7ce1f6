// A server traced the way an application is: the OpenTelemetry SDK and the instrumentations
// are registered before the HTTP server and the framework are required (instrumentations patch
// modules as they load, which a jest worker's module registry would not let them do), then an
// Express 4, Express 5 or Fastify 5 app answers with faultline and `openTelemetry()`.
//
//   node test/support/otel-app.cjs express4|express5|fastify5
//
// It listens on 127.0.0.1 on a free port and talks to its parent over the IPC channel: it
// sends { port }; on { type: 'collect', serverSpans } it waits until that many SERVER spans
// have ended, then answers with the finished spans, the metric points since the last collect
// and the log lines, and forgets them; on { type: 'close' } it closes and exits.
'use strict';
const { metrics, SpanKind } = require('@opentelemetry/api');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const { FastifyOtelInstrumentation } = require('@fastify/otel');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} = require('@opentelemetry/sdk-metrics');

const framework = process.argv[2];
const spans = new InMemorySpanExporter();
// Wakes a pending collect whenever a SERVER span ends: the span ends as the response finishes,
// which may be after the client has read it.
let onServerSpanEnd = () => {};
const tracerProvider = new NodeTracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor(spans),
    {
      onStart() {},
      onEnd(span) {
        if (span.kind === SpanKind.SERVER) onServerSpanEnd();
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    },
  ],
});
tracerProvider.register();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
const fastifyOtel = new FastifyOtelInstrumentation();
registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(),
    ...(framework === 'fastify5' ? [fastifyOtel] : [new ExpressInstrumentation()]),
  ],
});

// Required only now, so that the instrumentations patch them.
const pino = require('pino');
const { ast, de4a, esb, problem, xks, xroad } = require('@faultline/core');
const { openTelemetry } = require('@faultline/opentelemetry');

// A fault of each dialect that the client is shown: expected, catalogued.
const EXPECTED = {
  xroad: () => xroad.fault('Client.BadRequest', 'No id given'),
  esb: () => esb.fault(900902, 'No id given'),
  de4a: () => de4a.fault(10102, ['No id given', 'id']),
  xks: () => xks.fault('ValidationException', 'No id given'),
  ast: () => ast.fault('BadRequest', 'No id given'),
  problem: () => problem.fault(400, 'No id given'),
};

const logs = [];
const logger = pino({ level: 'info' }, { write: (line) => void logs.push(JSON.parse(line)) });
const options = {
  dialect: (request) => request.headers?.['x-dialect'] ?? 'problem',
  de4a: { json: true },
  ast: { correlationId: true },
  correlationHeader: 'x-correlation-id',
  logger,
  telemetry: openTelemetry({ useTraceId: true }),
};
const fail = (dialect, kind) => {
  if (kind === 'expected') throw EXPECTED[dialect]();
  throw new TypeError('lookup failed: x is undefined');
};

async function start() {
  if (framework === 'fastify5') {
    const Fastify = require('fastify');
    const faultline = require('@faultline/fastify').default;
    const app = Fastify({ logger: false });
    await app.register(fastifyOtel.plugin());
    await app.register(faultline, options);
    app.get('/fail/:kind', (request) => fail(request.headers['x-dialect'], request.params.kind));
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { port: app.server.address().port, close: () => app.close() };
  }
  const express = require(framework === 'express4' ? 'express4' : 'express');
  const { faultline } = require('@faultline/express');
  const app = express();
  app.get('/fail/:kind', (req) => fail(req.headers['x-dialect'], req.params.kind));
  app.use(faultline(options));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function serverSpansEnded() {
  return spans.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER).length;
}

function plainSpan(s) {
  return {
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    attributes: s.attributes,
    status: s.status,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    scope: s.instrumentationScope.name,
  };
}

async function collect(serverSpans) {
  await new Promise((resolve) => {
    onServerSpanEnd = () => {
      if (serverSpansEnded() >= serverSpans) resolve();
    };
    onServerSpanEnd();
  });
  onServerSpanEnd = () => {};
  await reader.forceFlush();
  const points = {};
  for (const resource of metricExporter.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      if (scope.scope.name !== '@faultline/opentelemetry') continue;
      for (const metric of scope.metrics) {
        points[metric.descriptor.name] = [
          ...(points[metric.descriptor.name] ?? []),
          ...metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
        ];
      }
    }
  }
  const answer = { spans: spans.getFinishedSpans().map(plainSpan), points, logs: [...logs] };
  spans.reset();
  metricExporter.reset();
  logs.length = 0;
  return answer;
}

start().then(({ port, close }) => {
  process.on('message', (message) => {
    if (message.type === 'collect') {
      void collect(message.serverSpans).then((answer) => process.send(answer));
    } else if (message.type === 'close') {
      void close()
        .then(() => tracerProvider.shutdown())
        .then(() => process.exit(0));
    }
  });
  process.send({ port });
});
