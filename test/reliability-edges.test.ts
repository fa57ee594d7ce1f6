/**
 * Reliability rows 31–50 (SECURITY.md): the edges beyond the matrix of
 * design/reliability-matrix.md, for every dialect through Express 4, Express 5 and Fastify 5,
 * with `NODE_ENV` unset. Every answer must be a well-formed fault of the dialect that
 * `parseFault` reads back, carry nothing it must not, be logged once, and leave the server
 * answering; no promise rejection may go unhandled.
 * - 31: `Trailer` and the other hop-by-hop or connection-specific headers, on the error or set
 *   by the route;
 * - 35: `Transfer-Encoding` set by the route;
 * - 47: a plain object spread from a fault;
 * - 39: a deliberate fault's details and a hand-built fault's code, unbounded;
 * - 38: log entries of a huge message, name, code and stack;
 * - 46: correlation ids that are not visible ASCII;
 * - 48: invalid `traceparent` headers;
 * - 50: an error's own `WWW-Authenticate` and `Retry-After` are sent, in every dialect.
 */
import { copyFault } from '@faultline/core';
import type { Fault } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { ADAPTERS, call, rawRequest, recorder } from './support/servers';
import type { FailingRoute, LogCall, Running } from './support/servers';
import { SECRET, expectDialectFault, withoutNodeEnv } from './support/hostile';

