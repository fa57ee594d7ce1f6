/**
 * The reliability matrix (design/reliability-matrix.md B3), rows 1, 4, 5, 6, 10–14, 18, 19,
 * 24 and 26, through every adapter and every X-Road encoding, in production mode with
 * `NODE_ENV` unset.
 */
import { Fault, xroad } from '@faultline/core';
import type { Dialect } from '@faultline/core';
import { ADAPTERS, call, recorder } from './support/servers';
import type { FailingRoute, LogCall, RawResponse, Running } from './support/servers';
import { parseXml } from './support/xml';
import {
  SECRET,
  STACK_FRAME,
  expectSafe,
  hostileProxy,
  throwingGetter,
  withoutNodeEnv,
} from './support/hostile';

function withHeaders(status: number, headers: unknown): Error {
  return Object.assign(new Error(`status ${status}`), { status, headers });
}

class NotAnError {
  message = `class ${SECRET}`;
  statusCode = 400;
}

interface Row {
  readonly row: number;
  readonly name: string;
  readonly error: () => unknown;
  readonly async?: boolean;
  /** The X-Road code the client must get (when the same in every adapter). */
  readonly code?: string;
  /** The message the client must get. */
  readonly message?: string;
  readonly check?: (res: RawResponse) => void;
}

const INVALID_XML_CHARS =
  '\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u001F\uFFFE\uFFFF\uDC00\uD800'; // low before high: two lone surrogates, not a pair
const MARKUP = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://evil.example/x">]><x>&xxe; ]]> "dq" 'sq' & </error>`;
const INTERNAL = 'Server.ServerProxy.ServiceFailed.InternalError';
const BAD_STATUSES: readonly unknown[] = [
  99,
  200,
  399,
  600,
  1000,
  NaN,
  Infinity,
  -1,
  404.5,
  '404',
  null,
];

