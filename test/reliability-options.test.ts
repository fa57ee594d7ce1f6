/**
 * Reliability rows about what an application configures, through Express 4, Express 5 and
 * Fastify 5 (SECURITY.md), with `NODE_ENV` unset:
 * - 33: callbacks that return promises (`mappings[].when`, `to`, `to.message`,
 *   `correlationId`, `dialect`, `xroad.soap`, `de4a.logTo` `useCase` and `clock`): an `async`
 *   function is a `TypeError` at start-up; a promise returned by any other function counts as
 *   no value, and its rejection is handled;
 * - 40: `correlationHeader` names that would break or weaken every response;
 * - 41: an ESB custom sequence with `$n` inside an XML comment or processing instruction;
 * - 42: keys another module added to `Object.prototype` (`debug`, `trustObjects`, `statusCode`,
 *   `expose`);
 * - 43: C1 controls and bidirectional overrides in DE4A log lines and in the JSON log line;
 * - 44: catalogue templates that name inherited properties (`{constructor}`).
 */
import { Writable } from 'node:stream';
import { de4a, defineCatalog, xroad } from '@faultline/core';
import type { FaultHandlerOptions, MappingRule } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { ADAPTERS, call, recorder } from './support/servers';
import type { AdapterDef, FailingRoute, Running } from './support/servers';
import { SECRET, expectDialectFault, withoutNodeEnv } from './support/hostile';

const rejections = withoutNodeEnv();

// A function that is not declared async but returns a promise that rejects.
const rejecting =
  <T>(): (() => Promise<T>) =>
  () =>
    Promise.reject(new Error(`callback failed ${SECRET}`));

