/**
 * The reliability matrix (design/reliability-matrix.md B3), the rows about what the request
 * and the error carry, for every dialect through every adapter and every encoding, with
 * `NODE_ENV` unset:
 * - 7: request-controlled values (request ids, `Accept`, a `?format=` query) never reach a
 *   response header unless they are plain tokens;
 * - 20: keys that are not XML names (`1a`, `a b`, `<x>`, `xmlFoo`, `__proto__`) never become
 *   element names or JSON keys;
 * - 21: markup (`<img onerror=…>`, `<script>`) in a name, a message, details or the path is
 *   escaped, and no fault is ever sent as HTML;
 * - 25: an error while a large request body is unread or being piped is answered without
 *   hanging, and the connection stays usable;
 * - 27: rejections (Express 5 and Fastify), rejections with non-Errors, and failures inside
 *   faultline's own async paths (an async `onFault` hook, an async logger) are answered once
 *   and leave no unhandled rejection.
 */
import { XMLParser } from 'fast-xml-parser';
import type { FaultLogger } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { ADAPTERS, call, recorder, until } from './support/servers';
import type { FailingRoute, LogCall, RawResponse, Running } from './support/servers';
import { SECRET, expectDialectFault as expectFault, withoutNodeEnv } from './support/hostile';
import { parseXml } from './support/xml';

const MARKUP = '<img src=x onerror=alert(1)>';
const BAD_KEYS = ['1a', 'a b', '<x>', 'xmlFoo', '__proto__'];
// A fresh id: a UUID, or Fastify's own request id (`requestId: true`).
const FRESH_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|req-\d+)$/;

// Every element and attribute name of an XML body, and every key of a JSON body.
const names = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  processEntities: false,
});
function keysOf(res: RawResponse): string[] {
  const value: unknown = /xml/.test(res.headers['content-type'] ?? '')
    ? (parseXml(res.text), names.parse(res.text))
    : JSON.parse(res.text);
  const keys: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const key of Object.keys(node)) {
      keys.push(key.replace(/^@/, '').replace(/^[\w.-]+:/, ''));
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(value);
  return keys;
}

function faultCalls(calls: readonly LogCall[]): LogCall[] {
  return calls.filter((c) => c.event.hookError === undefined);
}

const rejections = withoutNodeEnv();

