/**
 * The reliability matrix (design/reliability-matrix.md B3) for every dialect: rows 1–3, 5,
 * 6, 8, 10–19 and 22 through every adapter and every encoding the dialect answers in,
 * and rows 9 (HEAD), 23 (hostile Accept) and 30 (unknown route) per adapter,
 * with `NODE_ENV` unset. test/reliability.test.ts holds the X-Road rows and the adapter-level
 * rows (4, 11 sync, 24, 26). Each answer is read back with parseFault, so it must be a
 * well-formed fault of the dialect; none may carry a stack frame, an absolute path,
 * `node_modules` or the secret; each is logged exactly once, with the id the body carries.
 */
import { parseFault } from '@faultline/core';
import { DIALECT_SETUPS as SETUPS } from './support/dialects';
import type { DialectSetup as Setup } from './support/dialects';
import { ADAPTERS, call, recorder } from './support/servers';
import type { FailingRoute, LogCall, RawResponse, Running } from './support/servers';
import {
  SECRET,
  expectSafe as expectNothingLeaks,
  hostileProxy,
  throwingGetter,
  withoutNodeEnv,
} from './support/hostile';

const MARKUP = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://evil.example/x">]><x>&xxe; ]]> "dq" 'sq' & </error>`;
const INVALID_XML_CHARS = '\u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uDC00\uD800';
const JSON_HOSTILE = 'lone \uD800 and \u2028 and </script>';
const BAD_STATUSES: readonly unknown[] = [99, 200, 399, 600, NaN, Infinity, -1, 404.5, '404', null];

interface Row {
  readonly row: number;
  readonly name: string;
  readonly error: (setup: Setup) => unknown;
  readonly async?: boolean;
  /** Whether the answer is the dialect's internal error (a 500 whose text is generic). */
  readonly internal?: boolean;
  /** Text the client must be shown (the exposure policy lets it through). */
  readonly shows?: string;
  /** A 400: ESB answers it with the threat-protection sequence, which has no SOAP branch (its SOAP clients get JSON). */
  readonly badRequest?: boolean;
}

const ROWS: readonly Row[] = [
  {
    row: 1,
    name: 'an Error with a secret and no status',
    error: () => new Error(`db password=${SECRET}`),
    internal: true,
  },
  ...BAD_STATUSES.map((value): Row => ({
    row: 5,
    name: `status ${String(value)}`,
    error: () => Object.assign(new Error(SECRET), { status: value }),
    internal: true,
  })),
  {
    row: 6,
    name: 'error headers with CRLF, NUL, non-Latin-1, bad and reserved names',
    error: () =>
      Object.assign(new Error('slow down'), {
        status: 429,
        headers: {
          'X-Crlf': 'a\r\nInjected: 1',
          'X-Nul': 'a\u0000b',
          'bad name': 'v',
          'Set-Cookie': 'session=stolen',
        },
      }),
  },
  {
    row: 2,
    name: 'a 4xx error with extra props sql and config',
    error: () =>
      Object.assign(new Error('bad input'), {
        status: 400,
        sql: `select ${SECRET}`,
        config: { password: SECRET },
      }),
    shows: 'bad input',
    badRequest: true,
  },
  {
    row: 3,
    name: 'a 4xx error with expose: false',
    error: () => Object.assign(new Error(`hidden ${SECRET}`), { status: 400, expose: false }),
    badRequest: true,
  },
  {
    row: 3,
    name: 'a 5xx error with expose: true',
    error: () => Object.assign(new Error('shown on purpose'), { status: 503, expose: true }),
    shows: 'shown on purpose',
  },
  {
    row: 15,
    name: 'a circular cause, a cause chain 10 000 deep and an AggregateError of 10 000',
    error: () => {
      let deep: Error = new Error(SECRET);
      for (let i = 0; i < 10_000; i++) deep = new Error(`layer ${i}`, { cause: deep });
      const circular = new Error(`circular ${SECRET}`, { cause: deep });
      (deep as { cause?: unknown }).cause = circular;
      return new AggregateError(
        Array.from({ length: 10_000 }, (_, i) =>
          i === 0 ? circular : new Error(`member ${i} ${SECRET}`),
        ),
        `many ${SECRET}`,
      );
    },
    internal: true,
  },
  {
    row: 17,
    name: 'custom toJSON returning secrets, and one that throws',
    error: () =>
      Object.assign(new Error(`json ${SECRET}`), {
        toJSON: () => ({ secret: SECRET }),
        cause: Object.assign(new Error('inner'), {
          toJSON: () => {
            throw new Error(SECRET);
          },
        }),
      }),
    internal: true,
  },
  { row: 10, name: 'a string', error: () => `raw ${SECRET}`, internal: true },
  { row: 10, name: 'a BigInt', error: () => 10n, internal: true },
  { row: 10, name: 'an array', error: () => [SECRET], internal: true },
  {
    row: 11,
    name: 'undefined rejected from an async handler',
    error: () => undefined,
    async: true,
    internal: true,
  },
  { row: 12, name: 'a Symbol', error: () => Symbol(SECRET), internal: true },
  {
    row: 13,
    name: 'a plain object with a status and extra props',
    error: () => ({ message: `obj ${SECRET}`, statusCode: 400, foo: SECRET }),
    internal: true,
  },
  {
    row: 13,
    name: 'a null-prototype object',
    error: () => Object.assign(Object.create(null) as object, { message: SECRET, status: 404 }),
    internal: true,
  },
  ...['message', 'name', 'stack', 'status', 'headers', 'toJSON', 'cause'].map((key): Row => ({
    row: 14,
    name: `an Error whose ${key} getter throws`,
    error: () => throwingGetter(key),
    internal: true,
  })),
  { row: 14, name: 'a Proxy whose every trap throws', error: hostileProxy, internal: true },
  { row: 16, name: 'a 2 MB message', error: (s) => s.exposed('m'.repeat(2_000_000)) },
  {
    row: 18,
    name: 'markup, entities and CDATA ends in an exposed message',
    error: (s) => s.exposed(MARKUP),
  },
  {
    row: 19,
    name: 'characters XML 1.0 forbids in an exposed message',
    error: (s) => s.exposed(`bad${INVALID_XML_CHARS}end`),
  },
  {
    row: 22,
    name: 'a lone surrogate, U+2028 and </script> in an exposed message',
    error: (s) => s.exposed(JSON_HOSTILE),
  },
];

