/**
 * The ESB dialect: the catalogue against the seed's tables, `esb.fault`, every built-in
 * sequence's JSON, XML and SOAP body, `WWW-Authenticate`, `Retry-After` and the next-access
 * suffix, negotiation, errors that are not faults, escaping and option validation
 * (wire-formats.md Part 1 "ESB / API gateway", seed 003).
 */
import { runInNewContext } from 'node:vm';
import { createFaultHandler, xroad } from '../../../src/index';
import type { FaultHandlerOptions, RequestInfo } from '../../../src/index';
import { Fault } from '../../../src/fault';
import { esb } from '../../../src/dialects/esb/index';
import type { EsbOptions, SequenceName } from '../../../src/dialects/esb/index';
import {
  API_HANDLER_CODES,
  SEQUENCE_CODES,
  STATUS_TABLE,
  TRANSPORT_CODES,
} from '../../../../../test/fixtures/esb-seed';
import { hostileValues } from '../../support/hostile';
import { parseXml } from '../../../../../test/support/xml';

const NEXT = new Date(Date.UTC(2026, 1, 10, 16, 20, 0, 750));
const NEXT_UTC = '2026-Feb-10 16:20:00+0000 UTC';
const RETRY_AFTER = 'Tue, 10 Feb 2026 16:20:00 GMT';
// APIM 4.x: the internal API key authenticator's challenge first, then OAuth's, joined with ", ".
const CHALLENGE =
  'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';
// APIM 3.2: OAuth's challenge alone, and its description.
const CHALLENGE_3_2 =
  'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The access token expired"';
const JSON_TYPE = 'application/json; charset=UTF-8';
const XML_ACCEPT = { headers: { accept: 'application/xml' } };
const SOAP_REQUEST = { headers: { soapaction: '""', 'content-type': 'text/xml' } };
const AUTH_DESCRIPTION =
  'Invalid Credentials. Make sure you have provided the correct security credentials';
const BLOCKED =
  'This API has been blocked temporarily. Please try again later or contact the system administrators.';

