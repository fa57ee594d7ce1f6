/**
 * The X-Road dialect: fault construction, code arithmetic, the catalogue, negotiation and
 * the three wire forms (wire-formats.md Part 1 "X-Road", seed 000).
 */
import { createFaultHandler, routeNotFound, xroad } from '../../../src/index';
import type { FaultHandlerOptions, RequestInfo, XRoadSide } from '../../../src/index';
import { Fault } from '../../../src/fault';
import { parseXml } from '../../../../../test/support/xml';

const CODE = 'Server.ServerProxy.UnknownService';
const MESSAGE = 'Unknown service: SERVICE:EE/GOV/123/app/getPerson';
const JSON_BODY = `{"type":"${CODE}","message":"${MESSAGE}","detail":"id-1"}`;
const XML_BODY =
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' +
  `<error><type>${CODE}</type><message>${MESSAGE}</message><detail>id-1</detail></error>`;
const SOAP_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
  `<faultcode>${CODE}</faultcode><faultstring>${MESSAGE}</faultstring><faultactor></faultactor>` +
  '<detail><faultDetail xmlns="">id-1</faultDetail></detail>' +
  '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

// The codes of the seed's two tables, in the seed's order.
const SEED_CLIENT_PROXY_CODES = [
  'Server.ClientProxy.UnknownMember',
  'Server.ClientProxy.NetworkError',
  'Server.ClientProxy.CannotCreateSignature.Signer.TokenNotActive',
  'Server.ClientProxy.ServiceFailed.InternalError',
  'Server.ClientProxy.SslAuthenticationFailed',
  'Server.ClientProxy.IOError',
  'Server.ClientProxy.LoggingFailed.TimestamperFailed',
  'Server.ClientProxy.OutdatedGlobalConf',
  'Server.ClientProxy.LoggingFailed.InternalError',
];
const SEED_SERVER_PROXY_CODES = [
  'Server.ServerProxy.AccessDenied',
  'Server.ServerProxy.ServiceFailed.MissingHeaderField',
  'Server.ServerProxy.ServiceFailed.InvalidSoap',
  'Server.ServerProxy.UnknownService',
  'Server.ServerProxy.ServiceFailed.HttpError',
  'Server.ServerProxy.ServiceFailed.InternalError',
  'Server.ServerProxy.ServiceFailed.CannotCreateSignature',
  'Server.ServerProxy.CannotCreateSignature.Signer.TokenNotActive',
  'Server.ServerProxy.SslAuthenticationFailed',
  'Server.ServerProxy.LoggingFailed.TimestamperFailed',
  'Server.ServerProxy.OutdatedGlobalConf',
  'Server.ServerProxy.LoggingFailed.InternalError',
  'Server.ServerProxy.IOError',
];
const FAULTLINE_CODES = [
  'Server.ServerProxy.NetworkError',
  'Client.BadRequest',
  'Client.InvalidBody',
  'Client.NotFound',
  'Client.InvalidContentType',
  'Client.InvalidHttpMethod',
  'Client.AccessDenied',
];

function handler(options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: 'xroad',
    logger: false,
    correlationId: () => 'id-1',
    ...options,
  });
}

function withStatus(message: string, status: number, extra: object = {}): Error {
  return Object.assign(new Error(message), { status, statusCode: status }, extra);
}

