// Starting variant servers, checking their answers and driving them with autocannon: what
// ../run.mjs and ../profile.mjs share.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import stats from './stats.cjs';
import { PATH } from './variants.mjs';

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));

/**
 * Starts a variant's server (../server.mjs) as a child process and resolves once it listens.
 * If it dies later, `onExit` hears so (unless it was stopped).
 *
 * @param {import('./variants.mjs').Variant} variant
 * @param {{ scratch: string, execArgv?: string[], debug?: boolean, onExit?: (code: number | null) => void }} options
 */
export function startServer(variant, { scratch, execArgv = [], debug = false, onExit }) {
  const child = fork(SERVER, [variant.id, join(scratch, `${variant.id}.log`)], {
    execArgv,
    stdio: debug ? 'inherit' : ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const server = { variant, child, url: '', stopped: false };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${variant.id}: the server did not start within 60 s`)),
      60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${variant.id}: the server exited with ${code} before it was ready`));
    });
    child.on('message', (message) => {
      if (message.type === 'error') reject(new Error(`${variant.id}: ${message.message}`));
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.on('exit', (code) => {
        if (!server.stopped) onExit?.(code);
      });
      server.url = `http://127.0.0.1:${message.port}${PATH}`;
      resolve(server);
    });
  });
}

/** Stops a server: it exits when its IPC channel closes. Resolves when it has exited. */
export function stopServer(server) {
  server.stopped = true;
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  if (server.child.connected) server.child.disconnect();
  return exited;
}

/** The next `{ type }` message from a server. */
function nextMessage(child, type) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message.type === type) {
        child.off('message', listener);
        resolve(message);
      }
    };
    child.on('message', listener);
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
// Headers that differ between any two responses.
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

/** One answer of a server: status, headers (without the volatile ones) and body. */
export async function sample(server) {
  const response = await fetch(server.url, { headers: server.variant.headers ?? {} });
  const body = await response.text();
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !VOLATILE.has(name)));
  return { status: response.status, headers, body };
}

/**
 * Asserts that two answers are the same: the same status, the same headers (apart from the
 * date) and the same body bytes, the correlation id (a fresh random UUID in each, where the
 * convention's body carries one) being the only difference. Throws, showing both answers,
 * otherwise.
 */
export function assertSameBytes(id, a, refId, b) {
  const ids = (body) => body.match(UUID)?.length ?? 0;
  const masked = (body) => body.replace(UUID, '<uuid>');
  const problems = [];
  if (a.status !== b.status) problems.push(`status ${a.status} vs ${b.status}`);
  if (
    JSON.stringify(Object.entries(a.headers).sort()) !==
    JSON.stringify(Object.entries(b.headers).sort())
  ) {
    problems.push('headers differ');
  }
  if (ids(a.body) !== ids(b.body) || ids(a.body) > 1)
    problems.push(
      'the bodies must carry the same number of correlation ids (UUID v4), at most one',
    );
  if (Buffer.byteLength(a.body) !== Buffer.byteLength(b.body) || masked(a.body) !== masked(b.body))
    problems.push('bodies differ');
  if (problems.length > 0) {
    throw new Error(
      `${id} and ${refId} must answer with the same bytes before they are compared: ${problems.join('; ')}\n` +
        `${id}: ${JSON.stringify(a, null, 2)}\n${refId}: ${JSON.stringify(b, null, 2)}`,
    );
  }
}

/**
 * Drives a server with autocannon for `seconds`. With `latencies`, every response time (ms,
 * sub-millisecond precision) is pushed to it: autocannon's own histogram keeps whole
 * milliseconds only, and only for 2xx answers by default.
 */
export async function drive(server, { seconds, connections }, latencies) {
  const instance = autocannon({
    url: server.url,
    connections,
    duration: seconds,
    headers: server.variant.headers ?? {},
  });
  if (latencies !== undefined) {
    instance.on('response', (_client, _status, _bytes, time) => latencies.push(time));
  }
  return instance;
}

/**
 * One measured run: req/s and latency as the client saw them, and the server's CPU time per
 * request it received (process.cpuUsage() in the server, between 'begin' and 'end').
 */
export async function measure(server, load) {
  const latencies = [];
  const window = nextMessage(server.child, 'window');
  server.child.send('begin');
  const result = await drive(server, load, latencies);
  server.child.send('end');
  const { cpuUs, requests } = await window;
  return {
    rps: Math.round(latencies.length / result.duration),
    p50: stats.percentile(latencies, 50),
    p99: stats.percentile(latencies, 99),
    cpuUsPerReq: requests === 0 ? Number.NaN : Math.round((cpuUs / requests) * 100) / 100,
    errors: result.errors + result.timeouts,
  };
}

// How an injected body is framed (a length or chunks) follows from how the application wrote
// it, with no socket to decide it as over HTTP; the HTTP check compares the framing, this one the
// body bytes.
const FRAMING = new Set(['content-length', 'transfer-encoding']);

/**
 * One answer of a server's in-process driver: status, headers (without the volatile and framing
 * ones) and body.
 */
export async function sampleInjected(server) {
  const answer = nextMessage(server.child, 'injected-sample');
  server.child.send({ type: 'inject-sample' });
  const { status, headers, body } = await answer;
  const kept = Object.entries(headers)
    .filter(([name]) => !VOLATILE.has(name) && !FRAMING.has(name))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]);
  return { status, headers: Object.fromEntries(kept), body };
}

/**
 * One in-process run: about `count` requests injected into the server's own request listener,
 * one after the other, in timed batches (../server.mjs). `cpuUsPerReq` is the CPU time per
 * request of the run's median batch, the figure the targets are judged on: a batch the machine
 * preempted, or during which another process evicted the caches, is an outlier the median leaves
 * out. `loopCpuUsPerReq` is the CPU time of the whole loop per request, outliers included.
 */
export async function injectRun(server, count) {
  const answer = nextMessage(server.child, 'injected');
  server.child.send({ type: 'inject', count });
  const { requests, cpuUs, wallUs, medianBatchCpuUs, medianBatchWallUs, unexpected } = await answer;
  const round2 = (value) => Math.round(value * 100) / 100;
  return {
    cpuUsPerReq: round2(medianBatchCpuUs),
    wallUsPerReq: round2(medianBatchWallUs),
    loopCpuUsPerReq: round2(cpuUs / requests),
    loopWallUsPerReq: round2(wallUs / requests),
    requests,
    unexpected,
  };
}
