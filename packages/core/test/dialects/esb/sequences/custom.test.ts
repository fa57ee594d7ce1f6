/**
 * ESB custom sequences: `esb.parseSequence` (the seed's `convert.xml` verbatim), payload
 * templates in XML and JSON, the gateway's XML → JSON conversion, custom statuses, header
 * edits, context values, which sequences a custom one replaces, and validation.
 */
import { createFaultHandler } from '../../../../src/index';
import type { FaultHandlerOptions, RequestInfo } from '../../../../src/index';
import { esb } from '../../../../src/dialects/esb/index';
import type { CustomSequence, EsbOptions } from '../../../../src/dialects/esb/index';
import {
  CONVERT_REQUEST,
  CONVERT_RESPONSE,
  CONVERT_XML,
} from '../../../../../../test/fixtures/esb-seed';
import { parseXml } from '../../../../../../test/support/xml';

const NEXT = new Date(Date.UTC(2026, 1, 10, 16, 20, 0));
const REQUEST: RequestInfo = {
  method: CONVERT_REQUEST.method,
  url: CONVERT_REQUEST.path,
  headers: CONVERT_REQUEST.headers,
};

function handler(esbOptions: EsbOptions, extra: Partial<FaultHandlerOptions> = {}) {
  const options: FaultHandlerOptions & { esb?: EsbOptions } = {
    dialect: esb,
    logger: false,
    correlationId: () => 'id-1',
    esb: esbOptions,
    ...extra,
  };
  return createFaultHandler(options);
}

// A sequence that answers every fault with one template, for checking what the template sees.
function using(
  sequence: CustomSequence,
  name: 'fault' | '_auth_failure_handler_' | '_throttle_out_handler_' = 'fault',
) {
  return handler({ sequences: { s: sequence }, use: { [name]: 's' } });
}

