/**
 * The problem dialect (RFC 9457) through every adapter (Express 4, Express 5, Fastify 5): the
 * same failing requests give the same status, headers and byte-exact body everywhere, and each
 * fault is logged once.
 */
import { problem } from '@faultline/core';
import type { FaultHandlerOptions, LogLevel } from '@faultline/core';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';

const ID = 'c0ffee00-0000-4000-8000-000000009457';

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
  {
    path: '/orders/7',
    error: () => problem.fault(404, 'Order 7 does not exist', { code: 'OrderNotFound' }),
  },
  {
    path: '/orders/crash',
    error: () => new TypeError("Cannot read properties of undefined (reading 'total')"),
  },
  {
    path: '/orders',
    error: () =>
      problem.fault(422, 'Invalid order', {
        details: [{ pointer: '/body/items', message: 'must not be empty', keyword: 'minItems' }],
      }),
  },
  {
    path: '/orders/token',
    error: () =>
      new HttpError(401, 'Token expired', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  },
  {
    path: '/orders/async',
    error: () => problem.fault(409, 'Order 7 was already shipped', { code: 'OrderShipped' }),
    async: true,
  },
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly code: string;
  /** The whole body, byte for byte. */
  readonly text: string;
  readonly level: LogLevel;
  /** Express 4 cannot catch a rejected promise: such cases skip it. */
  readonly async?: boolean;
}

const body = (title: string, status: number, detail: string, code: string, rest = ''): string =>
  `{"type":"about:blank","title":"${title}","status":${status},"detail":${JSON.stringify(detail)},"instance":"urn:uuid:${ID}","code":"${code}"${rest}}`;

const CASES: readonly Case[] = [
  {
    name: 'a thrown fault with a code of its own',
    method: 'GET',
    path: '/orders/7',
    status: 404,
    code: 'OrderNotFound',
    text: body('Not Found', 404, 'Order 7 does not exist', 'OrderNotFound'),
    level: 'info',
  },
  {
    name: 'an unexpected Error',
    method: 'POST',
    path: '/orders/crash',
    status: 500,
    code: 'InternalServerError',
    text: body('Internal Server Error', 500, 'Internal Server Error', 'InternalServerError'),
    level: 'error',
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/nowhere?token=secret',
    status: 404,
    code: 'NotFound',
    text: body('Not Found', 404, 'No route for GET /nowhere', 'NotFound'),
    level: 'info',
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/orders/7',
    headers: { 'content-type': 'application/json' },
    body: '{"total":',
    status: 400,
    code: 'InvalidBody',
    text: body('Bad Request', 400, 'The request body could not be parsed', 'InvalidBody'),
    level: 'info',
  },
  {
    name: 'a fault with validation details',
    method: 'PUT',
    path: '/orders',
    status: 422,
    code: 'UnprocessableContent',
    text: body(
      'Unprocessable Content',
      422,
      'Invalid order',
      'UnprocessableContent',
      ',"errors":[{"detail":"must not be empty","pointer":"#/body/items","keyword":"minItems"}]',
    ),
    level: 'info',
  },
  {
    name: 'an http-errors style 401 with its header',
    method: 'GET',
    path: '/orders/token',
    status: 401,
    code: 'Unauthorized',
    text: body('Unauthorized', 401, 'Token expired', 'Unauthorized'),
    level: 'info',
  },
  {
    name: 'a rejected promise',
    method: 'GET',
    path: '/orders/async',
    status: 409,
    code: 'OrderShipped',
    text: body('Conflict', 409, 'Order 7 was already shipped', 'OrderShipped'),
    level: 'info',
    async: true,
  },
];

describe('the problem dialect through every adapter', () => {
  const servers: Running[] = [];
  const logs = ADAPTERS.map(() => recorder());

  beforeAll(async () => {
    for (const [i, adapter] of ADAPTERS.entries()) {
      const options: FaultHandlerOptions = {
        dialect: 'problem',
        logger: logs[i]!.logger,
        correlationId: () => ID,
      };
      servers.push(await adapter.start(routes, options));
    }
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

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
      const [first, ...others] = responses.map((r) => ({
        status: r.status,
        headers: faultHeaders(r.headers),
        text: r.text,
      }));
      for (const other of others) expect(other).toEqual(first);
    });

    it(`should answer ${c.status} with code ${c.code}, byte for byte`, () => {
      for (const res of responses) {
        expect(res.status).toBe(c.status);
        expect(res.text).toBe(c.text);
        expect(faultHeaders(res.headers)).toEqual({
          'content-type': 'application/problem+json',
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
            dialect: 'problem',
            code: c.code,
            status: c.status,
            method: c.method,
          },
        });
      }
    });
  });

  it('should apply the headers an http error carries', async () => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', '/orders/token')));
    for (const res of all)
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
