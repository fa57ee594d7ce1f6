/**
 * The custom-dialect example over HTTP: Kong Gateway's error convention, defined with
 * `defineDialect`, answers every failing request identically through Express 4, Express 5 and
 * Fastify 5, byte for byte as Kong's templates write it in JSON, XML, HTML and plain text
 * (Kong/kong `kong/tools/http.lua`, `kong/pdk/response.lua`); the dialect also works with
 * mapping rules, routes, parseFault, explain, schema(), faultSchemas and openApiResponses.
 */
import Ajv2020 from 'ajv/dist/2020';
import { XMLValidator } from 'fast-xml-parser';
import express4 from 'express4';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createFaultHandler, explain, openApiResponses, parseFault } from '@faultline/core';
import { faultSchemas } from '@faultline/fastify';
import { createExpressApp, createFastifyApp } from '../examples/custom-dialect/src/app';
import type { ExpressFactory } from '../examples/custom-dialect/src/app';
import { kong, negotiate } from '../examples/custom-dialect/src/kong';
import { call, faultHeaders, recorder } from './support/servers';
import type { LogCall, RawResponse } from './support/servers';

const HOST = '127.0.0.1';
const RID = '5ab1c0ffee0000000000000000000001';
const KEY = { apikey: 'pizza-lover', 'x-kong-request-id': RID };
const NO_KEY = { 'x-kong-request-id': RID };

const json = (message: string): string =>
  `{\n  "message":${JSON.stringify(message)},\n  "request_id":"${RID}"\n}`;
