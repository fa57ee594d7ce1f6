/**
 * The built packages, loaded the way users load them: `import` and `require` through each
 * package's `exports` map, in a separate Node process (jest's own resolver is not involved).
 * `pnpm test` builds first; run `pnpm build` before running this file alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const PACKAGES = ['core', 'express', 'fastify', 'opentelemetry'] as const;

const EXPECTED: Record<(typeof PACKAGES)[number], string[]> = {
  core: [
    'AST_ENTRIES',
    'AST_SUBSYSTEM',
    'AST_UNAUTHORIZED_CASES',
    'BUILTIN_NAMES',
    'DEFAULT_LIMITS',
    'DIALECTS',
    'FALLBACK_RESPONSE',
    'FAULT_BRAND',
    'Fault',
    'LOG_LEVELS',
    'RESERVED_MEMBERS',
    'ROUTE_NOT_FOUND',
    'STALE_HEADERS',
    'STATUS_PAGE',
    'UPSTREAM_BRAND',
    'UpstreamFault',
    'XKS_FALLBACK',
    'answerClientError',
    'ast',
    'checkExtensions',
    'copyFault',
    'createFaultHandler',
    'de4a',
    'defineCatalog',
    'defineDialect',
    'dialectSchemas',
    'esb',
    'escapeXml',
    'explain',
    'faultFromResponse',
    'isFault',
    'isUpstreamFault',
    'makeCatalog',
    'mergeVary',
    'openApiResponses',
    'parseFault',
    'pathOfTarget',
    'problem',
    'routeNotFound',
    'statusPageError',
    'throwIfFault',
    'toStatus',
    'xks',
    'xroad',
  ],
  express: ['clientErrorHandler', 'faultline', 'notFound', 'statusPages'],
  fastify: ['clientErrorHandler', 'default', 'faultSchemas', 'faultline', 'frameworkErrors'],
  opentelemetry: ['ATTRIBUTES', 'METRICS', 'OTHER', 'SCOPE', 'exceptionOf', 'openTelemetry'],
};

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
}

describe.each(PACKAGES)('the built @faultline/%s', (name) => {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'),
  ) as {
    exports: Record<string, { import: Record<string, string>; require: Record<string, string> }>;
  };

  it('should list types first in every condition of its exports map, and every file should exist', () => {
    const entry = manifest.exports['.']!;
    for (const condition of [entry.import, entry.require]) {
      expect(Object.keys(condition)).toEqual(['types', 'default']);
      for (const file of Object.values(condition)) {
        expect(existsSync(join(ROOT, 'packages', name, file))).toBe(true);
      }
    }
  });

  it('should load with import and with require and export the same names', () => {
    const esm = node([
      '--input-type=module',
      '-e',
      `const m = await import('@faultline/${name}'); console.log(JSON.stringify(Object.keys(m).sort()));`,
    ]);
    const cjs = node([
      '-e',
      `console.log(JSON.stringify(Object.keys(require('@faultline/${name}')).sort()))`,
    ]);
    expect(JSON.parse(esm)).toEqual(EXPECTED[name]);
    expect(JSON.parse(cjs)).toEqual(EXPECTED[name]);
  });
});

describe('faults across the ESM and CommonJS copies of core', () => {
  it('should be recognised by the other copy through the Symbol.for brand', () => {
    const out = node([
      '--input-type=module',
      '-e',
      [
        "import { createRequire } from 'node:module';",
        "const esm = await import('@faultline/core');",
        "const cjs = createRequire(process.cwd() + '/package.json')('@faultline/core');",
        "const fault = esm.xroad.fault('Client.BadRequest', 'from esm');",
        "const res = cjs.createFaultHandler({ dialect: 'xroad', logger: false, correlationId: () => 'x' }).handle(fault);",
        'console.log(JSON.stringify([esm.Fault === cjs.Fault, fault instanceof cjs.Fault, cjs.isFault(fault), res.status, res.body]));',
      ].join('\n'),
    ]);
    expect(JSON.parse(out)).toEqual([
      false,
      true,
      true,
      400,
      '{"type":"Client.BadRequest","message":"from esm","detail":"x"}',
    ]);
  });
});
