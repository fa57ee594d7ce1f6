/**
 * Property-based tests of the handler with fast-check: whatever is thrown, with whatever
 * headers, every dialect answers with a valid status, legal headers, a body that parses in its
 * encoding, and one log entry. The seed is fixed so CI is repeatable; run many more locally:
 *
 *   FC_RUNS=20000 FC_SEED=$RANDOM npx jest test/properties.test.ts
 */
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import {
  ast,
  createFaultHandler,
  de4a,
  esb,
  parseFault,
  problem,
  xks,
  xroad,
} from '@faultline/core';
import type { DialectName, FaultHandlerOptions, RequestInfo } from '@faultline/core';
import { recorder } from './support/servers';

const SEED = Number(process.env.FC_SEED ?? 20261122);
const RUNS = Number(process.env.FC_RUNS ?? 150);
fc.configureGlobal({ seed: SEED, numRuns: RUNS });

// Characters XML 1.0 cannot carry, and the unpaired surrogates among them.
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const FIELD_VALUE = /^[\t\u0020-\u007E\u0080-\u00FF]*$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Any text, lone surrogates and control characters included. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ']]>', '<a>&amp;</a>', '\u0000\uFFFE\uD800', '{}'),
);

function throwingProxy(): unknown {
  return new Proxy(
    {},
    {
      // fast-check asks every generated value for its clone method; everything else throws.
      get(_target, key) {
        if (key === fc.cloneMethod) return undefined;
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
      has(_target, key) {
        if (key === fc.cloneMethod) return false;
        throw new Error('trap');
      },
    },
  );
}

function circular(message: string): Error {
  const a = new Error(message);
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  return a;
}

/** Anything a service might throw. */
const thrown: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withNullPrototype: true,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withSparseArray: true,
    maxDepth: 3,
  }),
  text.map((m) => new Error(m)),
  fc
    .record({
      m: text,
      status: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.constant(Number.NaN)),
      expose: fc.boolean(),
    })
    .map(({ m, status, expose }) => Object.assign(new Error(m), { status, expose })),
  text.map((m) => xroad.fault('Server.ServerProxy.AccessDenied', m)),
  text.map((m) => xks.fault('KeyNotFoundException', m)),
  text.map((m) => esb.fault(900901, { message: m, description: m })),
  fc.tuple(text, text).map(([a, b]) => de4a.fault(10102, [a, b])),
  text.map((m) => ast.fault('InvalidCsrSignature', m)),
  text.map((m) => problem.fault(409, m)),
  fc.constantFrom<unknown>(Symbol('s'), null, undefined, 0n, throwingProxy()),
  text.map(circular),
  fc.array(text, { maxLength: 5 }).map(
    (ms) =>
      new AggregateError(
        ms.map((m) => new Error(m)),
        'many',
      ),
  ),
);

/** Any request headers a client might send. */
const request: fc.Arbitrary<RequestInfo> = fc
  .record(
    {
      accept: fc.oneof(
        text,
        fc.constantFrom(
          'application/json',
          'application/xml',
          'text/xml',
          'text/*',
          '*/*;q=0.1, application/json;q=0.9',
        ),
      ),
      'content-type': fc.oneof(text, fc.constantFrom('text/xml', 'application/json')),
      soapaction: fc.oneof(text, fc.constant('""')),
    },
    { requiredKeys: [] },
  )
  .map((headers) => ({ method: 'POST', url: '/r1/EE/GOV/1/app/x', headers }));

const DIALECTS: readonly DialectName[] = ['xroad', 'xks', 'esb', 'de4a', 'ast', 'problem'];

function handlerFor(dialect: DialectName) {
  const { logger, calls } = recorder();
  const options: FaultHandlerOptions = {
    dialect,
    logger,
    ...(dialect === 'de4a' ? { de4a: { json: true } } : {}),
  };
  return { handler: createFaultHandler(options), calls };
}

