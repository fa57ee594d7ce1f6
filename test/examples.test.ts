/**
 * The runnable examples: the Express and Fastify population registers must answer each
 * failing request with the exact X-Road fault, identically, and log each fault once.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp as createExpressApp } from '../examples/xroad-express/src/app';
import type { AppOptions } from '../examples/xroad-express/src/app';
import { createApp as createFastifyApp } from '../examples/xroad-fastify/src/app';
import { call, faultHeaders, recorder } from './support/servers';
import type { LogCall, RawResponse } from './support/servers';
import { parseXml } from './support/xml';

const HOST = '127.0.0.1';
const API = '/r1/EE/GOV/70000310/population';
const PASSPORT_APP = 'EE/GOV/70000310/passport-app';
// X-Road 7.5–7.8 sends REST JSON without a charset.
const JSON_TYPE = 'application/json';
const SOAP_TYPE = 'text/xml;charset=utf-8';

// An X-Road SOAP request from `SUBSYSTEM:EE/GOV/70000310/<client>` to `serviceCode`.
function envelope(client: string, serviceCode: string, body = ''): string {
  const id = (parts: string[]) =>
    ['xRoadInstance', 'memberClass', 'memberCode', 'subsystemCode', 'serviceCode']
      .slice(0, parts.length)
      .map((name, i) => `<id:${name}>${parts[i]}</id:${name}>`)
      .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xroad="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" ' +
    'xmlns:prod="http://population.example.ee/producer"><SOAP-ENV:Header>' +
    `<xroad:client id:objectType="SUBSYSTEM">${id(['EE', 'GOV', '70000310', client])}</xroad:client>` +
    `<xroad:service id:objectType="SERVICE">${id(['EE', 'GOV', '70000310', 'population', serviceCode])}</xroad:service>` +
    `</SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

const SOAP_HEADERS = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };

const SOAP_UNKNOWN_SERVICE =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
  '<faultcode>Server.ServerProxy.UnknownService</faultcode>' +
  '<faultstring>Unknown service: SERVICE:EE/GOV/70000310/population/getVehicle</faultstring>' +
  '<faultactor></faultactor><detail><faultDetail xmlns="">fixed-id</faultDetail></detail>' +
  '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  /** The fault code: `X-Road-Error` header of REST faults, `faultcode` of SOAP faults. */
  readonly code: string;
  readonly soap?: true;
  readonly contentType: string;
  readonly text: string;
  readonly level: 'info' | 'error';
}

