// Micro-benchmark of faultline's error path, in ns per fault:
//  - createFaultHandler().handle() per dialect and encoding, next to a bare JSON.stringify of the
//    same X-Road body plus crypto.randomUUID(), and next to the hand-written X-Road JSON and SOAP
//    renderers the HTTP bench uses;
//  - what throwing costs: `new Error()` with its stack frames, and a catalogue factory's fault
//    without them;
//  - handle() inside a recording SERVER span of the OpenTelemetry SDK, with telemetry off and with
//    `telemetry: openTelemetry()`;
//  - resolution with 10, 1 000 and 10 000 mapping rules (class and code rules are map lookups,
//    so the cost should not grow with the number of rules).
// Each task runs BATCH operations per timed sample (so the timer's own cost is spread thin), in
// ROUNDS interleaved rounds; the figure is the median over the rounds of each round's median
// sample, divided by BATCH.
//   node bench/micro.mjs            prints the table
//   forked by ./run.mjs             sends the rows over IPC instead
import { randomUUID } from 'node:crypto';
import { Bench } from 'tinybench';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { NodeTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createFaultHandler, routeNotFound, xroad } from '@faultline/core';
import { openTelemetry } from '@faultline/opentelemetry';
import { xroadJson, xroadSoap } from './lib/handwritten.mjs';
import { PATH } from './lib/variants.mjs';
import stats from './lib/stats.cjs';

const ROUNDS = Number(process.env.BENCH_MICRO_ROUNDS ?? 7);
const TIME_MS = Number(process.env.BENCH_MICRO_TIME_MS ?? 120);
const BATCH = 16;

// The error every HTTP variant throws, made once: the cost of `new Error` is the route's, not the handler's.
const thrown = Object.assign(new Error('Person 42 not found'), { statusCode: 404 });
const request = (headers) => ({
  method: 'GET',
  url: PATH,
  headers: { host: '127.0.0.1', ...headers },
});
const REST = request({});
const XML = request({ accept: 'text/xml' });
const SOAP = request({ soapaction: '""' });

let sink;
const tasks = [];
const task = (name, group, fn) => tasks.push({ name, group, fn });

// Tasks that are compared are neighbours, so that their figures in a round are moments apart.
const handlerOf = (dialect, options = {}) =>
  createFaultHandler({ ...options, dialect, logger: false });
const xroadHandler = handlerOf('xroad');
task('handle(), xroad JSON', 'handle', () => xroadHandler.handle(thrown, REST));
task('JSON.stringify(X-Road body) + randomUUID()', 'baseline', () =>
  JSON.stringify({ type: 'Client.NotFound', message: thrown.message, detail: randomUUID() }),
);
task('hand-written X-Road JSON (mapping, stringify, uuid)', 'baseline', () => xroadJson(thrown));
task('handle(), xroad JSON, beside xroad SOAP', 'reference', () =>
  xroadHandler.handle(thrown, REST),
);
task('handle(), xroad SOAP', 'handle', () => xroadHandler.handle(thrown, SOAP));
task('hand-written X-Road SOAP template (escaped, uuid)', 'baseline', () => xroadSoap(thrown));
// An unknown route: the error is made on faultline's own path, so its cost counts.
task('routeNotFound() + handle(), xroad JSON', 'handle', () =>
  xroadHandler.handle(routeNotFound('GET', PATH), REST),
);
for (const [dialect, encoding, req, options] of [
  ['xroad', 'XML', XML],
  ['xks', 'JSON', REST],
  ['esb', 'JSON', REST],
  ['esb', 'XML', XML, { esb: { profile: 'apim-3.2' } }],
  ['esb', 'SOAP', SOAP],
  ['de4a', 'XML', REST],
  ['de4a', 'JSON', request({ accept: 'application/json' })],
  ['ast', 'JSON', REST],
  ['problem', 'JSON', REST],
]) {
  const handler = handlerOf(dialect, options);
  // X-Road JSON once more right beside each row held to it, so that the two figures of a round
  // are taken moments apart.
  task(`handle(), xroad JSON, beside ${dialect} ${encoding}`, 'reference', () =>
    xroadHandler.handle(thrown, REST),
  );
  task(`handle(), ${dialect} ${encoding}`, 'handle', () => handler.handle(thrown, req));
}

