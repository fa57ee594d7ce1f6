/**
 * What each framework's users expect of an error handler: Express faults logged through the
 * request logger pino-http put on the request, with its id; `onFault` seeing the framework's
 * own request; Express 4's async routes with the documented one-line fix; and option names
 * nothing reads reported as warnings.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import pinoHttp from 'pino-http';
import request from 'supertest';
import { createFaultHandler, xroad } from '@faultline/core';
import type { FaultEvent } from '@faultline/core';
import { faultline } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';

const run = promisify(execFile);

// pino's JSON lines, as written.
function pinoSink(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

async function listen(app: { listen(port: number, host: string): Server }): Promise<Server> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return server;
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

const url = (server: Server): string =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const EXPRESS = [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const;

describe.each(EXPRESS)('%s with pino-http', (_name, express) => {
  const sink = pinoSink();
  const seen: FaultEvent[] = [];
  let server: Server;
  let stderr: string[];
  const writeStderr = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    const app = express();
    app.use(pinoHttp({ logger: pino(sink.stream), genReqId: () => 'req-7f3a' }));
    app.use((req: Request, _res: Response, next: NextFunction) => {
      (req as Request & { user?: string }).user = 'alice';
      next();
    });
    app.get('/denied', () => {
      throw xroad.fault('Server.ServerProxy.AccessDenied', 'Access denied');
    });
    app.get('/boom', () => {
      throw new Error('connection string postgres://admin:hunter2@db');
    });
    app.use(
      faultline({
        dialect: 'xroad',
        correlationId: { requestId: true },
        onFault: (event) => {
          seen.push(event);
        },
      }),
    );
    server = await listen(app);
  });
  afterAll(() => close(server));

  beforeEach(() => {
    sink.lines.length = 0;
    seen.length = 0;
    stderr = [];
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = writeStderr;
  });

  it('should log the fault once through req.log, with pino-http’s request id as the correlation id', async () => {
    const res = await request(url(server)).get('/denied').set('accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.text).toBe(
      '{"type":"Server.ServerProxy.AccessDenied","message":"Access denied","detail":"req-7f3a"}',
    );
    const faults = sink.lines.filter((line) => line.correlationId !== undefined);
    expect(faults).toHaveLength(1);
    const [line] = faults;
    expect(line).toMatchObject({
      level: 50,
      correlationId: 'req-7f3a',
      dialect: 'xroad',
      code: 'Server.ServerProxy.AccessDenied',
      status: 500,
      method: 'GET',
      url: '/denied',
    });
    // The request logger's own binding carries the id: faultline adds no reqId of its own.
    expect((line!.req as { id: unknown }).id).toBe('req-7f3a');
    expect(line).not.toHaveProperty('reqId');
    expect(stderr.join('')).toBe('');
  });

  it('should log an unmapped error through req.log and keep its text from the client', async () => {
    const res = await request(url(server)).get('/boom').set('accept', 'application/json');
    expect(res.text).toBe(
      '{"type":"Server.ServerProxy.ServiceFailed.InternalError","message":"Internal Server Error","detail":"req-7f3a"}',
    );
    const faults = sink.lines.filter((line) => line.correlationId === 'req-7f3a');
    expect(faults).toHaveLength(1);
    expect((faults[0]!.err as { message: string }).message).toBe(
      'connection string postgres://admin:hunter2@db',
    );
  });

  it('should hand onFault the framework’s request as event.request.raw', async () => {
    await request(url(server)).get('/denied');
    expect(seen).toHaveLength(1);
    expect((seen[0]!.request.raw as Request & { user?: string }).user).toBe('alice');
    expect(seen[0]!.request.id).toBe('req-7f3a');
  });
});

describe('Express without a logging middleware', () => {
  it('should take a numeric req.id as pino-http’s default generator makes it, and ignore a log that is no logger', async () => {
    const app = express5();
    const lines: string[] = [];
    app.use((req, _res, next) => {
      Object.assign(req, { id: 41, log: 'not a logger' });
      next();
    });
    app.get('/x', () => {
      throw new Error('x');
    });
    app.use(
      faultline({
        dialect: 'problem',
        logger: { error: (obj) => lines.push(JSON.stringify(obj)) },
      }),
    );
    const server = await listen(app);
    try {
      const res = await request(url(server)).get('/x');
      expect(res.status).toBe(500);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ reqId: '41', url: '/x' });
    } finally {
      await close(server);
    }
  });

  it('should read req.id and req.log defensively: a getter that throws is no id', async () => {
    const app = express5();
    const lines: string[] = [];
    app.use((req, _res, next) => {
      Object.defineProperty(req, 'id', {
        get() {
          throw new Error('getter');
        },
      });
      next();
    });
    app.get('/x', () => {
      throw new Error('x');
    });
    app.use(faultline({ logger: { error: (obj) => lines.push(JSON.stringify(obj)) } }));
    const server = await listen(app);
    try {
      const res = await request(url(server)).get('/x');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).not.toHaveProperty('reqId');
    } finally {
      await close(server);
    }
  });
});

describe('Fastify', () => {
  it('should hand onFault the framework’s request as event.request.raw', async () => {
    const seen: FaultEvent[] = [];
    const app = Fastify();
    app.decorateRequest('user', '');
    app.addHook('onRequest', async (req) => {
      (req as unknown as { user: string }).user = 'alice';
    });
    await app.register(fastifyFaultline, {
      dialect: 'xroad',
      logger: false,
      onFault: (event) => {
        seen.push(event);
      },
    });
    app.get('/denied', () => {
      throw xroad.fault('Server.ServerProxy.AccessDenied', 'Access denied');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await request(app.server).get('/denied');
      expect(res.status).toBe(500);
      expect(seen).toHaveLength(1);
      expect((seen[0]!.request.raw as { user: string }).user).toBe('alice');
    } finally {
      await app.close();
    }
  });
});

// The README's one-line fix for Express 4, as written there.
const wrap =
  (route: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    route(req, res).catch(next);
  };

describe('Express 4 and async routes', () => {
  it('should leave a rejection unhandled without the fix, and the request unanswered', async () => {
    const script = join(__dirname, 'fixtures', 'express4-async.cjs');
    const { stdout } = await run(process.execPath, [script], { cwd: join(__dirname, '..') });
    expect(stdout).toBe('unhandledRejection: Error: lookup failed\n');
  });

  it('should answer the rejection in the dialect with the one-line fix', async () => {
    const app = express4();
    app.get(
      '/person',
      wrap(async () => {
        await Promise.resolve();
        throw xroad.fault('Server.ServerProxy.UnknownService', 'No such service');
      }),
    );
    app.use(faultline({ dialect: 'xroad', logger: false, correlationId: () => 'c-1' }));
    const server = await listen(app as unknown as { listen(p: number, h: string): Server });
    try {
      const res = await request(url(server)).get('/person').set('accept', 'application/json');
      expect(res.status).toBe(500);
      expect(res.text).toBe(
        '{"type":"Server.ServerProxy.UnknownService","message":"No such service","detail":"c-1"}',
      );
    } finally {
      await close(server);
    }
  });
});

describe('options nothing reads', () => {
  // Each scenario runs in a process of its own (test/fixtures/warnings.cjs), which prints the
  // FaultlineWarnings Node emitted.
  async function warnings(scenario: string): Promise<string[]> {
    const script = join(__dirname, 'fixtures', 'warnings.cjs');
    const { stdout } = await run(process.execPath, ['--no-deprecation', script, scenario], {
      cwd: join(__dirname, '..'),
    });
    return stdout.split('\n').filter((line) => line !== '');
  }
  const warning = (code: string, message: string): string => JSON.stringify({ code, message });

  it('should warn once about a misspelt top-level option, naming it, however many handlers take it', async () => {
    expect(await warnings('twice')).toEqual([
      warning(
        'FAULTLINE_UNKNOWN_OPTION',
        'faultline: options.debgu is not an option and is ignored (options: dialect, mappings, catalogs, debug, captureStack, logger, levels, correlationId, correlationHeader, onFault, telemetry, trustObjects, builtins, limits, passthrough, locales, notFound, statusPages, xroad, xks, esb, de4a, ast, problem)',
      ),
    ]);
  });

  it('should warn about a misspelt dialect option and a misspelt level', async () => {
    expect(await warnings('nested')).toEqual([
      warning(
        'FAULTLINE_UNKNOWN_OPTION',
        'faultline: options.xroad.sid is not an option and is ignored (options.xroad: side, soapStatus, soap, profile)',
      ),
      warning(
        'FAULTLINE_UNKNOWN_OPTION',
        'faultline: options.levels.clientErorr is not an option and is ignored (options.levels: clientError, serverError)',
      ),
    ]);
  });

  it('should not warn about any option faultline reads, nor about Fastify’s registration options', async () => {
    expect(await warnings('known')).toEqual([]);
  });

  it('should check the option names of a dialect of your own that lists them', async () => {
    expect(await warnings('own')).toEqual([
      warning(
        'FAULTLINE_UNKNOWN_OPTION',
        'faultline: options.kong.requestIdHeadr is not an option and is ignored (options.kong: requestIdHeader)',
      ),
    ]);
    expect(await warnings('badKeys')).toEqual([
      "TypeError: faultline: defineDialect 'kong': optionKeys must be a list of option names",
    ]);
  });

  it('should warn once per unknown name a dialect chooser returns; those requests are answered in the fallback', async () => {
    expect(await warnings('chooser')).toEqual([
      warning(
        'FAULTLINE_UNKNOWN_DIALECT',
        'faultline: options.dialect(request) returned the unknown dialect "xraod" (built in: xroad, xks, esb, de4a, ast, problem); such requests are answered in \'problem\'',
      ),
      warning(
        'FAULTLINE_UNKNOWN_DIALECT',
        'faultline: options.dialect(request) returned the unknown dialect "kong" (built in: xroad, xks, esb, de4a, ast, problem); such requests are answered in \'problem\'',
      ),
    ]);
    const handler = createFaultHandler({
      dialect: (req) => (req.headers?.['x-convention'] as never) ?? 'xroad',
      logger: false,
    });
    const answer = handler.handle(new Error('x'), { headers: { 'x-convention': 'xraod' } });
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });
});