describe('xroad.fault', () => {
  describe('when the code has no Server./Client. prefix', () => {
    const fault = xroad.fault('UnknownService', MESSAGE);

    it('should keep it unqualified, with the catalogue name and a 500 status', () => {
      expect(fault).toMatchObject({
        dialect: 'xroad',
        code: 'UnknownService',
        name: 'UnknownService',
        status: 500,
        message: MESSAGE,
      });
    });

    it.each([
      ['server', 'Server.ServerProxy.UnknownService'],
      ['client', 'Server.ClientProxy.UnknownService'],
    ] as Array<[XRoadSide, string]>)(
      "should be qualified by a '%s' handler's side",
      (side, code) => {
        const response = handler({ xroad: { side } }).handle(fault);
        expect(response.status).toBe(500);
        expect(response.headers['x-road-error']).toBe(code);
        expect(response.body).toBe(`{"type":"${code}","message":"${MESSAGE}","detail":"id-1"}`);
        expect(response.fault.code).toBe(code);
      },
    );

    it("should be qualified by the server side when the handler's side is not given", () => {
      expect(handler().handle(fault).fault.code).toBe('Server.ServerProxy.UnknownService');
    });

    it('should leave the thrown fault unchanged', () => {
      handler({ xroad: { side: 'client' } }).handle(fault);
      expect(fault.code).toBe('UnknownService');
    });

    it("should qualify the faultline handler's fault with the matching catalogue description", () => {
      const resolved = handler().handle(xroad.fault('AccessDenied')).fault;
      expect(resolved).toMatchObject({
        code: 'Server.ServerProxy.AccessDenied',
        name: 'AccessDenied',
        description: xroad.catalog.get('Server.ServerProxy.AccessDenied')?.description,
      });
    });
  });

  describe('when options.side is given', () => {
    it.each([
      ['server', 'Server.ServerProxy.UnknownService'],
      ['client', 'Server.ClientProxy.UnknownService'],
    ] as Array<[XRoadSide, string]>)("should qualify with the '%s' side at once", (side, code) => {
      const fault = xroad.fault('UnknownService', undefined, { side });
      expect(fault.code).toBe(code);
    });

    it("should keep that code whatever the handler's side", () => {
      const fault = xroad.fault('NetworkError', undefined, { side: 'client' });
      expect(handler({ xroad: { side: 'server' } }).handle(fault).fault.code).toBe(
        'Server.ClientProxy.NetworkError',
      );
    });

    it('should reject a side that is neither client nor server', () => {
      expect(() => xroad.fault('UnknownService', undefined, { side: 'x' as never })).toThrow(
        TypeError,
      );
    });
  });

  describe.each([
    'Server.ServerProxy.AccessDenied',
    'Server.ClientProxy.NetworkError',
    'Server.Custom.Thing',
    'Client.BadRequest',
    'Client.Custom',
  ])('when the code %s is already qualified', (code) => {
    it.each(['client', 'server'] as XRoadSide[])(
      "should stay untouched by option side '%s' and by the handler",
      (side) => {
        expect(xroad.fault(code, 'm', { side }).code).toBe(code);
        const response = handler({ xroad: { side } }).handle(xroad.fault(code, 'm'));
        expect(response.headers['x-road-error']).toBe(code);
      },
    );
  });

  describe.each([
    ['Server.ServerProxy.AccessDenied', 500],
    ['Server.ClientProxy.UnknownMember', 500],
    ['Server.Custom', 500],
    ['UnknownService', 500],
    ['Client.BadRequest', 400],
    ['Client.Custom.Thing', 400],
  ])('when the code is %s', (code, status) => {
    it(`should get X-Road's REST status ${status}`, () => {
      expect(xroad.fault(code).status).toBe(status);
      expect(handler().handle(xroad.fault(code)).status).toBe(status);
    });
  });

  describe('when options.status is given', () => {
    it('should override the status rule in the fault and the response', () => {
      const fault = xroad.fault('Server.ServerProxy.AccessDenied', 'Request is not allowed: X', {
        status: 403,
      });
      expect(fault.status).toBe(403);
      expect(handler().handle(fault).status).toBe(403);
    });

    it.each([200, 399, 600, 404.5, '404', NaN])('should reject %p with a TypeError', (status) => {
      expect(() => xroad.fault('Client.BadRequest', 'x', { status: status as never })).toThrow(
        TypeError,
      );
    });
  });

  describe('when no message is given', () => {
    it.each([
      ['Server.ServerProxy.AccessDenied', 'Request is not allowed'],
      ['Server.ClientProxy.OutdatedGlobalConf', 'Global configuration is expired'],
      ['Client.InvalidBody', 'Invalid request body'],
      ['UnknownService', 'Unknown service'],
      ['ServiceFailed.InternalError', 'Internal Server Error'],
      ['Server.Custom.Thing', 'Internal Server Error'],
      ['Client.Custom', 'Bad Request'],
    ])('should give %s the default message %p', (code, message) => {
      expect(xroad.fault(code).message).toBe(message);
    });

    it('should take name and description from the catalogue', () => {
      const entry = xroad.catalog.get('Server.ServerProxy.AccessDenied');
      expect(xroad.fault('Server.ServerProxy.AccessDenied')).toMatchObject({
        name: 'AccessDenied',
        description: entry?.description,
      });
    });
  });

  describe('when options carry exposure, headers, cause and a correlation id', () => {
    it('should keep them', () => {
      const cause = new Error('upstream');
      const fault = xroad.fault('Server.ServerProxy.NetworkError', 'down', {
        expose: false,
        headers: { 'retry-after': '5' },
        cause,
        correlationId: 'up-1',
      });
      expect(fault).toMatchObject({
        expose: false,
        headers: { 'retry-after': '5' },
        correlationId: 'up-1',
      });
      expect(fault.cause).toBe(cause);
    });

    it('should expose the message by default, even for a 500', () => {
      expect(xroad.fault('Server.ServerProxy.NetworkError', 'down').expose).toBe(true);
    });
  });

  describe.each([
    ['an empty code', ''],
    ['a code with a space', 'a b'],
    ['a code with an empty segment', 'x..y'],
    ['a code ending with a dot', 'Server.'],
    ['a code starting with a dot', '.Server'],
    ['a code starting with a digit', '1Server'],
    ['a code with markup', 'Server<x>'],
    ['a code over 256 characters', `Server.${'A'.repeat(256)}`],
    ['a number', 42 as never],
    ['undefined', undefined as never],
  ])('when the code is %s', (_label, code) => {
    it('should throw a TypeError', () => {
      expect(() => xroad.fault(code)).toThrow(TypeError);
      expect(() => xroad.fault(code)).toThrow(/is not an X-Road code/);
    });
  });

  describe.each([42, null, {}, ['m']])('when the message is %p', (message) => {
    it('should throw a TypeError', () => {
      expect(() => xroad.fault('Client.BadRequest', message as never)).toThrow(
        new TypeError('faultline: an X-Road fault message must be a string'),
      );
    });
  });

  it('should build a Fault', () => {
    expect(xroad.fault('Client.BadRequest')).toBeInstanceOf(Fault);
  });
});