describe('esb.parseSequence', () => {
  describe("when given the seed's convert.xml verbatim", () => {
    it('should read the payload, the status, the header edits and the message type', () => {
      expect(esb.parseSequence(CONVERT_XML)).toEqual({
        mediaType: 'xml',
        format:
          ' <am:fault xmlns:am="http://wso2.org/apimanager"> <am:code>$1</am:code> <am:type>Status report</am:type> <am:message>Runtime Error</am:message> <am:description>$2</am:description> </am:fault> ',
        args: ['ERROR_CODE', 'ERROR_MESSAGE'],
        status: 555,
        headers: {
          Authorization: null,
          'Access-Control-Allow-Origin': '*',
          Host: null,
          Accept: null,
          'X-JWT-Assertion': null,
        },
        messageType: 'application/json',
      });
    });

    it('should freeze the result', () => {
      expect(Object.isFrozen(esb.parseSequence(CONVERT_XML))).toBe(true);
    });
  });

  describe('when the payload factory is JSON', () => {
    it('should read the format text, entities and CDATA included, and every argument form', () => {
      const xml =
        '<sequence xmlns="http://ws.apache.org/ns/synapse" name="j"><log level="custom"/>' +
        '<payloadFactory media-type="json"><format><![CDATA[{"c":"$1",]]>"m":&quot;$2&quot;,"s":$3,"l":"$4"}</format><args>' +
        `<arg expression="get-property('ERROR_CODE')"/><arg evaluator="json" expression="$ctx:ERROR_DETAIL"/>` +
        '<arg expression="$axis2:HTTP_SC"/><arg value="a &amp; b"/></args></payloadFactory>' +
        '<sequence key="_cors_request_handler_"/><property name="RESPONSE" value="true"/><drop/></sequence>';
      expect(esb.parseSequence(xml)).toEqual({
        mediaType: 'json',
        format: '{"c":"$1","m":"$2","s":$3,"l":"$4"}',
        args: ['ERROR_CODE', 'ERROR_DETAIL', 'HTTP_SC', { value: 'a & b' }],
      });
    });
  });

  describe('when the sequence only changes the status', () => {
    it('should read a sequence without a payload', () => {
      expect(
        esb.parseSequence(
          '<sequence name="s"><property name="HTTP_SC" value="503" scope="axis2"/></sequence>',
        ),
      ).toEqual({ status: 503 });
    });
  });

  describe.each([
    ['not a string', 42, /the source must be a string/],
    ['not well-formed', '<sequence><property></sequence>', /not well-formed XML/],
    ['a DOCTYPE', '<!DOCTYPE s [<!ENTITY x "y">]><sequence/>', /a DOCTYPE is not allowed/],
    ['another root', '<proxy name="p"/>', /the root element must be <sequence>/],
    [
      'a filter',
      '<sequence name="f"><filter source="x" regex="y"/></sequence>',
      /sequence 'f': unsupported mediator <filter>/,
    ],
    [
      'a makefault',
      '<sequence><makefault version="soap11"/></sequence>',
      /unsupported mediator <makefault>/,
    ],
    [
      'a header set',
      '<sequence><header name="X" value="y"/></sequence>',
      /unsupported mediator <header>/,
    ],
    [
      'a call to another sequence',
      '<sequence><sequence key="convert"/></sequence>',
      /unsupported mediator <sequence>/,
    ],
    [
      'a property expression',
      '<sequence><property name="HTTP_SC" expression="$ctx:X" scope="axis2"/></sequence>',
      /expressions are not supported/,
    ],
    [
      'a non-numeric HTTP_SC',
      '<sequence><property name="HTTP_SC" value="abc" scope="axis2"/></sequence>',
      /unsupported property 'HTTP_SC'/,
    ],
    [
      'an HTTP_SC out of range',
      '<sequence><property name="HTTP_SC" value="099" scope="axis2"/></sequence>',
      /status must be an integer in 200-999 that carries a body/,
    ],
    [
      'a context property',
      '<sequence><property name="ERROR_MESSAGE" value="x"/></sequence>',
      /unsupported property 'ERROR_MESSAGE' \(scope default/,
    ],
    [
      'a transport property without value',
      '<sequence><property name="X-A" scope="transport"/></sequence>',
      /property 'X-A' has no value/,
    ],
    [
      'two payload factories',
      '<sequence><payloadFactory><format><a/></format></payloadFactory><payloadFactory><format><b/></format></payloadFactory></sequence>',
      /more than one <payloadFactory>/,
    ],
    [
      'a payload factory without format',
      '<sequence><payloadFactory><args/></payloadFactory></sequence>',
      /has no <format>/,
    ],
    [
      'a freemarker template',
      '<sequence><payloadFactory template-type="freemarker"><format><a/></format></payloadFactory></sequence>',
      /only the default payloadFactory template type/,
    ],
    [
      'a text media type',
      '<sequence><payloadFactory media-type="text"><format>x</format></payloadFactory></sequence>',
      /unsupported payloadFactory media-type 'text'/,
    ],
    [
      'an XPath argument',
      '<sequence><payloadFactory><format><a>$1</a></format><args><arg expression="//order/id"/></args></payloadFactory></sequence>',
      /unsupported expression '\/\/order\/id'/,
    ],
    [
      'an unknown context value',
      '<sequence><payloadFactory><format><a>$1</a></format><args><arg expression="$ctx:SECRET"/></args></payloadFactory></sequence>',
      /unsupported expression/,
    ],
    [
      'a stray element in args',
      '<sequence><payloadFactory><format><a>$1</a></format><args><x/></args></payloadFactory></sequence>',
      /unexpected <x> in <args>/,
    ],
    [
      'an empty format',
      '<sequence><payloadFactory><format/></payloadFactory></sequence>',
      /format must be a non-empty string/,
    ],
    [
      'an unused placeholder',
      '<sequence><payloadFactory><format><a>$2</a></format><args><arg value="x"/></args></payloadFactory></sequence>',
      /format uses \$2 but there are 1 args/,
    ],
    [
      'a bad message type',
      '<sequence><property name="messageType" value="text/plain" scope="axis2"/></sequence>',
      /messageType must be one of/,
    ],
  ])('when the source has %s', (_label, source, message) => {
    it('should throw a TypeError saying what is not supported', () => {
      expect(() => esb.parseSequence(source as string)).toThrow(TypeError);
      expect(() => esb.parseSequence(source as string)).toThrow(message);
    });
  });
});

describe("the seed's custom error example", () => {
  describe.each([
    ['the convert.xml source', CONVERT_XML],
    ['the parsed sequence', esb.parseSequence(CONVERT_XML)],
  ])('when _auth_failure_handler_ uses %s', (_label, convert) => {
    const h = handler({ sequences: { convert }, use: { _auth_failure_handler_: 'convert' } });

    it('should answer an invalid token with status 555 and the converted body byte for byte', () => {
      const response = h.handle(esb.fault(900901), REQUEST);
      expect(response.status).toBe(CONVERT_RESPONSE.status);
      expect(response.body).toBe(CONVERT_RESPONSE.body);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['content-type']).toBe('application/json; charset=UTF-8');
    });

    it('should send the headers the sequence sets and no challenge, as the seed shows', () => {
      const response = h.handle(esb.fault(900901), REQUEST);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(Object.keys(response.headers).sort()).toEqual([
        'access-control-allow-origin',
        'cache-control',
        'content-length',
        'content-type',
        'vary',
        'x-content-type-options',
      ]);
    });

    it('should leave the other sequences alone', () => {
      expect(h.handle(esb.fault(900800)).body).toBe(
        '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota"}',
      );
    });

    it('should answer a SOAP client with the custom body too (the sequence replaces the SOAP branch)', () => {
      expect(h.handle(esb.fault(900902), { headers: { soapaction: '' } }).body).toBe(
        '{"fault":{"code":900902,"type":"Status report","message":"Runtime Error","description":"Missing Credentials"}}',
      );
    });
  });
});

