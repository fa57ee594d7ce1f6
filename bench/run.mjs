// `pnpm bench`: faultline's error path side by side with the peers.
//
// Every variant of ./lib/variants.mjs runs as its own server process on 127.0.0.1
// (./server.mjs). Two drivers measure them:
//  - in-process (the one the targets are judged on): each server injects its variant's request
//    into its own application with light-my-request, one request after the other, with no socket
//    and no client process, and reports the CPU time per request;
//  - HTTP (the end-to-end figure): this process drives each server with autocannon over loopback.
// After a check that the compared variants answer with the same bytes (through both drivers), and
// a warm-up, every variant is measured ROUNDS times per driver, in interleaved rounds (the order
// reverses every round, so a slow drift of a shared machine hits both sides of a comparison
// alike). The tables show the medians; a ratio is the median of the per-round ratios. Then the
// micro-benchmark (./micro.mjs) runs in a fresh process. Everything goes to stdout and to
// bench/results/latest.json, with the performance targets and whether each is met.
//
// Environment: BENCH_DRIVER (both, inprocess or http; default both), BENCH_INJECT_ROUNDS (150),
// BENCH_INJECT_SECONDS (s per in-process run, 0.01), BENCH_ROUNDS (HTTP rounds, 5),
// BENCH_DURATION (s per HTTP run, 0.6),
// BENCH_WARMUP (s per HTTP warm-up pass, 0.6), BENCH_WARMUP_PASSES (2), BENCH_CONNECTIONS (50),
// BENCH_ONLY (comma-separated parts of variant ids), BENCH_MICRO=0 (skip the micro-benchmark),
// BENCH_DEBUG=1 (servers write to this terminal).
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stats from './lib/stats.cjs';
import {
  assertSameBytes,
  drive,
  injectRun,
  measure,
  sample,
  sampleInjected,
  startServer,
  stopServer,
} from './lib/harness.mjs';
import { PATH, VARIANTS, floorOf } from './lib/variants.mjs';
import { KNOWN_MISSES, TARGETS } from './lib/targets.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const number = (value, fallback) =>
  value === undefined || value === '' ? fallback : Number(value);
const driver = env.BENCH_DRIVER ?? 'both';
if (!['both', 'inprocess', 'http'].includes(driver)) {
  console.error(`bench failed: BENCH_DRIVER is both, inprocess or http (got '${driver}')`);
  process.exit(1);
}
const config = {
  driver,
  injectSeconds: number(env.BENCH_INJECT_SECONDS, 0.01),
  injectRounds: number(env.BENCH_INJECT_ROUNDS, 150),
  duration: number(env.BENCH_DURATION, 0.6),
  rounds: number(env.BENCH_ROUNDS, 5),
  warmup: number(env.BENCH_WARMUP, 0.6),
  warmupPasses: number(env.BENCH_WARMUP_PASSES, 2),
  connections: number(env.BENCH_CONNECTIONS, 50),
};
const only = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : undefined;
const variants = only ? VARIANTS.filter((v) => only.some((part) => v.id.includes(part))) : VARIANTS;
const started = performance.now();
const elapsed = () => `${Math.round((performance.now() - started) / 1000)} s`;
const log = (line = '') => process.stdout.write(`${line}\n`);

const cpuModel =
  /model name\s*:\s*(.*)/.exec(readOr('/proc/cpuinfo', ''))?.[1] ??
  os.cpus()[0]?.model ??
  'unknown';