describe('xroad.withPrefix', () => {
  it.each([
    [['InternalError', 'ServiceFailed'], 'ServiceFailed.InternalError'],
    [
      ['ServiceFailed.InternalError', 'Server.ServerProxy'],
      'Server.ServerProxy.ServiceFailed.InternalError',
    ],
    [['InternalError', 'Server', 'ClientProxy'], 'Server.ClientProxy.InternalError'],
    [['Server.ServerProxy.X', 'Server.ServerProxy'], 'Server.ServerProxy.X'],
    [['ServiceFailed.X', 'ServiceFailed'], 'ServiceFailed.X'],
    // X-Road's plain startsWith: a code that merely starts with the prefix text is left alone.
    [['ServiceFailedX', 'ServiceFailed'], 'ServiceFailedX'],
    [['X'], 'X'],
  ] as Array<[[string, ...string[]], string]>)(
    'should turn %p into %p',
    ([code, ...prefixes], expected) => {
      expect(xroad.withPrefix(code, ...prefixes)).toBe(expected);
    },
  );
});

describe('xroad.catalog', () => {
  const codes = xroad.catalog.entries.map((entry) => String(entry.code));

  describe('when compared with the seed tables', () => {
    it.each([...SEED_CLIENT_PROXY_CODES, ...SEED_SERVER_PROXY_CODES])(
      'should contain %s',
      (code) => {
        expect(xroad.catalog.get(code)?.code).toBe(code);
      },
    );

    it('should list each table in the seed order', () => {
      expect(codes.filter((c) => SEED_CLIENT_PROXY_CODES.includes(c))).toEqual(
        SEED_CLIENT_PROXY_CODES,
      );
      expect(codes.filter((c) => SEED_SERVER_PROXY_CODES.includes(c))).toEqual(
        SEED_SERVER_PROXY_CODES,
      );
    });
  });

  describe("when compared with faultline's own codes", () => {
    it.each(FAULTLINE_CODES)('should contain %s', (code) => {
      expect(xroad.catalog.get(code)?.code).toBe(code);
    });

    it('should contain nothing else', () => {
      expect([...codes].sort()).toEqual(
        [...SEED_CLIENT_PROXY_CODES, ...SEED_SERVER_PROXY_CODES, ...FAULTLINE_CODES].sort(),
      );
    });
  });

  describe.each(xroad.catalog.entries.map((entry) => [String(entry.code), entry] as const))(
    'the entry %s',
    (code, entry) => {
      it('should carry the status of the X-Road rule', () => {
        expect(entry.status).toBe(code.startsWith('Server.') ? 500 : 400);
      });

      it('should carry a non-empty message and description', () => {
        expect(entry.message.trim()).not.toBe('');
        expect(entry.description?.trim()).toBeTruthy();
      });

      it('should be named by its code without the side prefix', () => {
        expect(entry.name).toBe(code.replace(/^(Server\.(ClientProxy|ServerProxy)|Client)\./, ''));
      });

      it('should be frozen', () => {
        expect(Object.isFrozen(entry)).toBe(true);
      });
    },
  );

  describe('when given the seed example messages', () => {
    it.each([
      [
        'Server.ClientProxy.CannotCreateSignature.Signer.TokenNotActive',
        "Token 'softToken' not active",
      ],
      [
        'Server.ClientProxy.NetworkError',
        'Name or service not known. No address associated with hostname.',
      ],
      ['Server.ClientProxy.OutdatedGlobalConf', 'Global configuration is expired'],
      [
        'Server.ServerProxy.ServiceFailed.MissingHeaderField',
        'Malformed SOAP message: header missing',
      ],
      [
        'Server.ServerProxy.ServiceFailed.InvalidSoap',
        'org.xml.sax.SAXParseException; Premature end of file.',
      ],
      ['Server.ServerProxy.IOError', 'Received fatal alert: handshake_failure'],
      ['Server.ServerProxy.ServiceFailed.InternalError', 'Connection pool shut down'],
    ])('should list %s with %p', (code, message) => {
      expect(xroad.catalog.get(code)?.examples?.map((example) => example.message)).toContain(
        message,
      );
    });
  });

  it('should expose the side prefixes', () => {
    expect(xroad.prefixes).toEqual({ client: 'Server.ClientProxy', server: 'Server.ServerProxy' });
    expect(xroad.PREFIXES).toBe(xroad.prefixes);
  });
});

