/**
 * OpenTelemetry for faultline. `openTelemetry()` is the handler's `telemetry` option: it
 * annotates the request's server span as the semantic conventions say, counts every fault and
 * times faultline's work on it, puts the trace and span ids on the fault's log line and, if
 * asked, makes the trace id the correlation id. What a fault means (catalogued or not, expected
 * or not) comes from faultline's catalogue, not from the status alone.
 *
 * @module
 */
import { context, createContextKey, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  Span,
  SpanContext,
} from '@opentelemetry/api';
import type { FaultEvent, FaultTelemetry } from '@faultline/core';

/**
 * Options of {@link openTelemetry}.
 *
 * @example
 * ```ts
 * const options: OpenTelemetryOptions = { useTraceId: true, recordExpected: false };
 * ```
 */
export interface OpenTelemetryOptions {
  /**
   * Use the active trace id as the correlation id, so that the body, the log line and the trace
   * share one id. The handler's own `correlationId` option is asked first; a request outside
   * any trace gets a random id.
   * @default false
   */
  readonly useTraceId?: boolean;
  /**
   * Add an `exception` event for expected faults too (client faults, catalogued faults the
   * service throws). Unexpected faults always get one.
   * @default false
   */
  readonly recordExpected?: boolean;
  /**
   * Count and time faults (`faultline.faults`, `faultline.fault.duration`).
   * @default true
   */
  readonly metrics?: boolean;
  /** The meter provider to use. Default: the global one, read at the first fault. */
  readonly meterProvider?: MeterProvider;
}

/**
 * The instrumentation scope (the meter's name) of the metrics.
 *
 * @example
 * ```ts
 * metricExporter.getMetrics()[0]?.scopeMetrics.find((s) => s.scope.name === SCOPE);
 * ```
 */
export const SCOPE = '@faultline/opentelemetry';

/**
 * What `error.type` says of a code that is in no catalogue, as the conventions name it: the
 * attribute stays a short, documented list.
 *
 * @example
 * ```ts
 * span.attributes['error.type'] === OTHER; // a code of the service's own, not catalogued
 * ```
 */
export const OTHER = '_OTHER';

/**
 * The attribute names set on the server span, on the `exception` event and on the metric
 * points. `error.type`, `exception.*` and `http.response.status_code` are the OpenTelemetry
 * semantic conventions' own; the `faultline.*` names are this package's.
 *
 * @example
 * ```ts
 * span.attributes[ATTRIBUTES.errorType]; // 'Server.ServerProxy.UnknownService'
 * ```
 */
export const ATTRIBUTES = Object.freeze({
  errorType: 'error.type',
  dialect: 'faultline.dialect',
  code: 'faultline.code',
  correlationId: 'faultline.correlation_id',
  expected: 'faultline.expected',
  statusCode: 'http.response.status_code',
  exceptionType: 'exception.type',
  exceptionMessage: 'exception.message',
  exceptionStacktrace: 'exception.stacktrace',
} as const);

/**
 * The names of the instruments: a counter of faults and a histogram of faultline's own time on
 * each (seconds).
 *
 * @example
 * ```ts
 * const points = scope.metrics.find((m) => m.descriptor.name === METRICS.faults)?.dataPoints;
 * ```
 */
export const METRICS = Object.freeze({
  faults: 'faultline.faults',
  duration: 'faultline.fault.duration',
} as const);

// faultline's own time on a fault is measured in microseconds; the default buckets start at
// 5 seconds' worth of resolution, so the histogram advises its own (in seconds).
const DURATION_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1,
];

// The key under which OpenTelemetry's HTTP server instrumentation keeps the request's SERVER
// span in the context (`setRPCMetadata` of @opentelemetry/core). `createContextKey` makes a
// `Symbol.for` key, so any copy of the core finds the same value.
const RPC_METADATA = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

interface Instruments {
  readonly faults: Counter;
  readonly duration: Histogram;
}

