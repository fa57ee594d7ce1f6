// `pnpm bench`: faultline's error path side by side with the peers.
//
// Every variant of ./lib/variants.mjs runs as its own server process on 127.0.0.1
// (./server.mjs); this process drives each with autocannon. After a check that the compared
// variants answer with the same bytes, and a warm-up, every variant is measured ROUNDS times
// for DURATION seconds, in interleaved rounds (the order reverses every round, so a slow drift
// of a shared machine hits both sides of a comparison alike). The table shows the medians:
// req/s, p50/p99 latency, the server's CPU time per request, and ratios. Then the
// micro-benchmark (./micro.mjs) runs in a fresh process. Everything goes to stdout and to
// bench/results/latest.json, with the performance targets and whether each is met.
//
// Environment: BENCH_DURATION (s, default 0.6), BENCH_ROUNDS (5), BENCH_WARMUP (s per pass, 0.6),
// BENCH_WARMUP_PASSES (2), BENCH_CONNECTIONS (50), BENCH_ONLY (comma-separated parts of variant
// ids), BENCH_MICRO=0 (skip the micro-benchmark), BENCH_DEBUG=1 (servers write to this terminal).
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stats from './lib/stats.cjs';
import {
  assertSameBytes,
  drive,
  measure,
  sample,
  startServer,
  stopServer,
} from './lib/harness.mjs';
import { PATH, VARIANTS, floorOf } from './lib/variants.mjs';
import { KNOWN_MISSES, TARGETS } from './lib/targets.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const number = (value, fallback) =>
  value === undefined || value === '' ? fallback : Number(value);
const config = {
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
    `${config.rounds} rounds of ${config.duration} s after ${config.warmupPasses} warm-up passes of ${config.warmup} s, ` +
    `${config.connections} connections; ` +
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

  // Compared variants must answer with the same bytes: stop before measuring otherwise.
  const samples = new Map();
  for (const server of servers) samples.set(server.variant.id, await sample(server));
  for (const { id, sameBytesAs } of variants) {
    if (sameBytesAs === undefined || !samples.has(sameBytesAs)) continue;
    assertSameBytes(id, samples.get(id), sameBytesAs, samples.get(sameBytesAs));
    log(
      `same bytes: ${id} = ${sameBytesAs} (status, headers and ${Buffer.byteLength(samples.get(id).body)}-byte body)`,
    );
  }

  const load = { seconds: config.duration, connections: config.connections };
  // Warm-up in passes over every server: between its passes a server's JIT finishes the
  // optimizations its first load started (Node's own HTTP code takes a few seconds to settle).
  for (let pass = 0; pass < config.warmupPasses; pass++) {
    for (const server of servers) await drive(server, { ...load, seconds: config.warmup });
  }
  log(`warmed up (${elapsed()})`);

  const runs = new Map(servers.map((s) => [s.variant.id, []]));
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const run = await measure(server, load);
      if (run.errors > 0) log(`  ! ${server.variant.id}: ${run.errors} socket errors or timeouts`);
      runs.get(server.variant.id).push(run);
    }
    log(`round ${round + 1}/${config.rounds} done (${elapsed()})`);
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
  const http = variants.map((v) => {
    const refId = v.ref ?? floorOf(v);
    return {
      id: v.id,
      label: v.label,
      framework: v.framework,
      request: { method: 'GET', path: PATH, headers: v.headers ?? {} },
      status: samples.get(v.id).status,
      bodyBytes: Buffer.byteLength(samples.get(v.id).body),
      median: medians.get(v.id),
      vsFloor: pairRatio(v.id, floorOf(v), 'rps'),
      ref: refId,
      vsRef: pairRatio(v.id, refId, 'rps'),
      cpuVsRef: pairRatio(v.id, refId, 'cpuUsPerReq', true),
      runs: runs.get(v.id),
    };
  });
  const microRounds = new Map(micro.map((row) => [row.name, row.rounds]));
  const figures = {
    ratio: (a, b) => pairRatio(a, b, 'rps'),
    cpu: (id) => medians.get(id)?.cpuUsPerReq ?? Number.NaN,
  };
  const targets = TARGETS.map(({ name, kind, threshold, http: httpPair, micro: microPair }) => {
    const [a, b] = httpPair ?? microPair;
    const [left, right] = httpPair
      ? [series(a, 'rps'), series(b, 'rps')]
      : [microRounds.get(a) ?? [], microRounds.get(b) ?? []];
    const rounds = stats.roundRatios(left, right);
    const verdict = stats.verdict(
      { name, kind, threshold, compares: [a, b] },
      stats.pairedRatio(left, right),
    );
    return {
      ...verdict,
      rounds: rounds.map((r) => stats.ratio(r, 1)),
      ...(httpPair ? { cpuRatio: pairRatio(a, b, 'cpuUsPerReq', true) } : {}),
      ...(verdict.met ? {} : { reason: KNOWN_MISSES[name]?.(figures) ?? 'not known' }),
    };
  });

  log();
  log(
    stats.table(
      [
        { title: 'variant' },
        { title: 'bytes', align: 'right' },
        { title: 'req/s', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'CPU µs/req', align: 'right' },
        { title: '× floor', align: 'right' },
        { title: '× ref', align: 'right' },
        { title: 'ref' },
      ],
      http.map((row) => {
        const own = row.ref !== floorOf(row);
        return [
          row.id,
          String(row.bodyBytes),
          stats.formatNumber(row.median.rps),
          stats.formatNumber(row.median.p50, 2),
          stats.formatNumber(row.median.p99, 2),
          stats.formatNumber(row.median.cpuUsPerReq, 1),
          stats.formatNumber(row.vsFloor, 2),
          own ? stats.formatNumber(row.vsRef, 2) : '',
          own ? row.ref : '',
        ];
      }),
    ),
  );
  log(
    'Medians of the rounds. × floor, × ref: req/s ratios, the median of the per-round ratios. bytes: body size.',
  );
  log(
    'Target ratios below are medians of per-round ratios too (for the micro-benchmark, of ns/op).',
  );
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
  log('targets, ratios measured in this run:');
  for (const t of targets) {
    if (!Number.isFinite(t.measured)) {
      log(`  n/a     ${t.name}: not measured in this run`);
      continue;
    }
    const op = t.kind === 'atMost' ? '≤' : '≥';
    const spread = `rounds ${stats.formatNumber(Math.min(...t.rounds), 2)}–${stats.formatNumber(Math.max(...t.rounds), 2)}`;
    const cpu =
      t.cpuRatio === undefined ? '' : `, CPU per request ${stats.formatNumber(t.cpuRatio, 2)}×`;
    log(
      `  ${t.met ? 'met   ' : 'MISSED'}  ${stats.formatNumber(t.measured, 2)} ${op} ${stats.formatNumber(t.threshold, 2)}  ${t.name} (${spread}${cpu})`,
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
    http,
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