describe.each(DIALECTS)('%s, for anything thrown with any headers', (dialect) => {
  it('answers a valid status, legal headers, a parsable body and one log entry', () => {
    const { handler, calls } = handlerFor(dialect);
    fc.assert(
      fc.property(thrown, request, (value, req) => {
        calls.length = 0;
        const response = handler.handle(value, req);
        const soap =
          response.headers['content-type']?.startsWith('text/xml') === true &&
          response.body.includes(':Envelope');
        // SOAP faults may be sent with 200 (X-Road's rule); everything else with 4xx/5xx.
        expect(Number.isInteger(response.status)).toBe(true);
        expect(
          (soap && response.status === 200) || (response.status >= 400 && response.status <= 599),
        ).toBe(true);
        for (const [name, headerValue] of Object.entries(response.headers)) {
          expect(TOKEN.test(name)).toBe(true);
          expect(FIELD_VALUE.test(headerValue)).toBe(true);
        }
        const type = response.headers['content-type'] ?? '';
        if (type.includes('json')) expect(() => JSON.parse(response.body) as unknown).not.toThrow();
        else if (type.includes('xml')) expect(XMLValidator.validate(response.body)).toBe(true);
        else expect(type.startsWith('text/plain')).toBe(true);
        expect(calls.length).toBe(1);
        const id = response.fault?.correlationId;
        if (id !== undefined) expect(JSON.stringify(calls[0]?.event)).toContain(id);
      }),
    );
  });
});

describe('what each convention limits', () => {
  it('XKS errorMessage stays printable ASCII, at most 511 characters', () => {
    const { handler } = handlerFor('xks');
    fc.assert(
      fc.property(thrown, (value) => {
        const body = JSON.parse(
          handler.handle(value, { method: 'POST', url: '/kms/xks/v1/keys/k/encrypt', headers: {} })
            .body,
        ) as { errorMessage?: string };
        if (body.errorMessage !== undefined) {
          expect(body.errorMessage).toMatch(/^[\x20-\x7E]{1,511}$/);
        }
      }),
    );
  });

  it('DE4A Code is at most 10 characters, Text 1 to 4000', () => {
    const { handler } = handlerFor('de4a');
    fc.assert(
      fc.property(
        thrown,
        fc.string({ unit: 'binary', minLength: 3000, maxLength: 6000 }),
        (value, long) => {
          for (const v of [value, de4a.fault(10102, [long, long])]) {
            const body = JSON.parse(
              handler.handle(v, { headers: { accept: 'application/json' } }).body,
            ) as { errors: { code: string; text: string }[] };
            const [error] = body.errors;
            expect(error?.code.length).toBeLessThanOrEqual(10);
            expect(error?.text.length).toBeGreaterThanOrEqual(1);
            expect(error?.text.length).toBeLessThanOrEqual(4000);
          }
        },
      ),
      { numRuns: Math.max(20, Math.floor(RUNS / 5)) },
    );
  });

  it('X-Road bodies carry the message as the security server writes it, read back by parseFault', () => {
    const { handler } = handlerFor('xroad');
    // What a reader gets back from each encoding (X-Road 7.5–7.8): REST XML sends what XML 1.0
    // forbids as U+FFFD (the safety rule) and CR as `&#13;`; SOAP removes it (escapeXml10) and
    // sends CR raw, which every XML reader reads as LF; JSON (Jackson) writes a lone surrogate
    // as `?`. Nothing else may change, an empty message included.
    const expected: Readonly<Record<string, (m: string) => string>> = {
      'application/xml': (m) => m.replace(XML_INVALID, '\uFFFD'),
      soap: (m) => m.replace(XML_INVALID, '').replace(/\r\n?/g, '\n'),
      'application/json': (m) => m.replace(LONE_SURROGATE, '?'),
    };
    fc.assert(
      fc.property(
        text,
        fc.constantFrom('application/xml', 'application/json', 'soap'),
        (message, accept) => {
          const req: RequestInfo =
            accept === 'soap' ? { headers: { soapaction: '""' } } : { headers: { accept } };
          const response = handler.handle(
            xroad.fault('Server.ServerProxy.AccessDenied', message),
            req,
          );
          const read = parseFault(response.body, response.headers['content-type']);
          expect(read.recognised).toBe(true);
          if (read.recognised) expect(read.fault.message).toBe(expected[accept]!(message));
        },
      ),
    );
  });
});
