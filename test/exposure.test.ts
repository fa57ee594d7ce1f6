/**
 * The exposure allow-list (SECURITY.md): a renderer may read only these fields of a fault. The
 * message reaches it through the render context, after the exposure policy; the cause, the
 * stack and the description never do. Every dialect renders every catalogue entry in every
 * encoding with a fault that records each field read; any read outside the list fails.
 */
import { ast, de4a, esb, problem, xks, xroad } from '@faultline/core';
import type { Dialect, Fault, RequestInfo } from '@faultline/core';
import { CONVERT_XML } from './fixtures/esb-seed';

/** The fields of a fault a renderer may read. */
const ALLOWED: ReadonlySet<string> = new Set([
  'dialect',
  'code',
  'status',
  'name',
  'correlationId',
  'details',
  'params',
  'headers',
  'expose',
  // problem+json extension members: data the service chose to send, checked to be JSON
  'extensions',
]);

const REQUESTS: readonly RequestInfo[] = [
  { method: 'POST', url: '/x', headers: { accept: 'application/json' } },
  { method: 'POST', url: '/x', headers: { accept: 'application/xml' } },
  { method: 'POST', url: '/x', headers: { soapaction: '""' } },
];

interface Setup {
  readonly name: string;
  readonly dialect: Dialect<never>;
  readonly options?: object;
  readonly faults: () => Fault[];
}

const SECRET = 'password=hunter2 at /srv/app/node_modules/x.js:1:1';

function withCause(fault: Fault): Fault {
  return Object.assign(Object.create(Object.getPrototypeOf(fault) as object) as Fault, fault, {
    cause: new Error(SECRET),
  });
}

const SETUPS: readonly Setup[] = [
  {
    name: 'xroad',
    dialect: xroad,
    faults: () => xroad.catalog.entries.map((e) => xroad.fault(e.code, SECRET)),
  },
  {
    name: 'xks',
    dialect: xks,
    faults: () => xks.catalog.entries.map((e) => xks.fault(e.code, SECRET)),
  },
  {
    name: 'esb',
    dialect: esb,
    faults: () =>
      esb.catalog.entries.map((e) =>
        esb.fault(e.code, { message: SECRET, nextAccessTime: new Date(0) }),
      ),
  },
  {
    name: 'esb with a custom sequence',
    dialect: esb,
    options: {
      sequences: { convert: CONVERT_XML },
      use: { _auth_failure_handler_: 'convert', fault: 'convert' },
    },
    faults: () => esb.catalog.entries.map((e) => esb.fault(e.code, { message: SECRET })),
  },
  {
    name: 'de4a',
    dialect: de4a,
    options: { json: true },
    faults: () =>
      de4a.catalog.entries.map((e) =>
        de4a.fault(
          e.code,
          Array.from({ length: e.paramCount }, () => SECRET),
        ),
      ),
  },
  {
    name: 'ast',
    dialect: ast,
    options: { correlationId: true },
    faults: () =>
      ast.catalog.entries.map((e) => ast.fault(e.name as Parameters<typeof ast.fault>[0], SECRET)),
  },
  {
    name: 'problem',
    dialect: problem,
    options: { typeBase: 'https://errors.example/' },
    faults: () =>
      problem.catalog.entries.map((e) =>
        problem.fault(e.status, SECRET, {
          code: String(e.code),
          details: [{ pointer: '/a', message: 'bad' }],
        }),
      ),
  },
];

describe.each(SETUPS)('$name renderers', ({ dialect, options, faults }) => {
  it('read no field of a fault outside the allow-list, and never the message, cause or stack', () => {
    const runtime = dialect.configure(options as never);
    const read = new Set<string>();
    for (const fault of faults().map(withCause)) {
      const recording = new Proxy(fault, {
        get(target, key, receiver) {
          if (typeof key === 'string') read.add(key);
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      for (const request of REQUESTS) {
        const rendered = runtime.render(recording, runtime.negotiate(request), {
          request,
          message: 'the shown message',
        });
        expect(rendered.body).not.toContain('hunter2');
      }
    }
    expect([...read].filter((key) => !ALLOWED.has(key))).toEqual([]);
    expect(read.has('code')).toBe(true);
  });
});

it('the check catches a renderer that reads the message itself', () => {
  const leaky = {
    ...xroad.configure(),
    render: (f: Fault) => ({ status: 500, headers: {}, body: f.message }),
  };
  const read: string[] = [];
  const fault = new Proxy(xroad.fault('Client.BadRequest', SECRET), {
    get(target, key, receiver) {
      if (typeof key === 'string') read.push(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  leaky.render(fault);
  expect(read.filter((key) => !ALLOWED.has(key))).toEqual(['message']);
});
