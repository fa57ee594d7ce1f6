/**
 * `openTelemetry()` against the real OpenTelemetry SDK: a NodeTracerProvider with the in-memory
 * span exporter, a MeterProvider whose periodic reader exports to the in-memory metric exporter,
 * and the handler called inside an active SERVER span, as an HTTP instrumentation would leave it.
 */
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { createFaultHandler, xroad } from '@faultline/core';
import type { FaultHandlerOptions, FaultLogger, RequestInfo } from '@faultline/core';
import { ATTRIBUTES, exceptionOf, METRICS, OTHER, openTelemetry, SCOPE } from '../src/index';

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
// The interval is never waited for: every test flushes the reader itself.
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
const tracer = tracerProvider.getTracer('test');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INTERNAL = 'Server.ServerProxy.ServiceFailed.InternalError';
const REQUEST: RequestInfo = {
  method: 'GET',
  url: '/r1/x',
  headers: { accept: 'application/json' },
};

beforeAll(() => tracerProvider.register());
afterAll(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  context.disable();
  metrics.disable();
});
// Each test sees only its own points: the exporter asks for deltas, and what came before is
// flushed and dropped here.
beforeEach(async () => {
  spans.reset();
  await reader.forceFlush();
  metricExporter.reset();
});

interface Logged {
  readonly event: Record<string, unknown>;
  readonly msg: string | undefined;
}

function setup(options: Partial<FaultHandlerOptions> = {}) {
  const logged: Logged[] = [];
  const log = (event: object, msg?: string) =>
    void logged.push({ event: event as Record<string, unknown>, msg });
  const logger: FaultLogger = { info: log, warn: log, error: log };
  const handler = createFaultHandler({
    dialect: 'xroad',
    logger,
    telemetry: openTelemetry({ meterProvider }),
    ...options,
  });
  return { handler, logged };
}

// Handles `thrown` inside an active SERVER span, as the error handler runs under an HTTP
// instrumentation; returns the response, the finished span and the log events.
function inServerSpan(thrown: unknown, options: Partial<FaultHandlerOptions> = {}) {
  const { handler, logged } = setup(options);
  const response = tracer.startActiveSpan('GET', { kind: SpanKind.SERVER }, (span: Span) => {
    try {
      return handler.handle(thrown, REQUEST);
    } finally {
      span.end();
    }
  });
  const finished = spans.getFinishedSpans();
  expect(finished).toHaveLength(1);
  return { response, span: finished[0] as ReadableSpan, logged };
}

// The points of each instrument since the last flush, by instrument name.
async function collect(): Promise<(name: string) => DataPoint<unknown>[]> {
  await reader.forceFlush();
  const exported = metricExporter.getMetrics().at(-1);
  const scope = exported?.scopeMetrics.find((s) => s.scope.name === SCOPE);
  return (name) =>
    (scope?.metrics.find((m) => m.descriptor.name === name)?.dataPoints ??
      []) as DataPoint<unknown>[];
}

