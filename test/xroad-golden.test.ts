/**
 * The seed's three X-Road examples, byte for byte as X-Road 7.5–7.8 sends them, from every
 * adapter. `xroad-upstream.test.ts` holds every other fact of the real security server.
 */
import { xroad } from '@faultline/core';
import { SEED } from './fixtures/xroad-seed';
import { ADAPTERS, call, faultHeaders, recorder } from './support/servers';
import type { Running } from './support/servers';
import { parseXml } from './support/xml';

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
      if (keys.length === 1 && keys[0] === '#text') return (value as Record<string, unknown>)['#text'];
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
        { 'x-test-id': SEED.soapDetail, soapaction: '""', 'content-type': 'text/xml;charset=utf-8' },
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