/**
 * The `telemetry` option of `createFaultHandler`, `faultline()` (Express) and the Fastify
 * plugin. For every fault, on the request's server span (the HTTP instrumentation's, else the
 * active span):
 *
 * - `error.type` = the fault's code when it is catalogued, `_OTHER` otherwise;
 *   `faultline.code`, `faultline.dialect`, `faultline.correlation_id`;
 * - status `ERROR` only for unexpected faults (unmapped errors, 5xx); client faults leave the
 *   status unset, as the conventions say for a server span;
 * - an `exception` event with the thrown error's type, message and stack for unexpected
 *   faults (and for expected ones with `recordExpected`).
 *
 * It counts faults in `faultline.faults` and times faultline's work in
 * `faultline.fault.duration` (seconds), both labelled `faultline.dialect`, `error.type`,
 * `http.response.status_code` and `faultline.expected`; and it puts `trace_id`, `span_id` and
 * `trace_flags` on the fault's log line when a span is active.
 *
 * @param options - the trace id as correlation id, exception events for expected faults, metrics
 * @returns the integration, to pass as `telemetry`
 * @throws TypeError on an invalid option
 * @example
 * ```ts
 * import { openTelemetry } from '@faultline/opentelemetry';
 * app.use(faultline({ dialect: 'xroad', telemetry: openTelemetry({ useTraceId: true }) }));
 * ```
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): FaultTelemetry {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: openTelemetry options must be an object');
  }
  const useTraceId = flag(options.useTraceId, 'useTraceId', false);
  const recordExpected = flag(options.recordExpected, 'recordExpected', false);
  const measure = flag(options.metrics, 'metrics', true);
  const provider = options.meterProvider;
  if (provider !== undefined && typeof provider?.getMeter !== 'function') {
    throw new TypeError('faultline: openTelemetry meterProvider must be a MeterProvider');
  }

  // Instruments are made at the first fault, so that an SDK started after the handler counts.
  let instruments: Instruments | undefined;
  const instrumentsOf = (): Instruments => {
    if (instruments !== undefined) return instruments;
    const meter: Meter = (provider ?? metrics).getMeter(SCOPE);
    instruments = {
      faults: meter.createCounter(METRICS.faults, {
        description: 'Faults answered by faultline',
        unit: '{fault}',
      }),
      duration: meter.createHistogram(METRICS.duration, {
        description: "faultline's own time on a fault, from the thrown value to the log event",
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
    };
    return instruments;
  };

  const telemetry: FaultTelemetry = {
    logFields() {
      const span = activeContext();
      return span === undefined
        ? undefined
        : {
            trace_id: span.traceId,
            span_id: span.spanId,
            trace_flags: `0${span.traceFlags.toString(16)}`,
          };
    },
    onFault(event: FaultEvent) {
      const { fault, expected } = event;
      const errorType = event.catalogued === true ? String(fault.code) : OTHER;
      const span = serverSpan();
      if (span?.isRecording() === true) {
        span.setAttributes({
          [ATTRIBUTES.errorType]: errorType,
          [ATTRIBUTES.code]: String(fault.code),
          [ATTRIBUTES.dialect]: fault.dialect,
          ...(fault.correlationId === undefined
            ? {}
            : { [ATTRIBUTES.correlationId]: fault.correlationId }),
        });
        if (!expected) span.setStatus({ code: SpanStatusCode.ERROR });
        if (!expected || recordExpected) span.addEvent('exception', exceptionOf(event.error));
      }
      if (measure) {
        const labels: Attributes = {
          [ATTRIBUTES.dialect]: fault.dialect,
          [ATTRIBUTES.errorType]: errorType,
          [ATTRIBUTES.statusCode]: event.httpStatus ?? fault.status,
          [ATTRIBUTES.expected]: expected,
        };
        const { faults, duration } = instrumentsOf();
        faults.add(1, labels);
        duration.record(event.durationMs / 1000, labels);
      }
    },
  };
  if (useTraceId) {
    Object.assign(telemetry, { correlationId: () => activeContext()?.traceId });
  }
  return Object.freeze(telemetry);
}

// The span context of the active span, when it is a real one (not the invalid, all-zero one).
function activeContext(): SpanContext | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext !== undefined && trace.isSpanContextValid(spanContext)
    ? spanContext
    : undefined;
}

// The request's SERVER span: the HTTP instrumentation keeps it in the context, below whatever
// framework spans (middleware, handler) are active when the error handler runs.
function serverSpan(): Span | undefined {
  const active = context.active();
  const meta = active.getValue(RPC_METADATA) as { type?: unknown; span?: Span } | undefined;
  const span = meta?.type === 'http' ? meta.span : undefined;
  return span ?? trace.getSpan(active);
}

/**
 * The attributes of the `exception` event of a thrown value: its type (the error's name, or
 * the JavaScript type of a value that is not an object), its message and its stack. Read with
 * guards: a getter that throws or a Proxy costs only the attribute.
 *
 * @param thrown - the thrown value
 * @returns the event's attributes
 * @example
 * ```ts
 * exceptionOf(new TypeError('x is undefined'));
 * // { 'exception.type': 'TypeError', 'exception.message': 'x is undefined', 'exception.stacktrace': 'TypeError: x is …' }
 * ```
 */
export function exceptionOf(thrown: unknown): Attributes {
  if (typeof thrown !== 'object' || thrown === null) {
    return {
      [ATTRIBUTES.exceptionType]: thrown === null ? 'null' : typeof thrown,
      [ATTRIBUTES.exceptionMessage]: bounded(describe(thrown), MAX_MESSAGE),
    };
  }
  // Bounded as the log line bounds them: a megabyte of message is not sent to the exporter
  // with every fault.
  const name = bounded(read(thrown, 'name'), 256);
  const message = bounded(read(thrown, 'message'), MAX_MESSAGE);
  const stack = bounded(read(thrown, 'stack'), MAX_MESSAGE + 16_384);
  return {
    [ATTRIBUTES.exceptionType]: name ?? constructorName(thrown),
    ...(message === undefined ? {} : { [ATTRIBUTES.exceptionMessage]: message }),
    ...(stack === undefined ? {} : { [ATTRIBUTES.exceptionStacktrace]: stack }),
  };
}

// faultline's default limits.message, in characters.
const MAX_MESSAGE = 4096;

// Cut as the log line cuts: marked, and never between the two halves of a surrogate pair.
function bounded(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  let end = max - MARKER.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + MARKER;
}
const MARKER = '… [truncated]';

function read(value: object, key: string): string | undefined {
  try {
    const found: unknown = (value as Record<string, unknown>)[key];
    return typeof found === 'string' ? found : undefined;
  } catch {
    return undefined;
  }
}

function constructorName(value: object): string {
  try {
    const name: unknown = (value.constructor as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  } catch {
    return 'Object';
  }
}

function describe(value: unknown): string {
  try {
    return typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    return typeof value;
  }
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`faultline: openTelemetry ${name} must be a boolean`);
  }
  return value;
}
