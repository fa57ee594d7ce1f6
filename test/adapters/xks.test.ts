/**
 * The XKS proxy dialect through Express 4, Express 5 and Fastify 5 (wire-formats.md Part 1
 * "XKS proxy"; the names, statuses and scenarios of seed 004 via test/fixtures/xks-seed.ts):
 * every adapter sends the same bytes, and every error body is XKS JSON.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import type { FaultHandlerOptions } from '@faultline/core';
import { faultline as expressFaultline, notFound } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import { xks } from '../../packages/core/src/dialects/xks/index';
import type { XksOptions } from '../../packages/core/src/dialects/xks/index';
import { SEED_ROWS } from '../fixtures/xks-seed';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, LogCall, RawResponse, Running } from '../support/servers';

type Options = FaultHandlerOptions & { readonly xks?: XksOptions };

// The scenario column of a seed row, as the seed prints it.
function scenario(name: string): string {
  const row = SEED_ROWS.find((r) => r.split(' | ')[1] === name);
  if (row === undefined) throw new Error(`no seed row for ${name}`);
  return row.split(' | ')[2]!;
}

const INTERNAL_BODY = `{"errorName":"InternalException","errorMessage":"${scenario('InternalException')}"}`;
const TIMEOUT_BODY = `{"errorName":"DependencyTimeoutException","errorMessage":"${scenario('DependencyTimeoutException')}"}`;
const INVALID_BODY =
  '{"errorName":"ValidationException","errorMessage":"The request body could not be parsed"}';
const JSON_HEADERS = { 'content-type': 'application/json' };

// Every adapter sends exactly the content type the dialect rendered: application/json,
// without a charset (Fastify gets a Buffer so it does not append one).
function exactContentType(
  names: readonly string[],
  request: (index: number) => Promise<RawResponse>,
): void {
  describe.each(names.map((name, index) => [name, index] as const))(
    'when %s sends an XKS error',
    (_name, index) => {
      it('should send exactly application/json, without a charset', async () => {
        const res = await request(index);
        expect(res.headers['content-type']).toBe('application/json');
      });
    },
  );
}

// Every XKS error response: JSON with an errorName and a printable errorMessage, as application/json.
function expectXksJson(res: RawResponse, method = 'POST'): void {
  expect(res.headers['content-type']).toBe('application/json');
  if (method === 'HEAD') {
    expect(res.text).toBe('');
    return;
  }
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['errorMessage', 'errorName']);
  expect(body.errorMessage).toMatch(/^[\x20-\x7E]{1,511}$/);
}

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly text: string;
  /** The level of every log line the request must produce, in order. */
  readonly logs: readonly string[];
}