// The SOAP 1.1 fault of <makefault version="soap11">: Axiom's declaration and soapenv prefix, no faultactor.
function soapFault(faultcode: string, faultstring: string, detail?: string): string {
  return (
    "<?xml version='1.0' encoding='UTF-8'?>" +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>soapenv:${faultcode}</faultcode><faultstring>${faultstring}</faultstring>` +
    (detail === undefined ? '' : `<detail>${detail}</detail>`) +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}

function handler(esbOptions?: EsbOptions, extra: Partial<FaultHandlerOptions> = {}) {
  // Until the lead registers the dialect, its options travel under the key `esb` untyped.
  const options: FaultHandlerOptions & { esb?: EsbOptions } = {
    dialect: esb,
    logger: false,
    correlationId: () => 'id-1',
    esb: esbOptions,
    ...extra,
  };
  return createFaultHandler(options);
}

const SEED_STATUS = new Map<number, number>(
  STATUS_TABLE.flatMap(([status, codes]) =>
    codes.split(', ').map((code) => [Number(code), status] as [number, number]),
  ),
);

describe('esb.catalog', () => {
  describe("when walked against the seed's status table", () => {
    it.each([...SEED_STATUS])('should send %p with status %p', (code, status) => {
      expect(esb.catalog.get(code)?.status).toBe(status);
      expect(handler().handle(esb.fault(code)).status).toBe(status);
    });

    it.each(STATUS_TABLE.map(([status, codes]) => [status, codes] as const))(
      'should list under %p exactly the codes %p',
      (status, codes) => {
        const listed = [...SEED_STATUS].filter(([, s]) => s === status).map(([c]) => c);
        const catalogued = esb.catalog.entries
          .filter((e) => e.status === status && listed.includes(Number(e.code)))
          .map((e) => e.code);
        expect(catalogued.sort()).toEqual(codes.split(', ').map(Number).sort());
      },
    );
  });

  describe('when walked against the API-handler table', () => {
    it.each(API_HANDLER_CODES.map((row) => [row[0], row] as const))(
      'should describe %p as the seed does',
      (code, [, errorMessage, description, example]) => {
        const entry = esb.catalog.get(code) as unknown as {
          description: string;
          example: string;
          documentedMessage?: string;
          message: string;
        };
        // The seed's 900901 cell ends in a cut-off admonition ("Note The error code").
        expect(entry.description).toBe(description.replace(' Note The error code', ''));
        expect(entry.example).toBe(example);
        expect(entry.documentedMessage ?? entry.message).toBe(errorMessage);
      },
    );
  });

  describe('when walked against the sequences table', () => {
    it.each(SEQUENCE_CODES.map((row) => [row[0], row[1]] as const))(
      'should contain %p',
      (code, description) => {
        const entry = esb.catalog.get(code);
        expect(entry).toBeDefined();
        if (code === 900901) {
          // The code's own entry is the auth failure; the key-error sequences send it with 403.
          const f = esb.fault(900901, { sequence: '_production_key_error_' });
          expect([f.status, f.message]).toEqual([
            403,
            'Production key offered to the API with no production endpoint',
          ]);
        } else {
          expect(entry?.status).toBe(code);
          expect(entry?.description).toContain(description);
        }
      },
    );
  });

  describe('when walked against the transport table', () => {
    // Synapse's ERROR_MESSAGE for the base as the gateway sends it; the table's text stays the seed message.
    const SENT: Readonly<Record<number, string>> = {
      101000: 'Receiver input/output error sending',
      101001: 'Receiver input/output error receiving',
      101500: 'Error in Sender',
      101501: 'Sender input/output error receiving',
      101503: 'Error connecting to the back end',
      101504: 'Send timeout',
      101505: 'Error in Sender',
      101506: 'Error in Sender',
      101507: 'Error connecting to the back end',
      101508: 'Error connecting to the back end',
      101509: 'Send abort',
      101510: 'Response processing failed',
    };
    it.each(TRANSPORT_CODES.map((row) => [row[0], row[1]] as const))(
      'should send %p (%s) with 500 through the fault sequence',
      (code, detail) => {
        const entry = esb.catalog.get(code) as unknown as {
          message: string;
          documentedMessage: string;
          status: number;
          sequence: string;
        };
        expect([entry.message, entry.documentedMessage, entry.status, entry.sequence]).toEqual([
          SENT[code],
          detail,
          500,
          'fault',
        ]);
      },
    );

    it("should hold PassThrough's SND_HTTP_ERROR (102510), which the table lacks", () => {
      expect(esb.catalog.get(102510)).toMatchObject({
        status: 500,
        name: 'SND_HTTP_ERROR',
        message: 'Error in Sender',
      });
    });
  });

  it.each([
    [900900, 'Unclassified Authentication Failure'],
    [900901, 'Invalid Credentials'],
    [900902, 'Missing Credentials'],
    [900903, 'Access Token Expired'],
    [900904, 'Access Token Inactive'],
    [900905, 'Incorrect Access Token Type is provided'],
    [900906, 'No matching resource found in the API for the given request'],
    [900907, 'The requested API is temporarily blocked'],
    [900908, 'Resource forbidden '],
    [900909, 'The subscription to the API is inactive'],
    [900910, 'The access token does not allow you to access the requested resource'],
    [900911, 'Internal Server Error'],
    [900800, 'Message throttled out'],
    [900801, 'API Limit Reached'],
    [900805, 'Message blocked'],
    [900422, 'INVALID QUERY'],
  ])('should give %p the gateway constant %p as its message', (code, message) => {
    expect(esb.catalog.get(code)?.message).toBe(message);
  });

  it.each([
    [900900, '_auth_failure_handler_'],
    [900911, '_auth_failure_handler_'],
    [900800, '_throttle_out_handler_'],
    [900807, '_throttle_out_handler_'],
    [900906, '_auth_failure_handler_'],
    [405, '_resource_mismatch_handler_'],
    [700700, '_api_blocked_sequence_'],
    [900422, 'fault'],
    [102511, 'fault'],
    [101507, 'fault'],
    [400, '_threat_fault_'],
    [404, 'main'],
  ])('should answer %p with the %s sequence', (code, sequence) => {
    expect((esb.catalog.get(code) as unknown as { sequence: string }).sequence).toBe(sequence);
  });

  it('should freeze every entry', () => {
    expect(esb.catalog.entries.every((entry) => Object.isFrozen(entry))).toBe(true);
  });
});

describe('esb.fault', () => {
  describe('when the message is the second argument', () => {
    it('should build the fault options.message builds', () => {
      const positional = esb.fault(900901, 'Invalid Credentials', {
        description: 'The access token expired',
      });
      const named = esb.fault(900901, {
        message: 'Invalid Credentials',
        description: 'The access token expired',
      });
      expect(positional).toMatchObject({
        code: 900901,
        status: named.status,
        message: 'Invalid Credentials',
        params: named.params,
      });
      expect(esb.fault(900901, undefined, { status: 403 }).status).toBe(403);
    });

    it('should refuse a message given twice', () => {
      expect(() => esb.fault(900901, 'a', { message: 'b' })).toThrow(/takes the message once/);
    });
  });

  describe('when given only a catalogued code', () => {
    it('should take status, message, name and description from the catalogue', () => {
      const f = esb.fault(900901);
      expect(f).toBeInstanceOf(Fault);
      expect(f).toMatchObject({
        dialect: 'esb',
        code: 900901,
        status: 401,
        message: 'Invalid Credentials',
        name: 'API_AUTH_INVALID_CREDENTIALS',
        expose: true,
      });
      expect(f.description).toBe('Invalid authentication information provided.');
    });
  });

  describe('when given a code outside the catalogue', () => {
    it('should answer it with the fault sequence and 500', () => {
      const response = handler().handle(esb.fault(123456, { message: 'Mediation failed' }));
      expect(response.status).toBe(500);
      expect(response.body).toBe(
        '{"code":"123456","type":"Status report","message":"Runtime Error","description":"Mediation failed"}',
      );
    });
  });

  describe('when the next access time is a Date of another realm', () => {
    it('should take it', () => {
      const foreign = runInNewContext('new Date(Date.UTC(2026, 1, 10, 16, 20, 0, 750))') as Date;
      expect(foreign instanceof Date).toBe(false);
      expect(
        handler().handle(esb.fault(900800, { nextAccessTime: foreign })).headers['retry-after'],
      ).toBe(RETRY_AFTER);
    });
  });

  describe('when given every option', () => {
    it('should keep them', () => {
      const cause = new Error('upstream');
      const f = esb.fault(900800, {
        message: 'm',
        description: 'd',
        nextAccessTime: NEXT,
        headers: { 'x-a': '1' },
        cause,
        expose: false,
        status: 503,
      });
      expect(f).toMatchObject({
        message: 'm',
        description: 'd',
        headers: { 'x-a': '1' },
        expose: false,
        status: 503,
      });
      expect(f.params).toEqual({ detail: 'd', nextAccessTime: NEXT.getTime() });
      expect(f.cause).toBe(cause);
    });
  });

  describe.each([
    ['a negative number', -1],
    ['a fraction', 900901.5],
    ['a numeric string', '900901'],
    ['NaN', NaN],
    ['undefined', undefined],
  ])('when the code is %s', (_label, code) => {
    it('should throw a TypeError', () => {
      expect(() => esb.fault(code as never)).toThrow(/is not an ESB error code/);
    });
  });

  describe('when the options are not an object', () => {
    it('should throw a TypeError', () => {
      expect(() => esb.fault(900901, null as never)).toThrow(
        'faultline: esb.fault options must be an object',
      );
    });
  });

  describe.each([
    ['message', { message: 1 }],
    ['description', { description: null }],
    ['expose', { expose: 'yes' }],
    ['status', { status: 600 }],
    ['status', { status: 399 }],
    ['sequence', { sequence: 'convert' }],
    ['nextAccessTime', { nextAccessTime: Date.now() }],
    ['nextAccessTime', { nextAccessTime: new Date(NaN) }],
    [
      'nextAccessTime',
      { nextAccessTime: { [Symbol.toStringTag]: 'Date', getTime: (): number => 1 } },
    ],
  ])('when option %s is invalid', (name, options) => {
    it('should throw a TypeError naming it', () => {
      expect(() => esb.fault(900901, options as never)).toThrow(
        new RegExp(`esb.fault option ${name} must be`),
      );
    });
  });
});

interface BodyCase {
  readonly label: string;
  readonly fault: () => Fault;
  readonly status: number;
  readonly json: string;
  readonly xml: string;
  /** SOAP body; `undefined`: the sequence has no SOAP branch and SOAP clients get the JSON body. */
  readonly soap: string | undefined;
}

const ams = (code: string, message: string, description: string) =>
  `<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>${code}</ams:code><ams:message>${message}</ams:message><ams:description>${description}</ams:description></ams:fault>`;
const amFault = (code: string, description: string) =>
  `<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>${code}</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message><am:description>${description}</am:description></am:fault>`;
const runtimeJson = (code: string, description: string) =>
  `{"code":"${code}","type":"Status report","message":"Runtime Error","description":"${description}"}`;

const BODIES: readonly BodyCase[] = [
  {
    label: '_auth_failure_handler_ (900901)',
    fault: () => esb.fault(900901),
    status: 401,
    json: `{"code":"900901","message":"Invalid Credentials","description":"${AUTH_DESCRIPTION}"}`,
    xml: ams('900901', 'Invalid Credentials', AUTH_DESCRIPTION),
    soap: soapFault('Client', 'Authentication Failure', 'Invalid Credentials'),
  },
  {
    label: '_auth_failure_handler_ (900902)',
    fault: () => esb.fault(900902),
    status: 401,
    // getError pairs 900902 with the Invalid Credentials exception: the description starts with it.
    json: `{"code":"900902","message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN' or 'Authorization : Basic ACCESS_TOKEN' or 'apikey: API_KEY'"}`,
    xml: ams(
      '900902',
      'Missing Credentials',
      "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN' or 'Authorization : Basic ACCESS_TOKEN' or 'apikey: API_KEY'",
    ),
    soap: soapFault('Client', 'Authentication Failure', 'Missing Credentials'),
  },
  {
    label: '_auth_failure_handler_ (900908, trailing space kept)',
    fault: () => esb.fault(900908),
    status: 403,
    json: '{"code":"900908","message":"Resource forbidden ","description":"Resource forbidden "}',
    xml: ams('900908', 'Resource forbidden ', 'Resource forbidden '),
    soap: soapFault('Client', 'Authentication Failure', 'Resource forbidden '),
  },
  {
    label: '_throttle_out_handler_ (900800, next access time known)',
    fault: () => esb.fault(900800, { nextAccessTime: NEXT }),
    status: 429,
    json: `{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota .You can access API after ${NEXT_UTC}","nextAccessTime":"${NEXT_UTC}"}`,
    xml: `<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>Message throttled out</amt:message><amt:description>You have exceeded your quota .You can access API after ${NEXT_UTC}</amt:description><amt:nextAccessTime>${NEXT_UTC}</amt:nextAccessTime></amt:fault>`,
    soap: soapFault(
      'Server',
      'Message throttled out',
      `You have exceeded your quota .You can access API after ${NEXT_UTC}`,
    ),
  },
  {
    label: '_throttle_out_handler_ (900802, no next access time)',
    fault: () => esb.fault(900802),
    status: 429,
    json: '{"code":"900802","message":"Message throttled out","description":"You have exceeded your quota"}',
    xml: '<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900802</amt:code><amt:message>Message throttled out</amt:message><amt:description>You have exceeded your quota</amt:description></amt:fault>',
    soap: soapFault('Server', 'Message throttled out', 'You have exceeded your quota'),
  },
  {
    label: 'fault (transport 101504)',
    fault: () => esb.fault(101504),
    status: 500,
    json: runtimeJson('101504', 'Send timeout'),
    xml: amFault('101504', 'Send timeout'),
    soap: soapFault('Server', 'Send timeout'),
  },
  {
    label: 'main (404)',
    fault: () => esb.fault(404),
    status: 404,
    json: '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
    xml: '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>404</am:code><am:type>Status report</am:type><am:message>Not Found</am:message><am:description>The requested resource is not available.</am:description></am:fault>',
    soap: soapFault('Server', 'The requested endpoint is not available.'),
  },
  {
    label: 'the blocked-API sequence (700700)',
    fault: () => esb.fault(700700),
    status: 503,
    json: `{"code":"700700","type":"API blocked","description":"${BLOCKED}"}`,
    xml: `<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>700700</am:code><am:message>API blocked</am:message><am:description>${BLOCKED}</am:description></am:fault>`,
    soap: undefined,
  },
  {
    label: '_auth_failure_handler_ (900906, no matching auth scheme)',
    fault: () => esb.fault(900906),
    status: 403,
    json: '{"code":"900906","message":"No matching resource found in the API for the given request","description":"No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL"}',
    xml: ams(
      '900906',
      'No matching resource found in the API for the given request',
      'No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL',
    ),
    soap: soapFault(
      'Client',
      'Authentication Failure',
      'No matching resource found in the API for the given request',
    ),
  },
  {
    label: '_resource_mismatch_handler_ (404, no resource of that path)',
    fault: () => esb.fault(404, { sequence: '_resource_mismatch_handler_' }),
    status: 404,
    json: runtimeJson('404', 'No matching resource found for given API Request'),
    xml: amFault('404', 'No matching resource found for given API Request'),
    soap: soapFault('Server', 'No matching resource found for given API Request'),
  },
  {
    label: '_resource_mismatch_handler_ (405, no resource of that method)',
    fault: () => esb.fault(405),
    status: 405,
    json: runtimeJson('405', 'Method not allowed for given API resource'),
    xml: amFault('405', 'Method not allowed for given API resource'),
    soap: soapFault('Server', 'Method not allowed for given API resource'),
  },
  {
    label: '_token_fault_',
    fault: () =>
      esb.fault(900900, { sequence: '_token_fault_', message: 'Token endpoint unreachable' }),
    status: 500,
    json: runtimeJson('900900', 'Token endpoint unreachable'),
    xml: amFault('900900', 'Token endpoint unreachable'),
    soap: undefined,
  },
  {
    label: '_threat_fault_ (400)',
    fault: () => esb.fault(400, { description: 'JSON depth exceeds 10' }),
    status: 400,
    json: '{"code":"400","message":"Bad Request","description":"JSON depth exceeds 10"}',
    xml: '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>400</am:code><am:message>Bad Request</am:message><am:description>JSON depth exceeds 10</am:description></am:fault>',
    soap: undefined,
  },
  {
    label: '_production_key_error_',
    fault: () => esb.fault(900901, { sequence: '_production_key_error_' }),
    status: 403,
    json: runtimeJson('900901', 'Production key offered to the API with no production endpoint'),
    xml: amFault('900901', 'Production key offered to the API with no production endpoint'),
    soap: soapFault('Server', 'Production key offered to the API with no production endpoint'),
  },
  {
    label: '_sandbox_key_error_',
    fault: () => esb.fault(900901, { sequence: '_sandbox_key_error_' }),
    status: 403,
    json: runtimeJson('900901', 'Sandbox key offered to the API with no sandbox endpoint'),
    xml: amFault('900901', 'Sandbox key offered to the API with no sandbox endpoint'),
    soap: soapFault('Server', 'Sandbox key offered to the API with no sandbox endpoint'),
  },
];

describe.each(BODIES)('the sequence $label', ({ fault, status, json, xml, soap }) => {
  describe('when the client accepts JSON (the APIM 4 default)', () => {
    it('should send the JSON body byte for byte', () => {
      const response = handler().handle(fault(), { headers: { accept: 'application/json' } });
      expect([response.status, response.headers['content-type'], response.body]).toEqual([
        status,
        JSON_TYPE,
        json,
      ]);
      expect(() => JSON.parse(response.body) as unknown).not.toThrow();
    });
  });

  describe.each(['application/xml', 'text/xml'])('when Accept is exactly %s', (accept) => {
    it('should still send the JSON body: APIM 4.x always answers JSON', () => {
      const response = handler().handle(fault(), { headers: { accept } });
      expect([response.status, response.headers['content-type'], response.body]).toEqual([
        status,
        JSON_TYPE,
        json,
      ]);
    });

    it("should send the APIM 3.2 XML body byte for byte under profile 'apim-3.2'", () => {
      const response = handler({ profile: 'apim-3.2' }).handle(fault(), { headers: { accept } });
      expect([response.status, response.headers['content-type'], response.body]).toEqual([
        status,
        `${accept}; charset=UTF-8`,
        xml,
      ]);
      expect(() => parseXml(response.body)).not.toThrow();
    });
  });

  describe('when the request is a SOAP request', () => {
    if (soap === undefined) {
      it('should send the JSON body: the sequence has no SOAP branch', () => {
        const response = handler().handle(fault(), SOAP_REQUEST);
        expect([response.status, response.headers['content-type'], response.body]).toEqual([
          status,
          JSON_TYPE,
          json,
        ]);
      });
    } else {
      it('should send the SOAP 1.1 fault byte for byte', () => {
        const response = handler().handle(fault(), SOAP_REQUEST);
        expect([response.status, response.headers['content-type'], response.body]).toEqual([
          status,
          'text/xml; charset=UTF-8',
          soap,
        ]);
        expect(() => parseXml(response.body)).not.toThrow();
      });
    }
  });
});

describe('negotiation', () => {
  const f = esb.fault(900901);
  describe.each([
    ['absent', undefined],
    ['application/xml with a parameter', 'application/xml; charset=utf-8'],
    ['application/json, application/xml', 'application/json, application/xml'],
    ['Application/XML (other case)', 'Application/XML'],
    ['text/*', 'text/*'],
    ['application/soap+xml', 'application/soap+xml'],
    ['*/*', '*/*'],
    ['constructor (a prototype key)', 'constructor'],
    ['two Accept values', ['application/xml', 'text/xml']],
  ] as Array<[string, string | string[] | undefined]>)('when Accept is %s', (_label, accept) => {
    it('should answer JSON: the Accept header selects XML only when it equals an XML type exactly', () => {
      const request: RequestInfo = accept === undefined ? {} : { headers: { accept } };
      expect(handler().handle(f, request).headers['content-type']).toBe(JSON_TYPE);
    });
  });

  describe('when the request itself is XML and asks for XML', () => {
    it('should answer JSON: payloadFactory media-type="json" sets application/json', () => {
      const request: RequestInfo = {
        method: 'POST',
        headers: { accept: 'application/xml', 'content-type': 'application/xml' },
        body: '<order/>',
      };
      expect(handler().handle(f, request).headers['content-type']).toBe(JSON_TYPE);
    });
  });

  describe("under profile 'apim-3.2'", () => {
    it('should answer XML for an exact Accept with surrounding blanks', () => {
      expect(
        handler({ profile: 'apim-3.2' }).handle(f, { headers: { accept: ' application/xml ' } })
          .headers['content-type'],
      ).toBe('application/xml; charset=UTF-8');
    });

    it.each(['application/json, application/xml', 'application/xml; q=1', '*/*'])(
      'should answer JSON for Accept %p',
      (accept) => {
        expect(
          handler({ profile: 'apim-3.2' }).handle(f, { headers: { accept } }).headers[
            'content-type'
          ],
        ).toBe(JSON_TYPE);
      },
    );
  });
});

describe('WWW-Authenticate', () => {
  describe.each([900901, 900902, 900903, 900904, 900905, 900907, 900909, 900911])(
    'when %p is sent with 401',
    (code) => {
      it('should carry the invalid_token challenge', () => {
        expect(handler().handle(esb.fault(code)).headers['www-authenticate']).toBe(CHALLENGE);
      });
    },
  );

  describe.each([900900, 900906, 900908, 900910, 900800, 101503])(
    'when %p is not a 401 auth failure',
    (code) => {
      it('should not carry a challenge', () => {
        expect(handler().handle(esb.fault(code)).headers['www-authenticate']).toBeUndefined();
      });
    },
  );

  it.each([
    [
      { realm: 'Pizza' },
      'Internal API Key realm="Pizza", Bearer realm="Pizza", error="invalid_token", error_description="The provided token is invalid"',
    ],
    [
      { challenge: 'OAuth2 realm="WSO2 API Manager"' },
      'OAuth2 realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"',
    ],
    [{ challenge: false }, undefined],
    [{ profile: 'apim-3.2' }, CHALLENGE_3_2],
    [
      { profile: 'apim-3.2', realm: 'Pizza' },
      'Bearer realm="Pizza", error="invalid_token", error_description="The access token expired"',
    ],
    [
      { profile: 'apim-3.2', challenge: 'Bearer realm="x" API Key realm="x"' },
      'Bearer realm="x" API Key realm="x", error="invalid_token", error_description="The access token expired"',
    ],
    [{ profile: 'apim-4-runtime' }, CHALLENGE],
  ] as Array<[EsbOptions, string | undefined]>)(
    'should follow the options %p',
    (options, header) => {
      expect(handler(options).handle(esb.fault(900901)).headers['www-authenticate']).toBe(header);
    },
  );

  it("should let the fault's own header win", () => {
    const f = esb.fault(900901, { headers: { 'www-authenticate': 'Basic realm="x"' } });
    expect(handler().handle(f).headers['www-authenticate']).toBe('Basic realm="x"');
  });
});

describe("profile 'apim-4-runtime'", () => {
  const runtime = () => handler({ profile: 'apim-4-runtime' });
  const BLOCKED_BODY =
    '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}';
  const OPENAPI_BODY =
    '{"code":"900911","message":"Internal Server Error","description":"Internal Server Error"}';

  describe('when a request is blocked (900805)', () => {
    it("should send the documentation's 429 by default", () => {
      expect([
        handler().handle(esb.fault(900805)).status,
        handler().handle(esb.fault(900805)).body,
      ]).toEqual([429, BLOCKED_BODY]);
    });

    it("should send ThrottleHandler's 403 under the profile", () => {
      const response = runtime().handle(esb.fault(900805));
      expect([response.status, response.body, response.fault.status]).toEqual([
        403,
        BLOCKED_BODY,
        403,
      ]);
    });
  });

  describe('when the API has no OpenAPI definition (900911)', () => {
    it("should send the documentation's 401 with the challenge by default", () => {
      const response = handler().handle(esb.fault(900911));
      expect([response.status, response.headers['www-authenticate'], response.body]).toEqual([
        401,
        CHALLENGE,
        OPENAPI_BODY,
      ]);
    });

    it("should send APIAuthenticationHandler's 500, without a challenge, under the profile", () => {
      const response = runtime().handle(esb.fault(900911));
      expect([response.status, response.headers['www-authenticate'], response.body]).toEqual([
        500,
        undefined,
        OPENAPI_BODY,
      ]);
    });
  });

  it('should keep a status the fault asked for that is not the documented one', () => {
    expect(runtime().handle(esb.fault(900805, { status: 503 })).status).toBe(503);
  });

  it('should leave every other code at its documented status', () => {
    const others = esb.catalog.entries.filter((e) => e.code !== 900805 && e.code !== 900911);
    expect(others.map((e) => runtime().handle(esb.fault(e.code as number)).status)).toEqual(
      others.map((e) => e.status),
    );
  });
});

describe('Retry-After and the next access time', () => {
  describe.each([
    [900800, 429],
    [900802, 429],
    [900803, 429],
    [900804, 429],
    [900806, 429],
    [900807, 429],
  ])('when quota code %p knows the next access time', (code, status) => {
    it('should send Retry-After as an HTTP-date and the suffixed description', () => {
      const response = handler().handle(esb.fault(code, { nextAccessTime: NEXT }));
      expect(response.status).toBe(status);
      expect(response.headers['retry-after']).toBe(RETRY_AFTER);
      expect(JSON.parse(response.body)).toEqual({
        code: String(code),
        message: 'Message throttled out',
        description: `You have exceeded your quota .You can access API after ${NEXT_UTC}`,
        nextAccessTime: NEXT_UTC,
      });
    });
  });

  describe.each([
    [
      900801,
      undefined,
      503,
      '{"code":"900801","message":"API Limit Reached","description":"API not accepting requests"}',
    ],
    [
      900805,
      undefined,
      429,
      '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}',
    ],
    [
      900805,
      403,
      403,
      '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}',
    ],
  ])(
    'when %p (not a quota throttle-out, status option %p) knows the next access time',
    (code, option, status, body) => {
      it('should send Retry-After but no suffix and no nextAccessTime member', () => {
        const response = handler().handle(
          esb.fault(code, {
            nextAccessTime: NEXT,
            ...(option === undefined ? {} : { status: option }),
          }),
        );
        expect([response.status, response.headers['retry-after'], response.body]).toEqual([
          status,
          RETRY_AFTER,
          body,
        ]);
      });
    },
  );

  describe('when the next access time is unknown', () => {
    it('should send neither Retry-After nor the suffix', () => {
      const response = handler().handle(esb.fault(900800));
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.body).toBe(
        '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota"}',
      );
    });
  });

  describe('when a fault built by hand carries a next access time no Date can hold', () => {
    it('should send neither Retry-After nor the suffix', () => {
      const f = new Fault({
        dialect: 'esb',
        code: 900800,
        status: 429,
        message: 'Message throttled out',
        params: { nextAccessTime: 1e20 },
      });
      const response = handler().handle(f);
      expect([response.headers['retry-after'], response.body]).toEqual([
        undefined,
        '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota"}',
      ]);
    });
  });

  describe('when a fault of another sequence carries a next access time', () => {
    it('should not send Retry-After', () => {
      expect(
        handler().handle(esb.fault(900901, { nextAccessTime: NEXT })).headers['retry-after'],
      ).toBeUndefined();
    });
  });

  describe('when the description is given explicitly', () => {
    it('should send it as is, with the nextAccessTime member', () => {
      const body = handler().handle(
        esb.fault(900800, { nextAccessTime: NEXT, description: 'Slow down' }),
      ).body;
      expect(body).toBe(
        `{"code":"900800","message":"Message throttled out","description":"Slow down","nextAccessTime":"${NEXT_UTC}"}`,
      );
    });
  });

  it.each([
    [new Date(Date.UTC(999, 0, 5, 3, 4, 5)), '0999-Jan-05 03:04:05+0000 UTC'],
    [new Date(Date.UTC(2024, 11, 31, 23, 59, 59)), '2024-Dec-31 23:59:59+0000 UTC'],
  ])('should format %p as %p', (date, text) => {
    expect(
      JSON.parse(handler().handle(esb.fault(900800, { nextAccessTime: date })).body).nextAccessTime,
    ).toBe(text);
  });
});