const xml = (message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <message>${message}</message>\n  <requestid>${RID}</requestid>\n</error>\n`;
const html = (message: string): string =>
  '<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8">\n    <title>Error</title>\n  </head>\n  <body>\n' +
  `    <h1>Error</h1>\n    <p>${message}.</p>\n    <p>request_id: ${RID}</p>\n  </body>\n</html>\n`;
const plain = (message: string): string => `${message}\nrequest_id: ${RID}\n`;

const TYPES = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  html: 'text/html; charset=utf-8',
  plain: 'text/plain; charset=utf-8',
} as const;

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly code: string;
  readonly type: string;
  /** The whole body, byte for byte. */
  readonly text: string;
  readonly extra?: Record<string, string>;
}

const CASES: readonly Case[] = [
  {
    name: 'no API key, as JSON (no Accept)',
    method: 'GET',
    path: '/orders/7',
    headers: NO_KEY,
    status: 401,
    code: 'NoApiKey',
    type: TYPES.json,
    text: json('No API key found in request'),
    extra: { 'www-authenticate': 'Key realm="kong"' },
  },
  {
    name: 'no API key, as HTML',
    method: 'GET',
    path: '/orders/7',
    headers: { ...NO_KEY, accept: 'text/html' },
    status: 401,
    code: 'NoApiKey',
    type: TYPES.html,
    text: html('No API key found in request'),
    extra: { 'www-authenticate': 'Key realm="kong"' },
  },
  {
    name: 'an unknown key, as XML',
    method: 'GET',
    path: '/orders/7',
    headers: { ...NO_KEY, apikey: 'guess', accept: 'application/xml' },
    status: 401,
    code: 'InvalidCredentials',
    type: TYPES.xml,
    text: xml('Invalid authentication credentials'),
  },
  {
    name: 'an unknown order, as plain text',
    method: 'GET',
    path: '/orders/9',
    headers: { ...KEY, accept: 'text/plain' },
    status: 404,
    code: 'NotFound',
    type: TYPES.plain,
    text: plain('Order 9 not found'),
  },
  {
    name: 'an invalid order, the higher q deciding',
    method: 'POST',
    path: '/orders',
    headers: {
      ...KEY,
      'content-type': 'application/json',
      accept: 'text/html;q=0.5, text/*;q=0.8',
    },
    body: '{"quantity":0}',
    status: 400,
    code: 'BadRequest',
    type: TYPES.plain,
    text: plain('quantity must be a positive integer'),
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/orders',
    headers: { ...KEY, 'content-type': 'application/json' },
    body: '{"quantity":',
    status: 400,
    code: 'BadRequest',
    type: TYPES.json,
    text: json('The request body could not be parsed'),
  },
  {
    name: 'a missing invoice file, mapped by a rule',
    method: 'GET',
    path: '/orders/7/invoice',
    headers: KEY,
    status: 404,
    code: 'NotFound',
    type: TYPES.json,
    text: json('The invoice is not there yet'),
  },
  {
    name: 'an unexpected error, its message hidden',
    method: 'GET',
    path: '/orders/7/status',
    headers: { ...KEY, accept: 'image/png' },
    status: 500,
    code: 'UnexpectedError',
    type: TYPES.json,
    text: json('An unexpected error occurred'),
  },
  {
    name: 'the rate limit',
    method: 'GET',
    path: '/limited',
    headers: NO_KEY,
    status: 429,
    code: 'RateLimited',
    type: TYPES.json,
    text: json('API rate limit exceeded'),
    extra: { 'retry-after': '60' },
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/nowhere?apikey=secret',
    headers: NO_KEY,
    status: 404,
    code: 'NoRouteMatched',
    type: TYPES.json,
    text: json('no Route matched with those values'),
  },
];

interface Started {
  readonly name: string;
  readonly url: string;
  readonly calls: LogCall[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

async function startExpress(name: string, factory?: ExpressFactory): Promise<Started> {
  const log = recorder();
  const app =
    factory === undefined
      ? createExpressApp({ logger: log.logger })
      : createExpressApp({ logger: log.logger }, factory);
  const server = app.listen(0, HOST);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    name,
    url: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    calls: log.calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startFastify(): Promise<Started> {
  const log = recorder();
  const app = await createFastifyApp({ logger: log.logger });
  await app.ready();
  const url = await listen(app.server);
  return {
    name: 'fastify 5',
    url,
    calls: log.calls,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

describe('the custom-dialect example', () => {
  const started: Started[] = [];

  beforeAll(async () => {
    started.push(await startExpress('express 4', express4 as unknown as ExpressFactory));
    started.push(await startExpress('express 5'));
    started.push(await startFastify());
  });
  afterAll(() => Promise.all(started.map((s) => s.close())));

  it('should answer an order with 200', async () => {
    for (const s of started) {
      const res = await call(s.url, 'GET', '/orders/7', KEY);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ id: 7, item: 'pizza', quantity: 2 });
    }
  });

  describe.each(CASES)('when the request is $name', (c) => {
    let responses: RawResponse[];

    beforeAll(async () => {
      for (const s of started) s.calls.length = 0;
      responses = await Promise.all(
        started.map((s) => call(s.url, c.method, c.path, c.headers, c.body)),
      );
    });

    it('should answer identically through Express 4, Express 5 and Fastify 5', () => {
      const [first, ...rest] = responses.map((r) => ({
        status: r.status,
        headers: faultHeaders(r.headers),
        extra: Object.fromEntries(
          Object.keys(c.extra ?? {}).map((name) => [name, r.headers[name]]),
        ),
        text: r.text,
      }));
      for (const other of rest) expect(other).toEqual(first);
    });

    it(`should answer ${c.status} as Kong writes it, byte for byte, with the request id echoed`, () => {
      for (const res of responses) {
        expect(res.status).toBe(c.status);
        expect(res.text).toBe(c.text);
        expect(res.headers['content-type']).toBe(c.type);
        expect(res.headers['content-length']).toBe(String(Buffer.byteLength(c.text)));
        expect(res.headers['x-kong-request-id']).toBe(RID);
        for (const [name, value] of Object.entries(c.extra ?? {}))
          expect(res.headers[name]).toBe(value);
        if (c.type === TYPES.json)
          expect(Object.keys(JSON.parse(res.text) as object)).toEqual(['message', 'request_id']);
        if (c.type === TYPES.xml) expect(XMLValidator.validate(res.text)).toBe(true);
      }
    });

    it('should log the fault once per adapter under the kong dialect', () => {
      for (const s of started) {
        expect(s.calls).toHaveLength(1);
        expect(s.calls[0]?.event).toMatchObject({
          dialect: 'kong',
          code: c.code,
          status: c.status,
          correlationId: RID,
        });
      }
    });
  });

  it('should answer the internal routes in problem+json', async () => {
    for (const s of started) {
      const res = await call(s.url, 'GET', '/internal/health', NO_KEY);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.text)).toMatchObject({
        code: 'InternalServerError',
        instance: `urn:uuid:${RID}`,
      });
    }
  });

  it('should send a request id of its own, of the same form, when Kong passed none', async () => {
    for (const s of started) {
      const res = await call(s.url, 'GET', '/orders/7');
      expect(res.headers['x-kong-request-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(res.text).toContain(`"request_id":"${res.headers['x-kong-request-id']}"`);
    }
  });
});

describe('the kong dialect', () => {
  describe('when it chooses the format as Kong does', () => {
    it.each([
      [undefined, 'json'],
      ['application/json', 'json'],
      ['application/xml', 'xml'],
      ['text/html', 'html'],
      ['text/plain', 'plain'],
      ['text/*', 'plain'],
      ['application/*', 'json'],
      ['*/*', 'json'],
      ['image/png', 'json'],
      ['Text/HTML', 'json'],
      ['text/html;q=0.5, application/xml', 'xml'],
      ['text/html, application/xml', 'html'],
      ['text/html;q=0, text/plain;q=0', 'json'],
      ['text/html;level=1;q=0.4, text/plain;q=0.3', 'html'],
      ['not a media type, text/plain', 'plain'],
    ])('Accept %s answers %s', (accept, id) => {
      expect(negotiate({ headers: accept === undefined ? {} : { accept } }).id).toBe(id);
    });
  });

  describe('when a message holds markup', () => {
    const handler = createFaultHandler({ dialect: kong, logger: false, correlationId: () => RID });
    const thrown = kong.fault('BadRequest', 'a "quoted" <b>&</b>\nsecond line');

    it.each([
      ['application/json', json('a "quoted" <b>&</b>\nsecond line')],
      ['application/xml', xml('a &quot;quoted&quot; &lt;b&gt;&amp;&lt;/b&gt;\nsecond line')],
      ['text/html', html('a &quot;quoted&quot; &lt;b&gt;&amp;&lt;/b&gt;\nsecond line')],
      ['text/plain', plain('a "quoted" <b>&</b> second line')],
    ])('should escape it in %s, unlike Kong', (accept, text) => {
      expect(handler.handle(thrown, { headers: { accept } }).body).toBe(text);
    });
  });

  describe('when its bodies are read back', () => {
    it.each([
      ['application/json', json('Invalid authentication credentials')],
      ['application/xml', xml('Invalid authentication credentials')],
    ])('should recognise %s with parseFault, the request id as correlation id', (type, body) => {
      const parsed = parseFault(body, type, { status: 401, dialects: [kong] });
      expect(parsed).toMatchObject({
        recognised: true,
        dialect: 'kong',
        fault: {
          code: 'InvalidCredentials',
          status: 401,
          message: 'Invalid authentication credentials',
          correlationId: RID,
        },
        entry: { description: 'key-auth: no consumer has this API key.' },
      });
    });

    it('should leave other bodies alone', () => {
      expect(
        parseFault('{"message":"x"}', 'application/json', { dialects: [kong] }).recognised,
      ).toBe(false);
      expect(
        parseFault('<error><message>x</message></error>', 'application/xml', { dialects: [kong] })
          .recognised,
      ).toBe(false);
    });

    it('should explain its codes', () => {
      expect(explain('NoRouteMatched', { dialects: [kong] })).toEqual([
        expect.objectContaining({ dialect: 'kong', code: 'NoRouteMatched', status: 404 }),
      ]);
    });
  });

  describe('when its bodies are documented', () => {
    it('should give a JSON Schema that every JSON body it sends validates against', () => {
      const validate = new Ajv2020({ strict: true }).compile(kong.schema().json);
      const handler = createFaultHandler({ dialect: kong, logger: false });
      for (const entry of kong.catalog.entries) {
        const body: unknown = JSON.parse(handler.handle(kong.fault(entry.code)).body);
        expect(validate(body)).toBe(true);
      }
    });

    it('should give Fastify route schemas', () => {
      expect(faultSchemas(kong)['4xx']).toMatchObject({ required: ['message', 'request_id'] });
    });

    it('should give OpenAPI responses with an example in every format', () => {
      const responses = openApiResponses(kong, { correlationId: RID });
      const content = responses['kong.NoApiKey']!.content;
      expect(Object.keys(content)).toEqual([TYPES.json, TYPES.xml, TYPES.html, TYPES.plain]);
      expect(content[TYPES.json]!.example).toEqual({
        message: 'No API key found in request',
        request_id: RID,
      });
      expect(content[TYPES.html]!.example).toBe(html('No API key found in request'));
      expect(content[TYPES.plain]!.schema).toEqual({
        type: 'string',
        description: 'A text/plain document.',
      });
      expect(responses['kong.NoApiKey']!['x-status']).toBe(401);
    });
  });
});
