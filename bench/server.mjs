// One variant's server, started by ./run.mjs as a child process with an IPC channel:
//   node bench/server.mjs <variant> <log file>
// It listens on 127.0.0.1 (a free port), says `{ type: 'ready', port }`, and then answers
//   'begin' → starts a measuring window;
//   'end'   → `{ type: 'window', cpuUs, requests }`: the CPU time (user + system) this process
//             used and the requests it received since 'begin';
//   `{ type: 'inject', count }` → `{ type: 'injected', ... }`: the in-process driver. The
//             variant's request is injected about `count` times, one after the other, into the
//             application's own request listener with light-my-request (no socket, no client
//             process), in timed batches; the CPU and wall time per request of the median batch
//             and of the whole loop come back, with the number of answers whose status was not
//             the first answer's;
//   `{ type: 'inject-sample' }` → `{ type: 'injected-sample', status, headers, body }`: one
//             injected answer, for the byte check.
import inject from 'light-my-request';
import { buildServer } from './lib/apps.mjs';
import { PATH, variant } from './lib/variants.mjs';

const [id, logFile] = process.argv.slice(2);

function fail(error) {
  process.send?.({ type: 'error', message: String(error?.stack ?? error) });
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const server = await buildServer(id, { logFile });
// The application itself: Express's app function, or Fastify's routing entry point.
const [dispatch] = server.listeners('request');
const injected = { method: 'GET', url: PATH, headers: variant(id).headers ?? {} };
let requests = 0;
server.on('request', () => {
  requests += 1;
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});

// Requests per timed batch of the in-process driver: enough that reading the clocks costs
// nothing, few enough that a batch the machine preempted is one outlier among many.
const BATCH = 32;

/**
 * Injects the variant's request `count` times (rounded up to whole batches), one after the
 * other, timing each batch of BATCH requests: the CPU time (user + system) and the wall time of
 * the median batch, per request, and of the whole loop.
 */
async function injectMany(count) {
  const expected = (await inject(dispatch, injected)).statusCode;
  await new Promise((resolve) => setImmediate(resolve));
  const batches = Math.max(1, Math.ceil(count / BATCH));
  const cpuPerBatch = new Float64Array(batches);
  const wallPerBatch = new Float64Array(batches);
  let unexpected = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) {
      const response = await inject(dispatch, injected);
      if (response.statusCode !== expected) unexpected += 1;
    }
    // One event-loop turn per batch, inside its timing: light-my-request's socket completes each
    // write in a setImmediate callback, which a loop of awaits alone never reaches, so without
    // the turn every injected request would stay in memory until the run ends.
    await new Promise((resolve) => setImmediate(resolve));
    wallPerBatch[b] = Number(process.hrtime.bigint() - started) / 1000;
    const used = process.cpuUsage(cpu);
    cpuPerBatch[b] = used.user + used.system;
  }
  const wallUs = Number(process.hrtime.bigint() - wallStart) / 1000;
  const used = process.cpuUsage(cpuStart);
  const median = (values) => values.sort()[values.length >> 1];
  return {
    requests: batches * BATCH,
    cpuUs: used.user + used.system,
    wallUs,
    medianBatchCpuUs: median(cpuPerBatch) / BATCH,
    medianBatchWallUs: median(wallPerBatch) / BATCH,
    unexpected,
  };
}

let window;
process.on('message', (message) => {
  if (message === 'begin') {
    window = { cpu: process.cpuUsage(), requests };
  } else if (message === 'end' && window !== undefined) {
    const cpu = process.cpuUsage(window.cpu);
    process.send({
      type: 'window',
      cpuUs: cpu.user + cpu.system,
      requests: requests - window.requests,
    });
    window = undefined;
  } else if (message?.type === 'inject') {
    injectMany(message.count).then((result) => process.send({ type: 'injected', ...result }), fail);
  } else if (message?.type === 'inject-sample') {
    inject(dispatch, injected).then(
      (response) =>
        process.send({
          type: 'injected-sample',
          status: response.statusCode,
          headers: response.headers,
          body: response.payload,
        }),
      fail,
    );
  }
});
// The parent going away ends the server too.
process.on('disconnect', () => process.exit(0));