const ROWS: readonly Row[] = [
  {
    row: 1,
    name: 'an Error with a secret and no status',
    error: () => new Error(`db password=${SECRET}`),
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  ...BAD_STATUSES.flatMap((value): Row[] => [
    {
      row: 5,
      name: `status ${String(value)}`,
      error: () => Object.assign(new Error(SECRET), { status: value }),
      code: INTERNAL,
      message: 'Internal Server Error',
    },
    {
      row: 5,
      name: `statusCode ${String(value)}`,
      error: () => Object.assign(new Error(SECRET), { statusCode: value }),
      code: INTERNAL,
      message: 'Internal Server Error',
    },
  ]),
  {
    row: 6,
    name: 'error headers with CRLF, NUL, non-Latin-1, bad names and reserved names',
    error: () =>
      withHeaders(429, {
        'Retry-After': '120',
        'X-Crlf': 'a\r\nInjected: 1',
        'X-Nul': 'a\u0000b',
        'X-Unicode': 'caf\u00e9 \u2615',
        'bad name': 'v',
        'Content-Type': 'text/html',
        'Set-Cookie': 'session=stolen',
      }),
    code: 'Client.BadRequest',
    message: 'status 429',
    check: (res) => {
      expect(res.headers['retry-after']).toBe('120');
      for (const name of ['x-crlf', 'x-nul', 'x-unicode', 'set-cookie', 'injected'])
        expect(res.headers[name]).toBeUndefined();
      expect(res.headers['content-type']).not.toContain('html');
    },
  },
  {
    row: 6,
    name: 'error headers given as a string',
    error: () => withHeaders(403, 'X-A: 1'),
    code: 'Client.AccessDenied',
    message: 'status 403',
  },
  {
    row: 6,
    name: 'error headers given as an array',
    error: () => withHeaders(403, ['X-A', '1']),
    code: 'Client.AccessDenied',
    message: 'status 403',
  },
  {
    row: 6,
    name: 'error headers with an invalid status',
    error: () => withHeaders(200, { 'Retry-After': '5' }),
    code: INTERNAL,
    check: (res) => expect(res.headers['retry-after']).toBeUndefined(),
  },
  {
    row: 10,
    name: 'a string',
    error: () => `raw string ${SECRET}`,
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  { row: 10, name: 'a number', error: () => 42, code: INTERNAL, message: 'Internal Server Error' },
  { row: 10, name: 'a BigInt', error: () => 10n, code: INTERNAL, message: 'Internal Server Error' },
  {
    row: 10,
    name: 'a boolean',
    error: () => true,
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 10,
    name: 'an array',
    error: () => [SECRET],
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 11,
    name: 'undefined rejected from an async handler',
    error: () => undefined,
    async: true,
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 11,
    name: 'null rejected from an async handler',
    error: () => null,
    async: true,
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 12,
    name: 'a Symbol',
    error: () => Symbol(SECRET),
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 13,
    name: 'a plain object with a status and extra props',
    error: () => ({ message: `obj ${SECRET}`, statusCode: 400, foo: SECRET }),
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 13,
    name: 'a null-prototype object',
    error: () => Object.assign(Object.create(null) as object, { message: SECRET, status: 404 }),
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 13,
    name: 'a class instance that is not an Error',
    error: () => new NotAnError(),
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  ...[
    'message',
    'name',
    'stack',
    'status',
    'statusCode',
    'headers',
    'toJSON',
    'toString',
    'cause',
    'code',
    'expose',
  ].map((key): Row => ({
    row: 14,
    name: `an Error whose ${key} getter throws`,
    error: () => throwingGetter(key),
    code: INTERNAL,
    message: 'Internal Server Error',
  })),
  {
    row: 14,
    name: 'a Proxy whose every trap throws',
    error: hostileProxy,
    code: INTERNAL,
    message: 'Internal Server Error',
  },
  {
    row: 18,
    name: 'XML markup, entities and CDATA ends in an exposed message',
    error: () => xroad.fault('Client.BadRequest', MARKUP),
    code: 'Client.BadRequest',
    message: MARKUP,
  },
  {
    row: 19,
    name: 'characters XML 1.0 forbids in an exposed message',
    error: () => xroad.fault('Client.BadRequest', `bad${INVALID_XML_CHARS}end`),
    code: 'Client.BadRequest',
  },
];

const ENCODINGS = [
  { name: 'JSON', headers: {} },
  { name: 'XML', headers: { accept: 'application/xml' } },
  { name: 'SOAP', headers: { soapaction: '""' } },
] as const;

// The id, code and message of a fault body in any X-Road encoding; fails on a malformed body.
function readBody(res: RawResponse): {
  code: string;
  message: string;
  detail: string;
  root: string;
} {
  const type = res.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    const body = JSON.parse(res.text) as { type: string; message: string; detail: string };
    return { code: body.type, message: body.message, detail: body.detail, root: 'json' };
  }
  const doc = parseXml(res.text);
  const root = Object.keys(doc).filter((k) => k !== '?xml')[0] ?? '';
  if (root === 'error') {
    const e = doc.error as { type: string; message: string; detail: string };
    return { code: e.type, message: e.message, detail: e.detail, root };
  }
  const envelope = doc[root] as { 'SOAP-ENV:Body': { 'SOAP-ENV:Fault': Record<string, unknown> } };
  const fault = envelope['SOAP-ENV:Body']['SOAP-ENV:Fault'] as {
    faultcode: string;
    faultstring: string;
    detail: { faultDetail: { '#text': string } };
  };
  return {
    code: fault.faultcode,
    message: fault.faultstring,
    detail: fault.detail.faultDetail['#text'],
    root,
  };
}

const rejections = withoutNodeEnv();

describe.each(ADAPTERS)('bad input through $name with NODE_ENV unset', (adapter) => {
  const rows = ROWS.filter((r) => adapter.supportsAsync || !r.async);
  const routes: FailingRoute[] = rows.map((r, i) => ({
    path: `/row/${i}`,
    error: r.error,
    async: r.async,
  }));
  const log = recorder();
  let server: Running;

  beforeAll(async () => {
    server = await adapter.start(routes, { dialect: 'xroad', logger: log.logger });
  });
  afterAll(() => server.close());

  describe.each(ENCODINGS)('answered as $name', (encoding) => {
    it.each(rows.map((r, i) => ({ ...r, index: i })))(
      'row $row, $name: should answer a safe, well-formed fault logged once',
      async (r) => {
        const before = log.calls.length;
        const res = await call(server.url, 'GET', `/row/${r.index}`, encoding.headers);

        expect(encoding.name === 'SOAP' ? [200] : [400, 500]).toContain(res.status);
        const body = readBody(res);
        expect(body.root).toBe(
          { JSON: 'json', XML: 'error', SOAP: 'SOAP-ENV:Envelope' }[encoding.name],
        );
        if (r.code !== undefined) expect(body.code).toBe(r.code);
        if (r.message !== undefined) expect(body.message).toBe(r.message);
        expectSafe(res);
        r.check?.(res);

        const calls: LogCall[] = log.calls.slice(before);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.event.correlationId).toBe(body.detail);
        expect(body.detail).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
      },
    );
  });

  it('row 1: should keep the real message and the stack in the log only', async () => {
    const before = log.calls.length;
    await call(server.url, 'GET', '/row/0');
    const event = log.calls[before]!.event as { err: { message: string; stack: string } };
    expect(log.calls[before]!.level).toBe('error');
    expect(event.err.message).toBe(`db password=${SECRET}`);
    expect(event.err.stack).toMatch(STACK_FRAME);
  });

  it('row 19: should send forbidden characters as U+FFFD in REST XML, remove them in SOAP, and keep them in JSON but for lone surrogates', async () => {
    const index = rows.findIndex((r) => r.row === 19);
    const xml = readBody(await call(server.url, 'GET', `/row/${index}`, { accept: 'text/xml' }));
    expect(xml.message).toBe(`bad${'\uFFFD'.repeat(INVALID_XML_CHARS.length)}end`);
    const soap = readBody(await call(server.url, 'GET', `/row/${index}`, { soapaction: '""' }));
    expect(soap.message).toBe('badend');
    const json = readBody(await call(server.url, 'GET', `/row/${index}`));
    // Jackson writes each lone surrogate as `?` (its PrintWriter's encoder).
    expect(json.message).toBe(`bad${INVALID_XML_CHARS.slice(0, -2)}??end`);
  });

  it('should let no promise rejection go unhandled', () => {
    expect(rejections).toEqual([]);
  });
});

describe.each(ADAPTERS)(
  'null and undefined thrown synchronously through $name (row 11)',
  (adapter) => {
    let server: Running;
    const log = recorder();
    beforeAll(async () => {
      server = await adapter.start(
        [
          { path: '/null', error: () => null },
          { path: '/undefined', error: () => undefined },
        ],
        { dialect: 'xroad', logger: log.logger },
      );
    });
    afterAll(() => server.close());

    // Express's router treats `next(null)` and `next(undefined)` as "no error" and goes on to
    // the next route: the request ends at notFound(). Fastify passes the value to the handler.
    const expected = adapter.name.startsWith('express')
      ? { status: 400, code: 'Client.NotFound' }
      : { status: 500, code: INTERNAL };

    it.each(['/null', '/undefined'])(`should answer %s with ${expected.code}`, async (path) => {
      const res = await call(server.url, 'GET', path);
      expect(res.status).toBe(expected.status);
      expect(readBody(res).code).toBe(expected.code);
      expectSafe(res);
    });
  },
);

describe.each(ADAPTERS)('debug output through $name (row 4)', (adapter) => {
  let server: Running;
  let quiet: Running;
  beforeAll(async () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const routes = [{ path: '/boom', error: () => new Error(`db password=${SECRET}`, { cause }) }];
    server = await adapter.start(routes, { dialect: 'xroad', logger: false, debug: true });
    quiet = await adapter.start(routes, { dialect: 'xroad', logger: false });
  });
  afterAll(() => Promise.all([server.close(), quiet.close()]));

  it('should show the message, stack and cause only when debug is true', async () => {
    const shown = JSON.parse((await call(server.url, 'GET', '/boom')).text) as {
      message: string;
      debug: { stack: string; causes: string[] };
    };
    expect(shown.message).toBe(`db password=${SECRET}`);
    expect(shown.debug.stack).toMatch(STACK_FRAME);
    expect(shown.debug.causes).toEqual(['Error: connect ECONNREFUSED 127.0.0.1:5432']);

    const hidden = await call(server.url.replace(server.url, quiet.url), 'GET', '/boom');
    expect(JSON.parse(hidden.text)).toEqual({
      type: INTERNAL,
      message: 'Internal Server Error',
      detail: expect.any(String),
    });
    expectSafe(hidden);
  });

  it('should keep the SOAP fault well-formed with debug detail', async () => {
    const res = await call(server.url, 'GET', '/boom', { soapaction: '' });
    const doc = parseXml(res.text) as Record<
      string,
      Record<string, Record<string, { detail: Record<string, unknown> }>>
    >;
    const detail = doc['SOAP-ENV:Envelope']!['SOAP-ENV:Body']!['SOAP-ENV:Fault']!.detail;
    expect(Object.keys(detail)).toEqual(['faultDetail', 'debug']);
  });
});

