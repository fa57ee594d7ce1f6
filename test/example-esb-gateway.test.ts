/**
 * The ESB gateway example (`examples/esb-gateway`) over HTTP on 127.0.0.1: a real backend
 * (`src/backend.ts`) behind real gateway servers, with an injected clock and correlation id.
 * Every fault is checked by status, the headers that matter and the whole body, and is logged
 * once; the transport faults come from a backend that is down, hangs, closes or garbles its
 * answer; the seed's convert.xml gives its 555; and two gateway instances share one quota in
 * a real `redis-server`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { OutgoingHttpHeaders, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { esb } from '@faultline/core';
import { createApp } from '../examples/esb-gateway/src/app';
import type { AppOptions } from '../examples/esb-gateway/src/app';
import { startBackend } from '../examples/esb-gateway/src/backend';
import type { RunningBackend } from '../examples/esb-gateway/src/backend';
import { demoApplications } from '../examples/esb-gateway/src/config';
import { RedisStore } from '../examples/esb-gateway/src/limiter';
import type { RateLimitStore } from '../examples/esb-gateway/src/limiter';
import { readSequences } from '../examples/esb-gateway/src/sequences';
import { CONVERT_REQUEST, CONVERT_RESPONSE, CONVERT_XML } from './fixtures/esb-seed';
import { curl, masked, responseSamples } from './support/samples';
import { recorder } from './support/servers';

const HOST = '127.0.0.1';
const ID = 'c0ffee00-0000-4000-8000-00000000e5b0';
const START = Date.UTC(2026, 1, 10, 16, 19, 30);
const SEQUENCES = join(__dirname, '..', 'examples', 'esb-gateway', 'sequences');

const JSON_TYPE = 'application/json; charset=UTF-8';
const CHALLENGE =
  'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';
const CHALLENGE_3_2 =
  'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The access token expired"';
const CORS_HEADERS = 'authorization,Access-Control-Allow-Origin,Content-Type,SOAPAction';

const KEY = { apikey: 'pizzashack-key-0001' };
const TRIAL = { apikey: 'trial-key-0002' };
const ORDER_TOKEN = { authorization: 'Bearer 6c1f7a52-0d47-4bb6-9c56-0d2e3c6a8a11' };
const READ_TOKEN = { authorization: 'Bearer 0e8a4d2b-7f3c-4c5e-8d1a-5b6c7d8e9f00' };
const EXPIRED_TOKEN = { authorization: 'Bearer 9d3b2a10-5e4f-4a6b-8c7d-1e2f3a4b5c6d' };
const ORDER = '{"pizzaType":"Chicken Parmesan","quantity":2}';
const QUOTE_ENVELOPE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<ns:getQuote xmlns:ns="http://services.samples"><ns:symbol>WSO2</ns:symbol></ns:getQuote></soapenv:Body></soapenv:Envelope>';
const SOAP_CLIENT = { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:getQuote"' };

// The bodies, byte for byte.
const MAIN_404 =
  '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}';
// CORSRequestHandler's resource mismatch, through the fault sequence.
const NO_RESOURCE =
  '{"code":"404","type":"Status report","message":"Runtime Error","description":"No matching resource found for given API Request"}';
const NO_METHOD =
  '{"code":"405","type":"Status report","message":"Runtime Error","description":"Method not allowed for given API resource"}';
const BLOCKED =
  '{"code":"700700","type":"API blocked","description":"This API has been blocked temporarily. Please try again later or contact the system administrators."}';
const MISSING =
  '{"code":"900902","message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: ' +
  "'Authorization : Bearer ACCESS_TOKEN' or 'Authorization : Basic ACCESS_TOKEN' or 'apikey: API_KEY'\"}";
const INVALID =
  '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}';
const EXPIRED =
  '{"code":"900903","message":"Access Token Expired","description":"Access Token Expired. Renew the access token and try again"}';
const FORBIDDEN =
  '{"code":"900908","message":"Resource forbidden ","description":"Resource forbidden "}';
const INACTIVE =
  '{"code":"900909","message":"The subscription to the API is inactive","description":"The subscription to the API is inactive"}';
const SUSPENDED =
  '{"code":"900907","message":"The requested API is temporarily blocked","description":"The requested API is temporarily blocked"}';
const SCOPE =
  '{"code":"900910","message":"The access token does not allow you to access the requested resource",' +
  '"description":"The access token does not allow you to access the requested resource"}';
const NEXT_UTC = '2026-Feb-10 16:20:00+0000 UTC';
const THROTTLED = `{"code":"900803","message":"Message throttled out","description":"You have exceeded your quota .You can access API after ${NEXT_UTC}","nextAccessTime":"${NEXT_UTC}"}`;

function runtimeError(code: number, description: string): string {
  return `{"code":"${code}","type":"Status report","message":"Runtime Error","description":"${description}"}`;
}
// <makefault version="soap11"> as Axiom writes it: soapenv prefix, no faultactor.
function soapFault(faultcode: string, faultstring: string, detail?: string): string {
  return (
    "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
    `<faultcode>soapenv:${faultcode}</faultcode><faultstring>${faultstring}</faultstring>` +
    `${detail === undefined ? '' : `<detail>${detail}</detail>`}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

/** A response: the status line as sent, lower-case headers, the body as text. */
interface Reply {
  readonly status: number;
  readonly statusLine: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

// Plain node:http, one connection per request: the path goes out exactly as written (no
// `..` normalisation), and no keep-alive socket outlives the test.
function send(
  base: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat = Object.fromEntries(
          Object.entries(res.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : String(v),
          ]),
        );
        resolve({
          status: res.statusCode ?? 0,
          statusLine: `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`,
          headers: flat,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const HEADERS_THAT_MATTER = [
  'content-type',
  'www-authenticate',
  'retry-after',
  'access-control-allow-origin',
  'access-control-allow-methods',
];
function picked(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    HEADERS_THAT_MATTER.filter((n) => reply.headers[n] !== undefined).map((n) => [
      n,
      reply.headers[n] as string,
    ]),
  );
}

/** A started gateway. */
interface Gateway {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, HOST);
  await once(server, 'listening');
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

async function startGateway(options: AppOptions): Promise<Gateway> {
  const server = createServer(createApp({ correlationId: () => ID, logger: false, ...options }));
  const url = await listen(server);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// A port that was free a moment ago: nothing listens there.
async function closedPort(): Promise<number> {
  const probe = createServer();
  const url = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return Number(new URL(url).port);
}

let clock = START;
let backend: RunningBackend;
const log = recorder();
let gateway: Gateway;
// The same gateway answering as WSO2 API Manager 3.2.0 (profile apim-3.2).
let gateway32: Gateway;
// The same gateway with short backend timeouts, for the backends that never answer: the other
// gateways wait long enough that a busy machine never turns a slow answer into a timeout.
let impatient: Gateway;

beforeAll(async () => {
  backend = await startBackend();
  const options: AppOptions = {
    backendUrl: backend.url,
    warehouseUrl: `http://${HOST}:${await closedPort()}/warehouse`,
    logger: log.logger,
    clock: () => clock,
    timeouts: { headersMs: 30_000, bodyMs: 30_000 },
    maxBodyBytes: 4096,
  };
  gateway = await startGateway(options);
  gateway32 = await startGateway({ ...options, profile: 'apim-3.2' });
  impatient = await startGateway({ ...options, timeouts: { headersMs: 200, bodyMs: 200 } });
});
afterAll(async () => {
  await Promise.all([gateway.close(), gateway32.close(), impatient.close()]);
  await backend.close();
});

/** Sends a request to the main gateway (or the 3.2 one) and forgets earlier log calls. */
function call(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
  to: Gateway = gateway,
): Promise<Reply> {
  log.calls.length = 0;
  return send(to.url, method, path, headers, body);
}

function expectLoggedOnce(code: number, status: number, type?: string): void {
  expect(log.calls).toHaveLength(1);
  expect(log.calls[0]?.event).toMatchObject({
    correlationId: ID,
    dialect: 'esb',
    code,
    status,
    ...(type === undefined ? {} : { err: { type } }),
  });
}

interface FaultCase {
  readonly name: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  readonly status: number;
  readonly code: number;
  readonly expectHeaders: Record<string, string>;
  readonly text: string;
}

const AUTH_401 = {
  'content-type': JSON_TYPE,
  'www-authenticate': CHALLENGE,
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET',
};
const AUTH_403 = {
  'content-type': JSON_TYPE,
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET',
};

const GATEWAY_FAULTS: readonly FaultCase[] = [
  {
    name: 'an unknown API',
    path: '/burgershack/1.0.0/menu',
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: MAIN_404,
  },
  {
    name: 'an unknown version of a known API',
    path: '/pizzashack/2.0.0/menu',
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: MAIN_404,
  },
  {
    name: 'an unknown resource',
    path: '/pizzashack/1.0.0/drinks',
    headers: KEY,
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: NO_RESOURCE,
  },
  {
    name: 'a method the resource does not have',
    method: 'DELETE',
    path: '/pizzashack/1.0.0/menu',
    headers: KEY,
    status: 405,
    code: 405,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: NO_METHOD,
  },
  {
    name: 'a dot-dot segment in a path parameter',
    path: '/pizzashack/1.0.0/order/..',
    headers: KEY,
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: NO_RESOURCE,
  },
  {
    name: 'an encoded dot-dot segment',
    path: '/pizzashack/1.0.0/order/%2E%2e',
    headers: KEY,
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: NO_RESOURCE,
  },
  {
    name: 'an API in the BLOCKED state',
    path: '/legacy/2.0.0/orders',
    status: 503,
    code: 700700,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: BLOCKED,
  },
  {
    name: 'any path of a BLOCKED API',
    method: 'POST',
    path: '/legacy/2.0.0/nothing/here',
    headers: KEY,
    status: 503,
    code: 700700,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: BLOCKED,
  },
  {
    name: 'no credentials',
    path: '/pizzashack/1.0.0/menu',
    status: 401,
    code: 900902,
    expectHeaders: AUTH_401,
    text: MISSING,
  },
  {
    name: 'an empty apikey header',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: ' ' },
    status: 401,
    code: 900902,
    expectHeaders: AUTH_401,
    text: MISSING,
  },
  {
    name: 'an unknown API key',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'no-such-key' },
    status: 401,
    code: 900901,
    expectHeaders: AUTH_401,
    text: INVALID,
  },
  {
    name: "the seed's unknown bearer token",
    path: CONVERT_REQUEST.path,
    headers: CONVERT_REQUEST.headers,
    status: 401,
    code: 900901,
    expectHeaders: AUTH_401,
    text: INVALID,
  },
  {
    name: 'a Basic credential',
    path: '/pizzashack/1.0.0/menu',
    headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' },
    status: 401,
    code: 900901,
    expectHeaders: AUTH_401,
    text: INVALID,
  },
  {
    name: 'an API key sent as a bearer token',
    path: '/pizzashack/1.0.0/menu',
    headers: { authorization: 'Bearer pizzashack-key-0001' },
    status: 401,
    code: 900901,
    expectHeaders: AUTH_401,
    text: INVALID,
  },
  {
    name: 'an expired token',
    path: '/pizzashack/1.0.0/menu',
    headers: EXPIRED_TOKEN,
    status: 401,
    code: 900903,
    expectHeaders: AUTH_401,
    text: EXPIRED,
  },
  {
    name: 'an application not subscribed to the API',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'quote-key-0005' },
    status: 403,
    code: 900908,
    expectHeaders: AUTH_403,
    text: FORBIDDEN,
  },
  {
    name: 'a subscription awaiting approval',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'pending-key-0003' },
    status: 401,
    code: 900909,
    expectHeaders: AUTH_401,
    text: INACTIVE,
  },
  {
    name: 'a subscription the publisher blocked',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'suspended-key-0004' },
    status: 401,
    code: 900907,
    expectHeaders: AUTH_401,
    text: SUSPENDED,
  },
  {
    name: 'a token without the resource scope',
    method: 'POST',
    path: '/pizzashack/1.0.0/order',
    headers: { ...READ_TOKEN, 'content-type': 'application/json' },
    body: ORDER,
    status: 403,
    code: 900910,
    expectHeaders: { ...AUTH_403, 'access-control-allow-methods': 'POST' },
    text: SCOPE,
  },
  {
    name: 'a body larger than the gateway accepts',
    method: 'POST',
    path: '/pizzashack/1.0.0/order',
    headers: { ...ORDER_TOKEN, 'content-type': 'application/json' },
    body: `{"note":"${'x'.repeat(5000)}"}`,
    status: 413,
    code: 413,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: runtimeError(413, 'The request body is too large'),
  },
];