// What a route pays to throw: an Error captures its stack frames (here ten frames deep, as a
// route's call is in a framework), a catalogue factory's fault captures none.
const deep = (depth, make) => (depth === 0 ? make() : deep(depth - 1, make));
task('new Error(message), 10 frames deep', 'throw', () =>
  deep(10, () => new Error('Person 42 not found')),
);
task("xroad.fault('Client.NotFound', message), 10 frames deep", 'throw', () =>
  deep(10, () => xroad.fault('Client.NotFound', 'Person 42 not found')),
);

// The telemetry's cost on the common path: an expected 404 answered inside a recording SERVER
// span of the OpenTelemetry SDK, with and without `telemetry: openTelemetry()` (span attributes,
// the counter and the histogram; no exception event for an expected fault).
{
  new NodeTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }).register();
  class Uncollected extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const meterProvider = new MeterProvider({ readers: [new Uncollected()] });
  const span = trace.getTracer('bench').startSpan('GET', { kind: SpanKind.SERVER });
  const inSpan = trace.setSpan(context.active(), span);
  const off = handlerOf('xroad');
  const on = handlerOf('xroad', { telemetry: openTelemetry({ meterProvider }) });
  task('handle(), xroad JSON, in a span, telemetry off', 'telemetry', () =>
    context.with(inSpan, () => off.handle(thrown, REST)),
  );
  task('handle(), xroad JSON, in a span, telemetry: openTelemetry()', 'telemetry', () =>
    context.with(inSpan, () => on.handle(thrown, REST)),
  );
}

// The last class and the last code of each set: the worst place for a list scan, the same for a map.
const resolution = new Map(
  [10, 10_000, 1_000].map((size) => {
    const classes = Array.from({ length: size / 2 }, () => class extends Error {});
    const mappings = [
      ...classes.map((c) => ({ class: c, to: { code: 404, message: 'mapped by class' } })),
      ...Array.from({ length: size / 2 }, (_, i) => ({
        code: `E${i}`,
        to: { code: 409, message: 'mapped by code' },
      })),
    ];
    const handler = createFaultHandler({ logger: false, mappings, correlationId: () => 'id' });
    const byClass = new classes[classes.length - 1]('x');
    const byCode = Object.assign(new Error('x'), { code: `E${size / 2 - 1}` });
    return [size, { handler, byClass, byCode }];
  }),
);
for (const kind of ['class', 'code']) {
  for (const [size, { handler, byClass, byCode }] of resolution) {
    const thrownHere = kind === 'class' ? byClass : byCode;
    task(`resolution, ${size} rules, ${kind} match`, 'resolution', () =>
      handler.handle(thrownHere),
    );
  }
}

/** Runs every task ROUNDS times, interleaved, and returns `{ name, group, nsPerOp, rounds }` rows. */
export async function runMicro() {
  const perRound = new Map(tasks.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: round === 0 ? 100 : 30, iterations: 16 });
    const order = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const { name, fn } of order) {
      bench.add(name, () => {
        for (let i = 0; i < BATCH; i++) sink = fn();
      });
    }
    await bench.run();
    // The median sample, not the mean: on a shared machine a few samples are preempted.
    for (const t of bench.tasks) perRound.get(t.name).push((t.result.latency.p50 * 1e6) / BATCH);
  }
  if (sink === undefined) throw new Error('nothing was computed');
  return tasks.map(({ name, group }) => ({
    name,
    group,
    nsPerOp: Math.round(stats.median(perRound.get(name))),
    rounds: perRound.get(name).map(Math.round),
  }));
}

const rows = await runMicro();
if (process.send) {
  process.send({ type: 'micro', rows });
  process.disconnect();
} else {
  console.log(
    stats.table(
      [{ title: 'task' }, { title: 'ns/op', align: 'right' }],
      rows.map((r) => [r.name, stats.formatNumber(r.nsPerOp)]),
    ),
  );
}
