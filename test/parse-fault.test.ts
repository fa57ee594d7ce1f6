/**
 * parseFault: every seed body read back, and the round trip — for every dialect, every
 * catalogue entry and every encoding, `parseFault(render(fault))` gives the fault back.
 */
import {
  ast,
  createFaultHandler,
  de4a,
  esb,
  explain,
  parseFault,
  problem,
  xks,
  xroad,
} from '@faultline/core';
import type {
  EsbCatalogEntry,
  Fault,
  FaultHandlerOptions,
  ParsedFault,
  RecognisedFault,
  RequestInfo,
} from '@faultline/core';
import { CONVERT_RESPONSE } from './fixtures/esb-seed';
import { SEED } from './fixtures/xroad-seed';

const ID = '3f2b8e0c-5d1a-4c7e-9b6f-0a1b2c3d4e5f';
const MESSAGE = 'Odd text: <tag> & "quotes" \'apos\' ✓';

function recognised(result: ParsedFault): RecognisedFault {
  if (!result.recognised) throw new Error(`not recognised: ${result.reason}`);
  return result;
}

function render(options: FaultHandlerOptions, fault: Fault, request: RequestInfo) {
  const handler = createFaultHandler({ logger: false, correlationId: () => ID, ...options });
  return handler.handle(fault, request);
}

interface Case {
  readonly name: string;
  readonly options: FaultHandlerOptions;
  readonly fault: Fault;
  readonly request: RequestInfo;
  /** The message the body shows, when it is not the fault's own. */
  readonly shown?: string;
  readonly carriesId: boolean;
}

const JSON_REQUEST: RequestInfo = {
  method: 'POST',
  url: '/x',
  headers: { accept: 'application/json' },
};
const XML_REQUEST: RequestInfo = {
  method: 'POST',
  url: '/x',
  headers: { accept: 'application/xml' },
};
const SOAP_REQUEST: RequestInfo = {
  method: 'POST',
  url: '/x',
  headers: { soapaction: '""', 'content-type': 'text/xml' },
};

function cases(): Case[] {
  const out: Case[] = [];
  for (const entry of xroad.catalog.entries) {
    const fault = xroad.fault(entry.code, MESSAGE);
    for (const [encoding, request] of [
      ['json', JSON_REQUEST],
      ['xml', XML_REQUEST],
      ['soap', SOAP_REQUEST],
    ] as const) {
      out.push({
        name: `xroad ${encoding} ${entry.code}`,
        options: { dialect: 'xroad' },
        fault,
        request,
        carriesId: true,
      });
    }
  }
  for (const entry of xks.catalog.entries) {
    out.push({
      name: `xks ${entry.code}`,
      options: { dialect: 'xks', xks: { policy: 'lenient' } },
      fault: xks.fault(entry.code, 'Key k-1: printable text only'),
      request: { method: 'POST', url: '/kms/xks/v1/keys/k-1/encrypt', headers: {} },
      carriesId: false,
    });
  }
  for (const entry of esb.catalog.entries as readonly EsbCatalogEntry[]) {
    const fault = esb.fault(entry.code, { message: MESSAGE });
    // The `main` and blocked-API sequences send fixed texts whatever the fault's message.
    const shown =
      entry.sequence === 'main'
        ? 'Not Found'
        : entry.sequence === '_api_blocked_sequence_'
          ? 'API blocked'
          : undefined;
    // The 4.x JSON bodies, and the 3.x XML ones (profile apim-3.2), which parseFault still reads.
    for (const [encoding, request, options] of [
      ['json', JSON_REQUEST, { dialect: 'esb' }],
      ['xml', XML_REQUEST, { dialect: 'esb', esb: { profile: 'apim-3.2' } }],
    ] as const) {
      out.push({
        name: `esb ${encoding} ${entry.code}`,
        options,
        fault,
        request,
        ...(shown === undefined ? {} : { shown }),
        carriesId: false,
      });
    }
  }
  for (const entry of de4a.catalog.entries) {
    const fault = de4a.fault(
      entry.code,
      Array.from({ length: entry.paramCount }, (_, i) => `p${i} <&>`),
    );
    for (const [encoding, request] of [
      ['xml', XML_REQUEST],
      ['json', JSON_REQUEST],
    ] as const) {
      out.push({
        name: `de4a ${encoding} ${entry.code}`,
        options: { dialect: 'de4a', de4a: { json: true } },
        fault,
        request,
        carriesId: false,
      });
    }
  }
  for (const entry of ast.catalog.entries) {
    out.push({
      name: `ast ${entry.code}`,
      options: { dialect: 'ast', ast: { correlationId: true } },
      fault: ast.fault(entry.name as Parameters<typeof ast.fault>[0], MESSAGE),
      request: JSON_REQUEST,
      carriesId: true,
    });
  }
  for (const entry of problem.catalog.entries) {
    out.push({
      name: `problem ${entry.code}`,
      options: { dialect: 'problem' },
      fault: problem.fault(entry.status, MESSAGE, { code: String(entry.code) }),
      request: JSON_REQUEST,
      carriesId: true,
    });
  }
  return out;
}

