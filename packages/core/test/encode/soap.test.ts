/**
 * SOAP 1.1 fault envelopes and the detection of SOAP requests.
 */
import { SOAP11_NS, isSoapRequest, soap11Fault } from '../../src/encode/soap';
import type { RequestInfo } from '../../src/request';
import { parseXml } from '../../../../test/support/xml';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
const OPEN = `${PROLOG}<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP11_NS}"><SOAP-ENV:Body><SOAP-ENV:Fault>`;
const CLOSE = '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

const ENVELOPE =
  `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}" xmlns:xro="http://x-road.eu/xsd/xroad.xsd">` +
  '<soapenv:Header/><soapenv:Body><getPerson/></soapenv:Body></soapenv:Envelope>';

describe('soap11Fault', () => {
  describe('when given a code and a string only', () => {
    it('should write the one-line envelope with an empty faultactor and no detail', () => {
      expect(
        soap11Fault({ faultcode: 'Server.ClientProxy.NetworkError', faultstring: 'Network error' }),
      ).toBe(
        `${OPEN}<faultcode>Server.ClientProxy.NetworkError</faultcode><faultstring>Network error</faultstring>` +
          `<faultactor></faultactor>${CLOSE}`,
      );
    });
  });

  describe('when given an actor and detail markup', () => {
    it('should write them, the detail as trusted markup', () => {
      expect(
        soap11Fault({
          faultcode: 'Client.BadRequest',
          faultstring: 'Bad',
          faultactor: 'urn:actor',
          detailXml: '<faultDetail xmlns="">id-1</faultDetail>',
        }),
      ).toBe(
        `${OPEN}<faultcode>Client.BadRequest</faultcode><faultstring>Bad</faultstring>` +
          `<faultactor>urn:actor</faultactor><detail><faultDetail xmlns="">id-1</faultDetail></detail>${CLOSE}`,
      );
    });
  });

  describe('when every text field holds markup and forbidden characters', () => {
    const hostile = '</faultstring><x>&xxe;]]>\u0000\uD800';
    const xml = soap11Fault({ faultcode: hostile, faultstring: hostile, faultactor: hostile });

    it('should escape all of them, faultcode included', () => {
      const escaped = '&lt;/faultstring&gt;&lt;x&gt;&amp;xxe;]]&gt;\uFFFD\uFFFD';
      expect(xml).toBe(
        `${OPEN}<faultcode>${escaped}</faultcode><faultstring>${escaped}</faultstring>` +
          `<faultactor>${escaped}</faultactor>${CLOSE}`,
      );
    });

    it('should parse with the structure unchanged', () => {
      const fault = (
        parseXml(xml)['SOAP-ENV:Envelope'] as Record<
          string,
          Record<string, Record<string, unknown>>
        >
      )['SOAP-ENV:Body']?.['SOAP-ENV:Fault'];
      expect(fault).toEqual({
        faultcode: '</faultstring><x>&xxe;]]>\uFFFD\uFFFD',
        faultstring: '</faultstring><x>&xxe;]]>\uFFFD\uFFFD',
        faultactor: '</faultstring><x>&xxe;]]>\uFFFD\uFFFD',
      });
    });
  });
});

