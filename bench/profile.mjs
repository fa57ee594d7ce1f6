// Profiles one variant's server under load with `node --cpu-prof` and prints the functions
// that take the most CPU time of their own (self time), so that a change to the error path
// can be judged by where the time goes, not only by how much there is.
//
//   node bench/profile.mjs [variant] [seconds]     (default: fastify-faultline-xroad-json, 5)
//
// The profile itself stays in bench/results/profiles/ for Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, startServer, stopServer } from './lib/harness.mjs';
import { variant } from './lib/variants.mjs';
import stats from './lib/stats.cjs';

const [id = 'fastify-faultline-xroad-json', seconds = '5'] = process.argv.slice(2);
const dir = fileURLToPath(new URL(`./results/profiles/${id}`, import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const scratch = mkdtempSync(join(os.tmpdir(), 'faultline-profile-'));

const server = await startServer(variant(id), { scratch, execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
await drive(server, { seconds: 1, connections: 50 });
const result = await drive(server, { seconds: Number(seconds), connections: 50 });
await stopServer(server);
rmSync(scratch, { recursive: true, force: true });

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile was written to ${dir}`);
const top = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')));
console.log(`${id}: ${Math.round(result.requests.total / result.duration)} req/s while profiled; top frames by self time`);
console.log(stats.table([{ title: 'self %', align: 'right' }, { title: 'function' }], top.slice(0, 20).map(([name, share]) => [share.toFixed(1), name])));
console.log(`\nprofile: ${join(dir, file)}`);

/** Self time per function (name, file and line), as shares of all samples, largest first. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = nodes.get(nodeId).callFrame;
    const where = url === '' ? '' : ` ${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/packages\//, '').replace(/^node:/, 'node:')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...self].map(([name, time]) => [name, (100 * time) / total]).sort((a, b) => b[1] - a[1]);
}