describe('errors that are not faults', () => {
  const withStatus = (message: string, status: number, extra: object = {}) =>
    Object.assign(new Error(message), { status, ...extra });

  describe.each([
    [
      'a 401',
      withStatus('jwt expired', 401),
      401,
      '{"code":"900901","message":"Invalid Credentials","description":"jwt expired"}',
    ],
    [
      'a bare 401',
      withStatus('Unauthorized', 401),
      401,
      `{"code":"900901","message":"Invalid Credentials","description":"${AUTH_DESCRIPTION}"}`,
    ],
    [
      'a 403',
      withStatus('not yours', 403),
      403,
      '{"code":"900908","message":"Resource forbidden ","description":"not yours"}',
    ],
    [
      'a 405',
      withStatus('Method Not Allowed', 405),
      405,
      runtimeJson('405', 'Method not allowed for given API resource'),
    ],
    [
      'a 404',
      withStatus('Order 7 does not exist', 404),
      404,
      '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
    ],
    [
      'a 400',
      withStatus('name must be a string', 400),
      400,
      '{"code":"400","message":"Bad Request","description":"name must be a string"}',
    ],
    ['a 409', withStatus('Already shipped', 409), 409, runtimeJson('409', 'Already shipped')],
    ['a 502', withStatus('upstream said no', 502), 502, runtimeJson('502', 'Bad Gateway')],
    [
      'a plain Error',
      new Error('db password is hunter2'),
      500,
      runtimeJson('500', 'Internal Server Error'),
    ],
  ])('when the service throws %s', (_label, error, status, body) => {
    it('should answer as the gateway would, hiding 5xx messages', () => {
      const response = handler().handle(error);
      expect([response.status, response.body]).toEqual([status, body]);
    });
  });

  describe('when a 429 carries Retry-After', () => {
    it.each([
      ['an HTTP-date', RETRY_AFTER],
      ['delta-seconds', '60'],
    ])('should turn %s into the next access time', (_label, value) => {
      const before = Date.now();
      const response = handler().handle(
        withStatus('Too Many Requests', 429, { headers: { 'retry-after': value } }),
      );
      const next = Date.parse(response.headers['retry-after'] ?? '');
      if (value === RETRY_AFTER) expect(response.headers['retry-after']).toBe(RETRY_AFTER);
      else expect(Math.abs(next - (before + 60_000))).toBeLessThan(2000);
      expect(JSON.parse(response.body).code).toBe('900800');
      expect(JSON.parse(response.body).nextAccessTime).toMatch(
        /^\d{4}-[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d\+0000 UTC$/,
      );
    });

    it('should keep the other headers of the error', () => {
      const response = handler().handle(
        withStatus('Too Many Requests', 429, {
          headers: { 'retry-after': RETRY_AFTER, 'x-quota': 'gold' },
        }),
      );
      expect([response.headers['retry-after'], response.headers['x-quota']]).toEqual([
        RETRY_AFTER,
        'gold',
      ]);
    });

    it('should send no next access time for a 429 without Retry-After', () => {
      const response = handler().handle(
        withStatus('Too Many Requests', 429, { headers: { 'x-quota': 'gold' } }),
      );
      expect([
        response.headers['retry-after'],
        response.headers['x-quota'],
        JSON.parse(response.body).nextAccessTime,
      ]).toEqual([undefined, 'gold', undefined]);
    });

    it('should keep an unreadable Retry-After as it is', () => {
      const response = handler().handle(
        withStatus('Too Many Requests', 429, { headers: { 'retry-after': 'soon' } }),
      );
      expect(response.headers['retry-after']).toBe('soon');
      expect(JSON.parse(response.body).nextAccessTime).toBeUndefined();
    });
  });

  describe('when a framework reports a malformed body', () => {
    it('should answer the threat fault with the framework-neutral text', () => {
      const error = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
        status: 400,
        type: 'entity.parse.failed',
      });
      expect(handler().handle(error).body).toBe(
        '{"code":"400","message":"Bad Request","description":"The request body could not be parsed"}',
      );
    });
  });

  describe.each(hostileValues())('when the thrown value is %s', (_label, value) => {
    it('should answer the fault sequence with 500 without throwing', () => {
      const response = handler().handle(value);
      expect(response.status).toBe(500);
      expect(response.body).toBe(runtimeJson('500', 'Internal Server Error'));
    });
  });

  describe('when a fault of another dialect is thrown', () => {
    it('should answer it as the ESB fault of its status', () => {
      const response = handler().handle(xroad.fault('Client.AccessDenied', 'no', { status: 401 }));
      expect([response.status, response.fault.dialect, response.fault.code]).toEqual([
        401,
        'esb',
        900901,
      ]);
    });
  });

  describe('when an ESB fault is built by hand with a code that is not a number', () => {
    it('should answer it by its status', () => {
      const response = handler().handle(
        new Fault({ dialect: 'esb', code: 'oops', status: 404, message: 'x' }),
      );
      expect([response.status, response.fault.code]).toEqual([404, 404]);
    });
  });
});