describe.each(DIALECT_SETUPS)('$dialect', (setup) => {
  describe.each(ADAPTERS)('through $name', (adapter) => {
    const details = (): Error =>
      Object.assign(new Error('the input is not valid'), {
        statusCode: 400,
        code: 'FST_ERR_VALIDATION',
        validationContext: 'body',
        validation: [
          {
            instancePath: `/${MARKUP}`,
            keyword: 'xml Foo',
            message: MARKUP,
            params: { additionalProperty: SECRET },
          },
          ...BAD_KEYS.map((key) => ({
            instancePath: '',
            keyword: 'required',
            message: `must have required property '${key}'`,
            params: { missingProperty: key },
          })),
        ],
        details: JSON.parse(
          `{${BAD_KEYS.map((k) => `${JSON.stringify(k)}: "${SECRET}"`).join(',')}}`,
        ) as unknown,
      });
    const routes: FailingRoute[] = [
      { path: '/fail', error: () => new Error(`plain ${SECRET}`) },
      { path: '/details', error: details },
      {
        path: '/markup',
        error: () => setup.exposed(`${MARKUP} and </script><script>alert(1)</script>`),
      },
      {
        path: '/named',
        error: () => Object.assign(new Error(MARKUP), { name: MARKUP, status: 400 }),
      },
      { path: '/unread', error: () => new Error(`unread ${SECRET}`), stage: 'before-body' },
      {
        path: '/unread-4xx',
        error: () => setup.exposed('refused before reading the body'),
        stage: 'before-body',
      },
      { path: '/piped', error: () => new Error(`disk full ${SECRET}`), stage: 'pipe' },
    ];
    const log = recorder();
    let server: Running;

    beforeAll(async () => {
      server = await adapter.start(routes, {
        dialect: setup.dialect,
        logger: log.logger,
        correlationId: { header: ['x-request-id', 'traceparent'], requestId: true },
        correlationHeader: 'x-correlation-id',
        ...setup.options,
      });
    });
    afterAll(() => server.close());

    describe('row 7, request-controlled values', () => {
      it('should echo a plain-token request id in the header and the body', async () => {
        const res = await call(server.url, 'GET', '/fail', { 'x-request-id': 'req-42.a:b@c' });
        expectFault(res, setup);
        expect(res.headers['x-correlation-id']).toBe('req-42.a:b@c');
        if (setup.carriesId) expect(res.text).toContain('req-42.a:b@c');
      });

      it.each([
        ['markup', '<script>alert(1)</script>'],
        ['spaces and separators', 'a b;c=d, e'],
        ['quotes', '"quoted"'],
        ['Latin-1', 'caf\u00e9'],
        ['a 200-character token', 'r'.repeat(200)],
        ['a header-looking value', 'x\tSet-Cookie: a=b'],
      ])('should not reflect a request id with %s, and make a fresh one', async (_name, id) => {
        const res = await call(server.url, 'GET', '/fail', { 'x-request-id': id });
        expectFault(res, setup);
        const fresh = res.headers['x-correlation-id'] ?? '';
        expect(fresh).toMatch(FRESH_ID);
        expect(res.text).not.toContain(id);
        expect(JSON.stringify(res.headers)).not.toContain(id.slice(0, 12));
        if (setup.carriesId) expect(res.text).toContain(fresh);
        const logged = log.calls.at(-1)!.event;
        expect(logged.correlationId).toBe(fresh);
      });

      it('should take the trace id of a valid traceparent only', async () => {
        const valid = await call(server.url, 'GET', '/fail', {
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        });
        expect(valid.headers['x-correlation-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
        const forged = await call(server.url, 'GET', '/fail', {
          traceparent: '00-<x>-00f067aa0ba902b7-01',
        });
        expect(forged.headers['x-correlation-id']).toMatch(FRESH_ID);
      });

      it('should reflect neither the Accept header nor a ?format= query in any header', async () => {
        const marker = 'zz-marker-zz';
        const res = await call(
          server.url,
          'GET',
          `/fail?format=xml%0d%0aX-Injected:%20${marker}&_format=${marker}`,
          {
            accept: `text/${marker};q=0.9, application/${marker}+xml`,
          },
        );
        expectFault(res, setup);
        expect(JSON.stringify(res.headers)).not.toContain(marker);
        expect(res.headers['x-injected']).toBeUndefined();
        expect(res.text).not.toContain(marker);
      });
    });

    describe.each(setup.encodings)('answered as $name', (encoding) => {
      it('row 20: keys that are not XML names become neither element names nor JSON keys', async () => {
        const res = await call(server.url, 'GET', '/details', encoding.headers);
        expectFault(res, setup, encoding);
        const keys = keysOf(res);
        for (const key of [...BAD_KEYS, 'x', 'xml Foo', 'img']) expect(keys).not.toContain(key);
        for (const key of keys) expect(key).toMatch(/^(?:[A-Za-z_][\w.-]*|#text|\?xml)$/);
        // The raw ajv params (here the secret) are never echoed (expectFault); in XML the
        // markup is text, not a tag.
        if (/xml/.test(res.headers['content-type'] ?? '')) {
          expect(res.text).not.toContain('<img');
          expect(res.text).not.toContain('<x>');
        }
      });

      it('row 21: markup in an exposed message is escaped text, never a tag or HTML', async () => {
        const res = await call(server.url, 'GET', '/markup', {
          ...encoding.headers,
          accept: `text/html, ${encoding.headers.accept ?? '*/*'};q=0.5`,
        });
        expectFault(res, setup, encoding);
        // The client reads the markup back as text (ESB's SOAP fault carries it in the detail).
        if (/xml/.test(res.headers['content-type'] ?? '')) {
          expect(JSON.stringify(parseXml(res.text))).toContain(MARKUP);
          expect(res.text).not.toContain('<img');
          expect(res.text).not.toContain('<script');
        } else {
          expect(JSON.stringify(JSON.parse(res.text))).toContain(MARKUP);
        }
      });

      it('row 21: markup as the error name is neither shown raw nor a tag', async () => {
        const res = await call(server.url, 'GET', '/named', encoding.headers);
        expectFault(res, setup, encoding);
        if (/xml/.test(res.headers['content-type'] ?? '')) expect(res.text).not.toContain('<img');
      });

      it('row 21: a /<script> path is answered in the dialect, never reflected raw', async () => {
        const res = await call(
          server.url,
          'GET',
          '/%3Cscript%3Ealert(1)%3C/script%3E%3Cimg%20src=x%20onerror=alert(1)%3E',
          {
            ...encoding.headers,
            accept: `text/html, ${encoding.headers.accept ?? '*/*'};q=0.5`,
          },
        );
        expectFault(res, setup, encoding);
        expect(res.text).not.toContain('<script');
        expect(res.text).not.toContain('<img');
      });
    });

    describe('row 25, an error while the request body is unread or piped', () => {
      const big = 'x'.repeat(8 * 1024 * 1024);

      it.each([
        ['/unread', 'application/octet-stream'],
        ['/unread', 'application/json'],
        ['/unread-4xx', 'application/json'],
        ['/piped', 'application/octet-stream'],
        ['/fail', 'application/octet-stream'],
      ])(
        '%s with an 8 MiB %s body: answered, logged once, the server still serves',
        async (path, type) => {
          const before = log.calls.length;
          const res = await call(server.url, 'POST', path, { 'content-type': type }, big);
          expectFault(res, setup);
          expect(faultCalls(log.calls.slice(before))).toHaveLength(1);
          if (setup.carriesId)
            expect(res.text).toContain(String(log.calls.at(-1)!.event.correlationId));
          const next = await call(server.url, 'GET', '/fail');
          expectFault(next, setup);
        },
      );
    });

    it('lets no promise rejection go unhandled', () => {
      expect(rejections).toEqual([]);
    });
  });
});

describe.each(DIALECT_SETUPS)(
  'row 27 in $dialect: rejections and failures in async paths',
  (setup) => {
    describe.each(ADAPTERS)('through $name', (adapter) => {
      const async = adapter.supportsAsync;
      const routes: FailingRoute[] = [
        { path: '/string', error: () => `rejected ${SECRET}`, async },
        { path: '/symbol', error: () => Symbol(SECRET), async },
        { path: '/error', error: () => new Error(SECRET), async },
      ];
      const log = recorder();
      const hookCalls: string[] = [];
      // Both fail asynchronously: a rejected promise each time.
      const logger: FaultLogger = {
        ...log.logger,
        error: (event: object, msg?: string) => {
          log.logger.error!(event, msg);
          return Promise.reject(new Error(`logger ${SECRET}`)) as unknown as void;
        },
      };
      let server: Running;
      // Where the event of a rejecting logger goes instead: one JSON line on stderr.
      const stderr: string[] = [];

      beforeAll(async () => {
        jest
          .spyOn(process.stderr, 'write')
          .mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
        server = await adapter.start(routes, {
          dialect: setup.dialect,
          logger,
          ...setup.options,
          onFault: async ({ fault }) => {
            hookCalls.push(String(fault.correlationId));
            await Promise.resolve();
            throw new Error(`hook ${SECRET}`);
          },
        });
      });
      afterAll(async () => {
        jest.restoreAllMocks();
        await server.close();
      });

      it.each(routes.map((r) => r.path))(
        '%s: answered once, the hook and logger failures logged, nothing unhandled',
        async (path) => {
          const before = log.calls.length;
          const hooksBefore = hookCalls.length;
          const res = await call(server.url, 'GET', path);
          expectFault(res, setup);
          expect(res.status).toBe(500);
          // Let the hook's rejection settle: its warning is logged.
          await until(() => {
            const settled = log.calls.slice(before);
            const id = settled.find((c) => c.event.hookError === undefined)?.event.correlationId;
            return (
              settled.some((c) => c.event.hookError !== undefined) &&
              stderr.some((line) => line.includes(String(id)))
            );
          });
          const calls = log.calls.slice(before);
          expect(faultCalls(calls)).toHaveLength(1);
          expect(hookCalls.length - hooksBefore).toBe(1);
          const warnings = calls.filter((c) => c.event.hookError !== undefined);
          expect(warnings).toHaveLength(1);
          expect(warnings[0]!.msg).toBe('faultline: the onFault hook failed');
          // The logger's rejection lost nothing: the event went to stderr, once.
          const id = String(calls[0]!.event.correlationId);
          expect(stderr.filter((line) => line.includes(id))).toHaveLength(1);
          expect(JSON.parse(stderr.find((line) => line.includes(id))!)).toMatchObject({
            level: 'error',
            correlationId: id,
            status: 500,
          });
          expect(rejections).toEqual([]);
        },
      );
    });
  },
);
