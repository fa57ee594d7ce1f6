/**
 * What users install is what is tested: the packages are packed and installed with npm into
 * three small applications as the README's "Install" section says (scripts/packed-apps.mjs):
 * Express 4 and Express 5 through CommonJS, Fastify 5 through ES modules. Each application runs in its own process on
 * 127.0.0.1 and answers the failing routes of test/fixtures/packed/cases.cjs in every dialect and
 * encoding. Every answer must be byte-identical (status, fault headers, body) to the one the
 * workspace sources give through the same framework, be a well-formed fault of the dialect that
 * leaks nothing, and be logged once by the application. A fourth application runs the packed
 * @faultline/opentelemetry through ES modules under the OpenTelemetry SDK. The packed
 * command-line tool must print what the workspace's prints.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as core from '@faultline/core';
import { parseFault } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { ADAPTERS, call, faultHeaders, recorder } from './support/servers';
import type { AdapterDef, FailingRoute, Running } from './support/servers';
import { expectSafe } from './support/hostile';

interface Fixtures {
  readonly DIALECTS: readonly string[];
  cases(c: typeof core, dialect: string): { name: string; error: () => unknown; async?: boolean }[];
  options(dialect: string, logger: unknown): core.FaultHandlerOptions;
}
interface PackedApp {
  readonly name: string;
  readonly dir: string;
  readonly server: string;
  readonly versions: Record<string, string>;
}

const fixtures = require('./fixtures/packed/cases.cjs') as Fixtures;
const ROOT = join(__dirname, '..');
const run = promisify(execFile);

// The applications and the workspace adapter each is compared with.
const APPS: readonly {
  readonly name: string;
  readonly adapter: AdapterDef;
  readonly framework: string;
}[] = [
  { name: 'express4', adapter: ADAPTERS[0]!, framework: 'express' },
  { name: 'express5', adapter: ADAPTERS[1]!, framework: 'express' },
  { name: 'fastify5', adapter: ADAPTERS[2]!, framework: 'fastify' },
];

let destination: string;
let apps: readonly PackedApp[];

beforeAll(async () => {
  destination = mkdtempSync(join(tmpdir(), 'faultline-packed-'));
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'scripts/packed-apps.mjs'), destination],
    { cwd: ROOT },
  );
  apps = JSON.parse(stdout) as PackedApp[];
  // Packing five packages and installing three applications with npm is minutes of work on a
  // machine whose cores are busy: this limit only ends a hang.
}, 600_000);
afterAll(() => rmSync(destination, { recursive: true, force: true }));

interface Child {
  readonly url: string;
  /** The framework the application runs, as it reports it: `express 4.22.3`. */
  readonly framework: string;
  /** Every line the application logged. */
  readonly logs: { correlationId?: string; status?: number }[];
  readonly process: ChildProcess;
}

function startApp(app: PackedApp): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [app.server], {
      cwd: app.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: '' },
    });
    const logs: Child['logs'] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${app.name} exited with ${code}:\n${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, newline)) as {
          port?: number;
          framework?: string;
          log?: string;
          correlationId?: string;
          status?: number;
        };
        buffer = buffer.slice(newline + 1);
        if (line.port !== undefined)
          resolve({
            url: `http://127.0.0.1:${line.port}`,
            framework: line.framework ?? '',
            logs,
            process: child,
          });
        else logs.push(line);
      }
    });
  });
}