describe('parseFault(render(fault)) gives the fault back', () => {
  const all = cases();

  it('covers every catalogue entry of every dialect', () => {
    const entries = [xroad, xks, esb, de4a, ast, problem].reduce(
      (n, d) => n + d.catalog.entries.length,
      0,
    );
    expect(new Set(all.map((c) => `${c.fault.dialect} ${String(c.fault.code)}`)).size).toBe(
      entries,
    );
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const response = render(c.options, c.fault, c.request);
    const result = recognised(
      parseFault(response.body, response.headers['content-type'], {
        status: response.status,
        headers: response.headers,
      }),
    );
    expect(result.dialect).toBe(c.fault.dialect);
    expect(result.fault.code).toBe(response.fault.code);
    expect(result.fault.message).toBe(c.shown ?? response.fault.message);
    expect(result.fault.status).toBe(response.fault.status);
    expect(result.fault.correlationId).toBe(c.carriesId ? ID : undefined);
    expect(result.entry?.code).toBe(response.fault.code);
    // Read without the response's status, the convention's own status is the same.
    expect(recognised(parseFault(response.body)).fault.status).toBe(response.fault.status);
  });
});

describe('the seed bodies', () => {
  it.each([
    ['REST JSON', SEED.json, SEED.restDetail, 'json'],
    ['REST XML', SEED.xml, SEED.restDetail, 'xml'],
    ['SOAP', SEED.soap, SEED.soapDetail, 'soap11'],
  ] as const)('X-Road %s, as the seed prints it', (_name, body, detail, format) => {
    const result = recognised(parseFault(body));
    expect(result).toMatchObject({ dialect: 'xroad', format, origin: { component: 2 } });
    expect(result.fault).toMatchObject({
      code: SEED.code,
      message: SEED.message,
      correlationId: detail,
      status: 500,
      name: 'SslAuthenticationFailed',
    });
    expect(result.origin?.log).toBe(
      'the proxy application log /var/log/xroad/proxy.log of the consumer-side Security Server (2)',
    );
    expect(result.notes).toEqual([
      `Search the proxy application log /var/log/xroad/proxy.log of the consumer-side Security Server (2) for ${detail}: the detail is the id the error was logged with.`,
    ]);
    expect(result.explanation?.parts).toEqual([
      {
        name: 'side',
        value: 'Server.ClientProxy',
        meaning: 'the consumer-side Security Server (client proxy)',
      },
      { name: 'segment', value: 'SslAuthenticationFailed' },
    ]);
  });

  it('a server proxy fault points at the provider side', () => {
    const result = recognised(
      parseFault(
        '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed","detail":"d-1"}',
        'application/json',
      ),
    );
    expect(result.origin?.component).toBe(3);
    expect(result.notes[0]).toContain('of the provider-side Security Server (3) for d-1');
  });

  it("a body through X-Road without its structure is the provider's own error", () => {
    const own = parseFault('{"error":"no such person"}', 'application/json', {
      headers: { 'X-Road-Request-Id': 'r-1' },
    });
    expect(own).toEqual({
      recognised: false,
      reason: 'the JSON body has the structure of no known fault',
      origin: {
        component: 4,
        summary:
          "the service provider's information system (4): the error does not have the Security Server's structure, so the provider produced it",
      },
    });
    const problemThrough = recognised(
      parseFault(
        '{"title":"Not Found","status":404,"detail":"no such person"}',
        'application/problem+json',
        { via: 'xroad' },
      ),
    );
    expect(problemThrough.dialect).toBe('problem');
    expect(problemThrough.origin?.component).toBe(4);
  });

  it('the ESB seed\'s converted fault, {"fault":{…}} with status 555', () => {
    const result = recognised(
      parseFault(CONVERT_RESPONSE.body, 'application/json; charset=UTF-8', {
        status: CONVERT_RESPONSE.status,
      }),
    );
    expect(result).toMatchObject({ dialect: 'esb', format: 'json' });
    expect(result.fault).toMatchObject({
      code: 900901,
      message: 'Invalid Credentials',
      status: 555,
      name: 'API_AUTH_INVALID_CREDENTIALS',
    });
    expect(result.explanation?.status).toBe(401);
  });

  it.each([
    [
      '900902, described as Invalid Credentials',
      '{"code":"900902","message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: \'Authorization : Bearer ACCESS_TOKEN\' or \'Authorization : Basic ACCESS_TOKEN\' or \'apikey: API_KEY\'"}',
      {
        code: 900902,
        status: 401,
        message: 'Missing Credentials',
        name: 'API_AUTH_MISSING_CREDENTIALS',
      },
    ],
    [
      '900906 with the auth-failure members',
      '{"code":"900906","message":"No matching resource found in the API for the given request","description":"No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL"}',
      {
        code: 900906,
        status: 403,
        message: 'No matching resource found in the API for the given request',
      },
    ],
    [
      "the resource mismatch's 405",
      '{"code":"405","type":"Status report","message":"Runtime Error","description":"Method not allowed for given API resource"}',
      {
        code: 405,
        status: 405,
        message: 'Method not allowed for given API resource',
        name: 'METHOD_NOT_ALLOWED',
      },
    ],
    [
      "the documentation's 102511, as PassThrough sends it",
      '{"code":"102511","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
      { code: 102511, status: 400, message: 'Error in Sender', name: 'INCOMPLETE_PAYLOAD' },
    ],
  ])('an ESB body as API Manager 4.x sends it: %s', (_label, body, fault) => {
    const result = recognised(parseFault(body, 'application/json; charset=UTF-8'));
    expect(result).toMatchObject({ dialect: 'esb', format: 'json' });
    expect(result.fault).toMatchObject(fault);
  });

  it("an ESB 3.x ams:fault, as API Manager 3.2's XML Accept gets it", () => {
    const body =
      '<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900901</ams:code><ams:message>Invalid Credentials</ams:message>' +
      '<ams:description>Invalid Credentials. Make sure you have provided the correct security credentials</ams:description></ams:fault>';
    const result = recognised(parseFault(body, 'application/xml; charset=UTF-8'));
    expect(result).toMatchObject({ dialect: 'esb', format: 'xml' });
    expect(result.fault).toMatchObject({
      code: 900901,
      status: 401,
      message: 'Invalid Credentials',
    });
  });

  it('an ESB throttle-out with its next access time', () => {
    const body =
      '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC","nextAccessTime":"2026-Feb-10 16:20:00+0000 UTC"}';
    const result = recognised(parseFault(body, 'application/json', { status: 429 }));
    expect(result.fault).toMatchObject({
      code: 900800,
      status: 429,
      message: 'Message throttled out',
    });
    expect(result.fault.params).toEqual({
      detail:
        'You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC',
      nextAccessTime: Date.UTC(2026, 1, 10, 16, 20),
    });
    expect(result.notes).toContain('The client may call again after 2026-02-10T16:20:00.000Z.');
  });

  it('a gateway SOAP fault is read as a plain SOAP fault, saying it carries no gateway code', () => {
    const response = render({ dialect: 'esb' }, esb.fault(900901), SOAP_REQUEST);
    const result = recognised(parseFault(response.body, response.headers['content-type']));
    expect(result).toMatchObject({ dialect: 'soap', format: 'soap11' });
    expect(result.fault).toMatchObject({
      code: 'soapenv:Client',
      message: 'Authentication Failure',
      status: 400,
    });
    expect(result.notes).toContain('Detail: Invalid Credentials');
  });

  it("the gateway's SOAP fault as Axiom writes it (single-quoted declaration, soapenv, no faultactor)", () => {
    const body =
      "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
      '<faultcode>soapenv:Server</faultcode><faultstring>Error in Sender</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
    const result = recognised(parseFault(body, 'text/xml; charset=UTF-8', { status: 500 }));
    expect(result).toMatchObject({ dialect: 'soap', format: 'soap11' });
    expect(result.fault).toMatchObject({
      code: 'soapenv:Server',
      message: 'Error in Sender',
      status: 500,
    });
  });

  it('a SOAP 1.2 fault with subcodes', () => {
    const body =
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:m"><env:Body><env:Fault>' +
      '<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:MessageTimeout</env:Value></env:Subcode></env:Code>' +
      '<env:Reason><env:Text xml:lang="en">Sender Timeout</env:Text></env:Reason><env:Detail><m:MaxTime>P5M</m:MaxTime></env:Detail>' +
      '</env:Fault></env:Body></env:Envelope>';
    const result = recognised(parseFault(body, 'application/soap+xml'));
    expect(result).toMatchObject({
      dialect: 'soap',
      format: 'soap12',
      notes: ['Subcodes: m:MessageTimeout'],
    });
    expect(result.fault).toMatchObject({
      code: 'env:Sender',
      message: 'Sender Timeout',
      status: 400,
    });
  });

  it('a DE4A response with two errors reports the first and notes the second', () => {
    const body =
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">' +
      '<ct:Ack>false</ct:Ack><ct:Error><ct:Code>10102</ct:Code><ct:Text>Arguments missing or invalid at /request - id</ct:Text></ct:Error>' +
      '<ct:Error><ct:Code>40515</ct:Code><ct:Text>Evidence not available yet (delayed)</ct:Text></ct:Error></ResponseMessage>';
    const result = recognised(parseFault(body, 'application/xml'));
    expect(result.fault).toMatchObject({
      code: 10102,
      status: 400,
      message: 'Arguments missing or invalid at /request - id',
    });
    expect(result.notes).toEqual(['Also reported: 40515 Evidence not available yet (delayed)']);
    expect(result.explanation?.parts).toEqual([
      { name: 'layer', value: 1, meaning: 'Communications' },
      { name: 'module', value: '01', meaning: 'IDK' },
      { name: 'type', value: '02', meaning: 'Arguments missing or invalid' },
    ]);
  });
});