const machine = {
  cpu: cpuModel,
  cores: os.availableParallelism(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
log(
  `faultline bench: ${machine.cores} × ${machine.cpu}, node ${machine.node}; ${variants.length} servers, ` +
    `drivers: ${config.driver}; in-process ${config.injectRounds} rounds of ${config.injectSeconds} s, ` +
    `HTTP ${config.rounds} rounds of ${config.duration} s with ${config.connections} connections, each after ${config.warmupPasses} warm-up passes; ` +
    `load average ${loadAverage()}`,
);

const scratch = mkdtempSync(join(os.tmpdir(), 'faultline-bench-'));
const servers = [];
try {
  // Servers start a few at a time: 25 Node processes loading at once would crowd two cores.
  for (let i = 0; i < variants.length; i += 4) {
    const batch = variants.slice(i, i + 4).map((v) =>
      startServer(v, {
        scratch,
        debug: env.BENCH_DEBUG === '1',
        onExit: (code) => {
          console.error(`bench failed: the ${v.id} server exited with ${code} during the run`);
          process.exit(1);
        },
      }),
    );
    servers.push(...(await Promise.all(batch)));
  }
  log(`${servers.length} servers listening (${elapsed()})`);

  const useHttp = config.driver !== 'inprocess';
  const useInject = config.driver !== 'http';
  const sameBytes = (answers) => {
    for (const { id, sameBytesAs } of variants) {
      if (sameBytesAs === undefined || !answers.has(sameBytesAs)) continue;
      assertSameBytes(id, answers.get(id), sameBytesAs, answers.get(sameBytesAs));
    }
  };

  // ---- HTTP driver ----------------------------------------------------------------------
  // First: light-my-request gives an Express application's request and response prototypes its
  // own the first time it injects into it, so HTTP requests come before any injected one.
  const samples = new Map();
  const runs = new Map(servers.map((s) => [s.variant.id, []]));
  if (useHttp) {
    // Compared variants must answer with the same bytes: stop before measuring otherwise.
    for (const server of servers) samples.set(server.variant.id, await sample(server));
    sameBytes(samples);
    const load = { seconds: config.duration, connections: config.connections };
    // Warm-up in passes over every server: between its passes a server's JIT finishes the
    // optimizations its first load started (Node's own HTTP code takes a few seconds to settle).
    for (let pass = 0; pass < config.warmupPasses; pass++) {
      for (const server of servers) await drive(server, { ...load, seconds: config.warmup });
    }
    log(`HTTP driver warmed up (${elapsed()})`);
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        const run = await measure(server, load);
        if (run.errors > 0)
          log(`  ! ${server.variant.id}: ${run.errors} socket errors or timeouts`);
        runs.get(server.variant.id).push(run);
      }
      log(`HTTP round ${round + 1}/${config.rounds} done (${elapsed()})`);
    }
  }

  // ---- in-process driver ----------------------------------------------------------------
  const injected = new Map(servers.map((s) => [s.variant.id, []]));
  if (useInject) {
    const answers = new Map();
    for (const server of servers) answers.set(server.variant.id, await sampleInjected(server));
    sameBytes(answers);
    if (!useHttp) for (const [id, answer] of answers) samples.set(id, answer);
    // Warm-up passes over every server; the last one sizes each server's runs to about
    // BENCH_INJECT_SECONDS of wall time.
    const counts = new Map();
    for (let pass = 0; pass < Math.max(1, config.warmupPasses); pass++) {
      for (const server of servers) {
        const run = await injectRun(server, counts.get(server.variant.id) ?? 500);
        const fit = Math.round((config.injectSeconds * 1e6) / run.loopWallUsPerReq);
        counts.set(server.variant.id, Math.min(50_000, Math.max(200, fit)));
      }
    }
    log(`in-process driver warmed up (${elapsed()})`);
    for (let round = 0; round < config.injectRounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        const run = await injectRun(server, counts.get(server.variant.id));
        if (run.unexpected > 0)
          log(`  ! ${server.variant.id}: ${run.unexpected} answers with another status`);
        injected.get(server.variant.id).push(run);
      }
      if ((round + 1) % 5 === 0 || round + 1 === config.injectRounds)
        log(`in-process round ${round + 1}/${config.injectRounds} done (${elapsed()})`);
    }
  }
  for (const { id, sameBytesAs } of variants) {
    if (sameBytesAs === undefined || !samples.has(sameBytesAs)) continue;
    log(
      `same bytes: ${id} = ${sameBytesAs} (status, headers and ${Buffer.byteLength(samples.get(id).body)}-byte body)`,
    );
  }
  await Promise.all(servers.map(stopServer));

  const micro = env.BENCH_MICRO === '0' ? [] : await runMicro();

  // ---- results -------------------------------------------------------------------------
  const medians = new Map([...runs].map(([id, list]) => [id, stats.summarize(list)]));
  // A ratio of two variants: the median of the per-round ratios, each taken between runs
  // made moments apart, which cancels most of a shared machine's drift.
  const series = (id, key) => runs.get(id)?.map((run) => run[key]) ?? [];
  const pairRatio = (a, b, key, invert = false) =>
    invert
      ? stats.pairedRatio(series(b, key), series(a, key))
      : stats.pairedRatio(series(a, key), series(b, key));
  // In-process: how many requests a variant answers per CPU second, relative to another's, is
  // the inverse ratio of their CPU time per request.
  const cpuSeries = (id) => injected.get(id)?.map((run) => run.cpuUsPerReq) ?? [];
  const injectedMedian = (id, key) => stats.median(injected.get(id)?.map((run) => run[key]) ?? []);
  const speedRatio = (a, b) => stats.pairedRatio(cpuSeries(b), cpuSeries(a));
  const rows = variants.map((v) => {
    const refId = v.ref ?? floorOf(v);
    return {
      id: v.id,
      label: v.label,
      framework: v.framework,
      request: { method: 'GET', path: PATH, headers: v.headers ?? {} },
      status: samples.get(v.id).status,
      bodyBytes: Buffer.byteLength(samples.get(v.id).body),
      ref: refId,
      inprocess: useInject
        ? {
            cpuUsPerReq: injectedMedian(v.id, 'cpuUsPerReq'),
            wallUsPerReq: injectedMedian(v.id, 'wallUsPerReq'),
            vsFloor: speedRatio(v.id, floorOf(v)),
            vsRef: speedRatio(v.id, refId),
            runs: injected.get(v.id),
          }
        : undefined,
      http: useHttp
        ? {
            median: medians.get(v.id),
            vsFloor: pairRatio(v.id, floorOf(v), 'rps'),
            vsRef: pairRatio(v.id, refId, 'rps'),
            cpuVsRef: pairRatio(v.id, refId, 'cpuUsPerReq', true),
            runs: runs.get(v.id),
          }
        : undefined,
    };
  });
  const microRounds = new Map(micro.map((row) => [row.name, row.rounds]));
  const figures = {
    ratio: speedRatio,
    cpu: (id) => injectedMedian(id, 'cpuUsPerReq'),
  };
  const targets = TARGETS.map(({ name, kind, threshold, pair, micro: microPair }) => {
    const [a, b] = pair ?? microPair;
    // In-process targets compare requests per CPU second: the CPU times, the other way round.
    const [left, right] = pair
      ? [cpuSeries(b), cpuSeries(a)]
      : [microRounds.get(a) ?? [], microRounds.get(b) ?? []];
    const rounds = stats.roundRatios(left, right);
    const verdict = stats.verdict(
      { name, kind, threshold, compares: [a, b] },
      stats.pairedRatio(left, right),
    );
    return {
      ...verdict,
      rounds: rounds.map((r) => stats.ratio(r, 1)),
      ...(pair && useHttp ? { httpRatio: pairRatio(a, b, 'rps') } : {}),
      ...(verdict.met ? {} : { reason: KNOWN_MISSES[name]?.(figures) ?? 'not known' }),
    };
  });

  const ratioCell = (row, own, value) => (own ? stats.formatNumber(value, 2) : '');
  if (useInject) {
    log();
    log(
      stats.table(
        [
          { title: 'in-process' },
          { title: 'bytes', align: 'right' },
          { title: 'CPU µs/req', align: 'right' },
          { title: 'wall µs/req', align: 'right' },
          { title: '× floor', align: 'right' },
          { title: '× ref', align: 'right' },
          { title: 'ref' },
        ],
        rows.map((row) => {
          const own = row.ref !== floorOf(row);
          return [
            row.id,
            String(row.bodyBytes),
            stats.formatNumber(row.inprocess.cpuUsPerReq, 1),
            stats.formatNumber(row.inprocess.wallUsPerReq, 1),
            stats.formatNumber(row.inprocess.vsFloor, 2),
            ratioCell(row, own, row.inprocess.vsRef),
            own ? row.ref : '',
          ];
        }),
      ),
    );
    log(
      "Medians of the rounds. × floor, × ref: requests per CPU second relative to the other variant (its CPU µs/req over this one's), the median of the per-round ratios.",
    );
  }
  if (useHttp) {
    log();
    log(
      stats.table(
        [
          { title: 'HTTP' },
          { title: 'req/s', align: 'right' },
          { title: 'p50 ms', align: 'right' },
          { title: 'p99 ms', align: 'right' },
          { title: 'CPU µs/req', align: 'right' },
          { title: '× floor', align: 'right' },
          { title: '× ref', align: 'right' },
          { title: 'ref' },
        ],
        rows.map((row) => {
          const own = row.ref !== floorOf(row);
          return [
            row.id,
            stats.formatNumber(row.http.median.rps),
            stats.formatNumber(row.http.median.p50, 2),
            stats.formatNumber(row.http.median.p99, 2),
            stats.formatNumber(row.http.median.cpuUsPerReq, 1),
            stats.formatNumber(row.http.vsFloor, 2),
            ratioCell(row, own, row.http.vsRef),
            own ? row.ref : '',
          ];
        }),
      ),
    );
    log(
      "Medians of the rounds over loopback HTTP, the server's CPU time included the kernel's TCP work. × floor, × ref: req/s ratios, the median of the per-round ratios.",
    );
  }
  if (micro.length > 0) {
    log();
    log(
      stats.table(
        [{ title: 'micro-benchmark' }, { title: 'ns/op', align: 'right' }],
        micro.map((r) => [r.name, stats.formatNumber(r.nsPerOp)]),
      ),
    );
  }
  log();
  log(
    'targets: in-process ratios of requests per CPU second, and micro-benchmark ratios of ns/op, each the median of the per-round ratios of this run:',
  );
  for (const t of targets) {
    if (!Number.isFinite(t.measured)) {
      log(`  n/a     ${t.name}: not measured in this run`);
      continue;
    }
    const op = t.kind === 'atMost' ? '≤' : '≥';
    const spread = `rounds ${stats.formatNumber(Math.min(...t.rounds), 2)}–${stats.formatNumber(Math.max(...t.rounds), 2)}`;
    const http =
      t.httpRatio === undefined ? '' : `; over HTTP ${stats.formatNumber(t.httpRatio, 2)}× req/s`;
    log(
      `  ${t.met ? 'met   ' : 'MISSED'}  ${stats.formatNumber(t.measured, 2)} ${op} ${stats.formatNumber(t.threshold, 2)}  ${t.name} (${spread}${http})`,
    );
    if (!t.met) for (const line of stats.wrap(`reason: ${t.reason}`, 96)) log(`          ${line}`);
  }

  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const out = {
    date: new Date().toISOString(),
    machine,
    config,
    loadAverage: os.loadavg(),
    seconds,
    variants: rows,
    micro,
    targets,
  };
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  log();
  log(
    `done in ${seconds} s (load average now ${loadAverage()}); results in bench/results/latest.json`,
  );
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
  await Promise.all(servers.map(stopServer));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** Runs ./micro.mjs in a fresh process and resolves with its rows. */
function runMicro() {
  return new Promise((resolve, reject) => {
    const child = fork(join(HERE, 'micro.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message) => {
      if (message.type === 'micro') resolve(message.rows);
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the micro-benchmark exited with ${code}`));
    });
  });
}

function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