describe.each(APPS)(
  'the $name application built from the packed packages',
  ({ name, adapter, framework }) => {
    let app: PackedApp;
    let child: Child;
    const workspace = new Map<string, Running>();
    const log = recorder();

    beforeAll(async () => {
      app = apps.find((a) => a.name === name)!;
      child = await startApp(app);
      for (const dialect of fixtures.DIALECTS) {
        const routes: FailingRoute[] = fixtures
          .cases(core, dialect)
          .filter((c) => adapter.supportsAsync || c.async !== true)
          .map((c) => ({ path: `/${dialect}/${c.name}`, error: c.error, async: c.async }));
        workspace.set(dialect, await adapter.start(routes, fixtures.options(dialect, log.logger)));
      }
    });
    afterAll(async () => {
      child?.process.removeAllListeners('exit');
      child?.process.kill('SIGTERM');
      await Promise.all([...workspace.values()].map((server) => server.close()));
    });

    it('should run the packed packages, installed from their tarballs, and the framework the application installed', () => {
      const manifest = JSON.parse(readFileSync(join(app.dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      expect(child.framework).toBe(`${framework} ${app.versions[framework]}`);
      expect(child.framework).toMatch(
        name === 'express4'
          ? /^express 4\./
          : name === 'express5'
            ? /^express 5\./
            : /^fastify 5\./,
      );
      const faultline = Object.keys(manifest.dependencies).filter((dep) =>
        dep.startsWith('@faultline/'),
      );
      expect(faultline.sort()).toEqual(
        name === 'fastify5'
          ? ['@faultline/cli', '@faultline/core', '@faultline/fastify']
          : ['@faultline/core', '@faultline/express'],
      );
      for (const pkg of faultline) {
        // npm recorded the tarball the README's pack command wrote.
        expect(manifest.dependencies[pkg]).toMatch(
          /^file:.*\/packed\/faultline-[a-z]+-\d+\.\d+\.\d+\.tgz$/,
        );
        const dir = join(app.dir, 'node_modules', pkg);
        const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          version: string;
          dependencies?: Record<string, string>;
        };
        const source = JSON.parse(
          readFileSync(join(ROOT, 'packages', pkg.split('/')[1]!, 'package.json'), 'utf8'),
        ) as { version: string };
        expect(installed.version).toBe(source.version);
        // Packed as published: no workspace ranges left; the README and the licence travel with it.
        expect(JSON.stringify(installed.dependencies ?? {})).not.toContain('workspace:');
        expect(readdirSync(dir)).toEqual(
          expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', 'dist']),
        );
      }
    });

    describe.each(DIALECT_SETUPS)('$dialect', (setup) => {
      const routes = fixtures
        .cases(core, setup.dialect)
        .filter((c) => name !== 'express4' || c.async !== true)
        .map((c) => c.name)
        .concat('no-such-route');

      describe.each(setup.encodings)('answered as $name', (encoding) => {
        it.each(routes)(
          '%s: the same bytes as the workspace, a safe fault, logged once',
          async (route) => {
            const id = `packed-${name}-${setup.dialect}-${encoding.name}-${route}`;
            const headers = { ...encoding.headers, 'x-request-id': id };
            const path = `/${setup.dialect}/${route}`;
            const before = child.logs.length;
            const packed = await call(child.url, 'GET', path, headers);
            const expected = await call(workspace.get(setup.dialect)!.url, 'GET', path, headers);

            expect(packed.status).toBe(expected.status);
            expect(faultHeaders(packed.headers)).toEqual(faultHeaders(expected.headers));
            expect(packed.headers['x-correlation-id']).toBe(id);
            expect(packed.text).toBe(expected.text);

            const read = parseFault(packed.text, packed.headers['content-type'], {
              status: packed.status,
            });
            if (!read.recognised)
              throw new Error(`not a fault: ${read.reason}\n${packed.text.slice(0, 300)}`);
            expect(read.dialect).toBe(
              encoding.name === 'SOAP' && setup.dialect !== 'xroad' ? 'soap' : setup.dialect,
            );
            expectSafe(packed);
            // The application's log line arrives through a pipe: wait for its next output.
            while (child.logs.length === before) await once(child.process.stdout!, 'data');
            expect(child.logs.slice(before)).toEqual([
              expect.objectContaining({ correlationId: id }),
            ]);
          },
        );
      });
    });
  },
);

describe('the packed @faultline/opentelemetry under the OpenTelemetry SDK', () => {
  interface SpanLine {
    readonly span?: {
      readonly traceId: string;
      readonly attributes: Record<string, unknown>;
      readonly status: { readonly code: number };
      readonly events: readonly { readonly name: string }[];
    };
    readonly correlationId?: string;
    readonly trace_id?: string;
  }
  let child: Child;
  beforeAll(async () => {
    child = await startApp(apps.find((a) => a.name === 'otel')!);
  });
  afterAll(() => {
    child?.process.removeAllListeners('exit');
    child?.process.kill('SIGTERM');
  });

  it.each([
    ['expected', 400, 'Client.BadRequest', 0, []],
    ['unexpected', 500, 'Server.ServerProxy.ServiceFailed.InternalError', 2, ['exception']],
  ])(
    'should annotate the server span of an %s fault, with the trace id in body, span and log line',
    async (route, status, errorType, spanStatus, events) => {
      const res = await call(child.url, 'GET', `/${route}`, { accept: 'application/json' });
      expect(res.status).toBe(status);
      const id = (JSON.parse(res.text) as { detail: string }).detail;
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      const lines = child.logs as SpanLine[];
      // The span ends as the response finishes: wait for the application's next output.
      while (!lines.some((l) => l.span?.traceId === id)) await once(child.process.stdout!, 'data');
      const span = lines.find((l) => l.span?.traceId === id)!.span!;
      expect(span.attributes).toMatchObject({
        'error.type': errorType,
        'faultline.dialect': 'xroad',
        'faultline.correlation_id': id,
      });
      expect(span.status.code).toBe(spanStatus);
      expect(span.events.map((e) => e.name)).toEqual(events);
      expect(lines.filter((l) => l.correlationId === id)).toEqual([
        expect.objectContaining({ trace_id: id }),
      ]);
    },
  );
});

describe('the packed command-line tool', () => {
  it.each([
    ['explain', 'Server.ClientProxy.UnknownMember', '--json'],
    ['explain', '10305'],
    ['catalog', 'xks', '--format', 'json'],
  ])('should print what the workspace one prints for %s %s', async (...args) => {
    const app = apps.find((a) => a.name === 'fastify5')!;
    const manifest = JSON.parse(
      readFileSync(join(app.dir, 'node_modules/@faultline/cli/package.json'), 'utf8'),
    ) as { bin: Record<string, string> };
    const bin = join(app.dir, 'node_modules/@faultline/cli', manifest.bin.faultline!);
    const packed = await run(process.execPath, [bin, ...args], {
      cwd: app.dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const source = await run(
      process.execPath,
      [join(ROOT, 'packages/cli/dist/esm/bin.js'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(packed.stdout.length).toBeGreaterThan(0);
    expect(packed.stdout).toBe(source.stdout);
  });
});

describe("the README's install from this repository", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('### From this repository'),
    readme.indexOf('## Quick start: Express'),
  );

  it('should pack with the command the applications are built with', () => {
    const script = readFileSync(join(ROOT, 'scripts/packed-apps.mjs'), 'utf8');
    expect(script).toContain(
      "export const PACK_ARGS = ['--filter', './packages/*', 'pack', '--pack-destination'];",
    );
    expect(section).toContain(
      'npx -y pnpm@10 --filter "./packages/*" pack --pack-destination "$PWD/packed"',
    );
  });

  it('should install the tarballs pack wrote with npm, with the framework', () => {
    expect(section).toMatch(
      /^npm install \S+\/packed\/faultline-core-\*\.tgz \S+\/packed\/faultline-express-\*\.tgz express$/m,
    );
    const { version } = JSON.parse(
      readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8'),
    ) as { version: string };
    expect(readdirSync(join(destination, 'packed')).sort()).toEqual(
      ['cli', 'core', 'express', 'fastify', 'opentelemetry'].map(
        (name) => `faultline-${name}-${version}.tgz`,
      ),
    );
  });
});