describe('XML payloads sent as JSON', () => {
  const convert = (format: string, args: CustomSequence['args'] = []) =>
    using({ format, args, messageType: 'application/json' }).handle(
      esb.fault(123, { message: 'm' }),
    ).body;

  it.each([
    [
      'namespace prefixes and declarations dropped',
      '<p:a xmlns:p="urn:p" xmlns="urn:d"><p:b>x</p:b></p:a>',
      '{"a":{"b":"x"}}',
    ],
    [
      'numbers typed',
      '<a><i>42</i><n>-1.5e3</n><z>007</z><s>1 2</s></a>',
      '{"a":{"i":42,"n":-1.5e3,"z":"007","s":"1 2"}}',
    ],
    [
      'big numbers kept digit for digit',
      '<a><n>12345678901234567890123</n></a>',
      '{"a":{"n":12345678901234567890123}}',
    ],
    [
      'booleans typed',
      '<a><t>true</t><f>false</f><T>True</T></a>',
      '{"a":{"t":true,"f":false,"T":"True"}}',
    ],
    ['empty elements as null', '<a><e/><f></f></a>', '{"a":{"e":null,"f":null}}'],
    [
      'repeated siblings as an array',
      '<a><i>1</i><j>x</j><i>2</i></a>',
      '{"a":{"i":[1,2],"j":"x"}}',
    ],
    [
      'attributes as @name',
      '<a id="7" p:k="v" xmlns:p="urn:p"><b>x</b></a>',
      '{"a":{"@id":7,"@k":"v","b":"x"}}',
    ],
    ['text next to attributes as $', '<a unit="ms">15</a>', '{"a":{"@unit":"ms","$":15}}'],
    ['a text root', '<a>hi</a>', '{"a":"hi"}'],
    [
      'CDATA and character references',
      '<a><c><![CDATA[x<y & z]]></c><r>&#65;&#x42;&amp;#67;</r></a>',
      '{"a":{"c":"x<y & z","r":"AB&#67;"}}',
    ],
    [
      'whitespace between elements ignored, inside text kept',
      '<a>\n  <b> x </b>\n</a>',
      '{"a":{"b":" x "}}',
    ],
    ['comments ignored', '<!-- before --> <a><!-- c --><b>1</b></a>', '{"a":{"b":1}}'],
    ['an empty CDATA as null', '<a><![CDATA[]]></a>', '{"a":null}'],
    [
      'every legal character reference',
      '<a>&#x9;&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;&#x10FFFF;</a>',
      JSON.stringify({ a: '\t \uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}' }),
    ],
  ])('should convert with %s', (_label, format, json) => {
    expect(convert(format)).toBe(json);
    expect(() => JSON.parse(json) as unknown).not.toThrow();
  });

  it('should type values that look like numbers, as the gateway does', () => {
    expect(
      using({
        format: '<a><m>$1</m></a>',
        args: ['ERROR_MESSAGE'],
        messageType: 'application/json',
      }).handle(esb.fault(1, { message: '42' })).body,
    ).toBe('{"a":{"m":42}}');
  });

  it('should carry markup, quotes and XML-invalid characters as JSON text', () => {
    const message = 'a < b & "c" \'d\' \u0001 </m><x>$1</x>';
    const body = using({
      format: '<a><m>$1</m></a>',
      args: ['ERROR_MESSAGE'],
      messageType: 'application/json',
    }).handle(esb.fault(1, { message })).body;
    expect(JSON.parse(body)).toEqual({ a: { m: 'a < b & "c" \'d\' \uFFFD </m><x>$1</x>' } });
  });
});

