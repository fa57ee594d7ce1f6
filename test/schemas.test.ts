/**
 * Every body faultline renders validates against the schema it documents: each dialect × each
 * catalogue entry × each encoding it answers in, with messages shown and hidden, debug on and
 * off, plus the errors that are not faults (internal, not found, validation with details,
 * timeouts, refused connections, non-Error values). JSON bodies go through ajv, XML bodies
 * through `xmllint --schema` with the XSDs in packages/core/schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Fault,
  ast,
  createFaultHandler,
  de4a,
  esb,
  problem,
  routeNotFound,
  xks,
  xroad,
} from '@faultline/core';
import type {
  CatalogEntry,
  DialectSchemas,
  FaultHandlerOptions,
  RequestInfo,
  SchemaOptions,
} from '@faultline/core';
import { SCHEMA_DIR, compile, jsonErrors, xmllint } from './support/schemas';

type Kind = 'json' | 'xml' | 'soap';
interface Variant {
  readonly label: string;
  readonly kind: Kind;
  readonly headers: Readonly<Record<string, string>>;
}
interface Setup {
  readonly dialect: {
    readonly id: string;
    readonly catalog: { readonly entries: readonly CatalogEntry[] };
    schema(options?: SchemaOptions): DialectSchemas;
  };
  readonly options: readonly Omit<FaultHandlerOptions, 'dialect' | 'debug'>[];
  readonly variants: readonly Variant[];
}

const JSON_ACCEPT: Variant = {
  label: 'json',
  kind: 'json',
  headers: { accept: 'application/json' },
};
const APP_XML: Variant = {
  label: 'application/xml',
  kind: 'xml',
  headers: { accept: 'application/xml' },
};
const TEXT_XML: Variant = { label: 'text/xml', kind: 'xml', headers: { accept: 'text/xml' } };
const SOAP: Variant = {
  label: 'soap',
  kind: 'soap',
  headers: { soapaction: '""', 'content-type': 'text/xml' },
};

const SETUPS: readonly Setup[] = [
  {
    dialect: xroad,
    options: [{}, { xroad: { side: 'client' } }, { xroad: { profile: '7.4' } }],
    variants: [JSON_ACCEPT, APP_XML, TEXT_XML, SOAP],
  },
  {
    dialect: xks,
    options: [{}, { xks: { profile: 'aws-reference' } }],
    variants: [JSON_ACCEPT, APP_XML],
  },
  {
    dialect: esb,
    options: [{}, { esb: { profile: 'apim-3.2' } }, { esb: { profile: 'apim-4-runtime' } }],
    variants: [JSON_ACCEPT, APP_XML, TEXT_XML, SOAP],
  },
  {
    dialect: de4a,
    options: [{ de4a: { json: true } }],
    variants: [{ label: 'xml', kind: 'xml', headers: {} }, JSON_ACCEPT],
  },
  { dialect: ast, options: [{}, { ast: { correlationId: true } }], variants: [JSON_ACCEPT] },
  {
    dialect: problem,
    options: [{}, { problem: { typeBase: 'https://errors.example.com/' } }],
    variants: [JSON_ACCEPT],
  },
];

const validation = (): Error =>
  Object.assign(new Error('body/id must be string'), {
    statusCode: 400,
    code: 'FST_ERR_VALIDATION',
    validationContext: 'body',
    validation: [
      {
        instancePath: '/id',
        schemaPath: '#/properties/id/type',
        keyword: 'type',
        params: { type: 'string' },
        message: 'must be string',
      },
      {
        instancePath: '',
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'name' },
        message: "must have required property 'name'",
      },
    ],
  });

// Thrown values that are not catalogue faults, each answered by the dialect's own rules.
const OTHERS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['an internal error', () => new Error('database password is hunter2')],
  ['a string', () => 'plain string'],
  ['null', () => null],
  ['an unknown route', () => routeNotFound('GET', '/nope/<script>')],
  ['a validation error with details', validation],
  [
    'an http-errors 409',
    () => Object.assign(new Error('Already there'), { status: 409, expose: true }),
  ],
  [
    'an http-errors 429 with Retry-After',
    () => Object.assign(new Error('Slow down'), { status: 429, headers: { 'retry-after': '30' } }),
  ],
  [
    'a timeout',
    () =>
      Object.assign(new Error('The operation was aborted due to timeout'), {
        name: 'TimeoutError',
      }),
  ],
  [
    'a refused connection',
    () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
  ],
  [
    'a message with control characters and non-ASCII',
    () =>
      Object.assign(new Error(`Schlüssel\u0000\n<&>"'${'x'.repeat(700)}`), {
        status: 400,
        expose: true,
      }),
  ],
  ['an explicit empty message', () => Object.assign(new Error(''), { status: 400, expose: true })],
  [
    'astral characters, C1 controls and lone surrogates',
    () =>
      Object.assign(new Error('a\uD83D\uDE00\u0085\u009F\uD800'), { status: 400, expose: true }),
  ],
];

// A fault of a catalogue entry, as a service throws it; `expose: false` hides the message.
function entryFault(dialect: string, entry: CatalogEntry, expose: boolean): Fault {
  return new Fault({
    dialect,
    code: entry.code,
    status: entry.status,
    name: entry.name,
    message: `${entry.message} <&> ü`,
    expose,
  });
}

interface Body {
  readonly label: string;
  readonly kind: Kind;
  readonly debug: boolean;
  readonly body: string;
}

function renderAll(setup: Setup): Body[] {
  const bodies: Body[] = [];
  const id = setup.dialect.id;
  for (const options of setup.options) {
    for (const debug of [false, true]) {
      const handler = createFaultHandler({
        ...options,
        dialect: setup.dialect as never,
        debug,
        logger: false,
      });
      const thrown: Array<readonly [string, () => unknown]> = [
        ...setup.dialect.catalog.entries.flatMap((entry) => [
          [`${String(entry.code)} shown`, () => entryFault(id, entry, true)] as const,
          [`${String(entry.code)} hidden`, () => entryFault(id, entry, false)] as const,
        ]),
        ...OTHERS,
      ];
      if (id === 'esb') {
        thrown.push([
          'a throttle-out with its next access time',
          () => esb.fault(900800, { nextAccessTime: new Date(Date.UTC(2026, 1, 10, 16, 20)) }),
        ]);
        thrown.push([
          'a transport fault',
          () => esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE'),
        ]);
      }
      for (const variant of setup.variants) {
        for (const [name, make] of thrown) {
          const request: RequestInfo = {
            method: 'POST',
            url: '/kms/xks/v1/keys/k1/encrypt',
            headers: variant.headers,
          };
          const response = handler.handle(make(), request);
          const kind: Kind = response.headers['content-type']!.includes('json')
            ? 'json'
            : variant.kind;
          bodies.push({
            label: `${JSON.stringify(options)} debug=${debug} ${variant.label} ${name}`,
            kind,
            debug,
            body: response.body,
          });
        }
      }
    }
  }
  return bodies;
}

describe.each(SETUPS)('the bodies of the $dialect.id dialect', (setup) => {
  const bodies = renderAll(setup);
  const schemas = setup.dialect.schema();
  const kinds = new Set(bodies.map((b) => b.kind));

  it('should render JSON and, where the dialect speaks it, XML for every case', () => {
    expect(kinds.has('json')).toBe(true);
    expect(kinds.has('xml')).toBe(schemas.xml !== undefined);
    expect(kinds.has('soap')).toBe(schemas.soap !== undefined);
  });

  it('should validate every JSON body against dialect.schema().json (debug bodies against schema({ debug: true }))', () => {
    const plain = compile(schemas.json);
    const withDebug = compile(setup.dialect.schema({ debug: true }).json);
    const failures = bodies
      .filter((b) => b.kind === 'json')
      .map((b) => ({
        label: b.label,
        errors: jsonErrors(b.debug ? withDebug : plain, b.body),
        body: b.body,
      }))
      .filter((f) => f.errors.length > 0);
    expect(failures).toEqual([]);
  });

  it('should validate every body without debug against the schema without the debug member', () => {
    const plain = compile(schemas.json);
    const failures = bodies
      .filter((b) => b.kind === 'json' && !b.debug && jsonErrors(plain, b.body).length > 0)
      .map((b) => b.label);
    expect(failures).toEqual([]);
  });

  it('should validate every JSON body of a catalogue fault against the schema whose codes are the catalogue enum', () => {
    const enumerated = compile(setup.dialect.schema({ catalogs: [], debug: true }).json);
    const failures = bodies
      .filter((b) => b.kind === 'json' && / (shown|hidden)$/.test(b.label))
      .map((b) => ({ label: b.label, errors: jsonErrors(enumerated, b.body) }))
      .filter((f) => f.errors.length > 0);
    expect(failures).toEqual([]);
  });

  it.each(['xml', 'soap'] as const)(
    'should validate every %s body with xmllint against its XSD',
    (kind) => {
      const ref = schemas[kind];
      const documents = new Map(
        bodies.filter((b) => b.kind === kind).map((b) => [b.label, b.body]),
      );
      if (ref === undefined) {
        expect(documents.size).toBe(0);
        return;
      }
      expect(documents.size).toBeGreaterThan(0);
      const result = xmllint(ref.file, documents);
      expect(result.invalid).toEqual([]);
      expect(result.status).toBe(0);
    },
  );
});

describe('the schemas, given a wrong body', () => {
  const JSON_CASES: ReadonlyArray<readonly [string, DialectSchemas, readonly object[]]> = [
    [
      'xroad',
      xroad.schema(),
      [
        { type: 'Server.X', message: 'm' },
        { type: 'Server.X', message: 'm', detail: 'd', extra: 1 },
        { type: 'not a code!', message: 'm', detail: 'd' },
      ],
    ],
    [
      'xks',
      xks.schema(),
      [
        { errorName: 'NoSuchException' },
        { errorName: 'InternalException', errorMessage: 'Schlüssel' },
        { errorName: 'InternalException', errorMessage: 'x'.repeat(512) },
        { errorName: 'InternalException', errorMessage: '' },
      ],
    ],
    [
      'esb',
      esb.schema(),
      [
        { code: 900901, message: 'm', description: 'd' },
        { code: '900800', message: 'm', description: 'd', nextAccessTime: 'tomorrow' },
        { code: '700700', type: 'API blocked', description: 'other' },
        { code: '1', type: 'Status report', message: 'Other', description: 'd' },
      ],
    ],
    [
      'de4a',
      de4a.schema(),
      [
        { ack: true, errors: [{ code: '10102', text: 't' }] },
        { ack: false, errors: [] },
        { ack: false, errors: [{ code: '12345678901', text: 't' }] },
        { ack: false, errors: [{ code: '10102', text: '' }] },
      ],
    ],
    [
      'ast',
      ast.schema(),
      [
        { code: '51010', name: 'InvalidCsrSignature', message: 'm' },
        { code: 51010, name: 'InvalidCsrSignature' },
        { code: 51010, name: 'n', message: 'm', debug: { causes: [] } },
      ],
    ],
    [
      'problem',
      problem.schema(),
      [
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 200,
          detail: 'd',
          instance: 'urn:uuid:x',
          code: 'NotFound',
        },
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'd',
          instance: '/x',
          code: 'NotFound',
        },
      ],
    ],
  ];

  it.each(JSON_CASES)('should reject each wrong %s JSON body', (_name, schemas, wrong) => {
    const validate = compile(schemas.json);
    for (const body of wrong) expect(jsonErrors(validate, JSON.stringify(body))).not.toEqual([]);
  });

  it('should reject codes outside the catalogues when the catalogues are given', () => {
    const validate = compile(ast.schema({ catalogs: [] }).json);
    expect(jsonErrors(validate, '{"code":51610,"name":"Other","message":"m"}')).not.toEqual([]);
    expect(
      jsonErrors(validate, '{"code":51010,"name":"InvalidCsrSignature","message":"m"}'),
    ).toEqual([]);
  });

  const XML_CASES: ReadonlyArray<readonly [string, string]> = [
    ['xroad-rest-error.xsd', '<error><type>Server.X</type><message>m</message></error>'],
    [
      'xroad-rest-error.xsd',
      '<error><type>not a code</type><message>m</message><detail>d</detail></error>',
    ],
    [
      'xroad-soap-fault.xsd',
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultstring>s</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    ],
    [
      'xroad-soap-fault.xsd',
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>Server.X</faultcode><faultstring>s</faultstring><detail><faultDetail xmlns=""><x/></faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    ],
    [
      'soap-envelope-1.1.xsd',
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>Authentication Failure</faultstring><faultactor></faultactor><detail>Invalid Credentials</detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    ],
    [
      'esb-soap-fault.xsd',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>s</faultstring><detail><x/></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
    ],
    [
      'esb-fault.xsd',
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>900901</am:code><am:description>d</am:description></am:fault>',
    ],
    [
      'esb-fault.xsd',
      '<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>x1</ams:code><ams:message>m</ams:message><ams:description>d</ams:description></ams:fault>',
    ],
    [
      'esb-fault.xsd',
      '<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>m</amt:message><amt:description>d</amt:description><amt:nextAccessTime>soon</amt:nextAccessTime></amt:fault>',
    ],
    [
      'de4a-response-error.xsd',
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2"><ct:Error><ct:Code>10102</ct:Code><ct:Text>t</ct:Text></ct:Error></ResponseMessage>',
    ],
    [
      'de4a-response-error.xsd',
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2"><ct:Ack>false</ct:Ack><ct:Error><ct:Code>12345678901</ct:Code><ct:Text>t</ct:Text></ct:Error></ResponseMessage>',
    ],
    [
      'de4a-response-error.xsd',
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2"><Ack>false</Ack></ResponseMessage>',
    ],
  ];

  it.each(XML_CASES)('should have xmllint reject a wrong document against %s', (xsd, document) => {
    const result = xmllint(xsd, new Map([['wrong', document]]));
    expect(result.invalid).toEqual(['wrong']);
    expect(result.status).not.toBe(0);
  });
});

describe('the shipped XSDs', () => {
  it('should keep the W3C notice of the SOAP 1.1 envelope schema', () => {
    const text = readFileSync(join(SCHEMA_DIR, 'soap-envelope-1.1.xsd'), 'utf8');
    expect(text).toContain('This document is governed by the W3C Software License');
    expect(text).toContain('targetNamespace="http://schemas.xmlsoap.org/soap/envelope/"');
  });

  it('should name, from every dialect, a file that exists in the package and is in its files list', () => {
    const manifest = JSON.parse(readFileSync(join(SCHEMA_DIR, '..', 'package.json'), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain('schemas');
    expect(manifest.exports['./schemas/*']).toBe('./schemas/*');
    for (const dialect of [xroad, xks, esb, de4a, ast, problem]) {
      const { xml, soap } = dialect.schema();
      for (const ref of [xml, soap]) {
        if (ref === undefined) continue;
        expect(ref.specifier).toBe(`@faultline/core/schemas/${ref.file}`);
        expect(() => readFileSync(join(SCHEMA_DIR, ref.file))).not.toThrow();
      }
    }
  });
});