describe('REST negotiation through handle()', () => {
  const fault = xroad.fault(CODE, MESSAGE);
  // 300 ranges (about 11 KB): within the 16 KiB of Accept that negotiation reads (Node's own
  // header limit); test/limits.test.ts covers longer headers.
  const manyRanges = Array.from(
    { length: 300 },
    (_, i) => `application/x-type-${i};q=0.${i % 10}`,
  ).join(', ');

  describe.each([
    ['application/json, application/xml', 'application/xml'],
    ['application/xml', 'application/xml'],
    ['text/xml', 'text/xml'],
    ['text/*', 'text/xml'],
    ['TEXT/XML;q=0', 'text/xml'],
    ['Application/XML ; charset=utf-8', 'application/xml'],
    ['application/xml, text/xml', 'application/xml'],
    ['text/html, text/*;q=0.1', 'text/xml'],
    [['application/json', 'text/xml'], 'text/xml'],
    [`${manyRanges}, text/xml`, 'text/xml'],
  ] as Array<[string | string[], string]>)('when Accept is %p', (accept, mediaType) => {
    it(`should answer REST XML as ${mediaType}`, () => {
      const response = handler().handle(fault, { headers: { accept } });
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe(`${mediaType};charset=utf-8`);
      expect(response.headers['x-road-error']).toBe(CODE);
      expect(response.body).toBe(XML_BODY);
      expect(() => parseXml(response.body)).not.toThrow();
    });
  });

  describe.each([
    ['application/json', 'application/json'],
    ['absent', undefined],
    ['*/*', '*/*'],
    ['*/*;q=0', '*/*;q=0'],
    ['text/html only', 'text/html, image/png'],
    ['an empty string', ''],
    ['an empty array', []],
    [';;,,', ';;,,'],
    ['q=abc', 'q=abc'],
    ['text/xmlx', 'text/xmlx'],
    ['malformed with q=abc', 'text/html;q=abc,,;;,*/*;q=0.1'],
    ['an 8 KiB header', 'a'.repeat(8192)],
    ['an 8 KiB header of separators', ';,'.repeat(4096)],
    ['300 ranges', manyRanges],
  ] as Array<[string, string | string[] | undefined]>)('when Accept is %s', (_label, accept) => {
    it('should answer REST JSON without throwing', () => {
      const request: RequestInfo = accept === undefined ? {} : { headers: { accept } };
      const response = handler().handle(fault, request);
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.headers['x-road-error']).toBe(CODE);
      expect(response.body).toBe(JSON_BODY);
    });
  });

  describe('when there is no request at all', () => {
    it('should answer REST JSON', () => {
      expect(handler().handle(fault).body).toBe(JSON_BODY);
    });
  });

  describe('when Accept is huge', () => {
    const junk = 'application/x-junk;q=0.1,';

    it('should read only its first 16 KiB (limits.accept), so the work stays bounded', () => {
      // application/xml comes after 500 000 characters of junk: beyond what is read.
      const response = handler().handle(fault, {
        headers: { accept: `${junk.repeat(20_000)}application/xml` },
      });
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.body).toBe(JSON_BODY);
    });

    it('should still honour a range within the first 16 KiB', () => {
      const response = handler().handle(fault, {
        headers: { accept: `${junk.repeat(600)}application/xml` },
      });
      expect(response.headers['content-type']).toBe('application/xml;charset=utf-8');
    });
  });
});

