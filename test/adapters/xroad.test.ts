/**
 * The X-Road dialect through every adapter (Express 4, Express 5, Fastify 5): the seed's three
 * examples byte for byte as X-Road 7.5–7.8 sends them, and the same failing requests giving the
 * same status, headers and byte-exact body everywhere, each fault logged once.
 * `xroad-upstream.test.ts` holds every other fact of the real security server.
 */
import { xroad } from '@faultline/core';
import type { FaultHandlerOptions, LogLevel } from '@faultline/core';
import { SEED } from '../fixtures/xroad-seed';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';
import { parseXml } from '../support/xml';

// The wire form of the seed's examples: compact, as the security server's writers emit it.
const JSON_BODY = `{"type":"${SEED.code}","message":"${SEED.message}","detail":"${SEED.restDetail}"}`;
const XML_BODY =
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' +
  `<error><type>${SEED.code}</type><message>${SEED.message}</message><detail>${SEED.restDetail}</detail></error>`;
const SOAP_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
  `<faultcode>${SEED.code}</faultcode><faultstring>${SEED.message}</faultstring><faultactor></faultactor>` +
  `<detail><faultDetail xmlns="">${SEED.soapDetail}</faultDetail></detail>` +
  '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

// Whitespace between tags is the seed document's rendering, and `<x />` equals `<x></x>`.
function withoutLayout(xml: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(xml), (key, value: unknown) => {
    if (key === '#text' && typeof value === 'string' && value.trim() === '') return undefined;
    if (key.startsWith('@xmlns') && value === '') return undefined;
    if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '#text')
        return (value as Record<string, unknown>)['#text'];
    }
    return value;
  }) as unknown;
}

describe.each(ADAPTERS)('the seed examples through $name', (adapter) => {
  let server: Running;
  const log = recorder();

  beforeAll(async () => {
    server = await adapter.start(
      [{ path: '/r1/cert', error: () => xroad.fault(SEED.code, SEED.message) }],
      {
        dialect: 'xroad',
        xroad: { side: 'client' },
        logger: log.logger,
        correlationId: (request) => String(request.headers?.['x-test-id']),
      },
    );
  });
  afterAll(() => server.close());

  describe('when the client accepts JSON', () => {
    it('should send the REST JSON body byte for byte with status 500', async () => {
      const res = await call(server.url, 'GET', '/r1/cert', { 'x-test-id': SEED.restDetail });
      expect(res.status).toBe(500);
      expect(res.text).toBe(JSON_BODY);
      expect(faultHeaders(res.headers)).toEqual({
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(JSON_BODY)),
        'x-road-error': SEED.code,
        soapaction: undefined,
        'x-content-type-options': 'nosniff',
      });
      expect(JSON.parse(res.text)).toEqual(JSON.parse(SEED.json));
    });
  });

  describe('when the client accepts XML', () => {
    it('should send the REST XML body byte for byte', async () => {
      const res = await call(server.url, 'GET', '/r1/cert', {
        'x-test-id': SEED.restDetail,
        accept: 'application/xml',
      });
      expect(res.status).toBe(500);
      expect(res.text).toBe(XML_BODY);
      expect(res.headers['content-type']).toBe('application/xml;charset=utf-8');
      expect(res.headers['x-road-error']).toBe(SEED.code);
      expect(withoutLayout(parseXml(res.text))).toEqual(withoutLayout(parseXml(SEED.xml)));
    });
  });

  describe('when the request is a SOAP request', () => {
    it('should send the SOAP 1.1 fault byte for byte with status 200 and an empty SOAPAction', async () => {
      const res = await call(
        server.url,
        'POST',
        '/r1/cert',
        {
          'x-test-id': SEED.soapDetail,
          soapaction: '""',
          'content-type': 'text/xml;charset=utf-8',
        },
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body/></SOAP-ENV:Envelope>',
      );
      expect(res.status).toBe(200);
      expect(res.text).toBe(SOAP_BODY);
      expect(faultHeaders(res.headers)).toEqual({
        'content-type': 'text/xml;charset=utf-8',
        'content-length': String(Buffer.byteLength(SOAP_BODY)),
        'x-road-error': undefined,
        soapaction: '',
        'x-content-type-options': 'nosniff',
      });
      expect(withoutLayout(parseXml(res.text))).toEqual(withoutLayout(parseXml(SEED.soap)));
    });
  });

  it('should log every fault once with the id the body carries', () => {
    expect(log.calls.map((c) => c.event.correlationId)).toEqual([
      SEED.restDetail,
      SEED.restDetail,
      SEED.soapDetail,
    ]);
    expect(log.calls.every((c) => c.level === 'error' && c.event.code === SEED.code)).toBe(true);
  });
});