describe('the xks dialect through every adapter (harness routes)', () => {
  const routes: FailingRoute[] = [
    {
      path: '/kms/xks/v1/keys/k1/decrypt',
      error: () => xks.fault('InvalidCiphertextException', 'The authentication tag does not match'),
    },
    {
      path: '/kms/xks/v1/keys/k1/encrypt',
      error: () => xks.fault('KeyNotFoundException', 'No external key k1'),
    },
    {
      path: '/kms/xks/v1/keys/k1/metadata',
      error: () => new Error('HSM at 10.0.0.7 refused the session'),
    },
    {
      path: '/kms/xks/v1/keys/k2/metadata',
      error: () => new DOMException('The operation timed out.', 'TimeoutError'),
    },
    {
      path: '/kms/xks/v1/keys/k3/encrypt',
      error: () => xks.fault('ValidationException', 'na\u00efve\u0000 \uD83D\uDD11 "key"'),
    },
    { path: '/kms/xks/v1/health', error: () => xks.fault('KeyNotFoundException', 'No key k1') },
  ];
  const CASES: readonly Case[] = [
    {
      name: 'InvalidCiphertextException on Decrypt',
      method: 'POST',
      path: '/kms/xks/v1/keys/k1/decrypt',
      status: 400,
      text: '{"errorName":"InvalidCiphertextException","errorMessage":"The authentication tag does not match"}',
      logs: ['info'],
    },
    {
      name: 'KeyNotFoundException on Encrypt',
      method: 'POST',
      path: '/kms/xks/v1/keys/k1/encrypt',
      headers: JSON_HEADERS,
      body: '{"plaintext":"AA=="}',
      status: 404,
      text: '{"errorName":"KeyNotFoundException","errorMessage":"No external key k1"}',
      logs: ['info'],
    },
    {
      name: 'an XML Accept header and a SOAPAction',
      method: 'POST',
      path: '/kms/xks/v1/keys/k1/encrypt',
      headers: { accept: 'application/xml', soapaction: '"x"' },
      status: 404,
      text: '{"errorName":"KeyNotFoundException","errorMessage":"No external key k1"}',
      logs: ['info'],
    },
    {
      name: 'an unexpected error on GetKeyMetadata',
      method: 'POST',
      path: '/kms/xks/v1/keys/k1/metadata',
      status: 500,
      text: INTERNAL_BODY,
      logs: ['error'],
    },
    {
      name: 'a timeout on GetKeyMetadata',
      method: 'POST',
      path: '/kms/xks/v1/keys/k2/metadata',
      status: 503,
      text: TIMEOUT_BODY,
      logs: ['error'],
    },
    {
      name: 'a message outside printable ASCII',
      method: 'POST',
      path: '/kms/xks/v1/keys/k3/encrypt',
      status: 400,
      text: '{"errorName":"ValidationException","errorMessage":"na?ve? ? \\"key\\""}',
      logs: ['info'],
    },
    {
      name: 'KeyNotFoundException on /health',
      method: 'POST',
      path: '/kms/xks/v1/health',
      status: 500,
      text: INTERNAL_BODY,
      logs: ['warn', 'error'],
    },
    {
      name: 'an unknown path under /kms/xks/v1/',
      method: 'POST',
      path: '/kms/xks/v1/nope',
      status: 404,
      text: '{"errorName":"InvalidUriPathException","errorMessage":"No route for POST /kms/xks/v1/nope"}',
      logs: ['info'],
    },
    {
      name: 'an unknown path with a query',
      method: 'GET',
      path: '/kms/xks/v1/keys/k1/sign?token=x',
      status: 404,
      text: '{"errorName":"InvalidUriPathException","errorMessage":"No route for GET /kms/xks/v1/keys/k1/sign"}',
      logs: ['info'],
    },
    {
      name: 'invalid JSON on a POST API route',
      method: 'POST',
      path: '/kms/xks/v1/keys/k1/encrypt',
      headers: JSON_HEADERS,
      body: '{"plaintext":',
      status: 400,
      text: INVALID_BODY,
      logs: ['info'],
    },
  ];

  const servers: Array<{ running: Running; log: ReturnType<typeof recorder> }> = [];

  beforeAll(async () => {
    for (const adapter of ADAPTERS) {
      const log = recorder();
      const options: Options = { dialect: xks, logger: log.logger, correlationId: () => 'id-1' };
      servers.push({ running: await adapter.start(routes, options), log });
    }
  });
  afterAll(() => Promise.all(servers.map((s) => s.running.close())));

  describe.each(CASES)('when the request is $name', (c) => {
    let responses: Array<{ adapter: string; res: RawResponse; calls: LogCall[] }>;

    beforeAll(async () => {
      responses = [];
      for (const { running, log } of servers) {
        log.calls.length = 0;
        const res = await call(running.url, c.method, c.path, c.headers, c.body);
        responses.push({ adapter: running.name, res, calls: [...log.calls] });
      }
    });

    it(`should answer ${c.status} with the exact XKS body in every adapter`, () => {
      expect(responses.map((r) => r.adapter)).toEqual(ADAPTERS.map((a) => a.name));
      for (const { res } of responses) {
        expect(res.status).toBe(c.status);
        expect(res.text).toBe(c.text);
        expect(faultHeaders(res.headers)).toEqual({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(c.text)),
          'x-road-error': undefined,
          soapaction: undefined,
          'x-content-type-options': 'nosniff',
        });
        expect(res.headers.allow).toBeUndefined();
        expectXksJson(res);
      }
    });

    it('should log the same lines in every adapter', () => {
      for (const { calls } of responses) expect(calls.map((l) => l.level)).toEqual(c.logs);
    });
  });

  exactContentType(
    ADAPTERS.map((a) => a.name),
    (index) => call(servers[index]!.running.url, 'POST', '/kms/xks/v1/keys/k1/decrypt'),
  );

  describe('when KeyNotFoundException is thrown on /health', () => {
    it('should log one warning naming the violation before the fault', async () => {
      for (const { running, log } of servers) {
        log.calls.length = 0;
        await call(running.url, 'POST', '/kms/xks/v1/health');
        const [warning, fault] = log.calls;
        expect(log.calls).toHaveLength(2);
        expect(warning?.event).toEqual({
          correlationId: 'id-1',
          dialect: 'xks',
          errorName: 'KeyNotFoundException',
          operation: 'GetHealthStatus',
        });
        expect(warning?.msg).toContain('KeyNotFoundException does not apply to GetHealthStatus');
        expect(fault?.event).toMatchObject({
          code: 'InternalException',
          status: 500,
          correlationId: 'id-1',
        });
      }
    });
  });
});