describe('XML payloads sent as XML', () => {
  it.each([
    [undefined, 'application/xml'],
    ['application/xml', 'application/xml'],
    ['text/xml', 'text/xml'],
  ] as const)('should send the filled template with messageType %p as %s', (messageType, type) => {
    const h = using({
      format: ' <e:err xmlns:e="urn:e"><e:c>$1</e:c><e:m>$2</e:m></e:err> ',
      args: ['ERROR_CODE', 'ERROR_MESSAGE'],
      ...(messageType === undefined ? {} : { messageType }),
    });
    const response = h.handle(esb.fault(101503, { message: 'a<b & "c"\u0000' }));
    expect(response.headers['content-type']).toBe(`${type}; charset=UTF-8`);
    expect(response.body).toBe(
      '<e:err xmlns:e="urn:e"><e:c>101503</e:c><e:m>a&lt;b &amp; &quot;c&quot;\uFFFD</e:m></e:err>',
    );
    expect(() => parseXml(response.body)).not.toThrow();
  });
});

describe('JSON payloads', () => {
  const format = '{"error":{"code":$1,"message":"$2","http":$3,"text":$2,"lit":"$4"}}';
  const h = using(
    {
      mediaType: 'json',
      format,
      args: ['ERROR_CODE', 'ERROR_MESSAGE', 'HTTP_SC', { value: 'x"y' }],
    },
    '_auth_failure_handler_',
  );

  it('should JSON-escape values inside strings and keep JSON literals outside them', () => {
    const message = 'line\n"quoted" \\ \u0001 \uD800';
    const response = h.handle(esb.fault(900901, { message }));
    expect(response.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 900901, message, http: 401, text: message, lit: 'x"y' },
    });
  });

  it('should quote a value outside a string that is not a JSON literal', () => {
    expect(JSON.parse(h.handle(esb.fault(900901, { message: 'true' })).body).error.text).toBe(true);
    expect(JSON.parse(h.handle(esb.fault(900901, { message: '} oops' })).body).error.text).toBe(
      '} oops',
    );
  });

  it('should keep escaped quotes of the template inside its strings', () => {
    const quoted = using({
      mediaType: 'json',
      format: '{"say":"\\"$1\\" \\\\","n":$2}',
      args: ['ERROR_MESSAGE', 'HTTP_SC'],
    });
    expect(JSON.parse(quoted.handle(esb.fault(101503, { message: 'hi' })).body)).toEqual({
      say: '"hi" \\',
      n: 500,
    });
  });

  it('should not expand placeholders that arrive inside values', () => {
    expect(JSON.parse(h.handle(esb.fault(900901, { message: '$1 $3' })).body).error.message).toBe(
      '$1 $3',
    );
  });
});

