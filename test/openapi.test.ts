/**
 * An API's documented errors are the ones it sends: for every catalogue entry, the body a real
 * handler renders equals the documented example and validates against the documented schema
 * (ajv for JSON, xmllint against the named XSD for XML).
 */
import {
  Fault,
  ast,
  createFaultHandler,
  de4a,
  defineCatalog,
  esb,
  openApiResponses,
  problem,
  xks,
  xroad,
} from '@faultline/core';
import type { CatalogEntry, OpenApiOptions, OpenApiResponse } from '@faultline/core';
import { compile, jsonErrors, xmllint } from './support/schemas';

const ID = '11111111-2222-4333-8444-555555555555';

interface Case {
  readonly name: string;
  readonly dialect: {
    readonly id: string;
    readonly catalog: { readonly entries: readonly CatalogEntry[] };
  };
  readonly options: OpenApiOptions;
  /** The request a client of that content type sends. */
  readonly requests: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The requests of the entries answered in other content types (ESB sequences without a SOAP branch). */
  readonly requestsOf?: (entry: CatalogEntry) => Case['requests'] | undefined;
}

const requestsOf = (c: Case, entry: CatalogEntry): Case['requests'] =>
  c.requestsOf?.(entry) ?? c.requests;
// The blocked-API (700700) and threat-protection (400) sequences have no SOAP branch: their SOAP clients get JSON.
const ESB_NO_SOAP_BRANCH: ReadonlySet<string | number> = new Set([700700, 400]);

const JSON_REQ = { accept: 'application/json' };
const CASES: readonly Case[] = [
  {
    name: 'xroad REST',
    dialect: xroad,
    options: {},
    requests: {
      'application/json': JSON_REQ,
      'application/xml;charset=utf-8': { accept: 'application/xml' },
      'text/xml;charset=utf-8': { accept: 'text/xml' },
    },
  },
  {
    name: 'xroad REST, profile 7.4',
    dialect: xroad,
    options: { handler: { xroad: { profile: '7.4' } } },
    requests: {
      'application/json;charset=utf-8': JSON_REQ,
      'application/xml;charset=utf-8': { accept: 'application/xml' },
      'text/xml;charset=utf-8': { accept: 'text/xml' },
    },
  },
  {
    name: 'xroad SOAP',
    dialect: xroad,
    options: { soap: true },
    requests: { 'text/xml;charset=utf-8': { soapaction: '""' } },
  },
  { name: 'xks', dialect: xks, options: {}, requests: { 'application/json': JSON_REQ } },
  {
    name: 'xks, profile aws-reference',
    dialect: xks,
    options: { handler: { xks: { profile: 'aws-reference' } } },
    requests: { 'application/json': JSON_REQ },
  },
  {
    name: 'esb',
    dialect: esb,
    options: {},
    requests: { 'application/json; charset=UTF-8': JSON_REQ },
  },
  {
    name: 'esb apim-3.2',
    dialect: esb,
    options: { handler: { esb: { profile: 'apim-3.2' } } },
    requests: {
      'application/json; charset=UTF-8': JSON_REQ,
      'application/xml; charset=UTF-8': { accept: 'application/xml' },
      'text/xml; charset=UTF-8': { accept: 'text/xml' },
    },
  },
  {
    name: 'esb SOAP',
    dialect: esb,
    options: { soap: true },
    requests: { 'text/xml; charset=UTF-8': { soapaction: '""' } },
    requestsOf: (entry) =>
      ESB_NO_SOAP_BRANCH.has(entry.code)
        ? { 'application/json; charset=UTF-8': { soapaction: '""' } }
        : undefined,
  },
  {
    name: 'de4a',
    dialect: de4a,
    options: { handler: { de4a: { json: true } } },
    requests: { 'application/xml;charset=UTF-8': {}, 'application/json;charset=UTF-8': JSON_REQ },
  },
  {
    name: 'ast',
    dialect: ast,
    options: { handler: { ast: { correlationId: true } } },
    requests: { 'application/json;charset=utf-8': JSON_REQ },
  },
  {
    name: 'problem',
    dialect: problem,
    options: { handler: { problem: { typeBase: 'https://errors.example.com/' } } },
    requests: { 'application/problem+json': JSON_REQ },
  },
];

const XSD_OF = /XSD @faultline\/core\/schemas\/(\S+) /;

function check(
  responses: Record<string, OpenApiResponse>,
  c: Case,
  render: (
    entry: CatalogEntry,
    headers: Readonly<Record<string, string>>,
  ) => { status: number; type: string; body: string },
  entries: readonly CatalogEntry[],
  key: (entry: CatalogEntry) => string,
  oneEach: boolean,
): void {
  const xml = new Map<string, Map<string, string>>();
  for (const entry of entries) {
    const response = responses[key(entry)];
    expect(response).toBeDefined();
    const requests = requestsOf(c, entry);
    // One response per code has exactly the code's content types (per status: see below).
    if (oneEach)
      expect(Object.keys(response!.content).sort()).toEqual(Object.keys(requests).sort());
    for (const [type, headers] of Object.entries(requests)) {
      const sent = render(entry, headers);
      const media = response!.content[type]!;
      expect(sent.type).toBe(type);
      expect(sent.status).toBe(response!['x-status']);
      const example =
        media.example ??
        media.examples?.[String(entry.code).replace(/[^A-Za-z0-9._-]/g, '_')]?.value;
      if (type.includes('json')) {
        expect(JSON.stringify(example)).toBe(sent.body);
        expect(jsonErrors(compile(media.schema), sent.body)).toEqual([]);
      } else {
        expect(example).toBe(sent.body);
        const file = XSD_OF.exec(String(media.schema['description']))![1]!;
        if (!xml.has(file)) xml.set(file, new Map());
        xml.get(file)!.set(`${String(entry.code)} ${type}`, sent.body);
      }
    }
  }
  for (const [file, documents] of xml) {
    const result = xmllint(file, documents);
    expect(result.invalid).toEqual([]);
    expect(result.status).toBe(0);
  }
}

