/**
 * The DE4A connector of iteration 2 byte for byte, fact by fact (de4a-eu/de4a `027b592c`,
 * de4a-eu/de4a-commons `c2a4a787`): log message codes numbered per log message as the seed's
 * examples and `ELogMessage` number them (`DRE05`, `DOE02`, `DTI07`), an unexpected exception
 * answered as 99999 `Internal Connector Error`, text cut at 4000 characters with no marker, and
 * the seed's log-message tables known to `explain` and `logTo`. Expected bodies and lines are
 * written out here, never computed by faultline, and checked through `handle()` and through
 * Express 4, Express 5 and Fastify 5.
 */
import { Fault, createFaultHandler, de4a, explain } from '@faultline/core';
import type { FaultEvent, FaultHandlerOptions } from '@faultline/core';
import { EXAMPLE_LINES } from './fixtures/de4a-seed';
import { ADAPTERS, call, faultHeaders } from './support/servers';
import type { Running } from './support/servers';
import { parseXml } from './support/xml';

const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
const FIXED = new Date(Date.UTC(2021, 7, 16, 19, 1, 33, 803));
const ROOT =
  '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">';
const LONG = 'y'.repeat(5000);

interface Case {
  readonly name: string;
  readonly path: string;
  readonly thrown: () => unknown;
  readonly json?: true;
  readonly status: number;
  readonly body: string;
  /** The fault's log line (`logTo`, component `DR`), for plain texts. */
  readonly log?: string;
}

function xml(code: string, text: string): string {
  return `${ROOT}<ct:Ack>false</ct:Ack><ct:Error><ct:Code>${code}</ct:Code><ct:Text>${text}</ct:Text></ct:Error></ResponseMessage>`;
}

const CASES: readonly Case[] = [
  {
    name: 'an unexpected exception: 99999 Internal Connector Error',
    path: '/crash',
    thrown: () => new TypeError("Cannot read properties of undefined (reading 'x')"),
    status: 500,
    body: xml('99999', 'Internal Connector Error'),
    log: "[2021-08-16T19:01:33.803Z] [ERROR] [DRE00] [SGAD-ES] [TypeError] Cannot read properties of undefined (reading 'x')",
  },
  {
    name: 'an unexpected exception, in JSON',
    path: '/crash-json',
    thrown: () => new Error(''),
    json: true,
    status: 500,
    body: '{"ack":false,"errors":[{"code":"99999","text":"Internal Connector Error"}]}',
    log: '[2021-08-16T19:01:33.803Z] [ERROR] [DRE00] [SGAD-ES] Internal Connector Error',
  },
  {
    name: 'arguments missing, logged at ERROR as DRE05 (the seed’s IEM example code)',
    path: '/arguments',
    thrown: () => de4a.fault(10102, ['/request', 'RequestId'], { status: 500 }),
    status: 500,
    body: xml('10102', 'Arguments missing or invalid at /request - RequestId'),
    log: '[2021-08-16T19:01:33.803Z] [ERROR] [DRE05] [SGAD-ES] Arguments missing or invalid at /request - RequestId',
  },
  {
    name: 'arguments missing, a WARN line numbered the same (DRW05)',
    path: '/arguments-warn',
    thrown: () => de4a.fault(10102, ['/request', 'RequestId']),
    status: 400,
    body: xml('10102', 'Arguments missing or invalid at /request - RequestId'),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW05] [SGAD-ES] Arguments missing or invalid at /request - RequestId',
  },
  {
    name: "evidence not available: the Data Owner's DOE02, whatever component logs it",
    path: '/evidence',
    thrown: () => de4a.fault(40515),
    status: 400,
    body: xml('40515', 'Evidence not available yet (delayed)'),
    log: '[2021-08-16T19:01:33.803Z] [ERROR] [DOE02] [SGAD-ES] Evidence not available yet (delayed)',
  },
  {
    name: 'a connection error: CONNECTION_ERROR is 01 (DRW01)',
    path: '/owner',
    thrown: () => de4a.fault(10503, ['Data Owner', 'timeout']),
    status: 400,
    body: xml('10503', 'Connection error with Data Owner - timeout'),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW01] [SGAD-ES] Connection error with Data Owner - timeout',
  },
  {
    name: 'the pilot process start: DEI01',
    path: '/started',
    thrown: () => de4a.fault(40617),
    status: 400,
    body: xml('40617', 'DE4A pilot process started'),
    log: '[2021-08-16T19:01:33.803Z] [INFO] [DEI01] [SGAD-ES] DE4A pilot process started',
  },
  {
    name: 'a 5000-character text, cut at 4000 with no marker',
    path: '/long',
    thrown: () => de4a.fault(20006, ['DB', LONG]),
    status: 500,
    body: xml('20006', `Error accessing/saving data on DB - ${'y'.repeat(3964)}`),
    log: `[2021-08-16T19:01:33.803Z] [ERROR] [DRE04] [SGAD-ES] Error accessing/saving data on DB - ${'y'.repeat(3964)}`,
  },
  {
    name: 'a 5000-character text in JSON',
    path: '/long-json',
    thrown: () => de4a.fault(20006, ['DB', LONG]),
    json: true,
    status: 500,
    body: `{"ack":false,"errors":[{"code":"20006","text":"Error accessing/saving data on DB - ${'y'.repeat(3964)}"}]}`,
  },
  {
    name: 'hostile text in the XML Text: quotes, apostrophes, ]]>, CR, C0 and C1 controls, astral characters, lone surrogates',
    path: '/hostile',
    thrown: () => de4a.fault(10504, [`"DO" 'x' ]]> <&>`, 'a\rb\u0001\u0085\uD83D\uDE00\uD800']),
    status: 400,
    body: xml(
      '10504',
      'Error on response from &quot;DO&quot; &apos;x&apos; ]]&gt; &lt;&amp;&gt; - a&#13;b\uFFFD\u0085\uD83D\uDE00\uFFFD',
    ),
  },
  {
    name: 'hostile text in the JSON text',
    path: '/hostile-json',
    thrown: () => de4a.fault(10504, [`"DO" 'x' ]]> <&>`, 'a\rb\u0001\u0085\uD83D\uDE00\uD800']),
    json: true,
    status: 400,
    body: '{"ack":false,"errors":[{"code":"10504","text":"Error on response from \\"DO\\" \'x\' ]]> <&> - a\\rb\\u0001\u0085\uD83D\uDE00\\ud800"}]}',
  },
  {
    name: 'an empty message: the code’s text without parameters (the IEM Text has at least one character)',
    path: '/empty',
    thrown: () => new Fault({ dialect: 'de4a', code: 10102, status: 400, message: '' }),
    status: 400,
    body: xml('10102', 'Arguments missing or invalid'),
  },
];

