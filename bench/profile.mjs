// Profiles one variant's server under load with `node --cpu-prof` and prints where its CPU
// time goes: the share of the server's busy time spent in the error handler (until Node writes
// the response) and inside createFaultHandler().handle(), the frames with the most self time, and
// faultline's own frames.
//
//   node bench/profile.mjs [variant] [seconds]     (default: fastify-faultline-xroad-json, 8)
//
// The profile itself stays in bench/results/profiles/ for Chrome DevTools or speedscope.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, startServer, stopServer } from './lib/harness.mjs';
import { variant } from './lib/variants.mjs';
import stats from './lib/stats.cjs';

// The error handlers of the variants, and Node's calls under them that write the response.
const HANDLERS = new Set([
  'faultlineErrorHandler',
  'fastifyJson',
  'fastifySoap',
  'expressJson',
  'expressSoap',
  'defaultErrorHandler',
  'strongErrorHandler',
]);
const isWrite = ({ callFrame: { functionName, url } }) =>
  (functionName === 'end' && url === 'node:_http_outgoing') ||
  (functionName === 'writeHead' && url === 'node:_http_server');

const [id = 'fastify-faultline-xroad-json', seconds = '8'] = process.argv.slice(2);
const dir = fileURLToPath(new URL(`./results/profiles/${id}`, import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const scratch = mkdtempSync(join(os.tmpdir(), 'faultline-profile-'));

const server = await startServer(variant(id), {
  scratch,
  execArgv: ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`],
});
for (let pass = 0; pass < 2; pass++) await drive(server, { seconds: 1, connections: 50 });
const result = await drive(server, { seconds: Number(seconds), connections: 50 });
await stopServer(server);
rmSync(scratch, { recursive: true, force: true });

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile was written to ${dir}`);
const profile = analyse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
const share = (time) => ((100 * time) / profile.busy).toFixed(1);
console.log(
  `${id}: ${Math.round(result.requests.total / result.duration)} req/s while profiled (the profiler slows it down)`,
);
if (profile.handler > 0) {
  console.log(
    `the error handler, until Node writes the response: ${share(profile.handler)}% of the busy time`,
  );
}
console.log(
  profile.handle === 0
    ? "faultline is not on this variant's error path\n"
    : `handle() and below: ${share(profile.handle)}% of the busy time\n`,
);
const rows = (list, n) => list.slice(0, n).map(([name, time]) => [share(time), name]);
console.log(
  stats.table(
    [{ title: 'self % of busy', align: 'right' }, { title: 'frame' }],
    rows(profile.self, 12),
  ),
);
if (profile.handle > 0) {
  console.log();
  console.log(
    stats.table(
      [{ title: 'self % of busy', align: 'right' }, { title: "faultline's own frames" }],
      rows(profile.own, 10),
    ),
  );
}
console.log(`\nprofile: ${join(dir, file)}`);

/**
 * Self time per frame, busy time (all but idle), the time under faultline's handle(), and the
 * time under the variant's error handler but not under Node's writing of the response.
 */
function analyse({ nodes, samples, timeDeltas }) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = ({ callFrame: { functionName, url, lineNumber } }) => {
    const where = url
      .replace(/^.*\/node_modules\//, '')
      .replace(/^file:\/\/.*\/packages\//, '@faultline/')
      .replace(/^file:\/\/.*\/bench\//, 'bench/');
    return `${functionName || '(anonymous)'}${where === '' ? '' : ` ${where}:${lineNumber + 1}`}`;
  };
  const isHandle = (node) =>
    node.callFrame.functionName === 'handle' &&
    /\/packages\/core\/dist\/.*handler\.js$/.test(node.callFrame.url);
  const self = new Map();
  let busy = 0;
  let handle = 0;
  let handler = 0;
  samples.forEach((nodeId, i) => {
    const delta = timeDeltas[i] ?? 0;
    const node = byId.get(nodeId);
    const frame = name(node);
    self.set(frame, (self.get(frame) ?? 0) + delta);
    if (node.callFrame.functionName === '(idle)') return;
    busy += delta;
    let writing = false;
    let inHandle = false;
    for (let at = nodeId; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (isWrite(frame)) writing = true;
      if (isHandle(frame)) inHandle = true;
      if (HANDLERS.has(frame.callFrame.functionName)) {
        if (!writing) handler += delta;
        break;
      }
    }
    if (inHandle) handle += delta;
  });
  const sorted = [...self]
    .filter(([frame]) => !frame.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1]);
  return {
    busy,
    handle,
    handler,
    self: sorted,
    own: sorted.filter(([frame]) => frame.includes('@faultline/')),
  };
}