describe('escaping', () => {
  const nasty = 'a < b & "c" \'d\' \u0001 \uD800 </am:description><x> ]]> \r\u0085';

  describe.each([
    ['XML', XML_ACCEPT],
    ['SOAP', SOAP_REQUEST],
  ] as Array<[string, RequestInfo]>)(
    'when a message with markup and XML-invalid characters is sent as %s',
    (_label, request) => {
      it.each(['fault', '_auth_failure_handler_', '_throttle_out_handler_'] as SequenceName[])(
        'should keep the %s body well-formed, escaped as Axiom writes it',
        (sequence) => {
          const body = handler({ profile: 'apim-3.2' }).handle(
            esb.fault(900901, { sequence, message: nasty, description: nasty }),
            request,
          ).body;
          expect(() => parseXml(body)).not.toThrow();
          expect(body).not.toContain('<x>');
          expect(body).toContain(
            'a &lt; b &amp; "c" \'d\' \uFFFD \uFFFD &lt;/am:description>&lt;x> ]]&gt; &#xd;&#x85;',
          );
        },
      );
    },
  );

  describe.each([
    'fault',
    '_auth_failure_handler_',
    '_throttle_out_handler_',
    '_threat_fault_',
    '_token_fault_',
  ] as SequenceName[])('when the %s sequence sends it as JSON', (sequence) => {
    it('should keep the text whole', () => {
      const body = handler().handle(
        esb.fault(900901, { sequence, message: nasty, description: nasty }),
        { headers: { accept: 'application/json' } },
      ).body;
      expect(Object.values(JSON.parse(body) as object)).toContain(nasty);
    });
  });
});

