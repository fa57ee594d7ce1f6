/**
 * The errors that need no rule, thrown by the real libraries, through every adapter:
 * http-errors, Boom, @fastify/error, a NestJS-style HttpException, AggregateError, and
 * network failures inside fetch.
 */
import createError from 'http-errors';
import Boom from '@hapi/boom';
import createFastifyError from '@fastify/error';
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

const refused = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }) });

const ROUTES = [
  { path: '/http-errors', error: () => createError(404, 'No order 7') },
  { path: '/http-errors-500', error: () => createError(503, 'pool exhausted at db-7') },
  { path: '/boom', error: () => Boom.unauthorized('Token expired', 'Bearer') },
  { path: '/fastify-error', error: () => new OrderMissing('7') },
  { path: '/nest', error: () => new HttpException('Order 7 is locked', 423) },
  { path: '/aggregate', error: () => new AggregateError([createError(400, 'name is required'), createError(422, 'age must be positive')], 'bad') },
  { path: '/aggregate-mixed', error: () => new AggregateError([createError(400, 'x'), new Error('db down')], 'mixed') },
  { path: '/refused', error: refused },
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
    for (const adapter of ADAPTERS) servers.push(await adapter.start(ROUTES, { logger: false, correlationId: () => ID }));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each(CASES)('should answer %s with %d %s', async (path, status, code, detail) => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', path)));
    for (const res of all) {
      expect(res.status).toBe(status);
      expect(JSON.parse(res.text)).toMatchObject({ status, code, detail, instance: `urn:uuid:${ID}` });
      expect(res.text).toBe(all[0]!.text);
      expect(res.text).not.toMatch(/db-7|10\.1\.2\.3/);
    }
  });

  it("should carry Boom's WWW-Authenticate header", async () => {
    for (const server of servers) expect((await call(server.url, 'GET', '/boom')).headers['www-authenticate']).toBe('Bearer error="Token expired"');
  });

  it('should list an AggregateError of client errors as errors', async () => {
    const body = JSON.parse((await call(servers[0]!.url, 'GET', '/aggregate')).text) as { errors: unknown[] };
    expect(body.errors).toEqual([
      { detail: 'name is required', pointer: '#' },
      { detail: 'age must be positive', pointer: '#' },
    ]);
  });
});

describe('a network failure in X-Road through every adapter', () => {
  const servers: Running[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS) servers.push(await adapter.start(ROUTES, { dialect: 'xroad', logger: false, correlationId: () => ID }));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('should answer NetworkError without the address', async () => {
    for (const server of servers) {
      const res = await call(server.url, 'GET', '/refused');
      expect(res.text).toBe(`{"type":"Server.ServerProxy.NetworkError","message":"Network error","detail":"${ID}"}`);
    }
  });
});
