/**
 * Step 6: the log event, the cause chain and the logger fallback.
 */
import { normalize } from '../../src/pipeline/normalize';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  causeChain,
  emit,
  errFor,
  jsonLine,
  logEvent,
  loggedError,
  stderrLogger,
} from '../../src/pipeline/report';
import { buildFault } from '../../src/fault';
import type { FaultLogger } from '../../src/request';

afterEach(() => {
  jest.restoreAllMocks();
});

describe('causeChain', () => {
  describe('when errors are chained by cause', () => {
    it('should list name: message of each cause, not of the error itself', () => {
      const err = new Error('top', { cause: new TypeError('middle', { cause: 'bottom' }) });
      expect(causeChain(err)).toEqual(['TypeError: middle', 'bottom']);
    });
  });

  describe('when a cause has no message or no name', () => {
    it('should describe it with what it has', () => {
      expect(causeChain({ cause: { name: 'Custom' } })).toEqual(['Custom']);
      expect(causeChain({ cause: { message: 'm' } })).toEqual(['Error: m']);
      expect(causeChain({ cause: 10n })).toEqual(['10']);
      expect(causeChain({ cause: Symbol('s') })).toEqual(['Symbol(s)']);
    });
  });

  describe('when the chain is circular', () => {
    it('should stop at the first repeat', () => {
      const a: { name: string; message: string; cause?: unknown } = { name: 'A', message: 'a' };
      const b = { name: 'B', message: 'b', cause: a };
      a.cause = b;
      expect(causeChain(a)).toEqual(['B: b']);
    });
  });

  describe('when the chain is 10,000 deep', () => {
    it('should keep the first 8 causes', () => {
      let err: unknown = 'root';
      for (let i = 0; i < 10_000; i++) err = { message: String(i), cause: err };
      const chain = causeChain(err);
      expect(chain).toHaveLength(8);
      expect(chain[0]).toBe('Error: 9998');
    });
  });

  describe('when a cause message is huge', () => {
    it('should cut it to 1024 units', () => {
      const [first] = causeChain({ cause: new Error('m'.repeat(5000)) });
      expect(first).toHaveLength(1024);
    });
  });

  describe('when reading the chain throws', () => {
    it('should stop without throwing', () => {
      const throwing = Object.defineProperty({}, 'cause', {
        get() {
          throw new Error('getter!');
        },
      });
      expect(causeChain(throwing)).toEqual([]);
      expect(
        causeChain({
          cause: Object.defineProperty({}, 'message', {
            get() {
              throw new Error('getter!');
            },
          }),
        }),
      ).toEqual(['Error']);
    });
  });

  describe('when the value is a primitive or has no cause', () => {
    it.each([null, undefined, 'x', new Error('x')])('should be empty for %p', (value) => {
      expect(causeChain(value)).toEqual([]);
    });
  });
});

describe('loggedError', () => {
  describe('when the stack is not asked for', () => {
    it('should leave it out', () => {
      expect(loggedError(normalize(new Error('x')), false)).toEqual({
        type: 'Error',
        message: 'x',
      });
    });
  });

  describe('when the stack is asked for', () => {
    it('should carry it with the code and causes', () => {
      const err = Object.assign(new Error('x', { cause: new Error('c') }), { code: 'E_X' });
      expect(loggedError(normalize(err), true)).toEqual({
        type: 'Error',
        message: 'x',
        code: 'E_X',
        stack: err.stack,
        causes: ['Error: c'],
      });
    });
  });

  describe('when the value is an untrusted object', () => {
    it('should log its message but never its status or other fields', () => {
      expect(loggedError(normalize({ message: 'm', status: 404, secret: 's' }), false)).toEqual({
        type: 'Object',
        message: 'm',
      });
    });
  });

  describe('when the value is a primitive', () => {
    it('should log its type and a bounded description', () => {
      expect(loggedError(normalize('x'.repeat(10_000)), true).message).toHaveLength(4096);
      expect(loggedError(normalize(42), true)).toEqual({ type: 'number', message: '42' });
    });
  });
});

describe('logEvent', () => {
  const fault = buildFault({
    dialect: 'xroad',
    code: 'Client.BadRequest',
    status: 400,
    message: 'x',
    correlationId: 'id-1',
  });
  const error = { type: 'Error', message: 'x' };
  const logger = { error: () => undefined };

  describe('when the request has no method, url or id', () => {
    it('should leave those fields out', () => {
      expect(logEvent(fault, {}, error, logger)).toEqual({
        correlationId: 'id-1',
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        err: error,
      });
    });
  });

  describe('when the request has them', () => {
    it('should carry them', () => {
      expect(logEvent(fault, { method: 'GET', url: '/x', id: 'r1' }, error, logger)).toMatchObject({
        method: 'GET',
        url: '/x',
        reqId: 'r1',
      });
    });
  });

  describe("when the logger is the request's own", () => {
    it('should leave reqId to it', () => {
      const request = { id: 'r1', log: logger };
      expect(logEvent(fault, request, error, logger)).not.toHaveProperty('reqId');
    });
  });
});