const OPTIONS: FaultHandlerOptions = { dialect: 'de4a', logger: false };

function request(c: Case): Record<string, string> {
  return c.json === true ? { accept: 'application/json' } : {};
}

function expectHeaders(headers: Readonly<Record<string, string>>, c: Case): void {
  expect(faultHeaders(headers)).toEqual({
    'content-type': c.json === true ? JSON_TYPE : XML_TYPE,
    'content-length': String(Buffer.byteLength(c.body)),
    'x-road-error': undefined,
    soapaction: undefined,
    'x-content-type-options': 'nosniff',
  });
}

describe('the DE4A connector of iteration 2 through handle()', () => {
  const lines: string[] = [];
  const handler = createFaultHandler({
    ...OPTIONS,
    onFault: de4a.logTo(
      { write: (line: string) => lines.push(line) },
      { participant: 'SGAD-ES', component: 'DR', clock: () => FIXED },
    ),
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    lines.length = 0;
    const response = handler.handle(c.thrown(), {
      method: 'POST',
      url: c.path,
      headers: request(c),
    });
    expect([response.status, response.body]).toEqual([c.status, c.body]);
    expectHeaders(response.headers, c);
    if (c.json !== true) expect(() => parseXml(response.body)).not.toThrow();
    if (c.log !== undefined) expect(lines).toEqual([`${c.log}\n`]);
  });
});

describe.each(ADAPTERS)('the DE4A connector of iteration 2 through $name', (adapter) => {
  let server: Running;
  const lines: string[] = [];
  beforeAll(async () => {
    const hook = de4a.logTo(
      { write: (line: string) => lines.push(line) },
      { participant: 'SGAD-ES', component: 'DR', clock: () => FIXED },
    );
    server = await adapter.start(
      CASES.map((c) => ({ path: c.path, error: c.thrown })),
      { ...OPTIONS, onFault: (event: FaultEvent) => hook(event) },
    );
  });
  afterAll(() => server.close());

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    lines.length = 0;
    const res = await call(server.url, 'GET', c.path, request(c));
    expect([res.status, res.text]).toEqual([c.status, c.body]);
    expectHeaders(res.headers, c);
    if (c.json !== true) expect(() => parseXml(res.text)).not.toThrow();
    if (c.log !== undefined) expect(lines).toEqual([`${c.log}\n`]);
  });
});