describe('openTelemetry() on the server span', () => {
  describe('when a catalogued 4xx fault is thrown (expected)', () => {
    it('should set error.type and the ids, leave the status unset and add no event', () => {
      const { response, span } = inServerSpan(xroad.fault('Client.BadRequest', 'No id'));
      expect(response.status).toBe(400);
      expect(span.attributes).toEqual({
        'error.type': 'Client.BadRequest',
        'faultline.code': 'Client.BadRequest',
        'faultline.dialect': 'xroad',
        'faultline.correlation_id': response.fault.correlationId,
      });
      expect(span.status).toEqual({ code: SpanStatusCode.UNSET });
      expect(span.events).toEqual([]);
    });
  });

  describe('when a plain Error is thrown (unexpected)', () => {
    it('should set status ERROR and add an exception event with the real message and stack', () => {
      const error = new TypeError('x is undefined');
      const { response, span } = inServerSpan(error);
      expect(response.status).toBe(500);
      expect(response.body).not.toContain('x is undefined');
      expect(span.attributes).toMatchObject({ 'error.type': INTERNAL });
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
      expect(span.events.map((e) => [e.name, e.attributes])).toEqual([
        [
          'exception',
          {
            'exception.type': 'TypeError',
            'exception.message': 'x is undefined',
            'exception.stacktrace': error.stack,
          },
        ],
      ]);
    });
  });

  describe('when a 5xx fault the service threw is handled', () => {
    it('should count as expected: no ERROR status, no event', () => {
      const { span } = inServerSpan(xroad.fault('Server.ServerProxy.UnknownService', 'gone'));
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events).toEqual([]);
    });
  });

  describe('when the fault code is in no catalogue', () => {
    it('should say _OTHER in error.type and keep the code in faultline.code', () => {
      const { span } = inServerSpan(xroad.fault('Server.Own.Thing', 'x', { status: 502 }));
      expect(span.attributes).toMatchObject({
        'error.type': OTHER,
        'faultline.code': 'Server.Own.Thing',
      });
    });
  });

  describe('when recordExpected is true', () => {
    it('should add the exception event for an expected fault but leave the status unset', () => {
      const { span } = inServerSpan(xroad.fault('Client.BadRequest', 'No id'), {
        telemetry: openTelemetry({ meterProvider, recordExpected: true }),
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events.map((e) => e.attributes?.['exception.message'])).toEqual(['No id']);
    });
  });

  describe('when a span is active', () => {
    it('should put trace_id, span_id and trace_flags on the log line', () => {
      const { response, span, logged } = inServerSpan(new Error('boom'));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.event).toMatchObject({
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
        trace_flags: '01',
        correlationId: response.fault.correlationId,
      });
    });
  });

  describe('when useTraceId is true', () => {
    it('should make the trace id the correlation id of body, span and log line', () => {
      const { response, span, logged } = inServerSpan(new Error('boom'), {
        telemetry: openTelemetry({ meterProvider, useTraceId: true }),
      });
      const traceId = span.spanContext().traceId;
      expect(response.fault.correlationId).toBe(traceId);
      expect(JSON.parse(response.body)).toMatchObject({ detail: traceId });
      expect(span.attributes[ATTRIBUTES.correlationId]).toBe(traceId);
      expect(logged[0]!.event['correlationId']).toBe(traceId);
    });

    it('should use a random id outside any trace', () => {
      const { handler, logged } = setup({
        telemetry: openTelemetry({ meterProvider, useTraceId: true }),
      });
      const response = handler.handle(new Error('boom'), REQUEST);
      expect(response.fault.correlationId).toMatch(UUID_V4);
      expect(logged[0]!.event).not.toHaveProperty('trace_id');
      expect(spans.getFinishedSpans()).toEqual([]);
    });
  });

  describe('when the span is not recording (sampled out)', () => {
    it('should leave it alone and still count the fault', async () => {
      const { handler } = setup();
      const notSampled = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 0,
      });
      context.with(trace.setSpan(context.active(), notSampled), () =>
        handler.handle(new Error('x'), REQUEST),
      );
      const [point] = (await collect())(METRICS.faults);
      expect(point?.value).toBe(1);
    });
  });
});

