/**
 * The whole pipeline behind `createFaultHandler(...).handle(thrown, request)`: exact bodies,
 * exposure, headers, logging, hooks, correlation ids, the render fallback and options.
 */
import { createFaultHandler, problem, xroad } from '../../src/index';
import type {
  Dialect,
  FaultEvent,
  FaultHandlerOptions,
  FaultLogEvent,
  FaultLogger,
  LogLevel,
  RequestInfo,
} from '../../src/index';
import { Fault } from '../../src/fault';
import { parseXml } from '../../../../test/support/xml';
import { hostileValues } from '../support/hostile';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STACK_FRAME = /\bat .+:\d+:\d+/;
const INTERNAL = 'Server.ServerProxy.ServiceFailed.InternalError';
const INTERNAL_JSON = `{"type":"${INTERNAL}","message":"Internal Server Error","detail":"id-1"}`;
const REQUEST: RequestInfo = {
  method: 'POST',
  url: '/r1/EE/GOV/123/app/getPerson?id=1',
  id: 'req-7',
};

type LoggedEvent = FaultLogEvent & { readonly formatterError?: FaultLogEvent['err'] };
interface LogCall {
  readonly level: LogLevel;
  readonly event: LoggedEvent;
  readonly msg: string | undefined;
}

function recorder(): { logger: FaultLogger; calls: LogCall[] } {
  const calls: LogCall[] = [];
  const logger = Object.fromEntries(
    LEVELS.map((level) => [
      level,
      (event: object, msg?: string) => void calls.push({ level, event: event as LoggedEvent, msg }),
    ]),
  ) as FaultLogger;
  return { logger, calls };
}

function setup(options: Partial<FaultHandlerOptions> = {}) {
  const { logger, calls } = recorder();
  const handler = createFaultHandler({
    dialect: 'xroad',
    logger,
    correlationId: () => 'id-1',
    ...options,
  });
  return { handler, calls };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function withStatus(message: string, status: number, extra: object = {}): Error {
  return Object.assign(new Error(message), { status, statusCode: status }, extra);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value))
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