describe('isSoapRequest', () => {
  describe.each([
    ['an empty SOAPAction header', { headers: { soapaction: '' } }],
    ['a quoted SOAPAction header', { headers: { soapaction: '"urn:getPerson"' } }],
    ['an array-valued SOAPAction header', { headers: { soapaction: ['""'] } }],
    [
      'a text/xml string body with an Envelope root',
      { headers: { 'content-type': 'text/xml' }, body: ENVELOPE },
    ],
    [
      'a text/xml Buffer body with an Envelope root',
      { headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(ENVELOPE) },
    ],
    [
      'an upper-case text/xml content type',
      { headers: { 'content-type': 'TEXT/XML;charset=UTF-8' }, body: ENVELOPE },
    ],
    [
      'an XML prolog before the Envelope',
      { headers: { 'content-type': 'text/xml' }, body: `${PROLOG}\n${ENVELOPE}` },
    ],
    [
      'a prolog and comments before the Envelope',
      {
        headers: { 'content-type': 'text/xml' },
        body: `${PROLOG}\n<!-- one -->\n<!--two-->${ENVELOPE}`,
      },
    ],
    [
      'a BOM and whitespace before the Envelope',
      { headers: { 'content-type': 'text/xml' }, body: `\uFEFF  \n${ENVELOPE}` },
    ],
    [
      'an unprefixed Envelope',
      {
        headers: { 'content-type': 'text/xml' },
        body: `<Envelope xmlns="${SOAP11_NS}"><Body/></Envelope>`,
      },
    ],
  ] as Array<[string, RequestInfo]>)('when the request has %s', (_label, request) => {
    it('should be a SOAP request', () => {
      expect(isSoapRequest(request)).toBe(true);
    });
  });

  describe.each([
    ['no headers', { body: ENVELOPE }],
    // SOAP 1.2 is not X-Road's: a 1.1 fault would not help a 1.2 client (wire-formats Part 1).
    [
      'a SOAP 1.2 content type',
      { headers: { 'content-type': 'application/soap+xml; charset=utf-8' } },
    ],
    // SOAP 1.1 travels as text/xml; other XML bodies are REST.
    [
      'an application/xml body with an Envelope root',
      { headers: { 'content-type': 'application/xml' }, body: ENVELOPE },
    ],
    ['a text/xmlx content type', { headers: { 'content-type': 'text/xmlx' }, body: ENVELOPE }],
    ['empty headers', { headers: {} }],
    [
      'a JSON content type and a JSON body',
      { headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
    ],
    [
      'a JSON content type and an Envelope body',
      { headers: { 'content-type': 'application/json' }, body: ENVELOPE },
    ],
    [
      'a plain XML body',
      { headers: { 'content-type': 'text/xml' }, body: `${PROLOG}<person><name>x</name></person>` },
    ],
    ['a text/xml content type and no body', { headers: { 'content-type': 'text/xml' } }],
    [
      'a text/xml content type and a parsed body',
      { headers: { 'content-type': 'text/xml' }, body: { Envelope: {} } },
    ],
    [
      'an Envelope in the SOAP 1.2 namespace',
      {
        headers: { 'content-type': 'text/xml' },
        body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>',
      },
    ],
    [
      'an Envelope nested under another root',
      {
        headers: { 'content-type': 'text/xml' },
        body: `<wrap><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"/></wrap>`,
      },
    ],
    [
      'an element merely starting with Envelope',
      { headers: { 'content-type': 'text/xml' }, body: `<EnvelopeX xmlns="${SOAP11_NS}"/>` },
    ],
    [
      'an Envelope past the first 4 KiB',
      { headers: { 'content-type': 'text/xml' }, body: `<!--${'x'.repeat(5000)}-->${ENVELOPE}` },
    ],
  ] as Array<[string, RequestInfo]>)('when the request has %s', (_label, request) => {
    it('should not be a SOAP request', () => {
      expect(isSoapRequest(request)).toBe(false);
    });
  });
});

describe('isSoapRequest and the envelope namespace', () => {
  const xml = (body: string): RequestInfo => ({ headers: { 'content-type': 'text/xml' }, body });

  it.each([
    ['a default namespace on Envelope', `<Envelope xmlns="${SOAP11_NS}"><Body/></Envelope>`, true],
    [
      'a prefix bound on Envelope with single quotes',
      `<s:Envelope xmlns:s='${SOAP11_NS}'><s:Body/></s:Envelope>`,
      true,
    ],
    [
      'the namespace only in a child element',
      `<Envelope xmlns="urn:other"><x>${SOAP11_NS}</x></Envelope>`,
      false,
    ],
    [
      'the prefix bound to another namespace',
      `<s:Envelope xmlns:s="urn:other" xmlns:t="${SOAP11_NS}"/>`,
      false,
    ],
    [
      'the SOAP 1.2 namespace',
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>',
      false,
    ],
  ])('should judge %s', (_name, body, expected) => {
    expect(isSoapRequest(xml(body))).toBe(expected);
  });
});

describe('isSoapRequest on hostile bodies', () => {
  // Each of these made a backtracking pattern explode (2^n ways to split `<!---->` runs);
  // with an unambiguous pattern they finish at once, so the test completes.
  it.each([
    ['a long run of empty comments', '<!---->'.repeat(600) + '<x'],
    ['an unterminated comment of dashes', `<!--${'-'.repeat(4000)}`],
    ['a long unterminated start tag', `<s:Envelope ${'a'.repeat(4000)}`],
  ])('should reject %s', (_name, body) => {
    expect(isSoapRequest({ headers: { 'content-type': 'text/xml' }, body })).toBe(false);
  });
});