describe.each(CASES)('openApiResponses for $name', (c) => {
  const handler = createFaultHandler({
    logger: false,
    ...c.options.handler,
    dialect: c.dialect.id as never,
    correlationId: () => ID,
  });
  const render = (entry: CatalogEntry, headers: Readonly<Record<string, string>>) => {
    const fault = new Fault({
      dialect: c.dialect.id,
      code: entry.code,
      status: entry.status,
      name: entry.name,
      message: entry.message,
      expose: true,
    });
    const response = handler.handle(fault, { method: 'POST', url: '/', headers });
    return {
      status: response.status,
      type: response.headers['content-type']!,
      body: response.body,
    };
  };

  describe('when by code', () => {
    const responses = openApiResponses(c.dialect.id as never, { ...c.options, correlationId: ID });

    it('should document one response per catalogue code', () => {
      expect(Object.keys(responses)).toHaveLength(c.dialect.catalog.entries.length);
    });

    it('should document, for every code and content type, the very body the handler sends, which validates against the documented schema', () => {
      check(
        responses,
        c,
        render,
        c.dialect.catalog.entries,
        (e) => `${c.dialect.id}.${String(e.code)}`.replace(/[^A-Za-z0-9._-]/g, '_'),
        true,
      );
    });

    it("should reject another code's body with a code's schema", () => {
      const [first, second] = c.dialect.catalog.entries;
      const type = Object.keys(c.requests).find((t) => t.includes('json'));
      if (type === undefined) return;
      const schema =
        responses[`${c.dialect.id}.${String(first!.code)}`.replace(/[^A-Za-z0-9._-]/g, '_')]!
          .content[type]!.schema;
      expect(jsonErrors(compile(schema), render(second!, c.requests[type]!).body)).not.toEqual([]);
    });
  });

  describe('when by status', () => {
    const responses = openApiResponses(c.dialect.id as never, {
      ...c.options,
      correlationId: ID,
      by: 'status',
    });

    it('should document one response per status, with an example per code', () => {
      const statusOf = (e: CatalogEntry) => render(e, Object.values(requestsOf(c, e))[0]!).status;
      const statuses = new Set(c.dialect.catalog.entries.map(statusOf));
      expect(
        Object.values(responses)
          .map((r) => r['x-status'])
          .sort(),
      ).toEqual([...statuses].sort());
      const byStatus = new Map<number, string>(
        Object.entries(responses).map(([k, r]) => [r['x-status'], k]),
      );
      check(
        responses,
        c,
        render,
        c.dialect.catalog.entries,
        (e) => byStatus.get(statusOf(e))!,
        false,
      );
      for (const [status, name] of byStatus) {
        const types = new Set(
          c.dialect.catalog.entries
            .filter((e) => statusOf(e) === status)
            .flatMap((e) => Object.keys(requestsOf(c, e))),
        );
        expect(Object.keys(responses[name]!.content).sort()).toEqual([...types].sort());
      }
    });
  });
});

describe('openApiResponses for a catalogue of your own', () => {
  const orders = defineCatalog({
    codes: {
      OrderNotFound: { status: 404, message: 'Order {id} not found' },
      OrderShipped: { status: 409, message: 'Order {id} was already shipped' },
    },
  });

  it("should document its codes with the bodies their entries render to (a template's text before its first parameter)", () => {
    const responses = openApiResponses(orders.catalog, { correlationId: ID });
    expect(Object.keys(responses)).toEqual(['problem.OrderNotFound', 'problem.OrderShipped']);
    const handler = createFaultHandler({
      logger: false,
      catalogs: [orders.catalog],
      correlationId: () => ID,
    });
    const entry = orders.catalog.get('OrderNotFound')!;
    expect(entry.message).toBe('Order');
    const sent = handler.handle(
      new Fault({
        dialect: 'problem',
        code: entry.code,
        status: entry.status,
        name: entry.name,
        message: entry.message,
        expose: true,
      }),
      {},
    );
    const media = responses['problem.OrderNotFound']!.content['application/problem+json']!;
    expect(JSON.stringify(media.example)).toBe(sent.body);
    expect(jsonErrors(compile(media.schema), sent.body)).toEqual([]);
    expect(responses['problem.OrderNotFound']!['x-status']).toBe(404);
  });

  it('should refuse SOAP for a dialect that sends no SOAP faults, and an unknown dialect', () => {
    expect(() => openApiResponses('xks', { soap: true })).toThrow(TypeError);
    expect(() => openApiResponses('nope' as never)).toThrow(TypeError);
  });
});
