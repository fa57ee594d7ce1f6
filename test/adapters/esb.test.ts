/**
 * The ESB dialect through Express 4, Express 5 and Fastify 5: the seed's custom error example
 * end to end (status 555, CORS header, exact body), a 401 with `WWW-Authenticate`, a
 * throttle-out with `Retry-After`, a SOAP fault, and the same bytes from every adapter.
 */
import type { FaultHandlerOptions } from '@faultline/core';
import { esb } from '../../packages/core/src/dialects/esb/index';
import type { EsbOptions } from '../../packages/core/src/dialects/esb/index';
import { CONVERT_REQUEST, CONVERT_RESPONSE, CONVERT_XML } from '../fixtures/esb-seed';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';
import { parseXml } from '../support/xml';

const NEXT = new Date(Date.UTC(2026, 1, 10, 16, 20, 0));
const AUTH_BODY =
  '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}';
const THROTTLE_BODY =
  '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC","nextAccessTime":"2026-Feb-10 16:20:00+0000 UTC"}';
const SOAP_ENVELOPE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>';

const ROUTES: readonly FailingRoute[] = [
  { path: CONVERT_REQUEST.path, error: () => esb.fault(900901) },
  { path: '/auth', error: () => esb.fault(900901) },
  { path: '/throttle', error: () => esb.fault(900800, { nextAccessTime: NEXT }) },
  { path: '/blocked', error: () => esb.fault(700700) },
  {
    path: '/backend',
    error: () =>
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:8080'), {
          code: 'ECONNREFUSED',
        }),
      }),
  },
];

// Until the lead registers the dialect, its options travel under the key `esb` untyped.
function options(
  esbOptions: EsbOptions | undefined,
  logger: FaultHandlerOptions['logger'],
): FaultHandlerOptions {
  const all: FaultHandlerOptions & { esb?: EsbOptions } = {
    dialect: esb,
    esb: esbOptions,
    logger,
    correlationId: () => 'id-1',
  };
  return all;
}

function wire(res: RawResponse): object {
  const pick = ['www-authenticate', 'retry-after', 'access-control-allow-origin'];
  return {
    status: res.status,
    headers: {
      ...faultHeaders(res.headers),
      ...Object.fromEntries(pick.map((n) => [n, res.headers[n]])),
    },
    text: res.text,
  };
}

const servers = new Map<string, { plain: Running; converted: Running }>();
const log = recorder();

beforeAll(async () => {
  for (const adapter of ADAPTERS) {
    servers.set(adapter.name, {
      plain: await adapter.start(ROUTES, options(undefined, log.logger)),
      converted: await adapter.start(
        ROUTES,
        options(
          { sequences: { convert: CONVERT_XML }, use: { _auth_failure_handler_: 'convert' } },
          false,
        ),
      ),
    });
  }
});
afterAll(async () => {
  for (const { plain, converted } of servers.values())
    await Promise.all([plain.close(), converted.close()]);
});

function server(name: string, kind: 'plain' | 'converted'): Running {
  const found = servers.get(name);
  if (found === undefined) throw new Error(`no server for ${name}`);
  return found[kind];
}