const ID = 'c0ffee00-0000-4000-8000-0000000000ad';

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
    path: '/r1/service',
    error: () => xroad.fault('UnknownService', 'Unknown service: SERVICE:EE/GOV/123/app/getPerson'),
  },
  {
    path: '/r1/crash',
    error: () => new TypeError("Cannot read properties of undefined (reading 'member')"),
  },
  {
    path: '/r1/denied',
    error: () => xroad.fault('Server.ServerProxy.AccessDenied', 'Access denied'),
  },
  {
    path: '/r1/token',
    error: () =>
      new HttpError(401, 'Token expired', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  },
  {
    path: '/r1/async',
    error: () =>
      xroad.fault('Server.ServerProxy.ServiceFailed.Timeout', 'The service did not answer in time'),
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
  readonly contentType: string;
  /** The whole body, byte for byte. */
  readonly text: string;
  readonly level: LogLevel;
  /** Express 4 cannot catch a rejected promise: such cases skip it. */
  readonly async?: boolean;
}

const rest = (code: string, message: string): string =>
  `{"type":"${code}","message":${JSON.stringify(message)},"detail":"${ID}"}`;

const CASES: readonly Case[] = [
  {
    name: 'a thrown fault with an unprefixed code',
    method: 'GET',
    path: '/r1/service',
    status: 500,
    code: 'Server.ServerProxy.UnknownService',
    contentType: 'application/json',
    text: rest(
      'Server.ServerProxy.UnknownService',
      'Unknown service: SERVICE:EE/GOV/123/app/getPerson',
    ),
    level: 'error',
  },
  {
    name: 'an unexpected Error',
    method: 'POST',
    path: '/r1/crash',
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    contentType: 'application/json',
    text: rest('Server.ServerProxy.ServiceFailed.InternalError', 'Internal Server Error'),
    level: 'error',
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/r1/nowhere?token=secret',
    status: 400,
    code: 'Client.NotFound',
    contentType: 'application/json',
    text: rest('Client.NotFound', 'No route for GET /r1/nowhere'),
    level: 'info',
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/r1/service',
    headers: { 'content-type': 'application/json' },
    body: '{"member":',
    status: 400,
    code: 'Client.InvalidBody',
    contentType: 'application/json',
    text: rest('Client.InvalidBody', 'The request body could not be parsed'),
    level: 'info',
  },
  {
    name: 'an http-errors style 401 with its header',
    method: 'GET',
    path: '/r1/token',
    status: 400,
    code: 'Client.AccessDenied',
    contentType: 'application/json',
    text: rest('Client.AccessDenied', 'Token expired'),
    level: 'info',
  },
  {
    name: 'a fault asked for as XML',
    method: 'GET',
    path: '/r1/denied',
    headers: { accept: 'application/json, application/xml' },
    status: 500,
    code: 'Server.ServerProxy.AccessDenied',
    contentType: 'application/xml;charset=utf-8',
    text:
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Server.ServerProxy.AccessDenied</type>' +
      `<message>Access denied</message><detail>${ID}</detail></error>`,
    level: 'error',
  },
  {
    name: 'a rejected promise',
    method: 'GET',
    path: '/r1/async',
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.Timeout',
    contentType: 'application/json',
    text: rest('Server.ServerProxy.ServiceFailed.Timeout', 'The service did not answer in time'),
    level: 'error',
    async: true,
  },
];

describe('the X-Road dialect through every adapter', () => {
  const servers: Running[] = [];
  const logs = ADAPTERS.map(() => recorder());

  beforeAll(async () => {
    for (const [i, adapter] of ADAPTERS.entries()) {
      const options: FaultHandlerOptions = {
        dialect: xroad,
        xroad: { side: 'server' },
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

    it(`should answer ${c.status} with ${c.code}, byte for byte, its code in X-Road-Error`, () => {
      for (const res of responses) {
        expect(res.status).toBe(c.status);
        expect(res.text).toBe(c.text);
        expect(faultHeaders(res.headers)).toEqual({
          'content-type': c.contentType,
          'content-length': String(Buffer.byteLength(c.text)),
          'x-road-error': c.code,
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
            dialect: 'xroad',
            code: c.code,
            status: c.status,
            method: c.method,
          },
        });
      }
    });
  });

  it('should apply the headers an http error carries', async () => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', '/r1/token')));
    for (const res of all)
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
