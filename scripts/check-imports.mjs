// Keeps the imports of every package running one way: adapters → handler → dialects →
// pipeline/read → foundations. It reads the relative imports (type-only ones included) of
// packages/*/src and fails, naming each offending import, on
//   - an import cycle;
//   - a dialect that imports the handler, parse-fault.ts, openapi.ts, schemas.ts, the
//     registry or another dialect's folder;
//   - pipeline/ or read/ importing a dialect, the handler or an entry file;
//   - any other import from a lower layer into a higher one (an upward import).
// `--stats` also prints the number of arrows between top-level modules and folders; `--root
// <dir>` checks another checkout. Run with `node scripts/check-imports.mjs`; `pnpm lint` (and
// so `pnpm test`) runs it.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootAt = process.argv.indexOf('--root');
const ROOT =
  rootAt === -1 ? join(dirname(fileURLToPath(import.meta.url)), '..') : process.argv[rootAt + 1];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

// The layers of @faultline/core, lowest first; a file imports its own layer or lower ones.
const CORE_LAYERS = [
  {
    name: 'foundations',
    test: (p) =>
      /^(fault|catalog|status|headers|locale|request|safe|uuid|warn)\.ts$/.test(p) ||
      p.startsWith('encode/'),
  },
  { name: 'pipeline and reading', test: (p) => p.startsWith('pipeline/') || p.startsWith('read/') },
  { name: 'dialects', test: (p) => p.startsWith('dialects/') },
  {
    name: 'handler and entry files',
    test: (p) =>
      p.startsWith('handler/') || /^(define|parse-fault|schemas|openapi|upstream)\.ts$/.test(p),
  },
  { name: 'the barrel', test: (p) => p === 'index.ts' },
];

// Imports that are refused whatever the layers say, with the reason the message gives.
const CORE_RULES = [
  {
    from: (p) => p.startsWith('dialects/'),
    to: (p) =>
      p.startsWith('handler/') || /^(parse-fault|openapi|schemas|define|index)\.ts$/.test(p),
    why: 'a dialect must not import the handler or an entry file',
  },
  {
    from: (p) => p.startsWith('dialects/') && p !== 'dialects/registry.ts',
    to: (p) => p === 'dialects/registry.ts',
    why: 'a dialect must not import the registry of all dialects',
  },
  {
    from: (p) => /^dialects\/[^/]+\//.test(p),
    to: (p, from) => /^dialects\/[^/]+\//.test(p) && p.split('/')[1] !== from.split('/')[1],
    why: "a dialect must not import another dialect's folder",
  },
  {
    from: (p) => p.startsWith('pipeline/') || p.startsWith('read/'),
    to: (p) =>
      p.startsWith('dialects/') ||
      p.startsWith('handler/') ||
      /^(define|parse-fault|schemas|openapi|index)\.ts$/.test(p),
    why: 'the pipeline and reading must not import a dialect, the handler or an entry file',
  },
];

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

// The file a relative specifier names: `./x.js` is `./x.ts`, a folder is its `index.ts`.
function resolveSpecifier(from, specifier) {
  const bare = specifier.replace(/\.js$/, '');
  const base = join(dirname(from), bare);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** The import graph of one package's src: file → [{ to, line, specifier }]. */
function graphOf(src) {
  const graph = new Map();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const edges = [];
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      const to = resolveSpecifier(file, specifier);
      if (to === undefined) continue;
      const at = match.index + match[0].indexOf(specifier);
      edges.push({ to, line: lineOf(text, at), specifier });
    }
    graph.set(file, edges);
  }
  return graph;
}

// Tarjan's strongly connected components; every component of more than one file, and every
// file that imports itself, is a cycle.
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const indices = new Map();
  const low = new Map();
  const found = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!indices.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v), low.get(to)));
      } else if (on.has(to)) {
        low.set(v, Math.min(low.get(v), indices.get(to)));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v);
      if (component.length > 1 || selfLoop) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

const rel = (src, file) => relative(src, file).split('\\').join('/');
const show = (file) => relative(ROOT, file).split('\\').join('/');

const problems = [];
let arrows = 0;
let upward = 0;
let cycles = 0;
for (const pkg of readdirSync(join(ROOT, 'packages'))) {
  const src = join(ROOT, 'packages', pkg, 'src');
  if (!existsSync(src)) continue;
  const graph = graphOf(src);
  for (const component of cyclesOf(graph)) {
    cycles++;
    const members = new Set(component);
    const links = component.flatMap((file) =>
      graph
        .get(file)
        .filter((e) => members.has(e.to))
        .map((e) => `    ${show(file)}:${e.line} imports '${e.specifier}'`),
    );
    problems.push(`import cycle among ${component.length} files:\n${links.join('\n')}`);
  }
  if (pkg !== 'core') continue;
  const layerOf = (p) => CORE_LAYERS.findIndex((layer) => layer.test(p));
  const units = new Set();
  for (const [file, edges] of graph) {
    const from = rel(src, file);
    const fromLayer = layerOf(from);
    if (fromLayer === -1)
      problems.push(
        `${show(file)} belongs to no layer: add it to CORE_LAYERS in scripts/check-imports.mjs`,
      );
    for (const edge of edges) {
      const to = rel(src, edge.to);
      const where = `${show(file)}:${edge.line} imports '${edge.specifier}'`;
      const rule = CORE_RULES.find((r) => r.from(from) && r.to(to, from));
      if (rule !== undefined) problems.push(`${where}: ${rule.why}`);
      const toLayer = layerOf(to);
      if (fromLayer !== -1 && toLayer > fromLayer) {
        upward++;
        if (rule === undefined) {
          problems.push(
            `${where}: an upward import (${CORE_LAYERS[fromLayer].name} must not import ${CORE_LAYERS[toLayer].name})`,
          );
        }
      }
      const unitFrom = from.split('/')[0];
      const unitTo = to.split('/')[0];
      if (unitFrom !== unitTo) units.add(`${unitFrom} → ${unitTo}`);
    }
  }
  arrows = units.size;
}

if (process.argv.includes('--stats')) {
  console.log(
    `import cycles: ${cycles}; upward imports in core: ${upward}; arrows between core's top-level modules and folders: ${arrows}`,
  );
}
if (problems.length > 0) {
  console.error(
    `check-imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log('check-imports: no cycles, no upward imports');