describe.each(ADAPTERS)('the esb dialect through $name', (adapter) => {
  describe("when the seed's convert sequence answers an invalid token", () => {
    it('should send status 555, Access-Control-Allow-Origin: * and the converted body byte for byte', async () => {
      const res = await call(
        server(adapter.name, 'converted').url,
        CONVERT_REQUEST.method,
        CONVERT_REQUEST.path,
        CONVERT_REQUEST.headers,
      );
      expect(res.status).toBe(CONVERT_RESPONSE.status);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
      expect(res.text).toBe(CONVERT_RESPONSE.body);
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(CONVERT_RESPONSE.body)));
    });
  });

  describe('when the token is invalid', () => {
    it('should send 401 with the invalid_token challenge', async () => {
      const res = await call(server(adapter.name, 'plain').url, 'GET', '/auth', {
        accept: 'application/json',
      });
      expect([res.status, res.text]).toEqual([401, AUTH_BODY]);
      expect(res.headers['www-authenticate']).toBe(
        'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"',
      );
    });
  });

  describe('when the request is throttled out', () => {
    it('should send 429 with Retry-After as an HTTP-date and the next access time', async () => {
      const res = await call(server(adapter.name, 'plain').url, 'GET', '/throttle');
      expect([res.status, res.headers['retry-after'], res.text]).toEqual([
        429,
        'Tue, 10 Feb 2026 16:20:00 GMT',
        THROTTLE_BODY,
      ]);
    });
  });

  describe('when a SOAP client is not authenticated', () => {
    it('should send a SOAP 1.1 Client fault that parses', async () => {
      const res = await call(
        server(adapter.name, 'plain').url,
        'POST',
        '/auth',
        { soapaction: '"urn:getMenu"', 'content-type': 'text/xml; charset=utf-8' },
        SOAP_ENVELOPE,
      );
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
      const fault = parseXml(res.text) as {
        'soapenv:Envelope': { 'soapenv:Body': { 'soapenv:Fault': Record<string, unknown> } };
      };
      expect(fault['soapenv:Envelope']['soapenv:Body']['soapenv:Fault']).toEqual({
        faultcode: 'soapenv:Client',
        faultstring: 'Authentication Failure',
        detail: 'Invalid Credentials',
      });
    });
  });

  describe('when the backend refuses the connection', () => {
    it('should send the fault sequence with 101503 and no socket details', async () => {
      const res = await call(server(adapter.name, 'plain').url, 'GET', '/backend');
      expect([res.status, res.text]).toEqual([
        500,
        '{"code":"101503","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
      ]);
    });
  });

  describe('when no route matches', () => {
    it("should send the main sequence's 404", async () => {
      const res = await call(server(adapter.name, 'plain').url, 'GET', '/nothing/here?x=<b>');
      expect([res.status, res.text]).toEqual([
        404,
        '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
      ]);
    });
  });
});

describe('the esb dialect across adapters', () => {
  interface Case {
    readonly label: string;
    readonly kind: 'plain' | 'converted';
    readonly method: string;
    readonly path: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  }
  const cases: readonly Case[] = [
    {
      label: 'the convert example',
      kind: 'converted',
      method: CONVERT_REQUEST.method,
      path: CONVERT_REQUEST.path,
      headers: CONVERT_REQUEST.headers,
    },
    { label: 'a 401', kind: 'plain', method: 'GET', path: '/auth', headers: {} },
    {
      label: 'a 401 as XML',
      kind: 'plain',
      method: 'GET',
      path: '/auth',
      headers: { accept: 'application/xml' },
    },
    {
      label: 'a 401 as SOAP',
      kind: 'plain',
      method: 'POST',
      path: '/auth',
      headers: { soapaction: '', 'content-type': 'text/xml' },
      body: SOAP_ENVELOPE,
    },
    { label: 'a throttle-out', kind: 'plain', method: 'GET', path: '/throttle', headers: {} },
    { label: 'a blocked API', kind: 'plain', method: 'DELETE', path: '/blocked', headers: {} },
    {
      label: 'a refused backend',
      kind: 'plain',
      method: 'GET',
      path: '/backend',
      headers: { accept: 'text/xml' },
    },
    { label: 'no route', kind: 'plain', method: 'PUT', path: '/nothing', headers: {} },
  ];

  it.each(cases)(
    'should answer $label with the same status, headers and bytes everywhere',
    async ({ kind, method, path, headers, body }) => {
      const answers = [];
      for (const adapter of ADAPTERS)
        answers.push(wire(await call(server(adapter.name, kind).url, method, path, headers, body)));
      expect(answers).toHaveLength(3);
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    },
  );

  it('should log every fault of the plain servers with its ESB code', () => {
    const codes = new Set(log.calls.map((c) => c.event.code));
    expect(codes).toEqual(new Set([900901, 900800, 700700, 101503, 404]));
  });
});

describe.each(ADAPTERS)('a custom sequence with a status above 599 through $name', (adapter) => {
  let server: Running;
  beforeAll(async () => {
    const custom = {
      mediaType: 'json' as const,
      format: '{"err":"$1"}',
      args: ['ERROR_CODE' as const],
      status: 777,
    };
    server = await adapter.start([{ path: '/auth', error: () => esb.fault(900901) }], {
      dialect: 'esb',
      esb: { sequences: { odd: custom }, use: { _auth_failure_handler_: 'odd' } },
      logger: false,
      correlationId: () => 'id-1',
    });
  });
  afterAll(() => server.close());

  it('should send that status as asked, not the text/plain fallback', async () => {
    const res = await call(server.url, 'GET', '/auth');
    expect(res.status).toBe(777);
    expect(res.text).toBe('{"err":"900901"}');
  });
});
