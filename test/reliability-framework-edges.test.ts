/**
 * Reliability rows where a framework or Node itself gets in the way, for every dialect
 * (SECURITY.md), with `NODE_ENV` unset. Every answer must be a well-formed fault of the dialect
 * that `parseFault` reads back, carry nothing it must not, be logged once, and leave the server
 * answering; no promise rejection may go unhandled.
 * - 32: a Fastify `onSend` hook that fails while the fault is being sent (registered before or
 *   after the plugin, sync or async), and one that fails for every response;
 * - 34: HTTP/2 (Fastify): connection-specific headers on the error or set by the route;
 * - 36: Express body-parser's `verify` and inflate errors;
 * - 37: dialects by route prefix on the path the framework routed (case, percent-encoding,
 *   absolute-form targets);
 * - 45: Fastify: errors after `reply.hijack()` or after `reply.send()`;
 * - 49: requests Node cannot parse (`clientError`).
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { FaultHandlerOptions } from '@faultline/core';
import {
  faultline as expressFaultline,
  clientErrorHandler as expressClientErrors,
  notFound,
} from '@faultline/express';
import fastifyFaultline, { clientErrorHandler } from '@faultline/fastify';
import { DIALECT_SETUPS } from './support/dialects';
import type { DialectSetup } from './support/dialects';
import { call, rawRequest, recorder, until } from './support/servers';
import type { LogCall, RawResponse } from './support/servers';
import { SECRET, expectDialectFault, expectSafe, withoutNodeEnv } from './support/hostile';

const HOOK_SECRET = `signing key k-prod-7 expired ${SECRET}`;
const rejections = withoutNodeEnv();

const faultCalls = (calls: readonly LogCall[]): LogCall[] =>
  calls.filter((c) => c.event.sendError === undefined && c.event.hookError === undefined);
const sendErrors = (calls: readonly LogCall[]): LogCall[] =>
  calls.filter((c) => c.event.sendError === true);

async function listenFastify(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function closeFastify(app: FastifyInstance): Promise<void> {
  app.server.closeAllConnections?.();
  await app.close();
}

function listenExpress(app: express5.Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    );
    server.once('error', reject);
  });
}

function closeExpress(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function optionsOf(
  setup: DialectSetup,
  logger: FaultHandlerOptions['logger'],
): FaultHandlerOptions {
  return { dialect: setup.dialect, logger, ...setup.options };
}

describe.each(DIALECT_SETUPS)('$dialect', (setup) => {
  describe('row 32, Fastify: an onSend hook that fails while the fault is sent', () => {
    const log = recorder();
    let app: FastifyInstance;
    let url: string;

    beforeAll(async () => {
      app = Fastify({ logger: false });
      // A hook added before the plugin, one added after it, sync and async.
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.url.startsWith('/early') && reply.statusCode >= 400)
          throw new Error(HOOK_SECRET);
        return payload;
      });
      await app.register(fastifyFaultline, optionsOf(setup, log.logger));
      app.addHook('onSend', (request, reply, payload, done) => {
        if (request.url.startsWith('/late') && reply.statusCode >= 400)
          return done(new Error(HOOK_SECRET));
        if (request.url.startsWith('/always')) return done(new Error(HOOK_SECRET));
        return done(null, payload);
      });
      for (const prefix of ['/early', '/late']) {
        app.get(`${prefix}/fault`, async () => {
          throw setup.exposed('refused');
        });
        app.get(`${prefix}/error`, async () => {
          throw new Error(`plain ${SECRET}`);
        });
      }
      app.get('/always', async () => ({ ok: true }));
      url = await listenFastify(app);
    });
    afterAll(() => closeFastify(app));

    it.each([
      '/early/fault',
      '/early/error',
      '/late/fault',
      '/late/error',
      '/early/unknown-route',
      '/always',
    ])(
      '%s: the fault in the dialect, the hook failure logged with its id, nothing of the hook sent',
      async (path) => {
        const before = log.calls.length;
        const res = await call(url, 'GET', path);
        const read = expectDialectFault(res, setup);
        expect(res.text).not.toContain('k-prod-7');
        const calls = log.calls.slice(before);
        const fault = faultCalls(calls);
        expect(fault).toHaveLength(1);
        const failures = sendErrors(calls);
        expect(failures.length).toBeGreaterThanOrEqual(1);
        for (const failure of failures)
          expect(failure.event.correlationId).toBe(fault[0]!.event.correlationId);
        if (setup.carriesId) expect(read.fault.correlationId).toBe(fault[0]!.event.correlationId);
        expectDialectFault(await call(url, 'GET', '/late/fault'), setup);
      },
    );
  });

  describe('row 34, HTTP/2 (Fastify): connection-specific headers', () => {
    const log = recorder();
    let app: ReturnType<typeof http2Fastify>;
    let session: http2.ClientHttp2Session;

    beforeAll(async () => {
      app = http2Fastify();
      await app.register(fastifyFaultline, optionsOf(setup, log.logger));
      app.get('/error-headers', async () => {
        throw Object.assign(new Error('upstream said no'), {
          status: 502,
          headers: {
            'Keep-Alive': 'timeout=5',
            Upgrade: 'h2c',
            'Proxy-Connection': 'keep-alive',
            'HTTP2-Settings': 'AAMAAABkAAQAAP__',
            TE: 'gzip',
            Trailer: 'Expires',
          },
        });
      });
      app.get('/route-headers', async (_request, reply) => {
        reply
          .header('Keep-Alive', 'timeout=5')
          .header('Upgrade', 'h2c')
          .header('Transfer-Encoding', 'chunked');
        reply.raw.setHeader('Proxy-Connection', 'keep-alive');
        throw setup.exposed('refused');
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      session = http2.connect(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    });
    afterAll(async () => {
      session.close();
      await app.close();
    });

    function get(path: string): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const stream = session.request({ ':path': path });
        let status = 0;
        const headers: Record<string, string> = {};
        const chunks: Buffer[] = [];
        stream.on('response', (h) => {
          status = Number(h[':status']);
          for (const [name, value] of Object.entries(h))
            if (!name.startsWith(':')) headers[name] = String(value);
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () =>
          resolve({ status, headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        stream.on('error', reject);
        stream.end();
      });
    }

    it.each(['/error-headers', '/route-headers'])(
      '%s: answered in the dialect, logged once',
      async (path) => {
        const before = log.calls.length;
        const res = await get(path);
        expectDialectFault(res, setup);
        for (const name of [
          'keep-alive',
          'upgrade',
          'proxy-connection',
          'http2-settings',
          'te',
          'trailer',
          'transfer-encoding',
        ]) {
          expect(res.headers[name]).toBeUndefined();
        }
        expect(faultCalls(log.calls.slice(before))).toHaveLength(1);
      },
    );
  });

  describe('row 45, Fastify: errors after the reply was sent or hijacked', () => {
    const log = recorder();
    let app: FastifyInstance;
    let url: string;

    beforeAll(async () => {
      app = Fastify({ logger: false });
      await app.register(fastifyFaultline, optionsOf(setup, log.logger));
      app.get('/sent-async', async (_request, reply) => {
        await reply.send('ok');
        throw new Error(`after send ${SECRET}`);
      });
      app.get('/sent-sync', (_request, reply) => {
        void reply.send('ok');
        throw new Error(`after send ${SECRET}`);
      });
      app.get('/hijacked', async (_request, reply) => {
        reply.hijack();
        reply.raw.end('raw');
        await Promise.resolve();
        throw new Error(`after hijack ${SECRET}`);
      });
      app.get('/hijacked-sync', (_request, reply) => {
        reply.hijack();
        reply.raw.end('raw');
        throw new Error(`after hijack ${SECRET}`);
      });
      url = await listenFastify(app);
    });
    afterAll(() => closeFastify(app));

    it.each([
      ['/sent-async', 'ok'],
      ['/sent-sync', 'ok'],
      ['/hijacked', 'raw'],
      ['/hijacked-sync', 'raw'],
    ])(
      '%s: the response stays as sent; the error is logged once, as after the response started',
      async (path, body) => {
        const before = log.calls.length;
        const res = await call(url, 'GET', path);
        expect(res.status).toBe(200);
        expect(res.text).toBe(body);
        // The rejection of an async handler is reported when it settles, after the response.
        await until(() => faultCalls(log.calls.slice(before)).length > 0);
        const logged = faultCalls(log.calls.slice(before));
        expect(logged).toHaveLength(1);
        expect(logged[0]!.event.responseStarted).toBe(true);
        expect(String((logged[0]!.event.err as { message: string }).message)).toContain('after');
      },
    );
  });

  describe.each([
    ['express 4', express4 as unknown as typeof express5],
    ['express 5', express5],
  ])("row 36, %s body-parser's verify and inflate errors", (_name, factory) => {
    const log = recorder();
    let url: string;
    let server: Server;

    beforeAll(async () => {
      const app = factory();
      app.use(
        factory.json({
          verify: (_req, _res, buf) => {
            if (buf.toString('utf8').includes('forged'))
              throw new Error(`signature mismatch: expected sha256=abc (key k-prod-7) ${SECRET}`);
          },
        }),
      );
      app.post('/hook', (_req, res) => {
        res.json({ ok: true });
      });
      app.use(notFound());
      app.use(expressFaultline(optionsOf(setup, log.logger)));
      ({ url, server } = await listenExpress(app));
    });
    afterAll(() => closeExpress(server));

    it.each([
      [
        'a verify failure',
        { 'content-type': 'application/json' },
        '{"forged":true}',
        403,
        /signature mismatch/,
      ],
      [
        'a gzip body that does not inflate',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        'not gzip at all',
        400,
        /Z_DATA_ERROR/,
      ],
      [
        'a truncated gzip body',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        gzipSync('{"a":1}').subarray(0, 12).toString('latin1'),
        400,
        /Z_(?:DATA|BUF)_ERROR/,
      ],
    ])(
      '%s: one fixed text, never the library message',
      async (_case, headers, body, status, logged) => {
        const before = log.calls.length;
        const res = await call(url, 'POST', '/hook', headers, body);
        const read = expectDialectFault(res, setup);
        // A client error of the dialect (problem+json keeps the status itself).
        expect(read.fault.status >= 400 && read.fault.status < 500).toBe(true);
        if (setup.dialect === 'problem') expect(res.status).toBe(status);
        expect(res.text).not.toMatch(
          /k-prod-7|sha256|incorrect header check|unexpected end of file|signature/,
        );
        expect(faultCalls(log.calls.slice(before))).toHaveLength(1);
        // The log keeps what the library said.
        expect(JSON.stringify(log.calls.at(-1))).toMatch(logged);
      },
    );
  });

  describe('row 49, requests Node cannot parse', () => {
    const log = recorder();
    const servers: { name: string; url: string; close: () => Promise<void> }[] = [];

    beforeAll(async () => {
      for (const [name, factory] of [
        ['express 4', express4 as unknown as typeof express5],
        ['express 5', express5],
      ] as const) {
        const app = factory();
        app.use(notFound());
        app.use(expressFaultline(optionsOf(setup, log.logger)));
        const { url, server } = await listenExpress(app);
        server.on('clientError', expressClientErrors(optionsOf(setup, log.logger)));
        servers.push({ name, url, close: () => closeExpress(server) });
      }
      const fastify = Fastify({ logger: false, clientErrorHandler });
      await fastify.register(fastifyFaultline, optionsOf(setup, log.logger));
      servers.push({
        name: 'fastify 5',
        url: await listenFastify(fastify),
        close: () => closeFastify(fastify),
      });
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
    });

    it.each([
      ['a malformed header line', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n', 400],
      ['an invalid method', 'G<T / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
      [
        'headers over the limit',
        `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
      ],
    ])(
      '%s: the dialect fault with the status Node gives it, logged once',
      async (_case, text, status) => {
        for (const server of servers) {
          const before = log.calls.length;
          const res = await rawRequest(server.url, text);
          const read = expectDialectFault(res, setup);
          expect(read.fault.status >= 400 && read.fault.status < 500).toBe(true);
          if (setup.dialect === 'problem') expect(res.status).toBe(status);
          expect(res.headers.connection).toBe('close');
          expect(faultCalls(log.calls.slice(before))).toHaveLength(1);
          expectDialectFault(await call(server.url, 'GET', '/nowhere'), setup);
        }
      },
    );
  });

  it('lets no promise rejection go unhandled', () => {
    expect(rejections).toEqual([]);
  });
});

describe('row 37, dialects by route prefix on the path the framework routed', () => {
  const ROUTES = { '/kms/xks/v1': 'xks', '*': 'problem' } as const;
  const log = recorder();
  const apps: {
    name: string;
    url: string;
    close: () => Promise<void>;
    routes: { caseInsensitive: boolean; decodes: boolean };
  }[] = [];

  beforeAll(async () => {
    for (const [name, factory] of [
      ['express 4', express4 as unknown as typeof express5],
      ['express 5', express5],
    ] as const) {
      const app = factory();
      app.post('/kms/xks/v1/keys/:keyId/encrypt', () => {
        throw new Error(`hsm down ${SECRET}`);
      });
      app.use(notFound());
      app.use(expressFaultline({ dialect: ROUTES, logger: log.logger }));
      const { url, server } = await listenExpress(app);
      apps.push({
        name,
        url,
        close: () => closeExpress(server),
        routes: { caseInsensitive: true, decodes: false },
      });
    }
    const fastify = Fastify({ logger: false });
    await fastify.register(fastifyFaultline, { dialect: ROUTES, logger: log.logger });
    fastify.post('/kms/xks/v1/keys/:keyId/encrypt', async () => {
      throw new Error(`hsm down ${SECRET}`);
    });
    apps.push({
      name: 'fastify 5',
      url: await listenFastify(fastify),
      close: () => closeFastify(fastify),
      routes: { caseInsensitive: false, decodes: true },
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  // The route that ran answers 500 in XKS; no route answers 404 in problem+json.
  function expectRouted(res: RawResponse, routed: boolean): void {
    const read = expectDialectFault(res, { dialect: routed ? 'xks' : 'problem' });
    expect(read.fault.status).toBe(routed ? 500 : 404);
  }

  it('should answer in XKS exactly where the framework ran the XKS route', async () => {
    for (const app of apps) {
      const request = (target: string) =>
        rawRequest(
          app.url,
          `POST ${target} HTTP/1.1\r\nHost: gw.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
      expectRouted(await request('/kms/xks/v1/keys/k1/encrypt'), true);
      expectRouted(await request('/KMS/XKS/V1/keys/k1/encrypt'), app.routes.caseInsensitive);
      expectRouted(await request('/kms/xks/%761/keys/k1/encrypt'), app.routes.decodes);
      expectRouted(await request('http://gw.example/kms/xks/v1/keys/k1/encrypt'), true);
      expectRouted(await request('/elsewhere'), false);
      const res = await request('/kms/xks/v1/keys/k1/encrypt?x=1');
      expectSafe(res);
    }
  });
});

// A Fastify server speaking HTTP/2 without TLS (h2c).
function http2Fastify() {
  return Fastify({ http2: true, logger: false });
}