// Headers that describe a connection or a body's framing: none may go out with a fault.
const CONNECTION_HEADERS: Readonly<Record<string, string>> = {
  Trailer: 'Expires',
  'Keep-Alive': 'timeout=5',
  Upgrade: 'h2c',
  'Proxy-Connection': 'keep-alive',
  TE: 'gzip',
  'HTTP2-Settings': 'AAMAAABkAAQAAP__',
  'Transfer-Encoding': 'chunked',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const rejections = withoutNodeEnv();

// The calls that log a fault (warnings about hooks or sending are counted apart).
const faultCalls = (calls: readonly LogCall[]): LogCall[] =>
  calls.filter((c) => c.event.sendError === undefined && c.event.hookError === undefined);

describe.each(DIALECT_SETUPS)('$dialect', (setup) => {
  describe.each(ADAPTERS)('through $name', (adapter) => {
    const withDetails = (): Fault => {
      const detail = {
        pointer: `/${'p'.repeat(256 * 1024)}`,
        message: 'm'.repeat(256 * 1024),
        keyword: 'k'.repeat(256 * 1024),
      };
      return copyFault(setup.exposed('invalid input'), {
        details: Array.from({ length: 100 }, () => detail),
      });
    };
    const routes: FailingRoute[] = [
      { path: '/fail', error: () => new Error(`plain ${SECRET}`) },
      {
        path: '/hop-error',
        error: () =>
          Object.assign(new Error('upstream said no'), {
            status: 502,
            headers: CONNECTION_HEADERS,
          }),
      },
      {
        path: '/trailer-route',
        error: () => new Error(`boom ${SECRET}`),
        headers: { Trailer: 'Expires' },
      },
      {
        path: '/hop-route',
        error: () => setup.exposed('refused'),
        headers: { 'Keep-Alive': 'timeout=5', Upgrade: 'h2c', 'Proxy-Connection': 'keep-alive' },
      },
      {
        path: '/te-route',
        error: () => setup.exposed('refused'),
        headers: { 'Transfer-Encoding': 'chunked' },
      },
      {
        path: '/spread',
        error: () => ({ ...setup.exposed('spread'), message: `spread ${SECRET}`, expose: true }),
      },
      { path: '/details', error: withDetails },
      {
        path: '/long-code',
        error: () =>
          copyFault(setup.exposed('long code'), { code: `Client.${'X'.repeat(1024 * 1024)}` }),
      },
      {
        path: '/huge-log',
        error: () =>
          Object.assign(new Error(`m${SECRET}`.repeat(1_000_000)), {
            name: 'N'.repeat(1_000_000),
            code: 'C'.repeat(1_000_000),
          }),
      },
      { path: '/huge-fault', error: () => setup.exposed('f'.repeat(10_000_000)) },
      {
        path: '/own-id',
        error: () => copyFault(setup.exposed('own id'), { correlationId: 'ünïcödé-\u00e9' }),
      },
      {
        path: '/auth',
        error: () =>
          Object.assign(new Error('who are you'), {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
          }),
      },
      {
        path: '/busy',
        error: () =>
          Object.assign(new Error('slow down'), { status: 429, headers: { 'Retry-After': '30' } }),
      },
    ];
    const log = recorder();
    let server: Running;
    let traced: Running;
    let named: Running;
    let byHeader: Running;
    let byFunction: Running;

    beforeAll(async () => {
      const options = {
        dialect: setup.dialect,
        logger: log.logger,
        correlationHeader: 'x-correlation-id',
        ...setup.options,
      };
      server = await adapter.start(routes, options);
      traced = await adapter.start(routes, {
        ...options,
        correlationId: { header: 'traceparent' },
      });
      named = await adapter.start(routes, { ...options, correlationId: () => 'ïd-\u00e9' });
      byHeader = await adapter.start(routes, {
        ...options,
        correlationId: { header: 'x-request-id' },
      });
      // The README's warning case: a function that hands on a request header as it is.
      byFunction = await adapter.start(routes, {
        ...options,
        correlationId: (request) => String(request.headers?.['x-request-id']),
      });
    });
    afterAll(async () => {
      await server.close();
      await traced.close();
      await named.close();
      await byHeader.close();
      await byFunction.close();
    });

    // One answer of the server: a fault of the dialect, logged once with the id it carries,
    // and the server still serving.
    async function answered(
      path: string,
      at: Running = server,
    ): Promise<{
      res: Awaited<ReturnType<typeof call>>;
      calls: LogCall[];
      read: ReturnType<typeof expectDialectFault>;
    }> {
      const before = log.calls.length;
      const res = await call(at.url, 'GET', path);
      const read = expectDialectFault(res, setup);
      const calls = faultCalls(log.calls.slice(before));
      expect(calls).toHaveLength(1);
      if (setup.carriesId) expect(read.fault.correlationId).toBe(calls[0]!.event.correlationId);
      expectDialectFault(await call(at.url, 'GET', '/fail'), setup);
      return { res, calls, read };
    }

    describe('row 31, Trailer and connection-specific headers', () => {
      it('should drop them from the error and answer with an exact Content-Length', async () => {
        const { res } = await answered('/hop-error');
        for (const name of Object.keys(CONNECTION_HEADERS))
          expect(res.headers[name.toLowerCase()]).toBeUndefined();
        expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
      });

      it.each(['/trailer-route', '/hop-route'])(
        'should drop the ones the route set (%s)',
        async (path) => {
          const { res } = await answered(path);
          for (const name of ['trailer', 'keep-alive', 'upgrade', 'proxy-connection'])
            expect(res.headers[name]).toBeUndefined();
        },
      );
    });

    describe('row 35, Transfer-Encoding set by the route', () => {
      it('should frame the fault by Content-Length alone (RFC 9112 §6.1)', async () => {
        const res = await rawRequest(
          server.url,
          'GET /te-route HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n',
        );
        expect(res.head).not.toMatch(/\r\ntransfer-encoding:/i);
        expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
        expectDialectFault(res, setup);
      });
    });

    describe('row 47, a plain object spread from a fault', () => {
      it('should be no fault: an internal error, its message never sent', async () => {
        const { res, read } = await answered('/spread');
        expect(read.fault.status).toBe(500);
        expect(res.text).not.toContain('spread');
      });
    });

    describe('row 39, unbounded details and codes', () => {
      it('should cut each of 100 details of 256 KiB', async () => {
        const { res } = await answered('/details');
        expect(res.text.length).toBeLessThan(150_000);
      });

      it('should answer a 1 MiB code by the fault status, as the dialect code of it', async () => {
        const { res } = await answered('/long-code');
        expect(res.text.length).toBeLessThan(10_000);
        expect(res.text).not.toContain('XXXX');
        if (setup.dialect === 'xroad')
          expect(res.headers['x-road-error']).toBe('Client.BadRequest');
      });
    });

    describe('row 38, the log entry of huge values', () => {
      it('should bound the message, name, code and stack it logs', async () => {
        const { calls } = await answered('/huge-log');
        const event = calls[0]!.event as {
          err: { type: string; message: string; code: string; stack: string };
        };
        expect(event.err.message.length).toBeLessThanOrEqual(4096);
        expect(event.err.type.length).toBeLessThanOrEqual(256);
        expect(event.err.code.length).toBeLessThanOrEqual(256);
        expect(event.err.stack.length).toBeLessThanOrEqual(4096 + 16_384);
        expect((calls[0]!.msg ?? '').length).toBeLessThanOrEqual(4096);
        expect(JSON.stringify(calls[0]).length).toBeLessThan(40_000);
      });

      it("should bound a deliberate fault's message in the log as in the body", async () => {
        const { calls } = await answered('/huge-fault');
        expect(JSON.stringify(calls[0]).length).toBeLessThan(20_000);
      });
    });

    describe('row 46, correlation ids that are not visible ASCII', () => {
      it.each([
        ['a thrown fault', '/own-id', () => server],
        ['the correlationId function', '/fail', () => named],
      ])(
        'should replace one from %s with a fresh UUID, in the body and the echo header',
        async (_from, path, at) => {
          const before = log.calls.length;
          const res = await call(at().url, 'GET', path);
          const read = expectDialectFault(res, setup);
          const id = String(faultCalls(log.calls.slice(before))[0]!.event.correlationId);
          expect(id).toMatch(UUID);
          expect(res.headers['x-correlation-id']).toBe(id);
          if (setup.carriesId) expect(read.fault.correlationId).toBe(id);
          expect(Buffer.from(JSON.stringify(res.headers), 'latin1').toString('utf8')).not.toMatch(
            /[ïé]/,
          );
        },
      );
    });

    describe('row 46, a hostile x-request-id, taken by the header form or handed on by a function', () => {
      it.each([
        ['markup', '<script>alert(1)</script>'],
        ['a 300-character id', 'r'.repeat(300)],
      ])('should never echo %s, whichever form takes it', async (_case, id) => {
        for (const at of [byHeader, byFunction]) {
          const res = await call(at.url, 'GET', '/fail', { 'x-request-id': id });
          expectDialectFault(res, setup);
          expect(res.headers['x-correlation-id']).toMatch(UUID);
          expect(res.text).not.toContain(id.slice(0, 20));
        }
      });

      it('should take a plain token from either form', async () => {
        for (const at of [byHeader, byFunction]) {
          const res = await call(at.url, 'GET', '/fail', { 'x-request-id': 'req-42.a:b@c' });
          expectDialectFault(res, setup);
          expect(res.headers['x-correlation-id']).toBe('req-42.a:b@c');
        }
      });
    });

    describe('row 48, traceparent headers that W3C Trace Context calls invalid', () => {
      it.each([
        ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
        ['an all-zero parent id', `00-${TRACE_ID}-0000000000000000-01`],
        ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
        ['a field after version 00', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
        ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
      ])('should give %s no say: a fresh id', async (_case, traceparent) => {
        const res = await call(traced.url, 'GET', '/fail', { traceparent });
        expectDialectFault(res, setup);
        expect(res.headers['x-correlation-id']).toMatch(UUID);
      });

      it('should take the trace id of a valid header, of a later version with a field after it too', async () => {
        for (const traceparent of [
          `00-${TRACE_ID}-${PARENT_ID}-01`,
          `01-${TRACE_ID}-${PARENT_ID}-00-future`,
        ]) {
          const res = await call(traced.url, 'GET', '/fail', { traceparent });
          expectDialectFault(res, setup);
          expect(res.headers['x-correlation-id']).toBe(TRACE_ID);
        }
      });
    });

    describe("row 50, an error's own WWW-Authenticate and Retry-After", () => {
      // The application knows its challenge and its back-off: every dialect sends them (a 401
      // must carry a challenge, RFC 9110 §15.5.2). The ESB gateway writes Retry-After as an
      // HTTP-date, its own form, and a challenge of its own only when the error has none.
      it("should send the error's challenge with the 401", async () => {
        const { res } = await answered('/auth');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
      });

      it("should send the error's Retry-After with the 429", async () => {
        const { res } = await answered('/busy');
        if (setup.dialect === 'esb')
          expect(res.headers['retry-after']).toMatch(
            /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
          );
        else expect(res.headers['retry-after']).toBe('30');
      });
    });

    it('lets no promise rejection go unhandled', () => {
      expect(rejections).toEqual([]);
    });
  });
});
