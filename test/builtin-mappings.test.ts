/**
 * The errors that need no rule, thrown by the real libraries, through every adapter:
 * http-errors, Boom, @fastify/error, a NestJS-style HttpException, AggregateError, and
 * network failures inside fetch.
 */
import createError from 'http-errors';
import Boom from '@hapi/boom';
import createFastifyError from '@fastify/error';
import { z } from 'zod';
import { createFaultHandler } from '@faultline/core';
import { ADAPTERS, call } from './support/servers';
import type { Running } from './support/servers';

const ID = 'b1a7e5ed-0000-4000-8000-000000000000';
const OrderMissing = createFastifyError('ERR_ORDER_MISSING', 'Order %s is missing', 404);

// What NestJS's HttpException looks like at run time: `response` and `status` fields.
class HttpException extends Error {
  constructor(
    readonly response: string | object,
    readonly status: number,
  ) {
    super(typeof response === 'string' ? response : 'Http Exception');
  }
  getStatus(): number {
    return this.status;
  }
}

const refused = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }),
  });

const ROUTES = [
  { path: '/http-errors', error: () => createError(404, 'No order 7') },
  { path: '/http-errors-500', error: () => createError(503, 'pool exhausted at db-7') },
  { path: '/boom', error: () => Boom.unauthorized('Token expired', 'Bearer') },
  { path: '/fastify-error', error: () => new OrderMissing('7') },
  { path: '/nest', error: () => new HttpException('Order 7 is locked', 423) },
  {
    path: '/aggregate',
    error: () =>
      new AggregateError(
        [createError(400, 'name is required'), createError(422, 'age must be positive')],
        'bad',
      ),
  },
  {
    path: '/aggregate-mixed',
    error: () => new AggregateError([createError(400, 'x'), new Error('db down')], 'mixed'),
  },
  { path: '/refused', error: refused },
  { path: '/aborted', error: () => new DOMException('This operation was aborted', 'AbortError') },
  { path: '/zod', error: () => z.object({ name: z.string() }).safeParse({}).error },
];

const CASES = [
  ['/http-errors', 404, 'NotFound', 'No order 7'],
  ['/http-errors-500', 503, 'ServiceUnavailable', 'Service Unavailable'],
  ['/boom', 401, 'Unauthorized', 'Token expired'],
  ['/fastify-error', 404, 'NotFound', 'Order 7 is missing'],
  ['/nest', 423, 'Locked', 'Order 7 is locked'],
  ['/aggregate', 400, 'ValidationFailed', 'name is required; age must be positive'],
  ['/aggregate-mixed', 500, 'InternalServerError', 'Internal Server Error'],
  ['/refused', 502, 'BadGateway', 'Bad Gateway'],
] as const;

describe('errors that need no rule, in problem+json through every adapter', () => {
  const servers: Running[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS)
      servers.push(await adapter.start(ROUTES, { logger: false, correlationId: () => ID }));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each(CASES)('should answer %s with %d %s', async (path, status, code, detail) => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', path)));
    for (const res of all) {
      expect(res.status).toBe(status);
      expect(JSON.parse(res.text)).toMatchObject({
        status,
        code,
        detail,
        instance: `urn:uuid:${ID}`,
      });
      expect(res.text).toBe(all[0]!.text);
      expect(res.text).not.toMatch(/db-7|10\.1\.2\.3/);
    }
  });

  it("should carry Boom's WWW-Authenticate header", async () => {
    for (const server of servers)
      expect((await call(server.url, 'GET', '/boom')).headers['www-authenticate']).toBe(
        'Bearer error="Token expired"',
      );
  });

  it('should list an AggregateError of client errors as errors', async () => {
    const body = JSON.parse((await call(servers[0]!.url, 'GET', '/aggregate')).text) as {
      errors: unknown[];
    };
    expect(body.errors).toEqual([
      { detail: 'name is required', pointer: '#' },
      { detail: 'age must be positive', pointer: '#' },
    ]);
  });
});

describe('a network failure in X-Road through every adapter', () => {
  const servers: Running[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS)
      servers.push(
        await adapter.start(ROUTES, { dialect: 'xroad', logger: false, correlationId: () => ID }),
      );
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('should answer NetworkError without the address', async () => {
    for (const server of servers) {
      const res = await call(server.url, 'GET', '/refused');
      expect(res.text).toBe(
        `{"type":"Server.ServerProxy.NetworkError","message":"Network error","detail":"${ID}"}`,
      );
    }
  });
});