// An XML Accept changes nothing on 4.x: every sequence's payloadFactory is JSON.
const XML_AS_JSON: readonly FaultCase[] = [
  {
    name: 'an unknown API key',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'no-such-key', accept: 'application/xml' },
    status: 401,
    code: 900901,
    expectHeaders: AUTH_401,
    text: INVALID,
  },
  {
    name: 'a BLOCKED API',
    path: '/legacy/2.0.0/orders',
    headers: { accept: 'text/xml' },
    status: 503,
    code: 700700,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: BLOCKED,
  },
  {
    name: 'an unknown API',
    path: '/burgershack/1.0.0/menu',
    headers: { accept: 'application/xml' },
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': JSON_TYPE },
    text: MAIN_404,
  },
];

// The 3.x XML bodies, from the gateway with profile apim-3.2.
const XML_FAULTS: readonly FaultCase[] = [
  {
    name: 'an unknown API key',
    path: '/pizzashack/1.0.0/menu',
    headers: { apikey: 'no-such-key', accept: 'application/xml' },
    status: 401,
    code: 900901,
    expectHeaders: {
      ...AUTH_401,
      'www-authenticate': CHALLENGE_3_2,
      'content-type': 'application/xml; charset=UTF-8',
    },
    text:
      '<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900901</ams:code><ams:message>Invalid Credentials</ams:message>' +
      '<ams:description>Invalid Credentials. Make sure you have provided the correct security credentials</ams:description></ams:fault>',
  },
  {
    name: 'an unknown resource',
    path: '/pizzashack/1.0.0/drinks',
    headers: { accept: 'text/xml' },
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': 'text/xml; charset=UTF-8' },
    text:
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>404</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message>' +
      '<am:description>No matching resource found for given API Request</am:description></am:fault>',
  },
  {
    name: 'a BLOCKED API',
    path: '/legacy/2.0.0/orders',
    headers: { accept: 'application/xml' },
    status: 503,
    code: 700700,
    expectHeaders: { 'content-type': 'application/xml; charset=UTF-8' },
    text:
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>700700</am:code><am:message>API blocked</am:message>' +
      '<am:description>This API has been blocked temporarily. Please try again later or contact the system administrators.</am:description></am:fault>',
  },
  {
    name: 'an unknown API',
    path: '/burgershack/1.0.0/menu',
    headers: { accept: 'application/xml' },
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': 'application/xml; charset=UTF-8' },
    text:
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>404</am:code><am:type>Status report</am:type><am:message>Not Found</am:message>' +
      '<am:description>The requested resource is not available.</am:description></am:fault>',
  },
];