describe('errFor', () => {
  // A real pino logger writing to memory: what its standard serializers make of `err`.
  const pinoLines = (serializers?: pino.LoggerOptions['serializers']) => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    return { logger: pino({ level: 'info', serializers }, stream), lines };
  };
  const logged = {
    type: 'TypeError',
    message: 'x is undefined',
    code: 'E_X',
    stack: 'TypeError: x is undefined\n    at f (a.js:1:1)',
    causes: ['Error: connect ECONNREFUSED'],
  };

  describe('when the logger is not pino', () => {
    it('should give the record as it is', () => {
      const logger = { error: () => undefined };
      expect(errFor(logged, logger)).toBe(logged);
    });

    it('should give the record when reading the logger throws', () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      );
      expect(errFor(logged, hostile as FaultLogger)).toBe(logged);
    });
  });

  describe('when the logger is pino', () => {
    it("should be written by pino's standard serializer as type, message, stack, code, causes", async () => {
      const { logger, lines } = pinoLines();
      logger.error({ err: errFor(logged, logger as unknown as FaultLogger) }, 'x');
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines[0]!['err']).toEqual({
        type: 'TypeError',
        message: 'x is undefined',
        stack: 'TypeError: x is undefined\n    at f (a.js:1:1)',
        code: 'E_X',
        causes: ['Error: connect ECONNREFUSED'],
      });
    });

    it('should be written with an empty stack when none was read, as pino writes a stackless error', async () => {
      const { logger, lines } = pinoLines();
      const child = logger.child({ reqId: 'r1' });
      child.info({ err: errFor({ type: 'BadRequest', message: 'No id' }, child as never) }, 'x');
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines[0]!['err']).toEqual({ type: 'BadRequest', message: 'No id', stack: '' });
    });

    it("should reach the user's own err serializer", async () => {
      const { logger, lines } = pinoLines({
        err: (e: { name?: string }) => ({ kind: e.name }),
      });
      logger.error({ err: errFor(logged, logger as unknown as FaultLogger) }, 'x');
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines[0]!['err']).toEqual({ kind: 'TypeError' });
    });
  });
});

describe('emit', () => {
  const event = { correlationId: 'id-1' };

  describe('when the logger has the level', () => {
    it('should call it with the logger as this', () => {
      const logger = {
        info: jest.fn(function (this: unknown) {
          expect(this).toBe(logger);
        }),
        error: jest.fn(),
      };
      emit(logger, 'info', event, 'msg');
      expect(logger.info).toHaveBeenCalledWith(event, 'msg');
      expect(logger.error).not.toHaveBeenCalled();
    });
  });

  describe('when the logger lacks the level', () => {
    it('should use its error method', () => {
      const logger = { error: jest.fn() };
      emit(logger, 'trace', event, 'msg');
      expect(logger.error).toHaveBeenCalledWith(event, 'msg');
    });
  });

  describe.each([
    ['has neither the level nor error', {} as FaultLogger],
    [
      'throws',
      {
        error: () => {
          throw new Error('down');
        },
      } as FaultLogger,
    ],
  ])('when the logger %s', (_label, logger) => {
    it('should write one JSON line to stderr', () => {
      const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      emit(logger, 'warn', event, 'msg');
      expect(write).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({
        level: 'warn',
        correlationId: 'id-1',
        msg: 'msg',
      });
    });
  });

  describe('when stderr throws too', () => {
    it('should give up silently', () => {
      jest.spyOn(process.stderr, 'write').mockImplementation(() => {
        throw new Error('EPIPE');
      });
      expect(() =>
        emit(
          {
            error: () => {
              throw new Error('down');
            },
          },
          'error',
          event,
          'msg',
        ),
      ).not.toThrow();
    });
  });
});

describe('stderrLogger', () => {
  it('should be frozen and have every level', () => {
    expect(Object.isFrozen(stderrLogger)).toBe(true);
    expect(Object.keys(stderrLogger)).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
  });
});

describe('loggedError within limits', () => {
  it('should cut the message, the name, the code and the stack of huge values', () => {
    const err = Object.assign(new Error('m'.repeat(100_000)), {
      name: 'N'.repeat(10_000),
      code: 'C'.repeat(10_000),
    });
    const logged = loggedError(
      normalize(err, false, undefined, { message: 1000, details: 100 }),
      true,
      { message: 1000, causes: 8 },
    );
    expect(logged.message).toHaveLength(1000);
    expect(logged.type).toHaveLength(256);
    expect(String(logged.code)).toHaveLength(256);
    expect(logged.stack!.length).toBeLessThanOrEqual(1000 + 16_384);
  });
});

describe('jsonLine', () => {
  it('should escape C1 controls, line separators and bidirectional controls, keeping the JSON value', () => {
    const text = 'a\u0085b\u009bc\u2028d\u202ee\u2066f';
    const line = jsonLine(JSON.stringify({ text }));
    expect(line).toBe('{"text":"a\\u0085b\\u009bc\\u2028d\\u202ee\\u2066f"}');
    expect((JSON.parse(line) as { text: string }).text).toBe(text);
  });

  it('should give plain JSON back as it is', () => {
    const json = JSON.stringify({ text: 'plain ✓ 😀' });
    expect(jsonLine(json)).toBe(json);
  });
});