describe('hidden messages', () => {
  it('should hide the message and the own description of an unexposed 5xx fault', () => {
    const response = handler().handle(
      esb.fault(900900, {
        message: 'KM at 10.0.0.5 down',
        description: 'KM at 10.0.0.5 down',
        expose: false,
      }),
    );
    expect(response.body).toBe(
      '{"code":"900900","message":"Unclassified Authentication Failure","description":"Unclassified Authentication Failure"}',
    );
  });

  it('should show them with debug', () => {
    const response = handler(undefined, { debug: true }).handle(
      esb.fault(900900, { message: 'KM down', description: 'KM at 10.0.0.5', expose: false }),
    );
    expect(JSON.parse(response.body)).toEqual({
      code: '900900',
      message: 'KM down',
      description: 'KM at 10.0.0.5',
    });
  });
});

describe('options', () => {
  describe.each([
    [
      'an unknown option',
      { sequnces: {} },
      /options\.esb\.sequnces is not an option \(profile, sequences, use, realm, challenge\)/,
    ],
    [
      'realm and challenge together',
      { realm: 'a', challenge: 'b' },
      /options\.esb\.realm and options\.esb\.challenge/,
    ],
    ['a realm with a quote', { realm: 'a"b' }, /options\.esb\.realm must be/],
    ['an empty challenge', { challenge: ' ' }, /options\.esb\.challenge must be/],
    ['a challenge with a newline', { challenge: 'Bearer\nx' }, /options\.esb\.challenge must be/],
    ['sequences that are an array', { sequences: [] }, /options\.esb\.sequences must be/],
    [
      'a bad sequence name',
      { sequences: { 'a b': { status: 555 } } },
      /invalid sequence name 'a b'/,
    ],
    [
      'use of an unknown built-in',
      { sequences: { c: { status: 555 } }, use: { _nope_: 'c' } },
      /options\.esb\.use names '_nope_'/,
    ],
    [
      'use of an undefined custom sequence',
      { use: { fault: 'convert' } },
      /options\.esb\.use\.fault names 'convert'/,
    ],
    ['use that is not an object', { use: 'fault' }, /options\.esb\.use must be/],
    [
      'use with a sequence that is not a name',
      { sequences: { c: { status: 555 } }, use: { fault: { status: 555 } } },
      /options\.esb\.use\.fault names '\[object Object\]'/,
    ],
  ] as Array<[string, unknown, RegExp]>)('when given %s', (_label, options, message) => {
    it('should throw a TypeError naming the option at configure time', () => {
      expect(() => esb.configure(options as EsbOptions)).toThrow(TypeError);
      expect(() => handler(options as EsbOptions)).toThrow(message);
    });
  });

  describe.each([
    [
      'an unknown profile',
      'apim-3',
      "faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got 'apim-3')",
    ],
    [
      'the default spelled out',
      '4.x',
      "faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got '4.x')",
    ],
    [
      'a number',
      3.2,
      "faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got 3.2)",
    ],
    [
      'a prototype key',
      'constructor',
      "faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got 'constructor')",
    ],
    [
      'null',
      null,
      "faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got null)",
    ],
  ])('when the profile is %s', (_label, profile, message) => {
    it('should throw a TypeError naming the profiles that exist, at start-up', () => {
      expect(() => esb.configure({ profile } as never)).toThrow(new TypeError(message));
      expect(() => handler({ profile } as never)).toThrow(message);
    });
  });

  it('should reject esb options that are not an object', () => {
    expect(() => esb.configure(null as never)).toThrow('faultline: options.esb must be an object');
  });

  it('should not change the options object', () => {
    const options = {
      sequences: { c: { status: 555, headers: { 'X-A': '1' } } },
      use: { fault: 'c' },
    };
    const copy = JSON.parse(JSON.stringify(options)) as unknown;
    handler(options as EsbOptions);
    expect(options).toEqual(copy);
  });

  it('should own the headers the gateway sets and the custom sequences in use touch', () => {
    const sequences = {
      c: { headers: { 'X-A': '1', 'X-B': null } },
      unused: { headers: { 'X-C': '1' } },
    };
    expect(esb.configure({ sequences, use: { fault: 'c' } }).ownHeaders).toEqual([
      'www-authenticate',
      'retry-after',
      'x-a',
      'x-b',
    ]);
  });

  it('should have a JSON fallback for when rendering fails', () => {
    expect(esb.configure().fallback).toEqual({
      status: 500,
      headers: { 'content-type': JSON_TYPE },
      body: runtimeJson('500', 'Internal Server Error'),
    });
  });
});
