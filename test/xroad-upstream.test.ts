/**
 * X-Road 7.5–7.8 byte for byte, fact by fact (nordic-institute/X-Road 7.7.1,
 * `ClientRestMessageHandler.sendErrorResponse`, `SoapFault.createFaultXml`, `JettyUtils`): every
 * expected body and header below is written out as the security server sends it — Jackson's
 * JSON, the JDK transformer's REST XML, Commons Text `escapeXml10` in SOAP — never computed by
 * faultline. Each is checked through `handle()` and through Express 4, Express 5 and Fastify 5,
 * with hostile text in the message and in the detail of every encoding, and every XML body is
 * read by a real XML parser. Profile `7.4` is X-Road 7.4 and earlier.
 */
import { createFaultHandler, parseFault, xroad } from '@faultline/core';
import type { FaultHandlerOptions } from '@faultline/core';
import { faultline as expressFaultline } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import Fastify from 'fastify';
import { ADAPTERS, call, faultHeaders } from './support/servers';
import type { Running } from './support/servers';
import { parseXml } from './support/xml';

const CODE = 'Server.ClientProxy.UnknownMember';
const ID = '9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5';
const LONG = 'x'.repeat(5000);
// limits.message (4096) cuts a 5000-character message and marks the cut; a decision kept.
const LONG_SENT = `${'x'.repeat(4083)}… [truncated]`;

interface Text {
  readonly name: string;
  /** The text thrown. */
  readonly text: string;
  /** How it is written inside a JSON string, inside REST XML text and inside SOAP text. */
  readonly json: string;
  readonly xml: string;
  readonly soap: string;
}

// Each fact as hostile text, with the three ways the security server writes it.
const TEXTS: readonly Text[] = [
  {
    name: "apostrophes (REST XML keeps them literal: Client 'SUBSYSTEM:…' not found)",
    text: "Client 'SUBSYSTEM:EE/GOV/70000310/app' not found",
    json: "Client 'SUBSYSTEM:EE/GOV/70000310/app' not found",
    xml: "Client 'SUBSYSTEM:EE/GOV/70000310/app' not found",
    soap: 'Client &apos;SUBSYSTEM:EE/GOV/70000310/app&apos; not found',
  },
  {
    name: 'quotes, markup and ]]>',
    text: 'say "hi" <b>&amp; ]]> \\ /',
    json: 'say \\"hi\\" <b>&amp; ]]> \\\\ /',
    xml: 'say "hi" &lt;b&gt;&amp;amp; ]]&gt; \\ /',
    soap: 'say &quot;hi&quot; &lt;b&gt;&amp;amp; ]]&gt; \\ /',
  },
  {
    name: 'CR, LF, TAB and CRLF',
    text: 'a\rb\nc\td\r\ne',
    json: 'a\\rb\\nc\\td\\r\\ne',
    xml: 'a&#13;b\nc\td&#13;\ne',
    soap: 'a\rb\nc\td\r\ne',
  },
  {
    name: 'C0 controls',
    text: '<\u0000\u0001\b\f\u000B\u001B\u001F>',
    json: '<\\u0000\\u0001\\b\\f\\u000B\\u001B\\u001F>',
    xml: '&lt;\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD&gt;',
    soap: '&lt;&gt;',
  },
  {
    name: 'DEL and C1 controls, U+0085 included',
    text: '[\u007F\u0080\u0084\u0085\u0086\u009F]',
    json: '[\u007F\u0080\u0084\u0085\u0086\u009F]',
    xml: '[&#127;&#128;&#132;&#133;&#134;&#159;]',
    soap: '[&#127;&#128;&#132;\u0085&#134;&#159;]',
  },
  {
    name: 'characters outside the BMP',
    text: 'done \uD83D\uDE00 \u{10FFFF}',
    json: 'done \uD83D\uDE00 \u{10FFFF}',
    xml: 'done &#128512; &#1114111;',
    soap: 'done \uD83D\uDE00 \u{10FFFF}',
  },
  {
    name: 'lone surrogates',
    text: 'a\uD800b\uDC00c\uDBFF',
    json: 'a?b?c?',
    xml: 'a\uFFFDb\uFFFDc\uFFFD',
    soap: 'abc',
  },
  {
    name: 'U+2028, U+2029, U+FFFE and U+FFFF',
    text: '\u2028\u2029\uFFFE\uFFFF|',
    json: '\u2028\u2029\uFFFE\uFFFF|',
    xml: '\u2028\u2029\uFFFD\uFFFD|',
    soap: '\u2028\u2029|',
  },
  {
    name: 'non-ASCII text',
    text: 'päring ebaõnnestus – €',
    json: 'päring ebaõnnestus – €',
    xml: 'päring ebaõnnestus – €',
    soap: 'päring ebaõnnestus – €',
  },
  { name: '5000 characters', text: LONG, json: LONG_SENT, xml: LONG_SENT, soap: LONG_SENT },
];