describe('the REST JSON body, written from a template as Jackson writes it', () => {
  // The security server's JsonGenerator: short escapes, upper-case \u00XX, `?` for a lone
  // surrogate (its PrintWriter's encoder), everything else raw. Written out, not computed.
  it.each([
    ['quotes and a backslash', 'say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['short-form controls', 'a\bb\tc\nd\fe\rf', '"a\\bb\\tc\\nd\\fe\\rf"'],
    ['other C0 controls', '\u0000\u001b\u001f', '"\\u0000\\u001B\\u001F"'],
    [
      'a lone surrogate and a pair',
      'half \ud800 whole \ud83d\ude00 end \udc00',
      '"half ? whole \ud83d\ude00 end ?"',
    ],
    [
      'DEL, C1, U+2028, a slash and non-ASCII text',
      '\u007f\u0085/päring\u2028',
      '"\u007f\u0085/päring\u2028"',
    ],
  ])('should write %s byte for byte', (_label, message, written) => {
    const response = handler().handle(xroad.fault(CODE, message), { headers: {} });
    expect(response.body).toBe(`{"type":"${CODE}","message":${written},"detail":"id-1"}`);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)));
  });
});

describe('SOAP encoding through handle()', () => {
  const fault = xroad.fault(CODE, MESSAGE);

  describe('when the request has a SOAPAction header', () => {
    it('should answer the SOAP 1.1 fault byte for byte with status 200', () => {
      const response = handler().handle(fault, { headers: { soapaction: '' } });
      expect(response.status).toBe(200);
      expect(response.body).toBe(SOAP_BODY);
      expect(response.headers).toEqual({
        'content-type': 'text/xml;charset=utf-8',
        soapaction: '',
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
        'content-length': String(Buffer.byteLength(SOAP_BODY)),
      });
      expect(() => parseXml(response.body)).not.toThrow();
    });

    it('should ignore Accept', () => {
      expect(
        handler().handle(fault, { headers: { soapaction: '""', accept: 'application/json' } }).body,
      ).toBe(SOAP_BODY);
    });

    it('should send a Client.* fault with status 200 too', () => {
      expect(
        handler().handle(xroad.fault('Client.BadRequest', 'x'), { headers: { soapaction: '' } })
          .status,
      ).toBe(200);
    });
  });

  describe('when the request body is a SOAP envelope', () => {
    it('should answer SOAP', () => {
      const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`;
      expect(handler().handle(fault, { headers: { 'content-type': 'text/xml' }, body }).body).toBe(
        SOAP_BODY,
      );
    });
  });

  describe('when soapStatus is 500', () => {
    it('should answer SOAP faults with status 500', () => {
      const response = handler({ xroad: { soapStatus: 500 } }).handle(fault, {
        headers: { soapaction: '' },
      });
      expect(response.status).toBe(500);
      expect(response.body).toBe(SOAP_BODY);
    });
  });

  describe("when soap: ['/soap'] is configured", () => {
    const soapHandler = handler({ xroad: { soap: ['/soap'] } });

    it.each(['/soap', '/soap/', '/soap/getPerson', '/soap?wsdl'])(
      'should answer SOAP for %s',
      (url) => {
        expect(
          soapHandler.handle(fault, { url, headers: { accept: 'application/json' } }).body,
        ).toBe(SOAP_BODY);
      },
    );

    it.each(['/soapy', '/r1/soap', '/', undefined])('should answer REST for %p', (url) => {
      const request: RequestInfo = url === undefined ? {} : { url };
      expect(soapHandler.handle(fault, request).body).toBe(JSON_BODY);
    });
  });

  describe('when soap is a predicate', () => {
    it('should answer SOAP exactly when the predicate holds for the request', () => {
      const predicate = jest.fn((request: RequestInfo) => request.method === 'POST');
      const soapHandler = handler({ xroad: { soap: predicate } });
      const post: RequestInfo = { method: 'POST', url: '/x' };
      expect(soapHandler.handle(fault, post).body).toBe(SOAP_BODY);
      expect(predicate).toHaveBeenLastCalledWith(post);
      expect(soapHandler.handle(fault, { method: 'GET', url: '/x' }).body).toBe(JSON_BODY);
    });
  });

  describe('when the message holds markup', () => {
    it('should escape it in SOAP as escapeXml10 does: entities for quotes too, forbidden characters removed', () => {
      const hostile = xroad.fault('Client.BadRequest', `</faultstring><x a='1'>&xxe;"\u0000`);
      const body = handler().handle(hostile, { headers: { soapaction: '' } }).body;
      expect(body).toContain(
        '<faultstring>&lt;/faultstring&gt;&lt;x a=&apos;1&apos;&gt;&amp;xxe;&quot;</faultstring>',
      );
      expect(() => parseXml(body)).not.toThrow();
    });

    it('should escape it in REST XML as the JDK transformer does: quotes literal, C0 controls as U+FFFD', () => {
      const hostile = xroad.fault('Client.BadRequest', `</message><x a='1'>&xxe;"\u0000`);
      const body = handler().handle(hostile, { headers: { accept: 'text/xml' } }).body;
      expect(body).toContain(`<message>&lt;/message&gt;&lt;x a='1'&gt;&amp;xxe;"\uFFFD</message>`);
      expect(() => parseXml(body)).not.toThrow();
    });
  });
});

