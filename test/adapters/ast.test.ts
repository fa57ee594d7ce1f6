/**
 * The AST dialect through every adapter (Express 4, Express 5, Fastify 5): the same failing
 * requests give the same status, headers and byte-exact body everywhere, and each fault is
 * logged once (wire-formats.md Part 1 "AST certificate authority"; seed `001`).
 */
import type { FaultHandlerOptions, LogLevel } from '@faultline/core';
import { ast } from '../../packages/core/src/dialects/ast/index';
import type { AstOptions } from '../../packages/core/src/dialects/ast/index';
import { SEED_ROWS } from '../fixtures/ast-seed';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';

const ID = 'c0ffee00-0000-4000-8000-000000000510';

// The seed row of InvalidCsrSignature (seed 001, "Certificate Request (Error Codes 10-19)").
const CSR_ROW = SEED_ROWS.find(([row]) => row[3] === 'InvalidCsrSignature')![0];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const routes: FailingRoute[] = [
  { path: '/v1/csr', error: () => ast.fault('InvalidCsrSignature') },
  {
    path: '/v1/crash',
    error: () => new TypeError("Cannot read properties of undefined (reading 'tenant')"),
  },
  {
    path: '/v1/signers',
    error: () =>
      ast.fault('MissingField', 'tenant is required', {
        details: [{ pointer: '/body/tenant', message: 'is required', keyword: 'required' }],
      }),
  },
  {
    path: '/v1/token',
    error: () =>
      new HttpError(401, 'Token expired', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  },
  { path: '/v1/async', error: () => ast.fault('NotYetSigned'), async: true },
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly code: number;
  /** The whole body, byte for byte. */
  readonly text: string;
  readonly level: LogLevel;
  /** Express 4 cannot catch a rejected promise: such cases skip it. */
  readonly async?: boolean;
}

function json(code: number, name: string, message: string, rest = ''): string {
  return `{"code":${code},"name":"${name}","message":${JSON.stringify(message)}${rest}}`;
}

const CASES: readonly Case[] = [
  {
    name: 'a thrown InvalidCsrSignature fault',
    method: 'GET',
    path: '/v1/csr',
    status: 403,
    code: 51010,
    text: `{"code":51010,"name":"InvalidCsrSignature","message":"The provided CSR's signature wasn't valid"}`,
    level: 'info',
  },
  {
    name: 'an unexpected Error',
    method: 'POST',
    path: '/v1/crash',
    status: 500,
    code: 510500,
    text: json(510500, 'InternalError', 'An unexpected error occurred'),
    level: 'error',
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/v1/nowhere?token=secret',
    status: 404,
    code: 5104041,
    text: json(5104041, 'SignerNotFound', 'No route for GET /v1/nowhere'),
    level: 'info',
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/csr',
    headers: { 'content-type': 'application/json' },
    body: '{"csr":',
    status: 400,
    code: 5104005,
    text: json(5104005, 'MalformedBody', 'The request body could not be parsed'),
    level: 'info',
  },
  {
    name: 'a fault with validation details',
    method: 'PUT',
    path: '/v1/signers',
    status: 400,
    code: 5104001,
    text: json(
      5104001,
      'MissingField',
      'tenant is required',
      ',"details":[{"pointer":"/body/tenant","message":"is required","keyword":"required"}]',
    ),
    level: 'info',
  },
  {
    name: 'an http-errors style 401 with its header',
    method: 'GET',
    path: '/v1/token',
    status: 401,
    code: 510401,
    text: json(510401, 'Unauthorized', 'Token expired'),
    level: 'info',
  },
  {
    name: 'a rejected promise',
    method: 'GET',
    path: '/v1/async',
    status: 409,
    code: 51020,
    text: json(51020, 'NotYetSigned', 'The certificate was not yet signed'),
    level: 'info',
    async: true,
  },
];

describe('the AST dialect through every adapter', () => {
  const servers: Running[] = [];
  const logs = ADAPTERS.map(() => recorder());

  beforeAll(async () => {
    for (const [i, adapter] of ADAPTERS.entries()) {
      const options: FaultHandlerOptions & { ast: AstOptions } = {
        dialect: ast,
        ast: {},
        logger: logs[i]!.logger,
        correlationId: () => ID,
      };
      servers.push(await adapter.start(routes, options));
    }
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('should send the seed row of InvalidCsrSignature', () => {
    expect(CSR_ROW).toEqual([
      510,
      10,
      403,
      'InvalidCsrSignature',
      "The provided CSR's signature wasn't valid",
    ]);
    expect(CASES[0]!.text).toBe(json(ast.code(CSR_ROW[0], CSR_ROW[1]), CSR_ROW[3], CSR_ROW[4]));
  });

  describe.each(CASES)('when the request is $name', (c) => {
    // Express 4 does not catch rejected promises; it is left out of those cases.
    const used = ADAPTERS.map((a, i) => [a, i] as const).filter(
      ([a]) => !c.async || a.supportsAsync,
    );
    let responses: RawResponse[];

    beforeAll(async () => {
      for (const log of logs) log.calls.length = 0;
      responses = await Promise.all(
        used.map(([, i]) => call(servers[i]!.url, c.method, c.path, c.headers, c.body)),
      );
    });

    it('should give the same status, headers and body in every adapter', () => {
      expect(responses.length).toBeGreaterThan(1);
      const [first, ...rest] = responses.map((r) => ({
        status: r.status,
        headers: faultHeaders(r.headers),
        text: r.text,
      }));
      for (const other of rest) expect(other).toEqual(first);
    });

    it(`should answer ${c.status} with code ${c.code}, byte for byte`, () => {
      for (const res of responses) {
        expect(res.status).toBe(c.status);
        expect(res.text).toBe(c.text);
        expect(faultHeaders(res.headers)).toEqual({
          'content-type': 'application/json;charset=utf-8',
          'content-length': String(Buffer.byteLength(c.text)),
          'x-road-error': undefined,
          soapaction: undefined,
          'x-content-type-options': 'nosniff',
        });
      }
    });

    it('should log the fault once per adapter with the id the body carries', () => {
      for (const [, i] of used) {
        expect(logs[i]!.calls).toHaveLength(1);
        expect(logs[i]!.calls[0]).toMatchObject({
          level: c.level,
          event: {
            correlationId: ID,
            dialect: 'ast',
            code: c.code,
            status: c.status,
            method: c.method,
          },
        });
      }
    });
  });

  it('should apply the headers an http error carries', async () => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', '/v1/token')));
    for (const res of all)
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