function stderrSpy(): jest.SpyInstance {
  return jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('handle() bodies', () => {
  const fault = xroad.fault('Client.BadRequest', 'No id');
  const json = '{"type":"Client.BadRequest","message":"No id","detail":"id-1"}';
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Client.BadRequest</type><message>No id</message><detail>id-1</detail></error>';
  const soap =
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
    '<faultcode>Client.BadRequest</faultcode><faultstring>No id</faultstring><faultactor></faultactor>' +
    '<detail><faultDetail xmlns="">id-1</faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

  describe('when the client accepts JSON', () => {
    it('should answer the exact REST JSON response', () => {
      const response = setup().handler.handle(fault, REQUEST);
      expect(response).toEqual({
        status: 400,
        headers: {
          'content-type': 'application/json',
          'x-road-error': 'Client.BadRequest',
          'cache-control': 'no-store',
          vary: 'Accept',
          'x-content-type-options': 'nosniff',
          'content-length': String(json.length),
        },
        body: json,
        fault: expect.any(Fault) as unknown,
      });
      expect(response.fault).toMatchObject({ code: 'Client.BadRequest', correlationId: 'id-1' });
    });
  });

  describe('when the client accepts XML', () => {
    it('should answer the exact REST XML response', () => {
      const response = setup().handler.handle(fault, {
        ...REQUEST,
        headers: { accept: 'application/xml' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toBe(xml);
      expect(response.headers).toEqual({
        'content-type': 'application/xml;charset=utf-8',
        'x-road-error': 'Client.BadRequest',
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
        'content-length': String(xml.length),
      });
    });
  });

  describe('when the request is SOAP', () => {
    it('should answer the exact SOAP response', () => {
      const response = setup().handler.handle(fault, { ...REQUEST, headers: { soapaction: '' } });
      expect(response.status).toBe(200);
      expect(response.body).toBe(soap);
      expect(response.headers).toEqual({
        'content-type': 'text/xml;charset=utf-8',
        soapaction: '',
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
        'content-length': String(soap.length),
      });
    });
  });

  describe('when no request is given', () => {
    it('should answer JSON', () => {
      expect(setup().handler.handle(fault).body).toBe(json);
    });
  });
});

describe('handle() exposure', () => {
  const secret = new Error('db password=hunter2');
  const ENCODINGS: Array<[string, RequestInfo]> = [
    ['JSON', REQUEST],
    ['XML', { ...REQUEST, headers: { accept: 'text/xml' } }],
    ['SOAP', { ...REQUEST, headers: { soapaction: '' } }],
  ];

  describe.each(ENCODINGS)(
    'when a plain Error with a secret is answered in %s (reliability row 1)',
    (_label, request) => {
      it('should send the generic text and nothing of the error', () => {
        const { body } = setup().handler.handle(secret, request);
        expect(body).toContain('Internal Server Error');
        expect(body).not.toContain('hunter2');
        expect(body).not.toMatch(STACK_FRAME);
        expect(body).not.toContain(__dirname);
        expect(body).not.toContain('node_modules');
        expect(body).not.toContain('stack');
      });
    },
  );

  describe('when a plain Error is answered in JSON', () => {
    it('should send exactly the internal-error body', () => {
      expect(setup().handler.handle(secret, REQUEST).body).toBe(INTERNAL_JSON);
    });
  });

  describe('when NODE_ENV is unset or development (reliability row 4)', () => {
    const saved = process.env['NODE_ENV'];
    afterEach(() => {
      process.env['NODE_ENV'] = saved;
    });

    it('should stay safe with NODE_ENV deleted', () => {
      delete process.env['NODE_ENV'];
      expect(setup().handler.handle(secret, REQUEST).body).toBe(INTERNAL_JSON);
    });

    it('should stay safe with NODE_ENV=development', () => {
      process.env['NODE_ENV'] = 'development';
      expect(setup().handler.handle(secret, REQUEST).body).toBe(INTERNAL_JSON);
    });
  });

  describe('when debug is true', () => {
    const err = new Error('db password=hunter2', {
      cause: new Error('root cause', { cause: new TypeError('deeper') }),
    });

    it('should send the real message, the stack and the cause chain in JSON', () => {
      const body = JSON.parse(setup({ debug: true }).handler.handle(err, REQUEST).body) as Record<
        string,
        unknown
      >;
      expect(body).toEqual({
        type: INTERNAL,
        message: 'db password=hunter2',
        detail: 'id-1',
        debug: { stack: err.stack, causes: ['Error: root cause', 'TypeError: deeper'] },
      });
    });

    it('should send them as escaped, well-formed XML', () => {
      const body = setup({ debug: true }).handler.handle(err, {
        headers: { accept: 'text/xml' },
      }).body;
      expect(body).toContain('<message>db password=hunter2</message>');
      expect(body).toContain(
        '<cause>Error: root cause</cause><cause>TypeError: deeper</cause></debug></error>',
      );
      expect(parseXml(body)).toMatchObject({ error: { debug: { stack: err.stack } } });
    });

    it('should send them inside the SOAP detail', () => {
      const body = setup({ debug: true }).handler.handle(err, { headers: { soapaction: '' } }).body;
      expect(body).toContain('<faultstring>db password=hunter2</faultstring>');
      expect(body).toContain('<debug xmlns=""><stack>');
      expect(() => parseXml(body)).not.toThrow();
    });

    it('should send the real message of a hidden 4xx', () => {
      const body = setup({ debug: true }).handler.handle(
        withStatus('internal detail', 404, { expose: false }),
      ).body;
      expect(JSON.parse(body)).toMatchObject({
        type: 'Client.NotFound',
        message: 'internal detail',
      });
    });
  });

  describe('when debug is false', () => {
    it('should carry no debug member', () => {
      expect(JSON.parse(setup({ debug: false }).handler.handle(secret).body)).not.toHaveProperty(
        'debug',
      );
    });
  });

  describe('when an http error with a 4xx status is thrown', () => {
    it('should show its message', () => {
      expect(setup().handler.handle(withStatus('Widget 7 not found', 404)).body).toBe(
        '{"type":"Client.NotFound","message":"Widget 7 not found","detail":"id-1"}',
      );
    });
  });

  describe('when a 5xx error says expose: true', () => {
    it('should show its message (reliability row 3)', () => {
      expect(
        JSON.parse(setup().handler.handle(withStatus('upstream down', 503, { expose: true })).body),
      ).toMatchObject({
        type: INTERNAL,
        message: 'upstream down',
      });
    });
  });

  describe('when an X-Road fault with status 500 is thrown', () => {
    it('should show its message, as a deliberate fault', () => {
      expect(
        setup().handler.handle(
          xroad.fault('Server.ServerProxy.UnknownService', 'Unknown service: X'),
        ).body,
      ).toBe(
        '{"type":"Server.ServerProxy.UnknownService","message":"Unknown service: X","detail":"id-1"}',
      );
    });

    it("should show the catalogue's generic text when built with expose: false", () => {
      const fault = xroad.fault('Server.ServerProxy.UnknownService', 'Unknown service: secret', {
        expose: false,
      });
      expect(setup().handler.handle(fault).body).toBe(
        '{"type":"Server.ServerProxy.UnknownService","message":"Unknown service","detail":"id-1"}',
      );
    });

    it('should keep an explicit empty message empty, as the security server does', () => {
      expect(setup().handler.handle(xroad.fault('Server.ServerProxy.AccessDenied', '')).body).toBe(
        '{"type":"Server.ServerProxy.AccessDenied","message":"","detail":"id-1"}',
      );
    });

    it("should show the catalogue's text when an empty message is hidden", () => {
      const fault = xroad.fault('Server.ServerProxy.AccessDenied', '', { expose: false });
      expect(setup().handler.handle(fault).body).toBe(
        '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed","detail":"id-1"}',
      );
    });

    it('should show the reason phrase for an uncatalogued hidden code', () => {
      const fault = xroad.fault('Server.Custom.Thing', 'secret', { expose: false });
      expect(JSON.parse(setup().handler.handle(fault).body)).toMatchObject({
        message: 'Internal Server Error',
      });
    });
  });

  describe('when plain objects are thrown', () => {
    const value = { message: 'x', statusCode: 404, foo: 'secret' };

    it('should answer them as internal errors by default (reliability row 13)', () => {
      expect(setup().handler.handle(value).body).toBe(INTERNAL_JSON);
    });

    it('should read them with trustObjects: true, never echoing other properties', () => {
      const { body } = setup({ trustObjects: true }).handler.handle(value);
      expect(body).toBe('{"type":"Client.NotFound","message":"x","detail":"id-1"}');
    });
  });

  describe('when the response status was set before a status-less error', () => {
    it('should use a 4xx/5xx request status, hiding the message', () => {
      expect(setup().handler.handle(new Error('secret'), { statusCode: 404 }).body).toBe(
        '{"type":"Client.NotFound","message":"Not Found","detail":"id-1"}',
      );
    });

    it('should ignore a 2xx request status', () => {
      expect(setup().handler.handle(new Error('secret'), { statusCode: 200 }).body).toBe(
        INTERNAL_JSON,
      );
    });
  });
});

describe('handle() with hostile thrown values (reliability rows 10–14)', () => {
  const HOSTILE = hostileValues();

  describe.each(HOSTILE)('when the thrown value is %s', (_label, thrown) => {
    it('should answer the generic 500 and log once at error', () => {
      const { handler, calls } = setup();
      const response = handler.handle(thrown, REQUEST);
      expect(response.status).toBe(500);
      expect(response.body).toBe(INTERNAL_JSON);
      expect(only(calls).level).toBe('error');
    });

    it('should answer well-formed XML without the getter text', () => {
      const { body } = setup().handler.handle(thrown, { headers: { accept: 'text/xml' } });
      expect(() => parseXml(body)).not.toThrow();
      expect(body).not.toContain('getter!');
    });

    it('should be reported without throwing', () => {
      expect(setup().handler.report(thrown).status).toBe(500);
    });
  });

  describe.each([
    ['a string', 'str', 'string', 'str'],
    ['a bigint', 10n, 'bigint', '10'],
    ['a symbol', Symbol('x'), 'symbol', 'Symbol(x)'],
    ['null', null, 'object', 'null'],
    ['undefined', undefined, 'undefined', 'undefined'],
    ['an array', [1], 'Object', ''],
  ])('when the thrown value is %s', (_label, thrown, type, message) => {
    it('should log its type and a safe description', () => {
      const { handler, calls } = setup();
      handler.handle(thrown);
      expect(only(calls).event.err).toMatchObject({ type, message });
    });
  });
});

describe('handle() headers', () => {
  describe('when an error with a valid status carries headers', () => {
    it('should apply the legal ones without overriding content-type or x-road-error', () => {
      const err = withStatus('slow down', 429, {
        headers: {
          'Retry-After': '10',
          'content-type': 'text/html',
          'content-length': '1',
          'x-road-error': 'Evil',
          'x-content-type-options': 'none',
          'set-cookie': 'a=1',
          'x-bad': 'a\r\nb',
        },
      });
      const { headers, body } = setup().handler.handle(err, REQUEST);
      expect(headers).toEqual({
        'retry-after': '10',
        'content-type': 'application/json',
        'x-road-error': 'Client.BadRequest',
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
        'content-length': String(Buffer.byteLength(body)),
      });
    });
  });

  describe.each([
    ['no status', {}],
    ['status 1000', { status: 1000 }],
    ['status 200', { status: 200 }],
    ["status '429'", { status: '429' }],
  ])('when an error with %s carries headers', (_label, extra) => {
    it('should not apply them', () => {
      const err = Object.assign(new Error('x'), extra, { headers: { 'retry-after': '10' } });
      const { status, headers } = setup().handler.handle(err, { statusCode: 503 });
      expect(status).toBe(500);
      expect(headers).not.toHaveProperty('retry-after');
    });
  });

  describe('when an X-Road fault carries headers', () => {
    it('should apply the legal ones without overriding the rendered ones', () => {
      const fault = xroad.fault('Server.ServerProxy.NetworkError', 'down', {
        status: 503,
        headers: {
          'retry-after': '5',
          'content-type': 'text/html',
          'x-road-error': 'Evil',
          'x-bad': 'a\nb',
        },
      });
      const { status, headers } = setup().handler.handle(fault);
      expect(status).toBe(503);
      expect(headers).toMatchObject({
        'retry-after': '5',
        'content-type': 'application/json',
        'x-road-error': 'Server.ServerProxy.NetworkError',
      });
      expect(headers).not.toHaveProperty('x-bad');
    });
  });

  describe.each([
    ['an ASCII message', 'plain'],
    ['a Latin-1 message', 'Ünïcødé'],
    ['an emoji message', 'done 😀 €'],
    ['a message with escaped markup', '<&>"\''],
  ])('when the body holds %s', (_label, message) => {
    it.each([
      ['JSON', {}],
      ['XML', { headers: { accept: 'text/xml' } }],
      ['SOAP', { headers: { soapaction: '' } }],
    ] as Array<[string, RequestInfo]>)(
      'should send the byte length as content-length in %s',
      (_enc, request) => {
        const { headers, body } = setup().handler.handle(
          xroad.fault('Client.BadRequest', message),
          request,
        );
        expect(headers['content-length']).toBe(String(Buffer.byteLength(body, 'utf8')));
        expect(headers['x-content-type-options']).toBe('nosniff');
      },
    );
  });
});

describe('handle() logging', () => {
  describe.each([
    ['a 4xx fault', xroad.fault('Client.BadRequest', 'No id'), 'info'],
    ['a 5xx fault', xroad.fault('Server.ServerProxy.UnknownService', 'x'), 'error'],
    ['a 4xx http error', withStatus('gone', 404), 'info'],
    ['a 5xx http error', withStatus('down', 503), 'error'],
    ['a plain Error', new Error('boom'), 'error'],
    ['a thrown string', 'boom', 'error'],
  ] as Array<[string, unknown, LogLevel]>)(
    'when the thrown value is %s',
    (_label, thrown, level) => {
      it(`should log exactly once at ${level}`, () => {
        const { handler, calls } = setup();
        handler.handle(thrown, REQUEST);
        expect(only(calls).level).toBe(level);
      });

      it('should follow the levels option', () => {
        const { handler, calls } = setup({ levels: { clientError: 'warn', serverError: 'fatal' } });
        handler.handle(thrown, REQUEST);
        expect(only(calls).level).toBe(level === 'info' ? 'warn' : 'fatal');
      });
    },
  );

  describe('when a catalogued 4xx fault is handled', () => {
    it('should log the event without a stack', () => {
      const { handler, calls } = setup();
      const response = handler.handle(xroad.fault('Client.BadRequest', 'No id'), REQUEST);
      const call = only(calls);
      expect(call.event).toEqual({
        correlationId: 'id-1',
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        method: 'POST',
        url: '/r1/EE/GOV/123/app/getPerson?id=1',
        reqId: 'req-7',
        err: { type: 'BadRequest', message: 'No id' },
      });
      expect(call.msg).toBe('No id');
      expect(call.event.correlationId).toBe(
        (JSON.parse(response.body) as { detail: string }).detail,
      );
    });
  });

  describe('when a plain Error with a cause is handled (reliability row 1)', () => {
    it('should log the full error server-side once', () => {
      const { handler, calls } = setup();
      const err = new Error('db password=hunter2', { cause: new Error('socket closed') });
      handler.handle(err, REQUEST);
      const call = only(calls);
      expect(call.event).toMatchObject({
        correlationId: 'id-1',
        dialect: 'xroad',
        code: INTERNAL,
        status: 500,
        method: 'POST',
      });
      expect(call.event.err).toEqual({
        type: 'Error',
        message: 'db password=hunter2',
        stack: err.stack,
        causes: ['Error: socket closed'],
      });
      expect(call.msg).toBe('db password=hunter2');
    });
  });

  describe.each([
    [
      'a 5xx X-Road fault the service threw',
      xroad.fault('Server.ServerProxy.UnknownService', 'x'),
      {},
      {},
      false,
    ],
    ['a 5xx http error', withStatus('x', 503), {}, {}, true],
    ['a plain Error', new Error('x'), {}, {}, true],
    [
      'a status-less Error answered with a 404 request status',
      new Error('x'),
      { statusCode: 404 },
      {},
      true,
    ],
    ['a catalogued 4xx fault', xroad.fault('Client.BadRequest', 'x'), {}, {}, false],
    ['a 4xx http error', withStatus('x', 404), {}, {}, false],
    [
      'a catalogued 4xx fault with debug',
      xroad.fault('Client.BadRequest', 'x'),
      {},
      { debug: true },
      true,
    ],
  ] as Array<[string, unknown, RequestInfo, Partial<FaultHandlerOptions>, boolean]>)(
    'when the thrown value is %s',
    (_label, thrown, request, options, withStack) => {
      it(`should ${withStack ? '' : 'not '}log the stack`, () => {
        const { handler, calls } = setup(options);
        handler.handle(thrown, request);
        expect(typeof only(calls).event.err.stack === 'string').toBe(withStack);
      });
    },
  );

  describe('when the logger throws', () => {
    it('should answer as usual and write the event to stderr instead', () => {
      const write = stderrSpy();
      const logger = {
        error: jest.fn(() => {
          throw new Error('logger down');
        }),
        info: jest.fn(() => {
          throw new Error('logger down');
        }),
      };
      const handler = createFaultHandler({ dialect: 'xroad', logger, correlationId: () => 'id-1' });
      const response = handler.handle(new Error('boom'), REQUEST);
      expect(response.status).toBe(500);
      expect(response.body).toBe(INTERNAL_JSON);
      expect(logger.error).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(only(write.mock.calls)[0])) as Record<string, unknown>;
      expect(line).toMatchObject({
        level: 'error',
        correlationId: 'id-1',
        code: INTERNAL,
        msg: 'boom',
      });
    });
  });

  describe('when the logger lacks the level method', () => {
    it('should log with its error method', () => {
      const error = jest.fn();
      createFaultHandler({ dialect: 'xroad', logger: { error } }).handle(
        xroad.fault('Client.BadRequest', 'x'),
      );
      expect(error).toHaveBeenCalledTimes(1);
    });
  });

  describe('when logger is false', () => {
    it('should log nothing, not even to stderr or the request logger', () => {
      const write = stderrSpy();
      const request = recorder();
      createFaultHandler({ dialect: 'xroad', logger: false }).handle(new Error('x'), {
        log: request.logger,
      });
      expect(request.calls).toHaveLength(0);
      expect(write).not.toHaveBeenCalled();
    });
  });

  describe('when no logger is configured', () => {
    it("should use the request's own logger", () => {
      const write = stderrSpy();
      const request = recorder();
      createFaultHandler({ dialect: 'xroad' }).handle(new Error('x'), { log: request.logger });
      expect(only(request.calls).level).toBe('error');
      expect(write).not.toHaveBeenCalled();
    });

    it('should write one JSON line to stderr without a request logger', () => {
      const write = stderrSpy();
      createFaultHandler({ dialect: 'xroad', correlationId: () => 'id-1' }).handle(
        xroad.fault('Client.BadRequest', 'No id'),
      );
      const text = String(only(write.mock.calls)[0]);
      expect(text.endsWith('\n')).toBe(true);
      expect(JSON.parse(text)).toMatchObject({
        level: 'info',
        time: expect.any(Number) as unknown,
        correlationId: 'id-1',
        msg: 'No id',
      });
    });
  });

  describe('when both a logger option and a request logger exist', () => {
    it('should use the logger option', () => {
      const { handler, calls } = setup();
      const request = recorder();
      handler.handle(new Error('x'), { log: request.logger });
      expect(calls).toHaveLength(1);
      expect(request.calls).toHaveLength(0);
    });
  });
});

describe('handle() onFault', () => {
  describe.each([
    ['a 4xx fault', xroad.fault('Client.BadRequest', 'x'), true, 'info'],
    ['a 4xx http error', withStatus('x', 404), true, 'info'],
    [
      'a 5xx fault the service threw',
      xroad.fault('Server.ServerProxy.UnknownService', 'x'),
      true,
      'error',
    ],
    ['a 5xx http error', withStatus('x', 503), false, 'error'],
    ['a plain Error', new Error('x'), false, 'error'],
  ] as Array<[string, unknown, boolean, LogLevel]>)(
    'when the thrown value is %s',
    (_label, thrown, expected, level) => {
      it(`should be called once after logging with expected ${String(expected)}`, () => {
        const order: string[] = [];
        const { logger, calls } = recorder();
        const events: FaultEvent[] = [];
        const handler = createFaultHandler({
          dialect: 'xroad',
          logger: {
            ...logger,
            [level]: (event: object, msg?: string) => {
              order.push('log');
              logger[level]?.(event, msg);
            },
          },
          correlationId: () => 'id-1',
          onFault: (event) => {
            order.push('onFault');
            events.push(event);
          },
        });
        const response = handler.handle(thrown, REQUEST);
        const event = only(events);
        expect(event).toEqual({
          fault: response.fault,
          error: thrown,
          request: REQUEST,
          expected,
          level,
          catalogued: true,
          httpStatus: response.status,
          durationMs: expect.any(Number),
        });
        expect(event.durationMs).toBeGreaterThanOrEqual(0);
        expect(order).toEqual(['log', 'onFault']);
        expect(calls).toHaveLength(1);
      });
    },
  );

  describe('when onFault throws', () => {
    it('should log the failure as a warning and change nothing in the response', () => {
      const { handler, calls } = setup({
        onFault: () => {
          throw new Error('hook down');
        },
      });
      const response = handler.handle(xroad.fault('Client.BadRequest', 'No id'));
      expect(response.status).toBe(400);
      expect(response.body).toBe('{"type":"Client.BadRequest","message":"No id","detail":"id-1"}');
      expect(calls.map((c) => c.level)).toEqual(['info', 'warn']);
      expect(calls[1]!.msg).toBe('faultline: the onFault hook failed');
      expect(calls[1]!.event).toMatchObject({
        correlationId: 'id-1',
        hookError: { message: 'hook down' },
      });
    });
  });
});

describe('handle() telemetry', () => {
  const SOAP_REQUEST: RequestInfo = {
    method: 'POST',
    url: '/soap',
    headers: { 'content-type': 'text/xml' },
    body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>',
  };

  describe('when every member is given', () => {
    it('should take its id, add its fields to the log event and call it before onFault', () => {
      const order: string[] = [];
      const events: FaultEvent[] = [];
      const { handler, calls } = setup({
        correlationId: undefined,
        telemetry: {
          correlationId: () => 'trace-1',
          logFields: () => ({ trace_id: 'trace-1', span_id: 'span-1', correlationId: 'lost' }),
          onFault: (event) => {
            order.push('telemetry');
            events.push(event);
          },
        },
        onFault: () => void order.push('onFault'),
      });
      const response = handler.handle(new Error('boom'), REQUEST);
      expect(response.fault.correlationId).toBe('trace-1');
      const call = only(calls);
      expect(call.event).toMatchObject({
        trace_id: 'trace-1',
        span_id: 'span-1',
        correlationId: 'trace-1',
      });
      expect(Object.keys(call.event).slice(0, 3)).toEqual(['trace_id', 'span_id', 'correlationId']);
      expect(order).toEqual(['telemetry', 'onFault']);
      expect(only(events)).toMatchObject({ expected: false, catalogued: true, httpStatus: 500 });
    });
  });

  describe("when the handler's own correlationId gives an id", () => {
    it('should keep that id and not ask the telemetry', () => {
      const asked: RequestInfo[] = [];
      const { handler } = setup({
        telemetry: { correlationId: (request) => (asked.push(request), 'trace-1') },
      });
      expect(handler.handle(new Error('x'), REQUEST).fault.correlationId).toBe('id-1');
      expect(asked).toEqual([]);
    });
  });

  describe('when the telemetry gives no id, an unsafe one, or throws', () => {
    it.each([
      ['undefined', () => undefined],
      ['markup', () => '<b>'],
      [
        'a throw',
        () => {
          throw new Error('no trace');
        },
      ],
    ] as Array<[string, () => string | undefined]>)('should use a random id for %s', (_l, make) => {
      const { handler } = setup({ correlationId: undefined, telemetry: { correlationId: make } });
      expect(handler.handle(new Error('x')).fault.correlationId).toMatch(UUID_V4);
    });
  });

  describe('when logFields throws or returns nothing', () => {
    it('should log the fault without fields and warn once when it throws', () => {
      const { handler, calls } = setup({
        telemetry: {
          logFields: () => {
            throw new Error('fields down');
          },
        },
      });
      const response = handler.handle(xroad.fault('Client.BadRequest', 'No id'));
      expect(response.status).toBe(400);
      expect(calls.map((c) => c.level)).toEqual(['warn', 'info']);
      expect(calls[0]!.msg).toBe('faultline: the telemetry.logFields hook failed');
      expect(calls[1]!.event).not.toHaveProperty('trace_id');
    });

    it('should add nothing for a value that is not an object', () => {
      const { handler, calls } = setup({
        telemetry: { logFields: () => 'trace' as unknown as Record<string, unknown> },
      });
      handler.handle(new Error('x'));
      expect(Object.keys(only(calls).event)[0]).toBe('correlationId');
    });
  });

  describe('when telemetry.onFault throws', () => {
    it('should warn, still call onFault, and change nothing in the response', () => {
      const heard: FaultEvent[] = [];
      const { handler, calls } = setup({
        telemetry: {
          onFault: () => {
            throw new Error('exporter down');
          },
        },
        onFault: (event) => void heard.push(event),
      });
      const response = handler.handle(xroad.fault('Client.BadRequest', 'No id'));
      expect(response.body).toBe('{"type":"Client.BadRequest","message":"No id","detail":"id-1"}');
      expect(calls.map((c) => c.msg)).toEqual([
        'No id',
        'faultline: the telemetry.onFault hook failed',
      ]);
      expect(heard).toHaveLength(1);
    });
  });

  describe('when logging is off and only the telemetry listens', () => {
    it('should still call it, with the status sent for a SOAP fault', () => {
      const events: FaultEvent[] = [];
      const handler = createFaultHandler({
        dialect: 'xroad',
        logger: false,
        telemetry: { onFault: (event) => void events.push(event) },
      });
      const response = handler.handle(new Error('x'), SOAP_REQUEST);
      expect(response.status).toBe(200);
      expect(only(events)).toMatchObject({ httpStatus: 200, expected: false });
      expect(only(events).fault.status).toBe(500);
    });
  });

  describe('when the fault code is in no catalogue', () => {
    it('should say catalogued: false', () => {
      const events: FaultEvent[] = [];
      const handler = createFaultHandler({
        dialect: 'xroad',
        logger: false,
        telemetry: { onFault: (event) => void events.push(event) },
      });
      handler.handle(xroad.fault('Server.Own.Thing', 'x', { status: 502 }));
      expect(only(events)).toMatchObject({ catalogued: false, expected: true });
    });
  });

  describe('when the option is not an integration', () => {
    it.each([
      ['a function', () => undefined, 'options.telemetry must be an object'],
      ['null', null, 'options.telemetry must be an object'],
      ['an array', [], 'options.telemetry must be an object'],
      [
        'a member that is no function',
        { onFault: 1 },
        'options.telemetry.onFault must be a function',
      ],
      [
        'an async member',
        { correlationId: async () => 'x' },
        'options.telemetry.correlationId must be a synchronous function',
      ],
    ])('should throw a TypeError for %s', (_label, telemetry, message) => {
      expect(() =>
        createFaultHandler({ telemetry: telemetry as FaultHandlerOptions['telemetry'] }),
      ).toThrow(new RegExp(message.replace(/\./g, '\\.')));
    });
  });
});

describe('handle() correlation ids', () => {
  describe.each([
    [
      'throws',
      () => {
        throw new Error('no id');
      },
    ],
    ['returns a number', () => 42 as never],
    ['returns undefined', () => undefined as never],
    ['returns an empty string', () => ''],
  ] as Array<[string, () => string]>)(
    'when the correlationId function %s',
    (_label, correlationId) => {
      it('should use a random UUID v4 in the body and the log', () => {
        const { handler, calls } = setup({ correlationId });
        const response = handler.handle(new Error('x'));
        const detail = (JSON.parse(response.body) as { detail: string }).detail;
        expect(detail).toMatch(UUID_V4);
        expect(only(calls).event.correlationId).toBe(detail);
        expect(response.fault.correlationId).toBe(detail);
      });
    },
  );

  describe('when no correlationId function is given', () => {
    it('should use a fresh UUID v4 per fault', () => {
      const { logger } = recorder();
      const handler = createFaultHandler({ dialect: 'xroad', logger });
      const first = handler.handle(new Error('x')).fault.correlationId;
      const second = handler.handle(new Error('x')).fault.correlationId;
      expect(first).toMatch(UUID_V4);
      expect(second).toMatch(UUID_V4);
      expect(first).not.toBe(second);
    });
  });

  describe('when the correlationId function works', () => {
    it('should receive the request', () => {
      const correlationId = jest.fn((request: RequestInfo) => `id-${String(request.id)}`);
      const { handler } = setup({ correlationId });
      expect(handler.handle(new Error('x'), REQUEST).fault.correlationId).toBe('id-req-7');
      expect(correlationId).toHaveBeenCalledWith(REQUEST);
    });
  });

  describe('when the thrown fault carries its own correlation id', () => {
    it('should keep it in the body, the log and the fault, without asking for a new one', () => {
      const correlationId = jest.fn(() => 'id-1');
      const { handler, calls } = setup({ correlationId });
      const response = handler.handle(
        xroad.fault('Server.ServerProxy.NetworkError', 'down', { correlationId: 'upstream-9' }),
      );
      expect(JSON.parse(response.body)).toMatchObject({ detail: 'upstream-9' });
      expect(only(calls).event.correlationId).toBe('upstream-9');
      expect(response.fault.correlationId).toBe('upstream-9');
      expect(correlationId).not.toHaveBeenCalled();
    });
  });
});

describe('report()', () => {
  describe('when the response has already started', () => {
    it('should log once with responseStarted and return the resolved fault', () => {
      const onFault = jest.fn();
      const { handler, calls } = setup({ onFault });
      const fault = handler.report(new Error('late'), REQUEST);
      expect(fault).toMatchObject({ code: INTERNAL, status: 500, correlationId: 'id-1' });
      const call = only(calls);
      expect(call.level).toBe('error');
      expect(call.event).toMatchObject({
        correlationId: 'id-1',
        code: INTERNAL,
        responseStarted: true,
        url: REQUEST.url,
      });
      expect(onFault).toHaveBeenCalledTimes(1);
    });

    it('should qualify an unprefixed fault like handle() does', () => {
      const { handler, calls } = setup({ xroad: { side: 'client' } });
      expect(handler.report(xroad.fault('NetworkError')).code).toBe(
        'Server.ClientProxy.NetworkError',
      );
      expect(only(calls).level).toBe('error');
    });
  });
});

describe('handle() when the dialect fails', () => {
  const broken = (part: 'render' | 'negotiate' | 'fromProblem'): Dialect => ({
    id: 'broken',
    catalog: xroad.catalog,
    configure: () => ({
      ...xroad.configure(),
      [part]() {
        throw new Error('bug');
      },
    }),
  });

  describe.each(['render', 'negotiate', 'fromProblem'] as const)('when %s throws', (part) => {
    it('should answer the fixed text/plain 500 and log once at error with the formatter error', () => {
      const { handler, calls } = setup({ dialect: broken(part), debug: true });
      const thrown =
        part === 'fromProblem'
          ? new Error('db password=hunter2')
          : xroad.fault('Client.BadRequest', 'No id');
      const response = handler.handle(thrown, REQUEST);
      expect(response.status).toBe(500);
      expect(response.headers).toEqual({
        'content-type': 'text/plain; charset=utf-8',
        'content-length': '21',
        'x-content-type-options': 'nosniff',
      });
      expect(response.body).toBe('Internal Server Error');
      expect(response.fault).toMatchObject({ status: 500, expose: false });
      const call = only(calls);
      expect(call.level).toBe('error');
      expect(call.event.formatterError).toMatchObject({ type: 'Error', message: 'bug' });
      expect(call.event.formatterError?.stack).toMatch(/^Error: bug/);
      expect(call.event.err.stack).toBe((thrown as Error).stack);
      expect(call.event.correlationId).toBe(response.fault.correlationId);
    });
  });

  describe('when render throws and a telemetry integration and onFault listen', () => {
    it('should tell both once, and log the trace fields, as for any other fault', () => {
      const events: FaultEvent[] = [];
      const seen: FaultEvent[] = [];
      const { handler, calls } = setup({
        dialect: broken('render'),
        correlationId: () => 'id-9',
        onFault: (event) => {
          events.push(event);
        },
        telemetry: {
          logFields: () => ({ trace_id: 'a'.repeat(32) }),
          onFault: (event) => {
            seen.push(event);
          },
        },
      });
      const response = handler.handle(new Error('x'), REQUEST);
      expect(response.body).toBe('Internal Server Error');
      const call = only(calls);
      expect(call.msg).toBe('faultline could not render a xroad fault');
      expect(call.event).toMatchObject({
        trace_id: 'a'.repeat(32),
        correlationId: 'id-9',
        code: 'InternalError',
        status: 500,
      });
      for (const list of [events, seen]) {
        const event = only(list);
        expect(event.fault).toBe(response.fault);
        expect(event).toMatchObject({ expected: false, httpStatus: 500, catalogued: false });
      }
    });
  });

  describe('when sending fails', () => {
    it('should log the send error with the trace fields', () => {
      const { handler, calls } = setup({
        telemetry: { logFields: () => ({ trace_id: 'b'.repeat(32) }) },
      });
      const fault = xroad.fault('Client.BadRequest', 'No id');
      handler.reportSendError(new Error('socket closed'), fault, REQUEST);
      const call = only(calls);
      expect(call.msg).toBe('faultline could not send the fault as rendered');
      expect(call.event).toMatchObject({ trace_id: 'b'.repeat(32), sendError: true });
    });
  });

  describe('when render throws and logger is false', () => {
    it('should answer the fixed 500 and log nothing, not even to stderr', () => {
      const write = stderrSpy();
      const handler = createFaultHandler({ dialect: broken('render'), logger: false });
      expect(handler.handle(new Error('x')).body).toBe('Internal Server Error');
      expect(write).not.toHaveBeenCalled();
    });
  });

  describe('when render throws after the fault was resolved', () => {
    it('should keep the correlation id', () => {
      const { handler, calls } = setup({ dialect: broken('render') });
      expect(handler.handle(new Error('x')).fault.correlationId).toBe('id-1');
      expect(only(calls).event.correlationId).toBe('id-1');
    });
  });

  describe('when the renderer returns illegal headers', () => {
    it('should drop them and lower-case the legal ones', () => {
      const dialect: Dialect = {
        id: 'sloppy',
        catalog: xroad.catalog,
        configure: () => ({
          ...xroad.configure(),
          render: () => ({
            status: 500,
            headers: {
              'Content-Type': 'text/plain;charset=utf-8',
              'x-evil': 'a\r\nb',
              'bad name': 'x',
            },
            body: 'b',
          }),
        }),
      };
      const { headers } = setup({ dialect }).handler.handle(new Error('x'));
      expect(headers).toEqual({
        'content-type': 'text/plain;charset=utf-8',
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
        'content-length': '1',
      });
    });
  });
});

describe('createFaultHandler without options or a dialect', () => {
  it.each([[undefined], [{}]])(
    'should answer in problem+json, the default dialect (%j)',
    (options) => {
      const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const res = createFaultHandler(options as FaultHandlerOptions | undefined).handle(
          new Error('x'),
          { headers: { accept: 'text/xml' } },
        );
        expect(res.fault.dialect).toBe('problem');
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(quiet).toHaveBeenCalledTimes(1);
      } finally {
        quiet.mockRestore();
      }
    },
  );
});

describe('createFaultHandler options', () => {
  describe.each([
    ['null options', null, /options must be an object/],
    ['a string', 'xroad', /options must be an object/],
    ['an unknown dialect', { dialect: 'nope' }, /unknown dialect 'nope'/],
    ['an inherited property as dialect', { dialect: 'toString' }, /unknown dialect 'toString'/],
    ['a dialect without configure', { dialect: { id: 'x' } }, /options\.dialect/],
    ['an empty logger', { dialect: 'xroad', logger: {} }, /options\.logger/],
    ['logger: true', { dialect: 'xroad', logger: true }, /options\.logger/],
    ['logger: null', { dialect: 'xroad', logger: null }, /options\.logger/],
    [
      'a logger whose error is not a function',
      { dialect: 'xroad', logger: { error: 'x' } },
      /options\.logger/,
    ],
    [
      'a bad clientError level',
      { dialect: 'xroad', levels: { clientError: 'loud' } },
      /options\.levels\.clientError/,
    ],
    [
      'a bad serverError level',
      { dialect: 'xroad', levels: { serverError: 'ERROR' } },
      /options\.levels\.serverError/,
    ],
    [
      'a non-function correlationId',
      { dialect: 'xroad', correlationId: 'id-1' },
      /options\.correlationId/,
    ],
    ['a non-function onFault', { dialect: 'xroad', onFault: {} }, /options\.onFault/],
  ])('when given %s', (_label, options, message) => {
    it('should throw a TypeError naming the option', () => {
      expect(() => createFaultHandler(options as never)).toThrow(TypeError);
      expect(() => createFaultHandler(options as never)).toThrow(message);
    });
  });

  describe('when the options object is deeply frozen', () => {
    it('should use it without mutating it', () => {
      const { logger, calls } = recorder();
      const options = deepFreeze({
        dialect: 'xroad' as const,
        xroad: { side: 'client' as const, soapStatus: 500 as const, soap: ['/soap'] },
        levels: { clientError: 'warn' as const, serverError: 'fatal' as const },
        logger,
        debug: false,
        trustObjects: false,
        correlationId: () => 'id-1',
        onFault: () => undefined,
      });
      const before = JSON.stringify(options);
      const handler = createFaultHandler(options);
      expect(handler.handle(new Error('x'), { url: '/soap/x' }).status).toBe(500);
      expect(handler.handle(xroad.fault('Client.BadRequest', 'x')).status).toBe(400);
      handler.report(new Error('late'));
      expect(JSON.stringify(options)).toBe(before);
      expect(calls.map((call) => call.level)).toEqual(['fatal', 'warn', 'fatal']);
    });
  });

  describe('when a handler is created', () => {
    it('should be frozen and name its dialect', () => {
      const handler = createFaultHandler({ dialect: 'xroad', logger: false });
      expect(handler.dialect).toBe('xroad');
      expect(Object.isFrozen(handler)).toBe(true);
    });
  });
});

describe('hostile values deep inside an error', () => {
  const explode = () => {
    throw new Error('getter');
  };
  const proxyArray = () => new Proxy([], { get: explode });

  it.each([
    [
      'a validation array whose items throw',
      () => Object.assign(new Error('bad input'), { status: 400, validation: proxyArray() }),
    ],
    [
      'a header value that is a throwing array',
      () =>
        Object.assign(new Error('bad input'), {
          status: 400,
          headers: { 'retry-after': proxyArray() },
        }),
    ],
  ])('should answer %s as a 400 fault, never throw', (_name, make) => {
    const log = recorder();
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: log.logger,
      correlationId: () => 'id-1',
    });
    const res = handler.handle(make(), REQUEST);
    expect(res.status).toBe(400);
    expect(res.body).toBe('{"type":"Client.BadRequest","message":"bad input","detail":"id-1"}');
    expect(res.headers['retry-after']).toBeUndefined();
    expect(() => handler.report(make(), REQUEST)).not.toThrow();
    expect(log.calls).toHaveLength(2);
  });

  it('should keep the dialect headers out of reach of an error in every encoding', () => {
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: false,
      correlationId: () => 'id-1',
    });
    const fault = xroad.fault('Client.BadRequest', 'x', {
      headers: { 'x-road-error': 'Evil', soapaction: 'evil', 'x-ok': '1' },
    });
    for (const headers of [{}, { soapaction: '' }]) {
      const res = handler.handle(fault, { headers });
      expect(res.headers['x-road-error']).toBe(
        headers.soapaction === undefined ? 'Client.BadRequest' : undefined,
      );
      expect(res.headers.soapaction).toBe(headers.soapaction === undefined ? undefined : '');
      expect(res.headers['x-ok']).toBe('1');
    }
  });

  it('should survive a logger whose level getter throws', () => {
    const calls: unknown[] = [];
    const logger = {
      error: (event: object) => void calls.push(event),
      get info(): never {
        throw new Error('getter');
      },
    };
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const handler = createFaultHandler({ dialect: 'xroad', logger, correlationId: () => 'id-1' });
      expect(handler.report(xroad.fault('Client.BadRequest')).correlationId).toBe('id-1');
      expect(handler.handle(xroad.fault('Client.BadRequest', 'x')).status).toBe(400);
      expect(write).toHaveBeenCalledTimes(2);
    } finally {
      write.mockRestore();
    }
  });

  it('should give the render fallback the correlation id the option makes', () => {
    const broken: Dialect = {
      id: 'broken',
      catalog: xroad.catalog,
      configure: () => ({
        ...xroad.configure(),
        adopt() {
          throw new Error('adopt bug');
        },
      }),
    };
    const handler = createFaultHandler({
      dialect: broken,
      logger: false,
      correlationId: () => 'id-fallback',
    });
    const res = handler.handle(xroad.fault('Client.BadRequest', 'x'));
    expect(res.status).toBe(500);
    expect(res.fault.correlationId).toBe('id-fallback');
  });
});