interface Started {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

// The two XKS APIs this service implements, defined for POST only, as a real proxy would.
const OK_BODY = '{"status":"ok"}';

async function startExpress(
  name: string,
  factory: typeof express5,
  options: Options,
): Promise<Started> {
  const app = factory();
  app.disable('x-powered-by');
  app.use(factory.json());
  app.post('/kms/xks/v1/keys/:keyId/encrypt', (_req, res) => {
    res.type('application/json').send(OK_BODY);
  });
  app.post('/kms/xks/v1/health', (_req, res) => {
    res.type('application/json').send(OK_BODY);
  });
  app.use(notFound());
  app.use(expressFaultline(options));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s as unknown as Server));
    s.once('error', reject);
  });
  return {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startFastify(options: Options): Promise<Started> {
  const app = Fastify({ logger: false });
  await app.register(fastifyFaultline, options);
  app.post('/kms/xks/v1/keys/:keyId/encrypt', async (_req, reply) =>
    reply.type('application/json').send(OK_BODY),
  );
  app.post('/kms/xks/v1/health', async (_req, reply) =>
    reply.type('application/json').send(OK_BODY),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    name: 'fastify 5',
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

describe('the xks dialect on servers that define only POST routes', () => {
  const servers: Started[] = [];
  const options: Options = { dialect: xks, logger: false };

  beforeAll(async () => {
    servers.push(await startExpress('express 4', express4 as unknown as typeof express5, options));
    servers.push(await startExpress('express 5', express5, options));
    servers.push(await startFastify(options));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  describe.each([
    ['GET', '/kms/xks/v1/keys/k1/encrypt'],
    ['GET', '/kms/xks/v1/health'],
    ['PUT', '/kms/xks/v1/keys/k1/encrypt'],
    ['DELETE', '/kms/xks/v1/keys/k1/decrypt'],
    ['GET', '/kms/xks/v1/keys/k1/metadata?x=1'],
    ['HEAD', '/kms/xks/v1/keys/k1/encrypt'],
  ])('when the request is %s %s', (method, path) => {
    it('should answer 405 with Allow: POST and no body, nor a Content-Type, in every adapter', async () => {
      for (const server of servers) {
        const res = await call(server.url, method, path);
        expect({ server: server.name, status: res.status }).toEqual({
          server: server.name,
          status: 405,
        });
        expect(res.headers.allow).toBe('POST');
        expect(res.text).toBe('');
        expect(res.headers['content-length']).toBe('0');
        expect(res.headers['content-type']).toBeUndefined();
      }
    });
  });

  exactContentType(['express 4', 'express 5', 'fastify 5'], (index) =>
    call(servers[index]!.url, 'POST', '/kms/xks/v1/nope'),
  );

  describe('when the request is a POST to an API the service does not implement', () => {
    it('should answer 404 InvalidUriPathException without Allow', async () => {
      for (const server of servers) {
        const res = await call(server.url, 'POST', '/kms/xks/v1/keys/k1/decrypt');
        expect(res.status).toBe(404);
        expect(res.headers.allow).toBeUndefined();
        expect(res.text).toBe(
          '{"errorName":"InvalidUriPathException","errorMessage":"No route for POST /kms/xks/v1/keys/k1/decrypt"}',
        );
        expectXksJson(res);
      }
    });
  });

  describe.each([
    ['a truncated object', '{"plaintext":'],
    ['a bare word', 'plaintext'],
    ['a trailing comma', '{"plaintext":"AA==",}'],
  ])('when the JSON body of a POST API route is %s', (_label, body) => {
    it('should answer 400 ValidationException in every adapter', async () => {
      for (const server of servers) {
        const res = await call(
          server.url,
          'POST',
          '/kms/xks/v1/keys/k1/encrypt',
          JSON_HEADERS,
          body,
        );
        expect({ server: server.name, status: res.status }).toEqual({
          server: server.name,
          status: 400,
        });
        expect(res.text).toBe(INVALID_BODY);
        expectXksJson(res);
      }
    });
  });

  describe('when the request is a valid POST', () => {
    it('should reach the route (the 405s above are not a routing accident)', async () => {
      for (const server of servers) {
        const res = await call(
          server.url,
          'POST',
          '/kms/xks/v1/keys/k1/encrypt',
          JSON_HEADERS,
          '{"plaintext":"AA=="}',
        );
        expect(res.status).toBe(200);
        expect(res.text).toBe(OK_BODY);
      }
    });
  });
});
