/**
 * Errors that were never thrown, through Express 4, Express 5 and Fastify 5 on real servers:
 * a route that ends with an error status and no body (`res.sendStatus(502)`,
 * `res.status(503).end()`, `reply.code(502).send()`), and the frameworks' own 413 and 415, get
 * the dialect's body; a body the route wrote itself, a HEAD response and a success are left
 * alone; Fastify's `statusPages: false` turns it off.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import type { FaultHandlerOptions } from '@faultline/core';
import { faultline as expressFaultline, notFound, statusPages } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import { call, recorder } from './support/servers';
import type { LogCall } from './support/servers';

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

type Start = (options: FaultHandlerOptions & { statusPages?: boolean }) => Promise<Running>;

function expressServer(factory: typeof express5): Start {
  return async (options) => {
    const app = factory();
    app.disable('x-powered-by');
    app.disable('etag');
    if (options.statusPages !== false) app.use(statusPages(options));
    app.use(factory.json({ limit: '10b' }));
    app.get('/send-status', (_req, res) => void res.sendStatus(502));
    app.get('/end', (_req, res) => void res.status(503).end());
    app.get('/own', (_req, res) => void res.status(404).type('text/plain').send('my own body'));
    app.get('/written', (_req, res) => {
      res.status(500);
      res.write('');
      res.end();
    });
    app.get('/ok', (_req, res) => void res.status(200).end());
    app.post('/json', (_req, res) => void res.json({ ok: true }));
    app.use(notFound());
    app.use(expressFaultline(options));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s as unknown as Server));
    });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  };
}

const startFastify: Start = async (options) => {
  const app = Fastify({ logger: false, bodyLimit: 10 });
  await app.register(fastifyFaultline, options);
  app.get('/send-status', async (_req, reply) => reply.code(502).send());
  app.get('/end', async (_req, reply) => reply.code(503).send(''));
  app.get('/own', async (_req, reply) => reply.code(404).type('text/plain').send('my own body'));
  app.get('/written', async (_req, reply) => reply.code(500).type('text/plain').send(' '));
  app.get('/ok', async (_req, reply) => reply.code(200).send());
  app.post('/json', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
};

const SERVERS: readonly (readonly [string, Start])[] = [
  ['express 4', expressServer(express4 as unknown as typeof express5)],
  ['express 5', expressServer(express5)],
  ['fastify 5', startFastify],
];

const BAD_GATEWAY =
  '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:id-1","code":"BadGateway"}';

describe.each(SERVERS)('status pages on %s', (_name, start) => {
  let server: Running;
  let calls: LogCall[];
  let xroad: Running;
  let off: Running;

  beforeAll(async () => {
    const log = recorder();
    calls = log.calls;
    server = await start({ logger: log.logger, correlationId: () => 'id-1' });
    xroad = await start({ dialect: 'xroad', logger: false, correlationId: () => 'id-1' });
    off = await start({ logger: false, statusPages: false });
  });
  afterAll(async () => {
    await server.close();
    await xroad.close();
    await off.close();
  });
  beforeEach(() => calls.splice(0));

  it('should give an error status sent without a body the dialect body, logged once', async () => {
    const res = await call(server.url, 'GET', '/send-status');
    expect(res.status).toBe(502);
    expect(res.text).toBe(BAD_GATEWAY);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(BAD_GATEWAY)));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.event).toMatchObject({
      correlationId: 'id-1',
      code: 'BadGateway',
      status: 502,
    });
  });

  it('should answer an ended 503 with the body of the dialect', async () => {
    const res = await call(server.url, 'GET', '/end');
    expect([res.status, res.text]).toEqual([
      503,
      '{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Service Unavailable","instance":"urn:uuid:id-1","code":"ServiceUnavailable"}',
    ]);
  });

  it("should answer in another dialect's convention too", async () => {
    const res = await call(xroad.url, 'GET', '/send-status');
    expect([res.status, res.headers['x-road-error'], res.text]).toEqual([
      500,
      'Server.ServerProxy.ServiceFailed.InternalError',
      '{"type":"Server.ServerProxy.ServiceFailed.InternalError","message":"Internal Server Error","detail":"id-1"}',
    ]);
  });

  it('should leave a body the route wrote, a success and a HEAD response alone', async () => {
    const own = await call(server.url, 'GET', '/own');
    expect([own.status, own.text]).toEqual([404, 'my own body']);
    expect(own.headers['content-type']).toMatch(/^text\/plain/);
    const written = await call(server.url, 'GET', '/written');
    expect(written.status).toBe(500);
    expect(written.text).not.toContain('"type"');
    const ok = await call(server.url, 'GET', '/ok');
    expect([ok.status, ok.text]).toEqual([200, '']);
    const head = await call(server.url, 'HEAD', '/send-status');
    expect(head.status).toBe(502);
    expect(head.headers['content-type']).not.toBe('application/problem+json');
    expect(calls).toHaveLength(0);
  });

  it("should answer the framework's 413 and 415 in the dialect", async () => {
    const large = await call(
      server.url,
      'POST',
      '/json',
      { 'content-type': 'application/json' },
      '{"a":"0123456789"}',
    );
    expect([large.status, large.text]).toEqual([
      413,
      '{"type":"about:blank","title":"Content Too Large","status":413,"detail":"The request body is too large","instance":"urn:uuid:id-1","code":"ContentTooLarge"}',
    ]);
    const unsupported = await call(
      server.url,
      'POST',
      '/json',
      {
        'content-type': _name.startsWith('express')
          ? 'application/json; charset=koi8-r'
          : 'application/x-unknown',
      },
      '{}',
    );
    expect([unsupported.status, unsupported.text]).toEqual([
      415,
      '{"type":"about:blank","title":"Unsupported Media Type","status":415,"detail":"The request content type or encoding is not supported","instance":"urn:uuid:id-1","code":"UnsupportedMediaType"}',
    ]);
  });

  it("should leave faultline's own answer without a body alone: XKS's 405 is logged once, with its Allow", async () => {
    const log = recorder();
    const xks = await start({ dialect: 'xks', logger: log.logger, correlationId: () => 'id-1' });
    try {
      const res = await call(xks.url, 'GET', '/kms/xks/v1/keys/k1/encrypt');
      expect([res.status, res.headers.allow, res.text]).toEqual([405, 'POST', '']);
      expect(log.calls).toHaveLength(1);
      expect(log.calls[0]?.event).toMatchObject({ correlationId: 'id-1', status: 405 });
    } finally {
      await xks.close();
    }
  });

  it('should be off without the middleware (Express) or with statusPages: false (Fastify)', async () => {
    const res = await call(off.url, 'GET', '/send-status');
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).not.toBe('application/problem+json');
  });
});

describe('status pages in a Fastify scope of its own', () => {
  it("should answer in the nearest registration's dialect", async () => {
    const app = Fastify({ logger: false });
    await app.register(fastifyFaultline, { logger: false, correlationId: () => 'id-1' });
    await app.register(
      async (scope) => {
        await scope.register(fastifyFaultline, {
          dialect: 'xroad',
          logger: false,
          correlationId: () => 'id-1',
          notFound: false,
        });
        scope.get('/down', async (_req, reply) => reply.code(502).send());
      },
      { prefix: '/r1' },
    );
    app.get('/down', async (_req, reply) => reply.code(502).send());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const root = await call(url, 'GET', '/down');
      expect([root.status, root.text]).toEqual([502, BAD_GATEWAY]);
      const scoped = await call(url, 'GET', '/r1/down');
      expect([scoped.status, scoped.text]).toEqual([
        500,
        '{"type":"Server.ServerProxy.ServiceFailed.InternalError","message":"Internal Server Error","detail":"id-1"}',
      ]);
    } finally {
      app.server.closeAllConnections();
      await app.close();
    }
  });
});

describe('the statusPages option', () => {
  it('should be a boolean', async () => {
    const app = Fastify({ logger: false });
    await expect(
      app.register(fastifyFaultline, { statusPages: 'no' as never }).ready(),
    ).rejects.toThrow('faultline: options.statusPages must be a boolean');
  });
});