describe('a SOAP fault sent with a status other than its own', () => {
  it('should log the HTTP status next to the fault status', () => {
    const log = recorder();
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: log.logger,
      correlationId: () => 'id-1',
    });
    handler.handle(xroad.fault('Client.BadRequest', 'x'), { headers: { soapaction: '' } });
    handler.handle(xroad.fault('Client.BadRequest', 'x'));
    expect(log.calls[0]!.event).toMatchObject({ status: 400, httpStatus: 200 });
    expect(log.calls[1]!.event).not.toHaveProperty('httpStatus');
  });
});

describe('options that are the wrong type', () => {
  it.each([
    [{ xroad: null }, 'faultline: options.xroad must be an object'],
    [{ xroad: 'client' }, 'faultline: options.xroad must be an object'],
    [{ debug: 'yes' }, 'faultline: options.debug must be a boolean'],
    [{ trustObjects: 1 }, 'faultline: options.trustObjects must be a boolean'],
  ])('should throw a TypeError for %j', (extra, message) => {
    expect(() =>
      createFaultHandler({ dialect: 'xroad', ...(extra as object) } as FaultHandlerOptions),
    ).toThrow(new TypeError(message));
  });

  it('should give a custom dialect the options under its id', () => {
    const seen: unknown[] = [];
    const custom: Dialect = {
      id: 'mine',
      catalog: xroad.catalog,
      configure: (o) => (seen.push(o), xroad.configure()),
    };
    createFaultHandler({ dialect: custom, mine: { flavour: 1 } } as FaultHandlerOptions);
    expect(seen).toEqual([{ flavour: 1 }]);
  });
});

