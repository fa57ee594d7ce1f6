/**
 * Adapter parity: one table of failing requests, served by Express 4, Express 5 and
 * Fastify 5 with the same options, must give the same status, headers and body everywhere.
 */
import { xroad } from '@faultline/core';
import { ADAPTERS, call, faultHeaders, recorder } from './support/servers';
import type { FailingRoute, RawResponse, Running } from './support/servers';
import { parseXml } from './support/xml';

const ID = 'a4b1c7de-0000-4000-8000-000000000001';
const ENVELOPE =
  '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<SOAP-ENV:Body><getPerson/></SOAP-ENV:Body></SOAP-ENV:Envelope>';

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
    path: '/member',
    error: () =>
      xroad.fault('Server.ClientProxy.UnknownMember', "Client 'SUBSYSTEM:EE/GOV/1/x' not found"),
  },
  {
    path: '/service',
    error: () => xroad.fault('UnknownService', 'Unknown service: SERVICE:EE/GOV/1/x/getPerson'),
  },
  {
    path: '/hidden',
    error: () =>
      xroad.fault('ServiceFailed.HttpError', 'upstream said 301 at 10.0.0.7', { expose: false }),
  },
  {
    path: '/client',
    error: () => xroad.fault('Client.BadRequest', 'id must be <digits> & "quoted" \u0001'),
  },
  {
    path: '/crash',
    error: () => new TypeError("Cannot read properties of undefined (reading 'x')"),
  },
  { path: '/http-404', error: () => new HttpError(404, 'No person 123') },
  {
    path: '/http-401',
    error: () =>
      new HttpError(401, 'Token expired', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  },
  { path: '/http-503', error: () => new HttpError(503, 'database is down at db.internal:5432') },
  {
    path: '/soap',
    error: () =>
      xroad.fault('AccessDenied', 'Request is not allowed: SERVICE:EE/GOV/1/x/getPerson'),
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
  readonly encoding: 'json' | 'xml' | 'soap' | 'none';
  /** The text the client must see as the message. */
  readonly message?: string;
}

const CASES: readonly Case[] = [
  {
    name: 'a client-proxy fault as JSON',
    method: 'GET',
    path: '/member',
    status: 500,
    code: 'Server.ClientProxy.UnknownMember',
    encoding: 'json',
    message: "Client 'SUBSYSTEM:EE/GOV/1/x' not found",
  },
  {
    name: 'an unprefixed code as XML (text/*)',
    method: 'GET',
    path: '/service',
    headers: { accept: 'text/*' },
    status: 500,
    code: 'Server.ServerProxy.UnknownService',
    encoding: 'xml',
    message: 'Unknown service: SERVICE:EE/GOV/1/x/getPerson',
  },
  {
    name: 'a hidden 5xx fault',
    method: 'GET',
    path: '/hidden',
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.HttpError',
    encoding: 'json',
    message: 'Connecting to the service provider failed',
  },
  {
    name: 'markup and a control character as XML',
    method: 'GET',
    path: '/client',
    headers: { accept: 'application/json, application/xml' },
    status: 400,
    code: 'Client.BadRequest',
    encoding: 'xml',
    message: 'id must be <digits> & "quoted" \uFFFD',
  },
  {
    name: 'an unexpected error',
    method: 'GET',
    path: '/crash',
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    encoding: 'json',
    message: 'Internal Server Error',
  },
  {
    name: 'an unexpected error as SOAP',
    method: 'POST',
    path: '/crash',
    headers: { soapaction: '"getPerson"', 'content-type': 'text/xml' },
    body: ENVELOPE,
    status: 200,
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    encoding: 'soap',
    message: 'Internal Server Error',
  },
  {
    name: 'an http-errors style 404',
    method: 'GET',
    path: '/http-404',
    status: 400,
    code: 'Client.NotFound',
    encoding: 'json',
    message: 'No person 123',
  },
  {
    name: 'an http-errors style 401 with its header',
    method: 'GET',
    path: '/http-401',
    status: 400,
    code: 'Client.AccessDenied',
    encoding: 'json',
    message: 'Token expired',
  },
  {
    name: 'an http-errors style 503',
    method: 'GET',
    path: '/http-503',
    headers: { accept: 'text/xml' },
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    encoding: 'xml',
    message: 'Internal Server Error',
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/nowhere?token=secret',
    status: 400,
    code: 'Client.NotFound',
    encoding: 'json',
    message: 'No route for GET /nowhere',
  },
  {
    name: 'an unknown route as SOAP',
    method: 'POST',
    path: '/nowhere',
    headers: { soapaction: '', 'content-type': 'text/xml' },
    body: ENVELOPE,
    status: 200,
    code: 'Client.NotFound',
    encoding: 'soap',
    message: 'No route for POST /nowhere',
  },
  {
    name: 'a SOAP envelope without SOAPAction',
    method: 'POST',
    path: '/crash',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: ENVELOPE,
    status: 200,
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    encoding: 'soap',
    message: 'Internal Server Error',
  },
  {
    name: 'a configured SOAP route without SOAP headers',
    method: 'GET',
    path: '/soap',
    status: 200,
    code: 'Server.ServerProxy.AccessDenied',
    encoding: 'soap',
    message: 'Request is not allowed: SERVICE:EE/GOV/1/x/getPerson',
  },
  {
    name: 'invalid JSON',
    method: 'POST',
    path: '/member',
    headers: { 'content-type': 'application/json' },
    body: '{"id": 1,',
    status: 400,
    code: 'Client.InvalidBody',
    encoding: 'json',
    message: 'The request body could not be parsed',
  },
  {
    name: 'a HEAD request',
    method: 'HEAD',
    path: '/service',
    status: 500,
    code: 'Server.ServerProxy.UnknownService',
    encoding: 'none',
  },
];

function readFault(
  res: RawResponse,
  encoding: Case['encoding'],
): { code?: string; message?: string; detail?: string } {
  if (encoding === 'json') {
    const body = JSON.parse(res.text) as { type: string; message: string; detail: string };
    return { code: body.type, message: body.message, detail: body.detail };
  }
  if (encoding === 'xml') {
    const doc = parseXml(res.text) as { error: { type: string; message: string; detail: string } };
    return { code: doc.error.type, message: doc.error.message, detail: doc.error.detail };
  }
  if (encoding === 'soap') {
    const doc = parseXml(res.text) as Record<
      string,
      Record<string, Record<string, Record<string, unknown>>>
    >;
    const fault = doc['SOAP-ENV:Envelope']?.['SOAP-ENV:Body']?.['SOAP-ENV:Fault'] as {
      faultcode: string;
      faultstring: string;
      detail: { faultDetail: { '#text': string } };
    };
    return {
      code: fault.faultcode,
      message: fault.faultstring,
      detail: fault.detail.faultDetail['#text'],
    };
  }
  return {};
}

describe('the same failing requests through every adapter', () => {
  const servers: Running[] = [];
  const logs = ADAPTERS.map(() => recorder());

  beforeAll(async () => {
    for (const [i, adapter] of ADAPTERS.entries()) {
      servers.push(
        await adapter.start(routes, {
          dialect: 'xroad',
          xroad: { soap: ['/soap'] },
          logger: logs[i]!.logger,
          correlationId: () => ID,
        }),
      );
    }
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  describe.each(CASES)('when the request is $name', (c) => {
    let responses: RawResponse[];

    beforeAll(async () => {
      for (const log of logs) log.calls.length = 0;
      responses = await Promise.all(
        servers.map((s) => call(s.url, c.method, c.path, c.headers, c.body)),
      );
    });

    it('should give the same status, headers and body in every adapter', () => {
      const [first, ...rest] = responses.map((r) => ({
        status: r.status,
        headers: faultHeaders(r.headers),
        text: r.text,
      }));
      for (const other of rest) expect(other).toEqual(first);
    });

    it(`should answer ${c.status} with ${c.code}`, () => {
      const res = responses[0]!;
      expect(res.status).toBe(c.status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      if (c.encoding === 'soap') {
        expect(res.headers['content-type']).toBe('text/xml;charset=utf-8');
        expect(res.headers['x-road-error']).toBeUndefined();
      } else {
        expect(res.headers['x-road-error']).toBe(c.code);
      }
      if (c.encoding === 'none') {
        expect(res.text).toBe('');
        expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
        return;
      }
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(readFault(res, c.encoding)).toEqual({ code: c.code, message: c.message, detail: ID });
    });

    it('should log the fault once per adapter with its correlation id', () => {
      for (const log of logs) {
        expect(log.calls).toHaveLength(1);
        expect(log.calls[0]!.event).toMatchObject({
          correlationId: ID,
          code: c.code,
          method: c.method,
        });
      }
    });
  });

  it('should apply the headers an http error carries', async () => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', '/http-401')));
    for (const res of all)
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