describe('errors that are not X-Road faults, through handle()', () => {
  describe.each([
    ['a plain Error', new Error('boom'), 'InternalError', 'Internal Server Error'],
    ['a 503 Error', withStatus('upstream', 503), 'InternalError', 'Internal Server Error'],
    ['a 404 Error', withStatus('Widget 7 not found', 404), 'Client.NotFound', 'Widget 7 not found'],
    [
      'a hidden 404 Error',
      withStatus('internal detail', 404, { expose: false }),
      'Client.NotFound',
      'Not Found',
    ],
    [
      'an unknown route',
      routeNotFound('GET', '/nope?x=1'),
      'Client.NotFound',
      'No route for GET /nope',
    ],
    ['a 400 Error', withStatus('bad', 400), 'Client.BadRequest', 'bad'],
    ['a 401 Error', withStatus('who are you', 401), 'Client.AccessDenied', 'who are you'],
    ['a 403 Error', withStatus('not you', 403), 'Client.AccessDenied', 'not you'],
    ['a 405 Error', withStatus('no PUT', 405), 'Client.InvalidHttpMethod', 'no PUT'],
    ['a 413 Error', withStatus('too big', 413), 'Client.BadRequest', 'too big'],
    ['a 415 Error', withStatus('no yaml', 415), 'Client.InvalidContentType', 'no yaml'],
    ['a 418 Error', withStatus('teapot', 418), 'Client.BadRequest', 'teapot'],
    ['a 429 Error', withStatus('slow down', 429), 'Client.BadRequest', 'slow down'],
    [
      'a Fastify validation error',
      withStatus("body must have required property 'name'", 400, {
        code: 'FST_ERR_VALIDATION',
        validation: [],
        validationContext: 'body',
      }),
      'Client.BadRequest',
      "body must have required property 'name'",
    ],
    [
      'a body-parser parse error',
      withStatus('Unexpected token } in JSON at position 9', 400, {
        type: 'entity.parse.failed',
        expose: true,
      }),
      'Client.InvalidBody',
      'The request body could not be parsed',
    ],
    [
      'a 404 fault of another dialect',
      new Fault({ dialect: 'other', code: 'E404', status: 404, message: 'gone' }),
      'Client.NotFound',
      'gone',
    ],
    [
      'a 502 fault of another dialect',
      new Fault({ dialect: 'other', code: 'E502', status: 502, message: 'secret upstream' }),
      'InternalError',
      'Internal Server Error',
    ],
  ] as Array<[string, unknown, string, string]>)(
    'when the thrown value is %s',
    (_label, thrown, code, message) => {
      it.each([
        ['server', 'Server.ServerProxy.ServiceFailed.InternalError'],
        ['client', 'Server.ClientProxy.ServiceFailed.InternalError'],
      ] as Array<[XRoadSide, string]>)(
        "should answer the X-Road code for side '%s'",
        (side, internalCode) => {
          const expectedCode = code === 'InternalError' ? internalCode : code;
          const response = handler({ xroad: { side } }).handle(thrown);
          expect(response.status).toBe(expectedCode.startsWith('Server.') ? 500 : 400);
          expect(response.headers['x-road-error']).toBe(expectedCode);
          expect(response.body).toBe(
            JSON.stringify({ type: expectedCode, message, detail: 'id-1' }),
          );
        },
      );
    },
  );
});