describe('context values', () => {
  const ALL = [
    'ERROR_CODE',
    'ERROR_MESSAGE',
    'ERROR_DETAIL',
    'ERROR_EXCEPTION',
    'HTTP_SC',
    'NEXT_ACCESS_TIME',
    'NEXT_ACCESS_UTC_TIME',
    'BASE_ERROR_CODE',
    'PROTOCOL_STATE_ON_FAILURE',
    'HTTP_METHOD',
  ] as const;
  const format = `{${ALL.map((name, i) => `"${name}":"$${i + 1}"`).join(',')}}`;
  const sequence: CustomSequence = { mediaType: 'json', format, args: [...ALL] };

  it('should give a throttle-out its code, message, detail, status and next access time', () => {
    const body = using(sequence, '_throttle_out_handler_').handle(
      esb.fault(900800, { nextAccessTime: NEXT }),
      { method: 'POST' },
    ).body;
    expect(JSON.parse(body)).toEqual({
      ERROR_CODE: '900800',
      ERROR_MESSAGE: 'Message throttled out',
      ERROR_DETAIL:
        'You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC',
      ERROR_EXCEPTION: '',
      HTTP_SC: '429',
      NEXT_ACCESS_TIME: String(NEXT.getTime()),
      NEXT_ACCESS_UTC_TIME: '2026-Feb-10 16:20:00+0000 UTC',
      BASE_ERROR_CODE: '',
      PROTOCOL_STATE_ON_FAILURE: '',
      HTTP_METHOD: 'POST',
    });
  });

  it('should give a transport fault its base code and protocol state', () => {
    const body = JSON.parse(
      using(sequence).handle(esb.transportFault('CONNECTION_CLOSED', 'RESPONSE_HEAD')).body,
    ) as Record<string, string>;
    expect([
      body.ERROR_CODE,
      body.BASE_ERROR_CODE,
      body.PROTOCOL_STATE_ON_FAILURE,
      body.HTTP_SC,
    ]).toEqual(['101509', '101505', '4', '500']);
  });

  it('should fill ERROR_EXCEPTION only with debug', () => {
    const thrown = new Error('fetch failed', {
      cause: new Error('connect ECONNREFUSED 10.0.0.5:443'),
    });
    const quiet = JSON.parse(using(sequence).handle(thrown).body) as Record<string, string>;
    expect([quiet.ERROR_EXCEPTION, quiet.ERROR_MESSAGE]).toEqual(['', 'Internal Server Error']);
    const options: FaultHandlerOptions & { esb?: EsbOptions } = {
      dialect: esb,
      logger: false,
      debug: true,
      esb: { sequences: { s: sequence }, use: { fault: 's' } },
    };
    const loud = JSON.parse(createFaultHandler(options).handle(thrown).body) as Record<
      string,
      string
    >;
    expect(loud.ERROR_EXCEPTION).toBe(
      'Error: fetch failed; caused by: Error: connect ECONNREFUSED 10.0.0.5:443',
    );
  });
});

describe('statuses and headers', () => {
  it.each([200, 555, 999])('should send the custom status %p', (status) => {
    const response = using({ status }).handle(esb.fault(101503));
    expect(response.status).toBe(status);
    expect(response.fault.status).toBe(500);
  });

  it("should set and remove headers, the gateway's and the fault's own, and ignore request-only removals", () => {
    const h = using(
      {
        headers: {
          'Access-Control-Allow-Origin': '*',
          'WWW-Authenticate': null,
          'X-Trace': null,
          Authorization: null,
          Host: null,
        },
      },
      '_auth_failure_handler_',
    );
    const response = h.handle(esb.fault(900901, { headers: { 'x-trace': 't-1', 'x-keep': 'k' } }));
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.headers['x-trace']).toBeUndefined();
    expect(response.headers['x-keep']).toBe('k');
    expect(response.body).toBe(
      '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}',
    );
  });

  it('should remove Retry-After from a throttle-out when asked', () => {
    expect(
      using({ headers: { 'Retry-After': null } }, '_throttle_out_handler_').handle(
        esb.fault(900800, { nextAccessTime: NEXT }),
      ).headers['retry-after'],
    ).toBeUndefined();
  });

  it('should switch the built-in body to JSON or XML by message type when there is no template', () => {
    const asJson = using({ messageType: 'application/json' }).handle(esb.fault(101503), {
      headers: { accept: 'application/xml' },
    });
    expect([asJson.headers['content-type'], asJson.body]).toEqual([
      'application/json; charset=UTF-8',
      '{"code":"101503","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
    ]);
    expect(
      using({ messageType: 'application/xml' }).handle(esb.fault(101503)).headers['content-type'],
    ).toBe('application/xml; charset=UTF-8');
  });

  it('should switch the built-in body to the message type, with a custom status', () => {
    const response = using({ messageType: 'text/xml', status: 502 }).handle(esb.fault(101503));
    expect([response.status, response.headers['content-type']]).toEqual([
      502,
      'text/xml; charset=UTF-8',
    ]);
    expect(response.body).toBe(
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>101503</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message><am:description>Error connecting to the back end</am:description></am:fault>',
    );
  });
});