describe('explain, for the message codes of the seed’s examples', () => {
  it('DRE05: Connector DR, ERROR, MISSING_REQUIRED_ARGUMENTS, the seed’s “arguments missing or invalid”', () => {
    const [e, ...rest] = explain('DRE05');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      dialect: 'de4a',
      code: 'DRE05',
      name: 'MISSING_REQUIRED_ARGUMENTS',
      check: ["Template 02 of DE4A's documentation: Arguments missing or invalid at {0} - {1}"],
    });
    expect(e?.parts?.map((p) => [p.value, p.meaning])).toEqual([
      ['DR', 'Connector DR'],
      ['E', 'ERROR'],
      ['05', 'MISSING_REQUIRED_ARGUMENTS (Arguments missing or invalid)'],
    ]);
  });

  it('DOE02: the Data Owner’s “Evidence not available yet (delayed)”, the event of 40515', () => {
    const [e] = explain('DOE02');
    expect(e).toMatchObject({
      dialect: 'de4a',
      code: 'DOE02',
      name: 'LOG_DO_ERROR_EVIDENCE_NOT_AVAILABLE',
      check: ['Text: Evidence not available yet (delayed)', 'The same event as error code 40515.'],
    });
  });

  it('DTI07: Connector DT, INFO, the Evidence Response message received', () => {
    const [e, ...rest] = explain('DTI07');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ dialect: 'de4a', code: 'DTI07', name: 'LOG_RES_EVIDENCE_DO_DT' });
    expect(e?.check[0]).toBe(
      'Text: Evidence Response message received: {0} - {1} - {2} - {3} - {4}',
    );
  });

  it('40515: names the message code its log lines carry', () => {
    expect(explain('40515')[0]?.check).toContain(
      'Its log lines carry the message code DOE02 (LOG_DO_ERROR_EVIDENCE_NOT_AVAILABLE).',
    );
  });

  it('99999: the connector’s unexpected error, 500', () => {
    expect(explain('99999')).toEqual([
      expect.objectContaining({
        dialect: 'de4a',
        code: 99999,
        status: 500,
        message: 'Internal Connector Error',
      }),
    ]);
  });
});

