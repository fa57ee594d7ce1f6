// Micro-benchmark of faultline's error path: createFaultHandler().handle() with 10, 1 000 and
// 10 000 mapping rules (class and code rules are map lookups, so the cost should not grow).
// Run with `pnpm bench`; results go to stdout and bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { createFaultHandler } from '@faultline/core';

const SIZES = [10, 1_000, 10_000];

function rules(size) {
  const classes = Array.from({ length: size / 2 }, () => class extends Error {});
  return {
    classes,
    mappings: [
      ...classes.map((c) => ({ class: c, to: { code: 404, message: 'mapped by class' } })),
      ...Array.from({ length: size / 2 }, (_, i) => ({ code: `E${i}`, to: { code: 409, message: 'mapped by code' } })),
    ],
  };
}

const bench = new Bench({ time: 1_000, warmupTime: 300 });
for (const size of SIZES) {
  const { classes, mappings } = rules(size);
  const handler = createFaultHandler({ logger: false, mappings, correlationId: () => 'id' });
  // The last class and the last code: the worst place for a list scan, the same for a map.
  const byClass = new classes[classes.length - 1]('x');
  const byCode = Object.assign(new Error('x'), { code: `E${size / 2 - 1}` });
  bench.add(`handle(), ${size} rules, class match`, () => handler.handle(byClass));
  bench.add(`handle(), ${size} rules, code match`, () => handler.handle(byCode));
}

await bench.run();
const rows = bench.tasks.map((task) => ({ name: task.name, nsPerOp: Math.round(task.result.latency.mean * 1e6) }));
const base = (kind) => rows.find((r) => r.name === `handle(), 10 rules, ${kind} match`).nsPerOp;
const table = rows.map((r) => ({ ...r, vs10Rules: +(r.nsPerOp / base(r.name.includes('class') ? 'class' : 'code')).toFixed(2) }));
console.table(table);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, resolution: table }, null, 2)}\n`);