describe.each(ADAPTERS)('an error after the response started through $name (row 24)', (adapter) => {
  let server: Running;
  const log = recorder();
  beforeAll(async () => {
    server = await adapter.start(
      [{ path: '/partial', error: () => new Error(SECRET), partial: true }],
      {
        dialect: 'xroad',
        logger: log.logger,
      },
    );
  });
  afterAll(() => server.close());

  it('should not write a fault into the started response, end it, and log once', async () => {
    // Express's final handler prints the error to stderr in development mode; keep the output clean.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const outcome = await call(server.url, 'GET', '/partial').then(
        (res) => res.text,
        (err: Error) => `aborted: ${err.message}`,
      );
      expect(outcome).not.toContain('ServiceFailed');
      expect(outcome).not.toContain(SECRET);
      expect(log.calls).toHaveLength(1);
      expect(log.calls[0]!.event).toMatchObject({ responseStarted: true, code: INTERNAL });
    } finally {
      quiet.mockRestore();
    }
  });
});

describe.each(ADAPTERS)(
  'a dialect that throws while rendering through $name (row 26)',
  (adapter) => {
    let server: Running;
    const log = recorder();
    const broken: Dialect = {
      id: 'broken',
      catalog: xroad.catalog,
      configure: () => ({
        ...xroad.configure(),
        render() {
          throw new Error(`renderer bug ${SECRET}`);
        },
      }),
    };

    beforeAll(async () => {
      server = await adapter.start(
        [
          {
            path: '/any',
            error: () => new Fault({ dialect: 'broken', code: 'X', status: 400, message: 'x' }),
          },
        ],
        { dialect: broken, logger: log.logger },
      );
    });
    afterAll(() => server.close());

    it.each(['GET', 'HEAD'])(
      'should answer %s with the fixed text/plain 500 and log the failure once',
      async (method) => {
        const before = log.calls.length;
        const res = await call(server.url, method, '/any', { accept: 'text/html' });
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(res.headers['content-length']).toBe('21');
        expect(res.text).toBe(method === 'HEAD' ? '' : 'Internal Server Error');
        expectSafe(res);
        const calls = log.calls.slice(before);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.level).toBe('error');
        expect(
          (calls[0]!.event as { formatterError: { message: string } }).formatterError.message,
        ).toBe(`renderer bug ${SECRET}`);
      },
    );
  },
);
