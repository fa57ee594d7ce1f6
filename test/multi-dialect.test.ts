/**
 * Several dialects in one application, with the same domain errors mapped once: by route
 * prefix in one handler (every adapter, identical bytes), per Fastify scope, per Express router.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { FaultHandlerOptions, MappingRule } from '@faultline/core';
import { faultline as expressFaultline, notFound } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import { ADAPTERS, call, faultHeaders } from './support/servers';
import type { Running } from './support/servers';

class KeyDisabledError extends Error {}
const ID = '0b5e55ed-0000-4000-8000-000000000000';

const MAPPINGS: MappingRule[] = [
  {
    class: KeyDisabledError,
    to: { dialect: 'xks', code: 'InvalidStateException', message: 'The key is disabled' },
  },
  { code: 'P2025', to: { dialect: 'problem', code: 404, message: 'No such record' } },
];

const OPTIONS: FaultHandlerOptions = {
  dialect: { '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' },
  mappings: MAPPINGS,
  logger: false,
  correlationId: () => ID,
};

const disabled = () => new KeyDisabledError('k1 disabled');
const missing = () => Object.assign(new Error('Record to update not found.'), { code: 'P2025' });

describe('dialects by route prefix with shared mappings, through every adapter', () => {
  const servers: Running[] = [];
  beforeAll(async () => {
    const routes = [
      { path: '/kms/xks/v1/keys/k1/encrypt', error: disabled },
      { path: '/kms/xks/v1/keys/k1/metadata', error: missing },
      { path: '/soap/getPerson', error: disabled },
      { path: '/orders/7', error: missing },
    ];
    for (const adapter of ADAPTERS) servers.push(await adapter.start(routes, OPTIONS));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each([
    [
      'an XKS route, a class rule',
      '/kms/xks/v1/keys/k1/encrypt',
      {},
      400,
      'application/json',
      '{"errorName":"InvalidStateException","errorMessage":"The key is disabled"}',
    ],
    [
      'an XKS route, a problem rule converted',
      '/kms/xks/v1/keys/k1/metadata',
      {},
      404,
      'application/json',
      '{"errorName":"InvalidUriPathException","errorMessage":"No such record"}',
    ],
    [
      'an X-Road SOAP route, an XKS rule converted',
      '/soap/getPerson',
      { soapaction: '' },
      200,
      'text/xml;charset=utf-8',
      undefined,
    ],
    [
      'any other route, a code rule',
      '/orders/7',
      {},
      404,
      'application/problem+json',
      `{"type":"about:blank","title":"Not Found","status":404,"detail":"No such record","instance":"urn:uuid:${ID}","code":"NotFound"}`,
    ],
    ['an unknown XKS path', '/kms/xks/v1/nowhere', {}, 404, 'application/json', undefined],
    ['an unknown path elsewhere', '/nowhere', {}, 404, 'application/problem+json', undefined],
  ])(
    'should answer %s in its dialect, identically',
    async (_label, path, headers, status, type, body) => {
      const all = await Promise.all(servers.map((s) => call(s.url, 'POST', path, headers)));
      for (const res of all) {
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toBe(type);
        if (body !== undefined) expect(res.text).toBe(body);
        expect({ headers: faultHeaders(res.headers), text: res.text }).toEqual({
          headers: faultHeaders(all[0]!.headers),
          text: all[0]!.text,
        });
      }
    },
  );
});

describe('a Fastify child scope with its own dialect', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify();
    await app.register(fastifyFaultline, {
      dialect: 'problem',
      logger: false,
      correlationId: () => ID,
    });
    app.get('/orders/7', async () => {
      throw missing();
    });
    await app.register(
      async (kms) => {
        await kms.register(fastifyFaultline, {
          dialect: 'xks',
          mappings: MAPPINGS,
          logger: false,
          correlationId: () => ID,
        });
        kms.post('/keys/:id/encrypt', async () => {
          throw disabled();
        });
      },
      { prefix: '/kms/xks/v1' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('should answer the child scope in its dialect', async () => {
    const res = await call(url, 'POST', '/kms/xks/v1/keys/k1/encrypt');
    expect([res.status, res.text]).toEqual([
      400,
      '{"errorName":"InvalidStateException","errorMessage":"The key is disabled"}',
    ]);
  });

  it("should answer an unknown path under the child's prefix with the child's not-found handler", async () => {
    const res = await call(url, 'POST', '/kms/xks/v1/nowhere');
    expect([res.status, JSON.parse(res.text).errorName]).toEqual([404, 'InvalidUriPathException']);
  });

  it('should answer the root scope in its own dialect', async () => {
    const res = await call(url, 'GET', '/orders/7');
    expect([res.status, res.headers['content-type']]).toEqual([500, 'application/problem+json']);
    expect((await call(url, 'GET', '/nowhere')).headers['content-type']).toBe(
      'application/problem+json',
    );
  });
});

describe('an Express router with its own dialect', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    const kms = express.Router();
    kms.post('/keys/:id/encrypt', () => {
      throw disabled();
    });
    kms.use(notFound());
    kms.use(
      expressFaultline({
        dialect: 'xks',
        mappings: MAPPINGS,
        logger: false,
        correlationId: () => ID,
      }),
    );
    app.use('/kms/xks/v1', kms);
    app.use(notFound());
    app.use(expressFaultline({ logger: false, correlationId: () => ID }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s as unknown as Server));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("should answer the router's routes and unknown paths in its dialect, and the rest in the app's", async () => {
    expect((await call(url, 'POST', '/kms/xks/v1/keys/k1/encrypt')).text).toBe(
      '{"errorName":"InvalidStateException","errorMessage":"The key is disabled"}',
    );
    expect(JSON.parse((await call(url, 'POST', '/kms/xks/v1/nowhere')).text).errorName).toBe(
      'InvalidUriPathException',
    );
    expect((await call(url, 'GET', '/nowhere')).headers['content-type']).toBe(
      'application/problem+json',
    );
  });
});