const JSON_TYPE = 'application/json';
const XML_TYPE = 'application/xml;charset=utf-8';
const SOAP_TYPE = 'text/xml;charset=utf-8';

function jsonBody(message: string, detail = ID): string {
  return `{"type":"${CODE}","message":"${message}","detail":"${detail}"}`;
}
function xmlBody(message: string, detail = ID): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>${CODE}</type><message>${message}</message><detail>${detail}</detail></error>`;
}
function soapBody(message: string, detail = ID): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${CODE}</faultcode><faultstring>${message}</faultstring><faultactor></faultactor>` +
    `<detail><faultDetail xmlns="">${detail}</faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

// The empty message: `"message":""`, `<message/>` (the JDK writes an empty element so) and
// `<faultstring></faultstring>` (string concatenation).
const EMPTY = {
  json: `{"type":"${CODE}","message":"","detail":"${ID}"}`,
  xml: `<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>${CODE}</type><message/><detail>${ID}</detail></error>`,
  soap:
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${CODE}</faultcode><faultstring></faultstring><faultactor></faultactor>` +
    `<detail><faultDetail xmlns="">${ID}</faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
};

// A hostile relayed correlation id: every character class in one text. Only plain tokens are
// ids, so the handler's own id goes out instead (the writers' escaping of any text is tested in
// packages/core/test/dialects/xroad/write.test.ts).
const HOSTILE_ID = `id "q" 'a' <&> ]]> \r\u0001\u0085\uD83D\uDE00\uD800`;

interface Expected {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

const ENCODINGS = [
  { name: 'REST JSON', request: { accept: 'application/json' }, kind: 'json' },
  { name: 'REST XML', request: { accept: 'application/xml' }, kind: 'xml' },
  { name: 'SOAP', request: { soapaction: '""' }, kind: 'soap' },
] as const;
type Kind = (typeof ENCODINGS)[number]['kind'];

function expected(kind: Kind, body: string, jsonType = JSON_TYPE): Expected {
  const length = String(Buffer.byteLength(body));
  if (kind === 'soap') {
    return {
      status: 200,
      body,
      headers: {
        'content-type': SOAP_TYPE,
        'content-length': length,
        'x-road-error': undefined,
        soapaction: '',
        'x-content-type-options': 'nosniff',
      },
    };
  }
  const type = kind === 'json' ? jsonType : XML_TYPE;
  return {
    status: 500,
    body,
    headers: {
      'content-type': type,
      'content-length': length,
      'x-road-error': CODE,
      soapaction: undefined,
      'x-content-type-options': 'nosniff',
    },
  };
}

const BUILD: Readonly<Record<Kind, (message: string, detail?: string) => string>> = {
  json: jsonBody,
  xml: xmlBody,
  soap: soapBody,
};

interface Case {
  readonly name: string;
  readonly kind: Kind;
  readonly request: Readonly<Record<string, string>>;
  readonly thrown: () => unknown;
  readonly expected: Expected;
}

const CASES: readonly Case[] = ENCODINGS.flatMap((encoding) => [
  ...TEXTS.map((t) => ({
    name: `${encoding.name}, the message holding ${t.name}`,
    kind: encoding.kind,
    request: encoding.request,
    thrown: () => xroad.fault(CODE, t.text, { correlationId: ID }),
    expected: expected(encoding.kind, BUILD[encoding.kind](t[encoding.kind])),
  })),
  {
    name: `${encoding.name}, an explicit empty message`,
    kind: encoding.kind,
    request: encoding.request,
    thrown: () => xroad.fault(CODE, '', { correlationId: ID }),
    expected: expected(encoding.kind, EMPTY[encoding.kind]),
  },
  {
    name: `${encoding.name}, a hostile relayed id: the handler's own id instead`,
    kind: encoding.kind,
    request: encoding.request,
    thrown: () => xroad.fault(CODE, 'm', { correlationId: HOSTILE_ID }),
    expected: expected(encoding.kind, BUILD[encoding.kind]('m', ID)),
  },
]);

function checkXml(kind: Kind, body: string): void {
  if (kind !== 'json') expect(() => parseXml(body)).not.toThrow();
  else expect(() => JSON.parse(body) as unknown).not.toThrow();
}

describe('X-Road 7.5–7.8 through handle()', () => {
  const handler = createFaultHandler({
    dialect: 'xroad',
    xroad: { side: 'client' },
    logger: false,
    correlationId: () => ID,
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const response = handler.handle(c.thrown(), {
      method: 'POST',
      url: '/r1/x',
      headers: c.request,
    });
    expect(response.status).toBe(c.expected.status);
    expect(response.body).toBe(c.expected.body);
    expect(faultHeaders(response.headers)).toEqual(c.expected.headers);
    checkXml(c.kind, response.body);
  });
});