const CASES: readonly Case[] = [
  {
    name: 'an unknown member, in JSON by default',
    method: 'GET',
    path: `${API}/persons/38001010000`,
    headers: { 'x-road-client': 'EE/GOV/70000310/unknown-app' },
    status: 500,
    code: 'Server.ServerProxy.UnknownMember',
    contentType: JSON_TYPE,
    text: `{"type":"Server.ServerProxy.UnknownMember","message":"Client 'SUBSYSTEM:EE/GOV/70000310/unknown-app' not found","detail":"fixed-id"}`,
    level: 'error',
  },
  {
    name: 'a missing X-Road-Client header',
    method: 'GET',
    path: `${API}/persons/38001010000`,
    status: 500,
    code: 'Server.ServerProxy.UnknownMember',
    contentType: JSON_TYPE,
    text: '{"type":"Server.ServerProxy.UnknownMember","message":"Client not specified: the X-Road-Client header is missing","detail":"fixed-id"}',
    level: 'error',
  },
  {
    name: 'a client without access, in XML by Accept',
    method: 'GET',
    path: `${API}/persons/38001010000`,
    headers: { 'x-road-client': 'EE/COM/12345678/insurance-app', accept: 'application/xml' },
    status: 500,
    code: 'Server.ServerProxy.AccessDenied',
    contentType: 'application/xml;charset=utf-8',
    text:
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Server.ServerProxy.AccessDenied</type>' +
      '<message>Request is not allowed: SERVICE:EE/GOV/70000310/population/persons</message><detail>fixed-id</detail></error>',
    level: 'error',
  },
  {
    name: 'an unknown REST service',
    method: 'GET',
    path: `${API}/vehicles/123ABC`,
    headers: { 'x-road-client': PASSPORT_APP },
    status: 500,
    code: 'Server.ServerProxy.UnknownService',
    contentType: JSON_TYPE,
    text: '{"type":"Server.ServerProxy.UnknownService","message":"Unknown service: SERVICE:EE/GOV/70000310/population/vehicles","detail":"fixed-id"}',
    level: 'error',
  },
  {
    name: 'an unknown SOAP service, as a SOAP fault',
    method: 'POST',
    path: '/soap',
    headers: SOAP_HEADERS,
    body: envelope('passport-app', 'getVehicle'),
    status: 200,
    code: 'Server.ServerProxy.UnknownService',
    soap: true,
    contentType: SOAP_TYPE,
    text: SOAP_UNKNOWN_SERVICE,
    level: 'error',
  },
  {
    name: 'a body without X-Road header on /soap, without SOAPAction',
    method: 'POST',
    path: '/soap',
    headers: { 'content-type': 'text/xml' },
    body: '<hello/>',
    status: 200,
    code: 'Client.BadRequest',
    soap: true,
    contentType: SOAP_TYPE,
    text:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
      '<faultcode>Client.BadRequest</faultcode><faultstring>Malformed SOAP message: X-Road service header missing</faultstring>' +
      '<faultactor></faultactor><detail><faultDetail xmlns="">fixed-id</faultDetail></detail>' +
      '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    level: 'info',
  },
  {
    name: "a failing downstream call, as X-Road's NetworkError",
    method: 'GET',
    path: `${API}/registry-status`,
    headers: { 'x-road-client': PASSPORT_APP },
    status: 500,
    code: 'Server.ServerProxy.NetworkError',
    contentType: JSON_TYPE,
    text: '{"type":"Server.ServerProxy.NetworkError","message":"Network error","detail":"fixed-id"}',
    level: 'error',
  },
  {
    name: 'a provider-side HTTP error',
    method: 'GET',
    path: `${API}/archive/38001010000`,
    headers: { 'x-road-client': PASSPORT_APP },
    status: 500,
    code: 'Server.ServerProxy.ServiceFailed.HttpError',
    contentType: JSON_TYPE,
    text: '{"type":"Server.ServerProxy.ServiceFailed.HttpError","message":"Server responded with error 301: Moved Permanently","detail":"fixed-id"}',
    level: 'error',
  },
  {
    name: 'an unknown person',
    method: 'GET',
    path: `${API}/persons/38001019999`,
    headers: { 'x-road-client': PASSPORT_APP },
    status: 400,
    code: 'Client.NotFound',
    contentType: JSON_TYPE,
    text: `{"type":"Client.NotFound","message":"Person '38001019999' not found","detail":"fixed-id"}`,
    level: 'info',
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/r1/EE/GOV/70000310/nowhere?token=secret',
    status: 400,
    code: 'Client.NotFound',
    contentType: JSON_TYPE,
    text: '{"type":"Client.NotFound","message":"No route for GET /r1/EE/GOV/70000310/nowhere","detail":"fixed-id"}',
    level: 'info',
  },
];

interface Started {
  readonly url: string;
  close(): Promise<void>;
}