describe('an X-Road fault built by hand with a malformed code', () => {
  it('should be answered as the X-Road fault of its status, keeping X-Road-Error', () => {
    const handler = createFaultHandler({
      dialect: 'xroad',
      logger: false,
      correlationId: () => 'id-1',
    });
    const res = handler.handle(
      new Fault({ dialect: 'xroad', code: 'bad code\r\nX: 1', status: 404, message: 'gone' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBe('Client.NotFound');
    expect(res.body).toBe('{"type":"Client.NotFound","message":"gone","detail":"id-1"}');
  });
});

describe('thrown plain objects that look like network errors', () => {
  it.each([
    ['xks', { name: 'AbortError' }, 500, 'InternalException'],
    ['esb', { code: 'ECONNREFUSED' }, 500, '"code":"500"'],
  ] as const)(
    'should not let an untrusted object pick the %s answer',
    (dialect, thrown, status, name) => {
      const res = createFaultHandler({ dialect, logger: false }).handle(thrown);
      expect(res.status).toBe(status);
      expect(res.body).toContain(name);
    },
  );

  it.each([
    [
      'xks',
      Object.assign(new Error('x'), { name: 'AbortError' }),
      503,
      'DependencyTimeoutException',
    ],
    ['esb', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 500, '"code":"101503"'],
  ] as const)('should still read a real %s error', (dialect, thrown, status, name) => {
    const res = createFaultHandler({ dialect, logger: false }).handle(thrown);
    expect(res.status).toBe(status);
    expect(res.body).toContain(name);
  });
});

describe('correlation ids from the request', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const idOf = (options: Partial<FaultHandlerOptions>, request: RequestInfo) =>
    createFaultHandler({ dialect: 'xroad', logger: false, ...options }).handle(
      new Error('x'),
      request,
    ).fault.correlationId;

  it.each([
    [
      'an x-request-id header',
      { header: 'X-Request-Id' },
      { headers: { 'x-request-id': 'req-42' } },
      'req-42',
    ],
    [
      'the first of several headers',
      { header: ['x-correlation-id', 'x-request-id'] },
      { headers: { 'x-request-id': 'req-42' } },
      'req-42',
    ],
    [
      'the W3C trace id of traceparent',
      { header: 'traceparent' },
      { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
      '4bf92f3577b34da6a3ce929d0e0e4736',
    ],
    ["Fastify's request id", { requestId: true }, { id: 'req-7' }, 'req-7'],
  ] as const)('should take %s', (_label, source, request, expected) => {
    expect(idOf({ correlationId: source }, request as RequestInfo)).toBe(expected);
  });

  it.each([
    ['a header with CR/LF', { 'x-request-id': 'a\r\nset-cookie: x' }],
    ['a header with markup', { 'x-request-id': '<script>' }],
    ['an over-long header', { 'x-request-id': 'a'.repeat(200) }],
    [
      'an all-zero traceparent',
      { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    ],
    ['a malformed traceparent', { traceparent: '00-xyz-01' }],
    ['no header at all', {}],
  ])('should use a fresh UUID for %s', (_label, headers) => {
    expect(
      idOf({ correlationId: { header: ['x-request-id', 'traceparent'] } }, { headers }),
    ).toMatch(UUID);
  });

  it('should echo the id in the configured response header', () => {
    const res = createFaultHandler({
      logger: false,
      correlationId: { header: 'x-request-id' },
      correlationHeader: 'X-Correlation-Id',
    }).handle(new Error('x'), {
      headers: { 'x-request-id': 'req-42' },
    });
    expect(res.headers['x-correlation-id']).toBe('req-42');
    expect(JSON.parse(res.body).instance).toBe('urn:uuid:req-42');
  });

  it.each([
    [{ correlationId: { header: 'bad header' } }, /correlationId\.header/],
    [{ correlationId: { requestId: 'yes' } }, /correlationId\.requestId/],
    [{ correlationId: 'x-request-id' }, /correlationId must be a function or/],
    [{ correlationHeader: 'content-type' }, /correlationHeader/],
    [{ correlationHeader: 'a b' }, /correlationHeader/],
  ])('should reject %j when the handler is created', (options, message) => {
    expect(() => createFaultHandler(options as never)).toThrow(message);
  });
});

describe('headers on every error', () => {
  it('should say no-store and Vary: Accept unless the fault says otherwise', () => {
    const h = createFaultHandler({ logger: false });
    expect(h.handle(new Error('x')).headers).toMatchObject({
      'cache-control': 'no-store',
      vary: 'Accept',
    });
    const own = h.handle(
      problem.fault(503, 'later', { headers: { 'cache-control': 'max-age=5' } }),
    ).headers;
    expect(own['cache-control']).toBe('max-age=5');
  });
});