describe('which sequences a custom one answers', () => {
  const custom: CustomSequence = {
    mediaType: 'json',
    format: '{"custom":"$1"}',
    args: ['ERROR_CODE'],
  };

  describe('when it replaces fault', () => {
    const h = handler({ sequences: { mine: custom }, use: { fault: 'mine' } });
    it.each([
      ['fault', esb.fault(101503)],
      ['_resource_mismatch_handler_', esb.fault(405)],
      ['_production_key_error_', esb.fault(900901, { sequence: '_production_key_error_' })],
      ['_sandbox_key_error_', esb.fault(900901, { sequence: '_sandbox_key_error_' })],
    ])('should answer %s, which ends in the fault sequence', (_label, f) => {
      expect(h.handle(f).body).toBe(`{"custom":"${String(f.code)}"}`);
    });

    it.each([
      ['_auth_failure_handler_', esb.fault(900901)],
      ['_auth_failure_handler_ (900906)', esb.fault(900906)],
      ['_token_fault_', esb.fault(1, { sequence: '_token_fault_' })],
      ['main', esb.fault(404)],
    ])('should not answer %s', (_label, f) => {
      expect(h.handle(f).body).not.toContain('custom');
    });
  });

  describe('when a custom sequence has the name of a built-in one', () => {
    it('should replace it without a use entry', () => {
      expect(
        handler({ sequences: { _throttle_out_handler_: custom } }).handle(esb.fault(900801)).body,
      ).toBe('{"custom":"900801"}');
    });
  });

  describe('when the fault is hidden', () => {
    it('should give the template the generic message', () => {
      const h = handler({
        sequences: { fault: { mediaType: 'json', format: '{"m":"$1"}', args: ['ERROR_MESSAGE'] } },
      });
      expect(h.handle(new Error('secret')).body).toBe('{"m":"Internal Server Error"}');
    });
  });
});