const SOAP_FAULTS: readonly FaultCase[] = [
  {
    name: 'a SOAP client without credentials',
    method: 'POST',
    path: '/stockquote/1.0.0/quote',
    headers: SOAP_CLIENT,
    body: QUOTE_ENVELOPE,
    status: 401,
    code: 900902,
    expectHeaders: {
      ...AUTH_401,
      'content-type': 'text/xml; charset=UTF-8',
      'access-control-allow-methods': 'POST',
    },
    text: soapFault('Client', 'Authentication Failure', 'Missing Credentials'),
  },
  {
    name: 'a SOAP client calling an unknown API',
    method: 'POST',
    path: '/stockquote/9.9.9/quote',
    headers: SOAP_CLIENT,
    body: QUOTE_ENVELOPE,
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': 'text/xml; charset=UTF-8' },
    text: soapFault('Server', 'The requested endpoint is not available.'),
  },
  {
    name: 'a SOAP envelope without SOAPAction, to an unknown operation',
    method: 'POST',
    path: '/stockquote/1.0.0/getQuote',
    headers: { 'content-type': 'text/xml' },
    body: QUOTE_ENVELOPE,
    status: 404,
    code: 404,
    expectHeaders: { 'content-type': 'text/xml; charset=UTF-8' },
    text: soapFault('Server', 'No matching resource found for given API Request'),
  },
];