describe('what is not a fault', () => {
  it.each([
    ['', 'the body is empty'],
    ['Internal Server Error', 'the body is neither JSON nor XML'],
    ['{"type":', 'the body is not valid JSON'],
    [
      '<a><b></a>',
      "the XML is not well-formed (Expected closing tag 'b' (opened in line 1, col 4) instead of closing tag 'a'. at line 1)",
    ],
    [
      '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
      'the XML has a DOCTYPE, which is never part of a fault',
    ],
    ['<html><body>Bad gateway</body></html>', 'the XML body has the structure of no known fault'],
    ['[1,2]', 'the JSON body has the structure of no known fault'],
    [
      '{"type":"Server.ClientProxy.X","message":7}',
      'the JSON body has the structure of no known fault',
    ],
    ['<a/><b/>', 'the XML does not have exactly one root element'],
  ])('%j: %s', (body, reason) => {
    expect(parseFault(body)).toEqual({ recognised: false, reason });
  });

  it('bodies over 1 MiB are not read', () => {
    expect(parseFault(`{"a":"${'x'.repeat(1024 * 1024)}"}`)).toEqual({
      recognised: false,
      reason: 'the body is larger than 1048576 bytes',
    });
  });

  it('never throws, whatever it is given', () => {
    for (const value of [
      null,
      undefined,
      42,
      {},
      Symbol('s'),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ]) {
      expect(parseFault(value as never)).toEqual({
        recognised: false,
        reason: 'the body is not text or bytes',
      });
    }
    expect(parseFault('{"a":1}', undefined, { dialects: ['nope' as never] })).toEqual({
      recognised: false,
      reason: "faultline: unknown dialect 'nope'",
    });
    const deep = `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`;
    expect(parseFault(deep)).toEqual({ recognised: false, reason: 'the XML is nested too deeply' });
  });

  it('reads bytes as UTF-8', () => {
    const result = recognised(
      parseFault(Buffer.from('{"errorName":"KeyNotFoundException","errorMessage":"Key ✓"}')),
    );
    expect(result.fault).toMatchObject({
      dialect: 'xks',
      code: 'KeyNotFoundException',
      status: 404,
      message: 'Key ✓',
    });
  });
});