describe('custom sequence validation', () => {
  describe.each([
    ['a number', 42, /must be an object or a Synapse <sequence> string/],
    ['a bad media type', { mediaType: 'text' }, /mediaType must be 'xml' or 'json'/],
    ['args that are not an array', { args: 'ERROR_CODE' }, /args must be an array/],
    [
      'an unknown context value',
      { format: '<a>$1</a>', args: ['ERROR_FOO'] },
      /unknown argument "ERROR_FOO"/,
    ],
    [
      'a literal that is not a string',
      { format: '<a>$1</a>', args: [{ value: 1 }] },
      /unknown argument/,
    ],
    ['an empty format', { format: '  ' }, /format must be a non-empty string/],
    ['$0', { format: '<a>$0</a>', args: ['ERROR_CODE'] }, /format uses \$0/],
    [
      'a placeholder past the args',
      { format: '<a>$1$2</a>', args: ['ERROR_CODE'] },
      /format uses \$2 but there are 1 args/,
    ],
    ['status 99', { status: 99 }, /status must be an integer in 200-999 that carries a body/],
    ['status 1000', { status: 1000 }, /status must be an integer in 200-999 that carries a body/],
    ['status 555.5', { status: 555.5 }, /status must be an integer in 200-999 that carries a body/],
    ["status '555'", { status: '555' }, /status must be an integer in 200-999 that carries a body/],
    [
      'status 100, which ends no response',
      { status: 100 },
      /status must be an integer in 200-999 that carries a body/,
    ],
    [
      'status 204, which carries no body',
      { status: 204 },
      /status must be an integer in 200-999 that carries a body/,
    ],
    [
      'status 304, which carries no body',
      { status: 304 },
      /status must be an integer in 200-999 that carries a body/,
    ],
    ['messageType text/plain', { messageType: 'text/plain' }, /messageType must be one of/],
    [
      'a JSON payload sent as XML',
      { mediaType: 'json', format: '{}', messageType: 'application/xml' },
      /a json payload can only be sent as application\/json/,
    ],
    ['headers that are an array', { headers: [] }, /headers must be an object/],
    ['an illegal header name', { headers: { 'a b': 'x' } }, /'a b' is not a header name/],
    [
      'Content-Type',
      { headers: { 'Content-Type': 'text/plain' } },
      /header 'Content-Type' cannot be changed/,
    ],
    [
      'a header value with a newline',
      { headers: { 'X-A': 'a\r\nb' } },
      /header 'X-A' must have a legal header value/,
    ],
    [
      'a numeric header value',
      { headers: { 'X-A': 1 } },
      /header 'X-A' must have a legal header value/,
    ],
    ['XML that is not well-formed', { format: '<a><b></a>' }, /format is not well-formed XML/],
    ['two XML roots', { format: '<a/><b/>' }, /exactly one element/],
    ['text around the root', { format: 'x<a/>' }, /format is not well-formed XML/],
    ['a DOCTYPE', { format: '<!DOCTYPE a><a/>' }, /a DOCTYPE is not allowed/],
    [
      'a placeholder in a tag name',
      { format: '<$1/>', args: ['ERROR_CODE'] },
      /format is not well-formed XML/,
    ],
    [
      'a placeholder in an attribute name',
      { format: '<a $1="x"/>', args: ['ERROR_CODE'] },
      /format is not well-formed XML/,
    ],
    [
      'a bare ampersand',
      { format: '<a>R&D</a>', messageType: 'application/json' },
      /format is not well-formed XML/,
    ],
    [
      'an HTML entity',
      { format: '<a>&nbsp;</a>', messageType: 'application/json' },
      /unknown or invalid reference &nbsp;/,
    ],
    [
      'a reference to NUL',
      { format: '<a>&#0;</a>', messageType: 'application/json' },
      /unknown or invalid reference &#0;/,
    ],
    [
      'a reference to a surrogate',
      { format: '<a>&#xD800;</a>', messageType: 'application/json' },
      /unknown or invalid reference &#xD800;/,
    ],
    [
      'a reference to U+FFFE',
      { format: '<a>&#xFFFE;</a>', messageType: 'application/json' },
      /unknown or invalid reference/,
    ],
    [
      'a reference past U+10FFFF',
      { format: '<a>&#1114112;</a>', messageType: 'application/json' },
      /unknown or invalid reference/,
    ],
    [
      'an entity named like a prototype key',
      { format: '<a>&constructor;</a>', messageType: 'application/json' },
      /unknown or invalid reference &constructor;/,
    ],
    [
      'an undefined argument',
      { format: '<a>$1</a>', args: [undefined] },
      /unknown argument undefined/,
    ],
    [
      'more than 100 args',
      { args: Array.from({ length: 101 }, () => 'ERROR_CODE') },
      /args must be an array of at most 100/,
    ],
    [
      'JSON that does not parse',
      { mediaType: 'json', format: '{"a":}' },
      /format is not valid JSON/,
    ],
  ])('when a custom sequence has %s', (_label, sequence, message) => {
    it('should throw a TypeError naming the sequence at configure time', () => {
      expect(() => handler({ sequences: { convert: sequence as CustomSequence } })).toThrow(
        TypeError,
      );
      expect(() => handler({ sequences: { convert: sequence as CustomSequence } })).toThrow(
        /esb sequence 'convert': /,
      );
      expect(() => handler({ sequences: { convert: sequence as CustomSequence } })).toThrow(
        message,
      );
    });
  });

  it('should name a bad source after its key in options.esb.sequences', () => {
    expect(() =>
      handler({ sequences: { mine: '<sequence name="other"><filter/></sequence>' } }),
    ).toThrow(/esb sequence 'mine': unsupported mediator <filter>/);
  });
});

describe('a JSON template with a placeholder outside a string', () => {
  it('should be rejected at configure time when a number there breaks the JSON', () => {
    expect(() => using({ mediaType: 'json', format: '{$1: "x"}', args: ['ERROR_CODE'] })).toThrow(
      TypeError,
    );
  });

  it('should be accepted where a bare value belongs', () => {
    const response = using(
      { mediaType: 'json', format: '{"code": $1}', args: ['ERROR_CODE'] },
      '_auth_failure_handler_',
    ).handle(esb.fault(900901));
    expect(response.body).toBe('{"code": 900901}');
  });
});