describe('the ESB gateway example', () => {
  // The responses the README shows, in its order: an unknown API key, a backend that never
  // answers, and the documentation's custom sequence.
  const samples = responseSamples('examples/esb-gateway/README.md');

  it('should show three responses in its README', () => {
    expect(samples.length).toBe(3);
  });

  it("should send the README's first response for an unknown API key, every header as curl prints it", async () => {
    const sent = await curl(gateway.url, 'GET', '/pizzashack/1.0.0/menu', {
      apikey: 'no-such-key',
    });
    expect(masked(samples[0]!)).toEqual(masked(sent));
  });

  it("should send the README's second response for a backend that never answers, every header as curl prints it", async () => {
    const sent = await curl(impatient.url, 'GET', '/flaky/1.0.0/hang', KEY);
    expect(masked(samples[1]!)).toEqual(masked(sent));
  });

  describe('when the request reaches the backend', () => {
    it('should relay the menu with the CORS headers, without the API key', async () => {
      const res = await call('GET', '/pizzashack/1.0.0/menu?size=large', {
        ...KEY,
        'x-forwarded-for': '10.0.0.1',
        activityid: 'mine',
      });
      expect({ status: res.status, headers: picked(res), logged: log.calls.length }).toEqual({
        status: 200,
        headers: {
          'content-type': 'application/json',
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET',
        },
        logged: 0,
      });
      expect(res.headers['access-control-allow-headers']).toBe(CORS_HEADERS);
      expect((JSON.parse(res.text) as { name: string }[]).map((p) => p.name)).toEqual([
        'Chicken Parmesan',
        'Tuscan Six Cheese',
        'Hawaiian BBQ Chicken',
      ]);
      const seen = backend.received.at(-1);
      expect(seen?.url).toBe('/pizzashack/menu?size=large');
      expect(seen?.headers.apikey).toBeUndefined();
      expect(seen?.headers['x-forwarded-for']).toBe(`10.0.0.1, ${HOST}`);
      expect(seen?.headers.activityid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('should forward an order and its body, without the bearer token', async () => {
      const res = await call(
        'POST',
        '/pizzashack/1.0.0/order',
        { ...ORDER_TOKEN, 'content-type': 'application/json' },
        ORDER,
      );
      expect([res.status, res.headers['access-control-allow-methods'], log.calls.length]).toEqual([
        201,
        'POST',
        0,
      ]);
      expect(JSON.parse(res.text)).toMatchObject({
        pizzaType: 'Chicken Parmesan',
        quantity: 2,
        total: '29.98',
        status: 'received',
      });
      const seen = backend.received.at(-1);
      expect([seen?.body, seen?.headers.authorization]).toEqual([ORDER, undefined]);
    });

    it('should relay a SOAP response', async () => {
      const res = await call(
        'POST',
        '/stockquote/1.0.0/quote',
        { ...SOAP_CLIENT, apikey: 'quote-key-0005' },
        QUOTE_ENVELOPE,
      );
      expect([res.status, res.headers['content-type']]).toEqual([200, 'text/xml; charset=UTF-8']);
      expect(res.text).toContain('<ns:last>42.5</ns:last>');
    });

    it("should relay the backend's own 404 as it is, not as a gateway fault", async () => {
      const res = await call('GET', '/pizzashack/1.0.0/order/ord-999', KEY);
      expect([res.status, res.text, log.calls.length]).toEqual([
        404,
        '{"error":"no such order"}',
        0,
      ]);
    });
  });

  describe.each([
    ['a JSON client', GATEWAY_FAULTS, false],
    ['an XML client (APIM 4.x answers JSON)', XML_AS_JSON, false],
    ["an XML client, with profile 'apim-3.2'", XML_FAULTS, true],
    ['a SOAP client', SOAP_FAULTS, false],
  ] as const)('when the gateway refuses %s', (_kind, cases, v32) => {
    it.each(cases)('should answer $name with $status $code and the whole body', async (c) => {
      const res = await call(
        c.method ?? 'GET',
        c.path,
        c.headers,
        c.body,
        v32 ? gateway32 : gateway,
      );
      expect({ status: res.status, headers: picked(res), text: res.text }).toEqual({
        status: c.status,
        headers: c.expectHeaders,
        text: c.text,
      });
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(c.text)));
      expectLoggedOnce(c.code, c.status);
    });
  });

  describe('when the backend fails', () => {
    interface TransportCase {
      readonly name: string;
      readonly path: string;
      readonly code: number;
      /** The base and state the code is made of, as logged. */
      readonly pair: string;
      readonly description: string;
    }
    // Synapse's ERROR_MESSAGE: DeliveryAgent.errorConnecting, and TargetHandler for an open connection.
    const CONNECTING = 'Error connecting to the back end';
    const SENDER = 'Error in Sender';
    const cases: readonly TransportCase[] = [
      {
        name: 'is down (connection refused)',
        path: '/warehouse/1.0.0/stock',
        code: 101503,
        pair: 'CONNECTION_FAILED+REQUEST_READY',
        description: CONNECTING,
      },
      {
        name: 'reads the request and never answers',
        path: '/flaky/1.0.0/hang',
        code: 101507,
        pair: 'CONNECTION_TIMEOUT+REQUEST_DONE',
        description: SENDER,
      },
      {
        name: 'closes the connection before answering',
        path: '/flaky/1.0.0/crash',
        code: 101508,
        pair: 'CONNECTION_CLOSED+REQUEST_DONE',
        description: SENDER,
      },
      {
        name: 'closes the connection in the middle of the body',
        path: '/flaky/1.0.0/cut',
        code: 101510,
        pair: 'CONNECTION_CLOSED+RESPONSE_BODY',
        description: SENDER,
      },
      {
        name: 'stops sending in the middle of the body',
        path: '/flaky/1.0.0/stall',
        code: 101505,
        pair: 'SND_IO_ERROR_SENDING+RESPONSE_BODY',
        description: SENDER,
      },
      {
        name: 'sends a response head that is not HTTP/1.1',
        path: '/flaky/1.0.0/garbage',
        code: 101510,
        pair: 'PROTOCOL_VIOLATION+RESPONSE_HEAD',
        description: SENDER,
      },
      {
        name: 'labels a plain body as gzip',
        path: '/flaky/1.0.0/gzip',
        code: 101505,
        pair: 'SND_IO_ERROR_SENDING+RESPONSE_BODY',
        description: SENDER,
      },
    ];

    it.each(cases)(
      'should answer a backend that $name with $code ($pair)',
      async ({ path, code, pair, description }) => {
        // A backend that hangs or stalls is cut off by the gateway's timeout.
        const res = await call(
          'GET',
          path,
          KEY,
          undefined,
          /\/(?:hang|stall)$/.test(path) ? impatient : gateway,
        );
        expect({ status: res.status, headers: picked(res), text: res.text }).toEqual({
          status: 500,
          headers: {
            'content-type': JSON_TYPE,
            'access-control-allow-origin': '*',
            'access-control-allow-methods': 'GET',
          },
          text: runtimeError(code, description),
        });
        expectLoggedOnce(code, 500, pair);
        const [base, state] = pair.split('+');
        expect(esb.decodeTransportCode(code)).toContainEqual(
          expect.objectContaining({ base, state }),
        );
      },
    );

    it('should keep 101507 apart from CONNECT_CANCEL only by its description', () => {
      // The arithmetic collides: a headers timeout after the request was sent and a cancelled
      // connect are both 101507. The gateway's is the timeout, and Synapse's text says so.
      const pairs = esb.decodeTransportCode(101507).map((c) => `${c.base}+${c.state}`);
      expect(pairs).toEqual(
        expect.arrayContaining(['CONNECTION_TIMEOUT+REQUEST_DONE', 'CONNECT_CANCEL+REQUEST_READY']),
      );
      expect(
        esb.fromNetworkError(
          new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
        )?.message,
      ).toBe(CONNECTING);
    });

    it('should answer a backend that is not running at all with 101503', async () => {
      const down = await startGateway({ backendUrl: `http://${HOST}:${await closedPort()}` });
      try {
        const res = await send(down.url, 'GET', '/pizzashack/1.0.0/menu', KEY);
        expect([res.status, res.text]).toEqual([500, runtimeError(101503, CONNECTING)]);
      } finally {
        await down.close();
      }
    });

    it('should send XML (profile apim-3.2) and SOAP clients the fault sequence in their format', async () => {
      expect(
        (await call('GET', '/flaky/1.0.0/cut', { ...KEY, accept: 'application/xml' })).text,
      ).toBe(runtimeError(101510, SENDER));
      const xml = await call(
        'GET',
        '/flaky/1.0.0/cut',
        { ...KEY, accept: 'application/xml' },
        undefined,
        gateway32,
      );
      expect([xml.status, xml.headers['content-type'], xml.text]).toEqual([
        500,
        'application/xml; charset=UTF-8',
        '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>101510</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message><am:description>Error in Sender</am:description></am:fault>',
      ]);
      const soap = await call('GET', '/warehouse/1.0.0/stock', { ...KEY, soapaction: '' });
      expect([soap.status, soap.headers['content-type'], soap.text]).toEqual([
        500,
        'text/xml; charset=UTF-8',
        soapFault('Server', CONNECTING),
      ]);
    });
  });

  describe('when an application spends its quota', () => {
    let fixed: Gateway;
    let sliding: Gateway;
    beforeAll(async () => {
      fixed = await startGateway({
        backendUrl: backend.url,
        applications: demoApplications('fixed'),
        logger: log.logger,
        clock: () => clock,
      });
      sliding = await startGateway({
        backendUrl: backend.url,
        applications: demoApplications('sliding'),
        logger: log.logger,
        clock: () => clock,
      });
    });
    afterAll(async () => {
      await Promise.all([fixed.close(), sliding.close()]);
      clock = START;
    });

    const menu = (gw: Gateway, headers: OutgoingHttpHeaders = TRIAL) => {
      log.calls.length = 0;
      return send(gw.url, 'GET', '/pizzashack/1.0.0/menu', headers);
    };

    it('should throttle the 4th request of a fixed minute with 900803 and Retry-After, then reopen at the next minute', async () => {
      clock = START;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await menu(fixed)).status);
      expect(statuses).toEqual([200, 200, 200]);

      const res = await menu(fixed);
      expect({ status: res.status, headers: picked(res), text: res.text }).toEqual({
        status: 429,
        headers: {
          'content-type': JSON_TYPE,
          'retry-after': 'Tue, 10 Feb 2026 16:20:00 GMT',
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET',
        },
        text: THROTTLED,
      });
      expectLoggedOnce(900803, 429, 'APPLICATION_THROTTLE_OUT');

      // APIM 4.x answers an XML client in JSON too (the 3.x amt: body: test/esb-golden.test.ts).
      const xml = await menu(fixed, { ...TRIAL, accept: 'application/xml' });
      expect([
        xml.status,
        xml.headers['retry-after'],
        xml.headers['content-type'],
        xml.text,
      ]).toEqual([429, 'Tue, 10 Feb 2026 16:20:00 GMT', JSON_TYPE, THROTTLED]);
      const soap = await menu(fixed, { ...TRIAL, soapaction: '' });
      expect([soap.status, soap.text]).toEqual([
        429,
        soapFault(
          'Server',
          'Message throttled out',
          `You have exceeded your quota .You can access API after ${NEXT_UTC}`,
        ),
      ]);

      // Another application has its own quota.
      expect((await menu(fixed, KEY)).status).toBe(200);
      clock = Date.UTC(2026, 1, 10, 16, 20, 0);
      expect((await menu(fixed)).status).toBe(200);
    });

    it('should count a sliding minute from each request, not from the clock minute', async () => {
      const at = (h: number, m: number, s: number) => Date.UTC(2026, 1, 10, h, m, s);
      for (const s of [30, 40, 50]) {
        clock = at(16, 19, s);
        expect((await menu(sliding)).status).toBe(200);
      }
      clock = at(16, 19, 55);
      const first = await menu(sliding);
      expect([first.status, first.headers['retry-after']]).toEqual([
        429,
        'Tue, 10 Feb 2026 16:20:30 GMT',
      ]);
      // A fixed window would have reopened at 16:20:00; the request of 16:19:30 still counts.
      clock = at(16, 20, 5);
      const second = await menu(sliding);
      expect([second.status, second.text]).toEqual([
        429,
        '{"code":"900803","message":"Message throttled out","description":"You have exceeded your quota .You can access API after 2026-Feb-10 16:20:30+0000 UTC","nextAccessTime":"2026-Feb-10 16:20:30+0000 UTC"}',
      ]);
      clock = at(16, 20, 30);
      expect((await menu(sliding)).status).toBe(200);
    });

    it('should let requests through, and warn, when the counter store fails', async () => {
      const broken: RateLimitStore = {
        hit: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
        close: async () => {},
      };
      const warned = recorder();
      const open = await startGateway({
        backendUrl: backend.url,
        limiter: { store: broken },
        logger: warned.logger,
      });
      try {
        const res = await send(open.url, 'GET', '/pizzashack/1.0.0/menu', TRIAL);
        expect(res.status).toBe(200);
        expect(warned.calls.map((c) => [c.level, c.msg])).toEqual([
          ['warn', 'rate limit store unavailable; request allowed'],
        ]);
      } finally {
        await open.close();
      }
    });
  });

  describe("when the seed's convert.xml answers authentication failures", () => {
    let converted: Gateway;
    beforeAll(async () => {
      converted = await startGateway({
        backendUrl: backend.url,
        sequences: readSequences(SEQUENCES),
        customAuthFault: 'convert',
        logger: log.logger,
      });
    });
    afterAll(() => converted.close());

    it('should ship convert.xml exactly as the seed prints it', () => {
      expect(readFileSync(join(SEQUENCES, 'convert.xml'), 'utf8')).toBe(`${CONVERT_XML}\n`);
    });

    it("should answer the seed's curl with 555, the seed's headers and its body byte for byte", async () => {
      log.calls.length = 0;
      const res = await send(
        converted.url,
        CONVERT_REQUEST.method,
        CONVERT_REQUEST.path,
        CONVERT_REQUEST.headers,
      );
      expect(res.status).toBe(CONVERT_RESPONSE.status);
      const seedHeaders = CONVERT_RESPONSE.headers.filter(
        ([name]) => !['Date', 'Transfer-Encoding'].includes(name),
      );
      expect(seedHeaders.map(([name]) => [name, res.headers[name.toLowerCase()]])).toEqual(
        seedHeaders,
      );
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.text).toBe(CONVERT_RESPONSE.body);
      expectLoggedOnce(900901, 401);
    });

    it("should send the README's third response, every header as curl prints it", async () => {
      const sent = await curl(
        converted.url,
        CONVERT_REQUEST.method,
        CONVERT_REQUEST.path,
        CONVERT_REQUEST.headers as Record<string, string>,
      );
      expect(masked(responseSamples('examples/esb-gateway/README.md')[2]!)).toEqual(masked(sent));
    });

    it('should send every authentication failure through it', async () => {
      const res = await send(converted.url, 'GET', '/pizzashack/1.0.0/menu', {
        accept: 'application/xml',
      });
      expect([res.status, res.headers['content-type'], res.text]).toEqual([
        555,
        'application/json; charset=UTF-8',
        '{"fault":{"code":900902,"type":"Status report","message":"Runtime Error","description":"Missing Credentials"}}',
      ]);
    });

    it('should leave the other sequences alone', async () => {
      const res = await send(converted.url, 'GET', '/pizzashack/1.0.0/drinks', KEY);
      expect([res.status, res.text]).toEqual([404, NO_RESOURCE]);
    });

    it('should refuse at start-up a custom sequence that is not defined', () => {
      expect(() => createApp({ backendUrl: backend.url, customAuthFault: 'convert' })).toThrow(
        new TypeError(
          "esb-gateway: options.customAuthFault names 'convert', which is not in options.sequences",
        ),
      );
    });
  });
});