describe('dialect options', () => {
  describe('when the dialect is given as the xroad value', () => {
    it("should still read the options under 'xroad'", () => {
      const response = createFaultHandler({
        dialect: xroad,
        xroad: { side: 'client' },
        logger: false,
      }).handle(new Error('x'));
      expect(response.headers['x-road-error']).toBe(
        'Server.ClientProxy.ServiceFailed.InternalError',
      );
    });
  });

  describe.each([
    ['side', { side: 'x' }, /xroad side must be 'client' or 'server'/],
    ['soapStatus', { soapStatus: 404 }, /xroad\.soapStatus must be 200 or 500/],
    ['soap as a string', { soap: 'nope' }, /xroad\.soap must be/],
    ['soap with a relative prefix', { soap: ['nope'] }, /xroad\.soap must be/],
    ['soap with a non-string prefix', { soap: [1] }, /xroad\.soap must be/],
  ])('when %s is invalid', (_label, xroadOptions, message) => {
    it('should throw a TypeError naming the option when the handler is created', () => {
      expect(() => createFaultHandler({ dialect: 'xroad', xroad: xroadOptions as never })).toThrow(
        TypeError,
      );
      expect(() => createFaultHandler({ dialect: 'xroad', xroad: xroadOptions as never })).toThrow(
        message,
      );
    });
  });
});

describe('default messages of unprefixed codes', () => {
  it("should not borrow a Client.* entry's text for a code the side completes as Server.*", () => {
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: false,
      correlationId: () => 'id-1',
    });
    const res = handler.handle(xroad.fault('NotFound'));
    expect(res.body).toBe(
      '{"type":"Server.ServerProxy.NotFound","message":"Internal Server Error","detail":"id-1"}',
    );
  });
});

describe('a soap predicate that throws', () => {
  it('should answer REST rather than fail the fault', () => {
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: false,
      correlationId: () => 'id-1',
      xroad: {
        soap: () => {
          throw new Error('predicate bug');
        },
      },
    });
    const res = handler.handle(xroad.fault('Client.BadRequest', 'x'));
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.status).toBe(400);
  });
});

describe('dependencies that failed', () => {
  it.each([
    ['server', 'Server.ServerProxy.NetworkError'],
    ['client', 'Server.ClientProxy.NetworkError'],
  ] as const)(
    'should answer a refused connection inside fetch as the %s side NetworkError',
    (side, code) => {
      const thrown = new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:80'), {
          code: 'ECONNREFUSED',
        }),
      });
      const res = createFaultHandler({
        dialect: 'xroad',
        xroad: { side },
        logger: false,
        correlationId: () => 'id-1',
      }).handle(thrown);
      expect(res.body).toBe(`{"type":"${code}","message":"Network error","detail":"id-1"}`);
    },
  );
});