describe('the seed’s log-message tables', () => {
  it.each([
    [
      '0100',
      ['Connector'],
      'Legacy IM Request message received - Request ID: {0}, Canonical Evidence Type: {1}, Data Evaluator: {2}, Data Owner: {3}',
    ],
    [
      '0108',
      ['Connector', 'Authority Agent'],
      'Response Evidence message received - Request ID: {0}, Canonical Evidence Type: {1}, Data Evaluator: {2}, Data Owner: {3}',
    ],
    ['0206', ['Connector', 'Authority Agent'], 'Data Owner address not found - Data Owner: {0}'],
    ['0302', ['Connector'], 'Processing the request received via AS4 gateway'],
    ['0114', ['Authority Agent'], '{0}: Successfully imported DID document into Aries.'],
    ['0210', ['Authority Agent'], '{0}: Validated the subject of the submitted VP.'],
  ])('explain(%s) reads the seed’s rows', (code, tables, first) => {
    const found = explain(code).filter((e) => e.dialect === 'de4a');
    expect(found.map((e) => e.name)).toEqual(tables.map((t) => `${t} log message`));
    expect(found[0]?.check[0]).toBe(`Text: ${first}`);
  });

  it('holds every row of both tables: 17 Connector rows (0100–0302) and 24 Authority Agent rows', () => {
    const codes = (table: string) =>
      de4a.LOG_MESSAGES.filter((m) => m.table === table).map((m) => m.code);
    expect(codes('Connector')).toEqual([
      '0100',
      '0101',
      '0102',
      '0103',
      '0104',
      '0105',
      '0106',
      '0107',
      '0108',
      '0201',
      '0202',
      '0203',
      '0204',
      '0205',
      '0206',
      '0301',
      '0302',
    ]);
    expect(codes('Authority Agent')).toEqual([
      '0201',
      '0202',
      '0203',
      '0204',
      '0205',
      '0206',
      '0207',
      '0208',
      '0209',
      '0210',
      '0101',
      '0102',
      '0103',
      '0104',
      '0105',
      '0106',
      '0107',
      '0108',
      '0109',
      '0110',
      '0111',
      '0112',
      '0113',
      '0114',
    ]);
  });

  describe('written by logTo', () => {
    const written: string[] = [];
    const sink = { write: (line: string) => written.push(line) };
    beforeEach(() => {
      written.length = 0;
    });

    it('writes a seed log code of the Connector table in the log format', () => {
      de4a
        .logTo(sink, { participant: 'SGAD-ES', clock: () => FIXED })
        .message('0108', ['r-1', 'urn:x', 'de-1', 'do-1']);
      expect(written).toEqual([
        '[2021-08-16T19:01:33.803Z] [INFO] [0108] [SGAD-ES] Response Evidence message received - Request ID: r-1, Canonical Evidence Type: urn:x, Data Evaluator: de-1, Data Owner: do-1\n',
      ]);
    });

    it("writes the Authority Agent's 0101 when logTo is told the table", () => {
      de4a
        .logTo(sink, { participant: 'AA-SI', logMessages: 'Authority Agent', clock: () => FIXED })
        .message('0101', ['issue', 200, '/vc']);
      expect(written).toEqual([
        '[2021-08-16T19:01:33.803Z] [INFO] [0101] [AA-SI] issue: Received HTTP response code: 200 from endpoint: /vc.\n',
      ]);
    });

    it('writes a metrics line with the seed log code', () => {
      de4a
        .logTo(sink, { participant: 'CONNECTOR DR', format: 'metrics', clock: () => FIXED })
        .message('0101', ['r-1', 'urn:x', 'de-1', 'do-1'], {
          origin: 'DATA EVALUATOR',
          destiny: 'CONNECTOR DR',
        });
      expect(written).toEqual([
        'DE4A METRICS - [2021-08-16 19:01:33:803] [INFO] [0101] [ ] [DATA EVALUATOR] [CONNECTOR DR] IM Request message received - Request ID: r-1, Canonical Evidence Type: urn:x, Data Evaluator: de-1, Data Owner: do-1\n',
      ]);
    });

    it("writes DTI07 with the connector's text, and the seed's DO example line byte for byte", () => {
      de4a
        .logTo(sink, {
          participant: 'SGAD-ES',
          component: 'DT',
          clock: () => new Date('2021-07-26T12:41:13.657Z'),
        })
        .message('DTI07', [
          'ResponseExtractMultiEvidenceType',
          '2ecda60e-3824-4e92-a459-7c4a81258952',
          'iso6523-actorid-upis::9991:pt990000101',
          'iso6523-actorid-upis::9920:ess2833002e',
          '(09754288-72b9-41d0-92b2-59f02506891c:urn:de4a-eu:CanonicalEvidenceType::HigherEducationDiploma:2.0, f0cbbb5f-45d6-4d1e-8be4-047c1ce2ae8b:DOE01)',
        ]);
      // The connector's bundle separates the five values with " - "; the seed's example has an
      // en dash before the last one, a typographic change of the document.
      expect(written).toEqual([`${EXAMPLE_LINES.dtInfo.replace(' – (', ' - (')}\n`]);
      written.length = 0;
      de4a.logTo(sink, {
        participant: 'MIZŠ-SI',
        component: 'DO',
        useCase: '1.1',
        clock: () => new Date('2021-08-16T19:01:33.803Z'),
      })({
        fault: de4a.fault(40515),
        error: undefined,
        request: {},
        expected: true,
        level: 'error',
        durationMs: 0,
      });
      expect(written).toEqual([`${EXAMPLE_LINES.doError}\n`]);
    });

    it.each([
      ['an unknown code', '0999', /not a DE4A log message/],
      [
        'a code two messages share',
        'DRI07',
        /names several log messages \(LOG_RES_EVIDENCE_DT_DR, LOG_REQ_DE\)/,
      ],
      ['a message without text', 'LOG_REQ_DR_SML', /has no text/],
    ])('rejects %s with a TypeError', (_name, ref, message) => {
      expect(() => de4a.logTo(sink, { participant: 'P-ES' }).message(ref, [])).toThrow(message);
    });

    it('rejects missing parameters with a TypeError', () => {
      expect(() => de4a.logTo(sink, { participant: 'P-ES' }).message('0204', [])).toThrow(
        TypeError,
      );
    });
  });
});