// The common checks, and no header a thrown error carried illegally.
function expectSafe(res: RawResponse): void {
  expectNothingLeaks(res);
  for (const name of ['x-crlf', 'x-nul', 'set-cookie', 'injected'])
    expect(res.headers[name]).toBeUndefined();
}

const rejections = withoutNodeEnv();

describe.each(SETUPS)('$dialect', (setup) => {
  describe.each(ADAPTERS)('through $name with NODE_ENV unset', (adapter) => {
    const rows = ROWS.filter((r) => adapter.supportsAsync || r.async !== true);
    const routes: FailingRoute[] = rows.map((r, i) => ({
      path: `/row/${i}`,
      error: () => r.error(setup),
      async: r.async,
    }));
    const log = recorder();
    let server: Running;

    beforeAll(async () => {
      server = await adapter.start(routes, {
        dialect: setup.dialect,
        logger: log.logger,
        ...setup.options,
      });
    });
    afterAll(() => server.close());

    describe.each(setup.encodings)('answered as $name', (encoding) => {
      it.each(rows.map((r, i) => ({ ...r, index: i })))(
        'row $row, $name: a safe, well-formed fault, logged once',
        async (r) => {
          const before = log.calls.length;
          const res = await call(server.url, 'GET', `/row/${r.index}`, encoding.headers);
          if (encoding.fixedStatus !== undefined) expect(res.status).toBe(encoding.fixedStatus);
          else expect(res.status >= 400 && res.status <= 599).toBe(true);

          // The body reads back as a fault: of the dialect, or a plain SOAP fault for ESB's SOAP clients
          // (but for the sequence without a SOAP branch, which sends them its JSON body).
          const read = parseFault(res.text, res.headers['content-type'], { status: res.status });
          if (!read.recognised)
            throw new Error(`not a fault: ${read.reason}\n${res.text.slice(0, 300)}`);
          const plainSoap =
            encoding.name === 'SOAP' &&
            setup.dialect !== 'xroad' &&
            !(setup.dialect === 'esb' && r.badRequest === true);
          expect(read.dialect).toBe(plainSoap ? 'soap' : setup.dialect);
          if (r.internal === true) expect(read.fault.status).toBe(500);
          if (r.row === 16) expect(res.text.length).toBeLessThan(10_000);
          if (r.shows !== undefined) expect(res.text).toContain(r.shows);
          // Row 8: nosniff, an exact Content-Length, and a charset wherever the media type takes one (XML).
          expect(res.headers['x-content-type-options']).toBe('nosniff');
          expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
          if (/xml/.test(res.headers['content-type'] ?? ''))
            expect(res.headers['content-type']).toMatch(/;\s*charset=utf-8$/i);
          expectSafe(res);

          const calls: LogCall[] = log.calls.slice(before);
          expect(calls).toHaveLength(1);
          if (setup.carriesId) expect(read.fault.correlationId).toBe(calls[0]!.event.correlationId);
        },
      );
    });

    // Row 23: malformed or hostile Accept headers get the dialect's default, never a 406.
    it.each([
      ';;,,',
      'application/json;q=abc',
      '*/*;q=0',
      'image/png, video/mp4',
      `${'x/y;q=0.5, '.repeat(700)}text/html`,
      '',
    ])('row 23, Accept %j: the internal error in a well-formed body', async (accept) => {
      const res = await call(server.url, 'GET', '/row/0', accept === '' ? {} : { accept });
      expect(res.status).toBe(500);
      const read = parseFault(res.text, res.headers['content-type']);
      expect(read.recognised && read.dialect).toBe(setup.dialect);
      expectSafe(res);
    });

    // Row 9: a HEAD request that errors gets the same status and headers, and no body.
    it('row 9, HEAD: the same status and headers, an empty body', async () => {
      const get = await call(server.url, 'GET', '/row/0');
      const head = await call(server.url, 'HEAD', '/row/0');
      expect(head.status).toBe(get.status);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text).toBe('');
    });

    // Row 30: an unknown route is answered in the dialect; the path is never reflected raw.
    it('row 30, an unknown route /<script>alert(1)</script>: a 404-class fault of the dialect', async () => {
      const res = await call(server.url, 'GET', '/%3Cscript%3Ealert(1)%3C/script%3E');
      expect(res.status >= 400 && res.status <= 499).toBe(true);
      const read = parseFault(res.text, res.headers['content-type']);
      expect(read.recognised && read.dialect).toBe(setup.dialect);
      expect(res.text).not.toContain('<script>');
      expectSafe(res);
    });

    it('lets no promise rejection go unhandled', () => {
      expect(rejections).toEqual([]);
    });
  });
});