/** Whether creating the handler through the adapter fails, and with what. */
async function startFails(adapter: AdapterDef, options: FaultHandlerOptions): Promise<unknown> {
  try {
    const server = await adapter.start([], options);
    await server.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe.each(ADAPTERS)('through $name', (adapter) => {
  describe('row 33, callbacks that return promises', () => {
    it.each([
      [
        'mappings[0].when',
        {
          mappings: [
            { when: async () => true, to: { code: 'Client.BadRequest' } },
          ] as unknown as MappingRule[],
        },
        'options.mappings[0].when must be a synchronous function',
      ],
      [
        'mappings[0].to',
        {
          mappings: [
            { code: 'E', to: async () => xroad.fault('Client.BadRequest') },
          ] as unknown as MappingRule[],
        },
        'options.mappings[0].to must be a synchronous function',
      ],
      [
        'mappings[0].to.message',
        {
          mappings: [
            { code: 'E', to: { code: 'Client.BadRequest', message: async () => 'x' } },
          ] as unknown as MappingRule[],
        },
        'options.mappings[0].to.message must be a synchronous function',
      ],
      [
        'correlationId',
        { correlationId: async () => 'id' } as unknown as FaultHandlerOptions,
        'options.correlationId must be a synchronous function',
      ],
      [
        'dialect',
        { dialect: (async () => 'xroad') as unknown as FaultHandlerOptions['dialect'] },
        'options.dialect must be a synchronous function',
      ],
      [
        'xroad.soap',
        { xroad: { soap: async () => true } } as unknown as FaultHandlerOptions,
        'xroad.soap must be a synchronous function',
      ],
    ])(
      'should refuse an async %s at start-up with a TypeError naming it',
      async (_name, options, message) => {
        const error = await startFails(adapter, { dialect: 'xroad', logger: false, ...options });
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toContain(message);
      },
    );

    describe('when a function that is not async returns a rejecting promise', () => {
      const log = recorder();
      let server: Running;
      const lines: string[] = [];
      beforeAll(async () => {
        server = await adapter.start(
          [
            {
              path: '/mapped',
              error: () => Object.assign(new Error(`db ${SECRET}`), { code: 'E_DB' }),
            },
            { path: '/soap', error: () => new Error(`plain ${SECRET}`) },
          ],
          {
            dialect: rejecting<'xroad'>() as unknown as FaultHandlerOptions['dialect'],
            logger: log.logger,
            correlationId: rejecting<string>() as unknown as () => string,
            xroad: { soap: rejecting<boolean>() as unknown as () => boolean },
            mappings: [
              {
                when: rejecting<boolean>() as unknown as () => boolean,
                to: { dialect: 'xroad', code: 'Client.BadRequest' },
              },
              {
                code: 'E_DB',
                to: {
                  dialect: 'xroad',
                  code: 'Server.ServerProxy.DatabaseError',
                  message: rejecting<string>() as unknown as () => string,
                },
              },
            ],
            onFault: de4a.logTo(
              { write: (line: string) => lines.push(line) },
              {
                participant: 'SGAD-ES',
                useCase: rejecting<string>() as unknown as () => string,
                clock: () => new Date('2021-08-16T19:01:33.803Z'),
              },
            ),
          },
        );
      });
      afterAll(() => server.close());

      it('should answer as if it gave no value: the fallback dialect, a fresh id, no SOAP, the catalogue text', async () => {
        for (const path of ['/mapped', '/soap']) {
          const res = await call(server.url, 'GET', path, { soapaction: '""' });
          const read = expectDialectFault(res, { dialect: 'problem' });
          expect(read.fault.correlationId).toMatch(/^urn:uuid:[0-9a-f-]{36}$|^[0-9a-f-]{36}$/);
        }
        expect(lines.length).toBeGreaterThan(0);
      });

      it('should leave no rejection unhandled', async () => {
        // The rejections settle after the responses: a few turns of the event loop.
        for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
        expect(rejections).toEqual([]);
      });
    });
  });

  describe('row 40, correlationHeader names that break or weaken every response', () => {
    it.each([
      'trailer',
      'Content-Encoding',
      'content-range',
      'keep-alive',
      'upgrade',
      'x-road-error',
      'x-content-type-options',
      'cache-control',
      'transfer-encoding',
      'www-authenticate',
      'content-security-policy',
    ])('should refuse %s at start-up', async (name) => {
      const error = await startFails(adapter, {
        dialect: 'xroad',
        logger: false,
        correlationHeader: name,
      });
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(
        'options.correlationHeader must be a header name of its own',
      );
    });

    it('should take a header of its own', async () => {
      expect(
        await startFails(adapter, {
          dialect: 'xroad',
          logger: false,
          correlationHeader: 'X-Correlation-Id',
        }),
      ).toBeUndefined();
    });
  });

  describe('row 41, an ESB custom sequence with $n inside a comment or processing instruction', () => {
    it.each([
      ['a comment', '<fault><!-- $1 --><code>$2</code></fault>'],
      ['a processing instruction', '<fault><?note $1?><code>$2</code></fault>'],
    ])('should refuse $n in %s at start-up, naming the sequence', async (_where, format) => {
      const error = await startFails(adapter, {
        dialect: 'esb',
        logger: false,
        esb: {
          sequences: { odd: { format, args: ['ERROR_MESSAGE', 'ERROR_CODE'] } },
          use: { fault: 'odd' },
        },
      });
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(
        /esb sequence 'odd': format uses \$1 inside (?:an XML comment|a processing instruction)/,
      );
    });
  });

  describe('row 42, keys another module added to Object.prototype', () => {
    const POLLUTION = { debug: true, trustObjects: true, statusCode: 400, expose: true } as const;

    it.each(DIALECT_SETUPS)(
      '$dialect: no stack, no trusted object, no status or exposure from Object.prototype',
      async (setup) => {
        const log = recorder();
        const routes: FailingRoute[] = [
          { path: '/error', error: () => new Error(`db password ${SECRET}`) },
          { path: '/object', error: () => ({ message: `object ${SECRET}`, status: 400 }) },
        ];
        const proto = Object.prototype as unknown as Record<string, unknown>;
        let server: Running | undefined;
        try {
          // Enumerable, as pollution through an assignment is.
          for (const [key, value] of Object.entries(POLLUTION)) proto[key] = value;
          server = await adapter.start(routes, {
            dialect: setup.dialect,
            logger: log.logger,
            ...setup.options,
          });
          for (const path of ['/error', '/object']) {
            const res = await call(server.url, 'GET', path);
            const read = expectDialectFault(res, setup);
            expect(read.fault.status).toBe(500);
            expect(res.text).not.toContain('password');
            expect(res.text).not.toContain('object ');
          }
        } finally {
          for (const key of Object.keys(POLLUTION)) delete proto[key];
          await server?.close();
        }
      },
    );
  });

  describe('row 43, log spoofing through C1 controls and bidirectional overrides', () => {
    const SPOOF =
      'ok\u0085[INFO] [DRI07] [SGAD-ES] forged\u009b31m \u202eevil\u202c \u2066isolate\u2069';

    it('should write DE4A log and metrics lines without them', async () => {
      const lines: string[] = [];
      const write = { write: (line: string) => lines.push(line) };
      const server = await adapter.start(
        [{ path: '/fail', error: () => de4a.fault(10102, [SPOOF, 'id']) }],
        {
          dialect: 'de4a',
          logger: false,
          onFault: (event) => {
            de4a.logTo(write, { participant: `SGAD\u202eES`, component: 'DR' })(event);
            de4a.logTo(write, { participant: 'SGAD-ES', format: 'metrics', useCase: `1.1\u0085` })(
              event,
            );
          },
        },
      );
      try {
        expectDialectFault(await call(server.url, 'GET', '/fail'), { dialect: 'de4a' });
      } finally {
        await server.close();
      }
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(line.split('\n')).toHaveLength(2); // one line and its line end
      }
    });

    it('should escape them in the JSON line of the default logger', async () => {
      const chunks: string[] = [];
      const original = process.stderr.write.bind(process.stderr);
      const sink = new Writable({
        write: (chunk: Buffer, _enc, done) => (chunks.push(chunk.toString('utf8')), done()),
      });
      process.stderr.write = sink.write.bind(sink) as typeof process.stderr.write;
      const server = await adapter.start(
        [{ path: '/fail', error: () => xroad.fault('Client.BadRequest', SPOOF) }],
        { dialect: 'xroad' },
      );
      try {
        expectDialectFault(await call(server.url, 'GET', '/fail'), { dialect: 'xroad' });
      } finally {
        process.stderr.write = original;
        await server.close();
      }
      const line = chunks.join('');
      expect(line).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(line).toContain('\\u0085');
      expect(line).toContain('\\u202e');
      expect((JSON.parse(line) as { msg: string }).msg).toBe(SPOOF);
    });
  });

  describe('row 44, catalogue templates that name inherited properties', () => {
    it('should fill only own parameters: {constructor} is a missing one, never Object', async () => {
      const catalog = defineCatalog({
        codes: { P: { status: 400, message: 'x {constructor} {toString}' } },
      });
      expect(() => catalog.fault('P', {} as never)).toThrow(
        'faultline: P needs the parameter(s) constructor, toString',
      );
      const server = await adapter.start(
        [
          {
            path: '/fail',
            error: () => catalog.fault('P', { constructor: 'c', toString: 't' } as never),
          },
        ],
        { dialect: 'problem', logger: false, catalogs: [catalog.catalog] },
      );
      try {
        const res = await call(server.url, 'GET', '/fail');
        expectDialectFault(res, { dialect: 'problem' });
        expect(JSON.parse(res.text)).toMatchObject({ status: 400, detail: 'x c t' });
        expect(res.text).not.toContain('native code');
      } finally {
        await server.close();
      }
    });
  });
});