describe('built-ins switched off by name, through every adapter', () => {
  const servers: Running[] = [];
  beforeAll(async () => {
    const builtins = { httpErrors: false, aggregate: false, network: false, zod: false };
    for (const adapter of ADAPTERS)
      servers.push(
        await adapter.start(ROUTES, { logger: false, correlationId: () => ID, builtins }),
      );
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each(['/http-errors', '/boom', '/fastify-error', '/nest', '/aggregate', '/refused', '/zod'])(
    'should answer %s as an internal error',
    async (path) => {
      for (const server of servers) {
        const res = await call(server.url, 'GET', path);
        expect(res.status).toBe(500);
        expect(JSON.parse(res.text)).toEqual({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: 'Internal Server Error',
          instance: `urn:uuid:${ID}`,
          code: 'InternalServerError',
        });
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
    },
  );
});

describe('the network built-in in every dialect', () => {
  const aborted = new DOMException('This operation was aborted', 'AbortError');
  const answer = (dialect: string, on: boolean, thrown: unknown) =>
    createFaultHandler({
      dialect: dialect === 'de4a+dependency' ? 'de4a' : (dialect as 'xroad'),
      logger: false,
      correlationId: () => ID,
      builtins: { network: on },
      ...(dialect === 'de4a+dependency' ? { de4a: { dependency: 'Data Owner' as const } } : {}),
    }).handle(thrown, {
      method: 'POST',
      url: '/kms/xks/v1/keys/k1/encrypt',
      headers: {},
    });

  // [dialect, refused when on, aborted when on, either when off]
  it.each([
    ['problem', '502 BadGateway', '504 GatewayTimeout', '500 InternalServerError'],
    [
      'xroad',
      '500 Server.ServerProxy.NetworkError',
      '500 Server.ServerProxy.NetworkError',
      '500 Server.ServerProxy.ServiceFailed.InternalError',
    ],
    ['xks', '500 InternalException', '503 DependencyTimeoutException', '500 InternalException'],
    ['esb', '500 101503', '500 101507', '500 500'],
    ['ast', '503 510503', '503 510503', '500 510500'],
    ['de4a', '500 99999', '500 99999', '500 99999'],
    ['de4a+dependency', '502 10503', '504 10503', '500 99999'],
  ])('should claim network failures in %s only when on', (dialect, refusedOn, abortedOn, off) => {
    const summary = (on: boolean) =>
      [refused(), aborted]
        .map((thrown) => answer(dialect, on, thrown))
        .map((r) => `${r.status} ${String(r.fault.code)}`);
    expect(summary(true)).toEqual([refusedOn, abortedOn]);
    expect(summary(false)).toEqual([off, off]);
  });

  it('should reject an unknown built-in or a non-boolean at creation', () => {
    expect(() => createFaultHandler({ builtins: { zdo: false } as never })).toThrow(
      new TypeError(
        'faultline: builtins.zdo is not a built-in (network, httpErrors, fastify, bodyParser, aggregate, zod, ajv)',
      ),
    );
    expect(() => createFaultHandler({ builtins: { zod: 'no' } as never })).toThrow(
      new TypeError('faultline: builtins.zod must be true or false'),
    );
    expect(() => createFaultHandler({ builtins: ['zod'] as never })).toThrow(TypeError);
  });
});

describe('the framework built-ins switched off, through every adapter', () => {
  const on: Running[] = [];
  const off: Running[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS) {
      on.push(await adapter.start(ROUTES, { logger: false, correlationId: () => ID }));
      off.push(
        await adapter.start(ROUTES, {
          logger: false,
          correlationId: () => ID,
          builtins: { fastify: false, bodyParser: false },
        }),
      );
    }
  });
  afterAll(() => Promise.all([...on, ...off].map((s) => s.close())));

  const badJson = (server: Running) =>
    call(server.url, 'POST', '/http-errors', { 'content-type': 'application/json' }, '{"a":');

  it('should answer a body that is not JSON with one text when on', async () => {
    for (const server of on) {
      const res = await badJson(server);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({
        code: 'InvalidBody',
        detail: 'The request body could not be parsed',
      });
    }
  });

  it("should answer it with the framework's own 400 when off", async () => {
    for (const server of off) {
      const res = await badJson(server);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.text) as { code: string; detail: string };
      expect(body.code).toBe('BadRequest');
      expect(body.detail).not.toBe('The request body could not be parsed');
      expect(body.detail).toMatch(/JSON/);
    }
  });
});

describe('the DE4A dependency module', () => {
  it('should name the module and a fixed cause, never the address', () => {
    const handler = createFaultHandler({
      dialect: 'de4a',
      logger: false,
      correlationId: () => ID,
      de4a: { dependency: 5 },
    });
    const res = handler.handle(refused(), { method: 'POST', url: '/request', headers: {} });
    expect(res.body).toBe(
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2"><ct:Ack>false</ct:Ack><ct:Error><ct:Code>10503</ct:Code><ct:Text>Connection error with Data Owner - the module could not be reached</ct:Text></ct:Error></ResponseMessage>',
    );
  });

  it.each([['None'], [0], ['Nobody'], [8], [true]])(
    'should reject %p at creation',
    (dependency) => {
      expect(() =>
        createFaultHandler({ dialect: 'de4a', de4a: { dependency: dependency as never } }),
      ).toThrow(
        new TypeError(
          `faultline: de4a.dependency must name a module other than None (IDK, SMP, Connector DR, Connector DT, Data Owner, Data Evaluator, Authority Agent, or 1-7), got ${String(dependency)}`,
        ),
      );
    },
  );
});