// redis-server on a free loopback port, without persistence, for the shared quota.
async function startRedis(): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await closedPort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'redis-server is not on the PATH: the shared-quota tests need it (Debian: apt-get install redis-server; pnpm test installs it when it can)',
            )
          : error,
      );
    });
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `redis://${HOST}:${port}`,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// One raw RESP command: enough to flush the scripts without a client library in the test.
function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST, () =>
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
      ),
    );
    socket.once('data', (reply) => {
      socket.end();
      resolve(reply.toString().trim());
    });
    socket.once('error', reject);
  });
}

describe('two gateway instances with REDIS_URL', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const stores: RedisStore[] = [];
  const instances: Gateway[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    for (const algorithm of ['fixed', 'fixed', 'sliding', 'sliding'] as const) {
      const store = await RedisStore.connect(redis.url, { prefix: `test:${algorithm}:` });
      stores.push(store);
      instances.push(
        await startGateway({
          backendUrl: backend.url,
          applications: demoApplications(algorithm),
          limiter: { store },
          clock: () => clock,
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await Promise.all(stores.map((s) => s.close()));
    await redis?.stop();
    clock = START;
  });

  const menu = (gw: Gateway | undefined) =>
    send((gw as Gateway).url, 'GET', '/pizzashack/1.0.0/menu', TRIAL);

  it('should hold one fixed-window quota across both instances', async () => {
    clock = START;
    const [a, b] = instances;
    const answers = [];
    for (const gw of [a, b, a, b, a]) answers.push(await menu(gw));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]?.text).toBe(THROTTLED);
    expect(answers[4]?.headers['retry-after']).toBe('Tue, 10 Feb 2026 16:20:00 GMT');
  });

  it('should hold one sliding-window quota across both instances', async () => {
    const [, , a, b] = instances;
    const at = (s: number) => Date.UTC(2026, 1, 10, 16, 21, s);
    const statuses = [];
    for (const [gw, s] of [
      [a, 10],
      [b, 20],
      [a, 30],
      [b, 40],
    ] as const) {
      clock = at(s);
      statuses.push((await menu(gw)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    clock = Date.UTC(2026, 1, 10, 16, 22, 10);
    expect((await menu(a)).status).toBe(200);
    expect((await menu(b)).status).toBe(429);
  });

  it('should be what makes the quota shared: two in-memory instances each allow the whole quota', async () => {
    const alone = [
      await startGateway({ backendUrl: backend.url, clock: () => clock }),
      await startGateway({ backendUrl: backend.url, clock: () => clock }),
    ];
    try {
      clock = Date.UTC(2026, 1, 10, 16, 30, 0);
      const statuses = [];
      for (const gw of [alone[0], alone[1], alone[0], alone[1], alone[0], alone[1]])
        statuses.push((await menu(gw)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    } finally {
      await Promise.all(alone.map((g) => g.close()));
    }
  });

  it('should reload its script when Redis has lost it', async () => {
    expect(await redisCommand(redis.port, 'SCRIPT', 'FLUSH')).toBe('+OK');
    clock = Date.UTC(2026, 1, 10, 16, 40, 0);
    expect((await menu(instances[0])).status).toBe(200);
  });
});