describe('explain', () => {
  it('101507: the catalogue base and every (base, state) pair PassThrough sends', () => {
    const [e, ...rest] = explain('101507');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ dialect: 'esb', code: 101507, name: 'CONNECT_CANCEL', status: 500 });
    expect(e?.candidates?.map((c) => c.map((p) => p.value))).toEqual([
      [101500, 7],
      [101504, 3],
      [101505, 2],
      [101506, 1],
      [101507, 0],
    ]);
    expect(e?.candidates?.[4]?.[0]?.meaning).toBe('CONNECT_CANCEL: Connection canceled');
    expect(e?.notes).toContain(
      'The gateway\'s description (Synapse\'s ERROR_MESSAGE): SND_IO_ERROR_SENDING + CLOSING: "Error in Sender"; CONNECTION_TIMEOUT + REQUEST_DONE: "Error in Sender"; ' +
        'CONNECTION_CLOSED + REQUEST_BODY: "Error in Sender"; PROTOCOL_VIOLATION + REQUEST_HEAD: "Error in Sender"; CONNECT_CANCEL + REQUEST_READY: "Error connecting to the back end".',
    );
  });

  it("102511: the documentation's Incomplete payload, read as SND_HTTP_ERROR + REQUEST_HEAD", () => {
    const [e] = explain('102511');
    expect(e).toMatchObject({
      dialect: 'esb',
      code: 102511,
      name: 'INCOMPLETE_PAYLOAD',
      status: 400,
    });
    expect(e?.candidates?.map((c) => c.map((p) => p.value))).toEqual([[102510, 1]]);
  });

  it('10102: layer + module + type with its template and the message code its log lines carry', () => {
    const [e] = explain(10102);
    expect(e).toMatchObject({
      dialect: 'de4a',
      code: 10102,
      status: 400,
      check: [
        'Template: Arguments missing or invalid at {0} - {1} (the Connector table)',
        'Its log lines carry the message code <component><level letter>05, e.g. DRE05 (MISSING_REQUIRED_ARGUMENTS).',
      ],
    });
  });

  it('10305: not in the tables, read from its digits, with the old connector reading', () => {
    expect(explain('10305')).toEqual([
      expect.objectContaining({
        dialect: 'de4a',
        notes: [
          'This code is not in the DE4A tables: it is read from its digits.',
          "Connectors before May 2022 built codes from the layer's ordinal: there 10305 means Internal failure + CONNECTOR_DR + CONVERSION_ERROR.",
        ],
      }),
    ]);
  });

  it('5104001: subsystem + error', () => {
    expect(explain('5104001')).toEqual([
      expect.objectContaining({
        dialect: 'ast',
        name: 'MissingField',
        status: 400,
        parts: [
          { name: 'subsystem', value: 510, meaning: 'AST Certificate Authority' },
          { name: 'error', value: 4001 },
        ],
      }),
    ]);
  });

  it('a name matches both X-Road sides', () => {
    expect(explain('SslAuthenticationFailed').map((e) => e.code)).toEqual([
      'Server.ClientProxy.SslAuthenticationFailed',
      'Server.ServerProxy.SslAuthenticationFailed',
    ]);
  });

  it('the seed advice is what to check', () => {
    const [e] = explain('Server.ClientProxy.SslAuthenticationFailed');
    expect(e?.check.length).toBe(
      (xroad.catalog.get('Server.ClientProxy.SslAuthenticationFailed')?.examples?.length ?? 0) + 1,
    );
    expect(e?.origin?.component).toBe(2);
  });

  it("a team's own catalogue", () => {
    const catalog = { dialect: 'problem', entries: [], get: () => undefined };
    expect(explain('Nope', { catalogs: [catalog] })).toEqual([]);
  });

  it.each(
    [xroad, xks, esb, de4a, ast, problem].flatMap((d) =>
      d.catalog.entries.map((e) => [d.id, e.code] as const),
    ),
  )('explains %s %s', (dialect, code) => {
    const found = explain(String(code)).find((e) => e.dialect === dialect && e.code === code);
    expect(found?.entry?.code).toBe(code);
    expect(found?.status).toBe(found?.entry?.status);
  });

  it('an unknown query gives nothing', () => {
    expect(explain('no such thing')).toEqual([]);
    expect(explain('')).toEqual([]);
  });
});