describe.each(ADAPTERS)('X-Road 7.5–7.8 through $name', (adapter) => {
  let server: Running;
  beforeAll(async () => {
    server = await adapter.start(
      CASES.map((c, i) => ({ path: `/c${i}`, error: c.thrown })),
      { dialect: 'xroad', xroad: { side: 'client' }, logger: false, correlationId: () => ID },
    );
  });
  afterAll(() => server.close());

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const res = await call(server.url, 'GET', `/c${i}`, c.request);
    expect(res.status).toBe(c.expected.status);
    expect(res.text).toBe(c.expected.body);
    expect(faultHeaders(res.headers)).toEqual(c.expected.headers);
    checkXml(c.kind, res.text);
  });
});

describe('X-Road profile 7.4 (X-Road 7.4 and earlier)', () => {
  const body = jsonBody("Client 'SUBSYSTEM:EE/GOV/70000310/app' not found");
  const thrown = () =>
    xroad.fault(CODE, "Client 'SUBSYSTEM:EE/GOV/70000310/app' not found", { correlationId: ID });
  const options: FaultHandlerOptions = {
    dialect: 'xroad',
    xroad: { side: 'client', profile: '7.4' },
    logger: false,
  };
  const want = expected('json', body, 'application/json;charset=utf-8');

  it('should send REST JSON as application/json;charset=utf-8 through handle()', () => {
    const response = createFaultHandler(options).handle(thrown(), {
      headers: { accept: 'application/json' },
    });
    expect(response.body).toBe(body);
    expect(faultHeaders(response.headers)).toEqual(want.headers);
  });

  it('should differ from the default in nothing else', () => {
    const profiled = createFaultHandler(options);
    const newest = createFaultHandler({ ...options, xroad: { side: 'client' } });
    for (const headers of [
      { accept: 'application/xml' },
      { accept: 'text/xml' },
      { soapaction: '""' },
    ]) {
      const a = profiled.handle(thrown(), { headers });
      const b = newest.handle(thrown(), { headers });
      expect({ status: a.status, headers: a.headers, body: a.body }).toEqual({
        status: b.status,
        headers: b.headers,
        body: b.body,
      });
    }
  });

  describe.each(ADAPTERS)('through $name', (adapter) => {
    let server: Running;
    beforeAll(async () => {
      server = await adapter.start([{ path: '/r', error: thrown }], options);
    });
    afterAll(() => server.close());

    it('should send the 7.4 bytes and headers', async () => {
      const res = await call(server.url, 'GET', '/r');
      expect(res.status).toBe(500);
      expect(res.text).toBe(body);
      expect(faultHeaders(res.headers)).toEqual(want.headers);
    });
  });
});

describe('an X-Road profile that does not exist', () => {
  const message = "faultline: options.xroad.profile must be one of '7.4' (got '7.3')";

  it('should be a TypeError when the handler is created', () => {
    expect(() =>
      createFaultHandler({ dialect: 'xroad', xroad: { profile: '7.3' as never } }),
    ).toThrow(new TypeError(message));
  });

  it('should be a TypeError when the Express middleware is created', () => {
    expect(() =>
      expressFaultline({ dialect: 'xroad', xroad: { profile: '7.3' as never } }),
    ).toThrow(new TypeError(message));
  });

  it('should fail the Fastify plugin registration', async () => {
    const app = Fastify();
    await expect(
      app.register(fastifyFaultline, { dialect: 'xroad', xroad: { profile: '7.3' as never } }),
    ).rejects.toThrow(message);
    await app.close().catch(() => undefined);
  });
});

describe('parseFault reading the security server bytes', () => {
  it.each([
    ['REST JSON', JSON_TYPE, jsonBody('a?b \\u001B\\r\\n'), 'a?b \u001B\r\n'],
    [
      'REST XML with decimal references and &#13;',
      XML_TYPE,
      xmlBody("it's &#128512;&#133;&#13;"),
      "it's \uD83D\uDE00\u0085\r",
    ],
    ['REST XML with an empty message', XML_TYPE, EMPTY.xml, ''],
    [
      'SOAP with a raw CR (read as LF, as XML requires) and entities',
      SOAP_TYPE,
      soapBody('a\rb &apos;c&apos; &#128;'),
      "a\nb 'c' \u0080",
    ],
    ['SOAP with an empty faultstring', SOAP_TYPE, EMPTY.soap, ''],
  ])('should read %s', (_name, type, body, message) => {
    const read = parseFault(body, type);
    expect(read.recognised).toBe(true);
    if (read.recognised)
      expect({
        code: read.fault.code,
        message: read.fault.message,
        id: read.fault.correlationId,
      }).toEqual({ code: CODE, message, id: ID });
  });
});