const EXAMPLES: readonly { name: string; start(options: AppOptions): Promise<Started> }[] = [
  {
    name: 'xroad-express',
    async start(options) {
      const server = createExpressApp(options).listen(0, HOST);
      await once(server, 'listening');
      return {
        url: `http://${HOST}:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  },
  {
    name: 'xroad-fastify',
    async start(options) {
      const app = await createFastifyApp(options);
      await app.listen({ port: 0, host: HOST });
      return {
        url: `http://${HOST}:${(app.server.address() as AddressInfo).port}`,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  },
];

const running = new Map<string, { server: Started; calls: LogCall[] }>();

beforeAll(async () => {
  for (const example of EXAMPLES) {
    const log = recorder();
    const server = await example.start({ logger: log.logger, correlationId: () => 'fixed-id' });
    running.set(example.name, { server, calls: log.calls });
  }
});
afterAll(async () => {
  for (const { server } of running.values()) await server.close();
});

function send(
  name: string,
  c: Pick<Case, 'method' | 'path' | 'headers' | 'body'>,
): Promise<RawResponse> {
  const example = running.get(name);
  if (example === undefined) throw new Error(`${name} is not running`);
  example.calls.length = 0;
  return call(example.server.url, c.method, c.path, c.headers, c.body);
}

function logOf(name: string): LogCall[] {
  return running.get(name)?.calls ?? [];
}

describe.each(EXAMPLES.map((e) => e.name))('the %s example', (name) => {
  describe.each(CASES)('when it receives $name', (c) => {
    it('should answer the exact fault and log it once with the correlation id', async () => {
      const res = await send(name, c);
      expect(res.status).toBe(c.status);
      expect(res.headers['x-road-error']).toBe(c.soap ? undefined : c.code);
      expect(res.headers['content-type']).toBe(c.contentType);
      expect(res.text).toBe(c.text);
      expect(logOf(name)).toHaveLength(1);
      expect(logOf(name)[0]).toMatchObject({
        level: c.level,
        event: { correlationId: 'fixed-id', dialect: 'xroad', code: c.code },
      });
    });
  });

  describe('when a SOAP service is unknown', () => {
    it('should send a well-formed SOAP 1.1 fault with the X-Road fields', async () => {
      const res = await send(name, {
        method: 'POST',
        path: '/soap',
        headers: SOAP_HEADERS,
        body: envelope('passport-app', 'getVehicle'),
      });
      expect(res.text).toBe(SOAP_UNKNOWN_SERVICE);
      expect(res.headers.soapaction).toBe('');
      const fault = parseXml(res.text)['SOAP-ENV:Envelope'] as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      expect(fault['SOAP-ENV:Body']?.['SOAP-ENV:Fault']).toEqual({
        faultcode: 'Server.ServerProxy.UnknownService',
        faultstring: 'Unknown service: SERVICE:EE/GOV/70000310/population/getVehicle',
        faultactor: '',
        detail: { faultDetail: { '#text': 'fixed-id', '@xmlns': '' } },
      });
      expect(logOf(name)[0]?.event).toMatchObject({
        code: 'Server.ServerProxy.UnknownService',
        url: '/soap',
      });
    });
  });

  describe('when the downstream registry is unreachable', () => {
    it('should keep the error and its causes in the log, out of the response', async () => {
      const res = await send(name, {
        method: 'GET',
        path: `${API}/registry-status`,
        headers: { 'x-road-client': PASSPORT_APP, accept: 'text/xml' },
      });
      for (const leak of ['unreachable', 'fetch failed', 'ECONNREFUSED', HOST])
        expect(res.text).not.toContain(leak);
      expect(logOf(name)).toHaveLength(1);
      expect(JSON.stringify(logOf(name)[0]?.event)).toContain('ECONNREFUSED');
    });
  });

  describe('when a request succeeds', () => {
    it('should answer the person over REST and log nothing', async () => {
      const res = await send(name, {
        method: 'GET',
        path: `${API}/persons/38001010000`,
        headers: { 'x-road-client': PASSPORT_APP },
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({
        id: '38001010000',
        givenName: 'Jaan',
        familyName: 'Tamm',
        birthDate: '1980-01-01',
      });
      expect(logOf(name)).toHaveLength(0);
    });

    it('should answer the person over SOAP', async () => {
      const body =
        '<prod:getPerson><prod:personCode>49002020000</prod:personCode></prod:getPerson>';
      const res = await send(name, {
        method: 'POST',
        path: '/soap',
        headers: SOAP_HEADERS,
        body: envelope('passport-app', 'getPerson', body),
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain(
        '<prod:givenName>Mari</prod:givenName><prod:familyName>Maasikas</prod:familyName>',
      );
      expect(logOf(name)).toHaveLength(0);
    });
  });
});

describe('both examples', () => {
  describe.each(CASES)('when they receive $name', (c) => {
    it('should give the same status, fault headers and body', async () => {
      const [first, second] = await Promise.all(EXAMPLES.map((e) => send(e.name, c)));
      expect(second?.status).toBe(first?.status);
      expect(faultHeaders(second?.headers ?? {})).toEqual(faultHeaders(first?.headers ?? {}));
      expect(second?.text).toBe(first?.text);
    });
  });
});