describe('openTelemetry() metrics', () => {
  describe('when faults of both kinds are handled', () => {
    it('should count them by dialect, error.type, status and expected, and time each', async () => {
      const { handler } = setup();
      handler.handle(xroad.fault('Client.BadRequest', 'a'), REQUEST);
      handler.handle(xroad.fault('Client.BadRequest', 'b'), REQUEST);
      handler.handle(new Error('c'), REQUEST);
      const points = await collect();
      const faults = points(METRICS.faults);
      expect(faults.map((p) => [p.attributes, p.value])).toEqual([
        [
          {
            'faultline.dialect': 'xroad',
            'error.type': 'Client.BadRequest',
            'http.response.status_code': 400,
            'faultline.expected': true,
          },
          2,
        ],
        [
          {
            'faultline.dialect': 'xroad',
            'error.type': INTERNAL,
            'http.response.status_code': 500,
            'faultline.expected': false,
          },
          1,
        ],
      ]);
      const durations = points(METRICS.duration);
      expect(durations.map((p) => (p.value as Histogram).count)).toEqual([2, 1]);
      for (const p of durations) expect((p.value as Histogram).sum).toBeGreaterThanOrEqual(0);
    });
  });

  describe('when metrics is false', () => {
    it('should record no metric', async () => {
      const { handler } = setup({ telemetry: openTelemetry({ meterProvider, metrics: false }) });
      handler.handle(new Error('x'), REQUEST);
      expect((await collect())(METRICS.faults)).toEqual([]);
    });
  });

  describe('when no meter provider is given', () => {
    it('should use the global one, read at the first fault', async () => {
      const telemetry = openTelemetry();
      metrics.setGlobalMeterProvider(meterProvider);
      try {
        setup({ telemetry }).handler.handle(new Error('x'), REQUEST);
        expect((await collect())(METRICS.faults).map((p) => p.value)).toEqual([1]);
      } finally {
        metrics.disable();
      }
    });
  });
});

describe('openTelemetry() options', () => {
  it.each([
    ['null options', null, 'options must be an object'],
    ['a string useTraceId', { useTraceId: 'yes' }, 'useTraceId must be a boolean'],
    ['a number recordExpected', { recordExpected: 1 }, 'recordExpected must be a boolean'],
    ['a string metrics', { metrics: 'on' }, 'metrics must be a boolean'],
    ['a meterProvider without getMeter', { meterProvider: {} }, 'must be a MeterProvider'],
  ])('should throw a TypeError for %s', (_label, options, message) => {
    expect(() => openTelemetry(options as never)).toThrow(TypeError);
    expect(() => openTelemetry(options as never)).toThrow(message);
  });

  it('should return a frozen integration with a correlationId only when asked', () => {
    expect(Object.isFrozen(openTelemetry())).toBe(true);
    expect(openTelemetry()).not.toHaveProperty('correlationId');
    expect(typeof openTelemetry({ useTraceId: true }).correlationId).toBe('function');
  });
});

describe('exceptionOf', () => {
  describe('when the thrown value is not an object', () => {
    it.each([
      ['boom', 'string', 'boom'],
      [42, 'number', '42'],
      [null, 'null', 'null'],
      [undefined, 'undefined', 'undefined'],
      [Symbol('s'), 'symbol', 'Symbol(s)'],
    ])('should give %p its JavaScript type', (value, type, message) => {
      expect(exceptionOf(value)).toEqual({ 'exception.type': type, 'exception.message': message });
    });
  });

  describe('when the thrown value is an object without name, message or stack', () => {
    it.each([
      [{}, 'Object'],
      [Object.create(null), 'Object'],
      [new (class Odd {})(), 'Odd'],
    ])('should name it by its constructor', (value, type) => {
      expect(exceptionOf(value)).toEqual({ 'exception.type': type });
    });
  });

  describe('when its message and stack are huge', () => {
    it('should cut them as the log line does, marked', () => {
      const error = new Error('x'.repeat(1_000_000));
      error.stack = `Error: ${'y'.repeat(1_000_000)}`;
      const attributes = exceptionOf(error);
      const message = attributes['exception.message'] as string;
      const stack = attributes['exception.stacktrace'] as string;
      expect([message.length, message.endsWith('x… [truncated]')]).toEqual([4096, true]);
      expect([stack.length, stack.endsWith('y… [truncated]')]).toEqual([4096 + 16_384, true]);
      expect((exceptionOf('z'.repeat(5000))['exception.message'] as string).length).toBe(4096);
    });
  });

  describe('when its getters throw', () => {
    it('should keep what it can read', () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      );
      expect(exceptionOf(hostile)).toEqual({ 'exception.type': 'Object' });
    });
  });
});
