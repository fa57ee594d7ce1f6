import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { xroad } from '@faultline/core';
import faultline, { faultline as named, frameworkErrors } from '../src/index';
import { recorder } from '../../../test/support/servers';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

// Collects pino's JSON lines.
function pinoSink(): { stream: Writable; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw };
}

describe('the plugin', () => {
  it('should be the default and the named export, wrapped by fastify-plugin', () => {
    expect(faultline).toBe(named);
    expect((faultline as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(
      true,
    );
    expect(
      (faultline as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')],
    ).toBe('@faultline/fastify');
  });

  describe('when the options are invalid', () => {
    it('should fail registration with a TypeError naming the option', async () => {
      const app = Fastify();
      await expect(
        app.register(faultline, { dialect: 'xroad', correlationId: 'x' as never }),
      ).rejects.toThrow('faultline: options.correlationId must be a function');
      await app.close();
    });
  });

  describe('when registered twice in the same scope', () => {
    it('should fail with a clear error instead of silently replacing the handler', async () => {
      const app = Fastify();
      app.register(faultline, { dialect: 'xroad' });
      app.register(faultline, { dialect: 'xroad' });
      await expect(app.ready()).rejects.toThrow(
        'faultline: the plugin is already registered in this scope; register it once per scope',
      );
      await app.close();
    });
  });
});

describe('with the default logger', () => {
  const sink = pinoSink();
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = Fastify({ logger: { level: 'info', stream: sink.stream } });
    await app.register(faultline, { dialect: 'xroad', correlationId: () => 'id-pino' });
    app.get('/boom', async () => {
      throw new Error('database exploded');
    });
    app.get('/bad', async () => {
      throw xroad.fault('Client.BadRequest', 'id is missing');
    });
    url = await listen(app);
  });
  afterAll(() => app.close());

  it('should log each fault once through request.log, with the request id', async () => {
    sink.lines.length = 0;
    sink.raw.length = 0;
    await request(url).get('/boom');
    await request(url).get('/bad');
    const faults = sink.lines.filter((l) => l.correlationId === 'id-pino');
    expect(faults).toHaveLength(2);
    expect(faults[0]).toMatchObject({
      level: 50,
      reqId: expect.any(String),
      code: 'Server.ServerProxy.ServiceFailed.InternalError',
      status: 500,
      method: 'GET',
      url: '/boom',
      msg: 'database exploded',
    });
    // Under pino's key, written by pino's standard serializer: type, message, stack.
    expect(faults[0]!.err).toEqual({
      type: 'Error',
      message: 'database exploded',
      stack: expect.stringMatching(/^Error: database exploded\n {4}at /),
    });
    expect(faults[1]).toMatchObject({ level: 30, code: 'Client.BadRequest', status: 400 });
    const raw = sink.raw.filter((l) => l.includes('"correlationId":"id-pino"'));
    expect(raw.every((l) => l.split('"reqId"').length === 2)).toBe(true);
    // An expected fault's stack is never read: pino's serializer writes it empty.
    expect(faults[1]!.err).toEqual({ type: 'BadRequest', message: 'id is missing', stack: '' });
    expect(faults[1]).not.toHaveProperty('error');
  });
});

describe('with schemas, scopes and the not-found handler', () => {
  const log = recorder();
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = Fastify();
    await app.register(faultline, {
      dialect: 'xroad',
      logger: log.logger,
      correlationId: () => 'id-1',
    });
    app.post(
      '/persons',
      {
        schema: {
          body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        },
      },
      async (req) => req.body,
    );
    await app.register(
      async (child) => {
        child.setErrorHandler((error, _req, reply) => {
          if ((error as Error).message === 'mine')
            return reply.code(418).send({ handledBy: 'child' });
          throw error;
        });
        child.get('/mine', async () => {
          throw new Error('mine');
        });
        child.get('/rethrown', async () => {
          throw xroad.fault('Client.BadRequest', 'rethrown by the child');
        });
      },
      { prefix: '/child' },
    );
    url = await listen(app);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    log.calls.length = 0;
  });

  it('should answer a schema validation error as Client.BadRequest with the validation message', async () => {
    const res = await request(url).post('/persons').send({ age: 3 });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"type":"Client.BadRequest","message":"body must have required property \'name\'","detail":"id-1"}',
    );
  });

  it("should let a child scope's own error handler win in its scope", async () => {
    const res = await request(url).get('/child/mine');
    expect(res.status).toBe(418);
    expect(res.body).toEqual({ handledBy: 'child' });
    expect(log.calls).toHaveLength(0);
  });

  it('should answer what a child error handler rethrows', async () => {
    const res = await request(url).get('/child/rethrown');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'Client.BadRequest',
      message: 'rethrown by the child',
      detail: 'id-1',
    });
    expect(log.calls).toHaveLength(1);
  });

  it('should answer unknown routes with the dialect', async () => {
    const res = await request(url).delete('/nowhere').set('soapaction', '');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<faultcode>Client.NotFound</faultcode><faultstring>No route for DELETE /nowhere</faultstring>',
    );
  });

  it('should expose the handler as app.faultline', () => {
    const res = app.faultline.handle(xroad.fault('Client.BadRequest', 'x'), {
      headers: { accept: 'text/xml' },
    });
    expect(res.headers['content-type']).toBe('text/xml;charset=utf-8');
  });
});

describe('with notFound: false', () => {
  it("should leave unknown routes to the application's own not-found handler", async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: false, notFound: false });
    app.setNotFoundHandler((_req, reply) => reply.code(404).send('custom 404'));
    const url = await listen(app);
    try {
      const res = await request(url).get('/nowhere');
      expect(res.status).toBe(404);
      expect(res.text).toBe('custom 404');
    } finally {
      await app.close();
    }
  });
});

describe("with Fastify's logging off", () => {
  it('should log each fault once as a JSON line on stderr instead of nowhere', async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', correlationId: () => 'id-quiet' });
    app.get('/boom', async () => {
      throw new Error('nobody hears this');
    });
    const url = await listen(app);
    const lines: string[] = [];
    const spy = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    try {
      await request(url).get('/boom');
    } finally {
      spy.mockRestore();
      await app.close();
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      correlationId: 'id-quiet',
      msg: 'nobody hears this',
    });
  });

  it('should respect a real logger silenced with level silent', async () => {
    const sink = pinoSink();
    const app = Fastify({ logger: { level: 'silent', stream: sink.stream } });
    await app.register(faultline, { dialect: 'xroad' });
    app.get('/boom', async () => {
      throw new Error('silenced');
    });
    const url = await listen(app);
    const spy = jest.spyOn(process.stderr, 'write');
    try {
      await request(url).get('/boom');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await app.close();
    }
    expect(sink.lines).toHaveLength(0);
  });
});

describe('headers a route set before throwing', () => {
  it('should not label the fault body with the route content encoding, language or range', async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: false, correlationId: () => 'id-1' });
    app.get('/gz', async (_req, reply) => {
      reply
        .header('content-encoding', 'gzip')
        .header('content-language', 'et')
        .header('content-range', 'bytes 0-1/2');
      throw xroad.fault('Client.BadRequest', 'x');
    });
    const url = await listen(app);
    try {
      const res = await request(url).get('/gz');
      expect(res.status).toBe(400);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-language']).toBeUndefined();
      expect(res.headers['content-range']).toBeUndefined();
      expect(res.text).toBe('{"type":"Client.BadRequest","message":"x","detail":"id-1"}');
    } finally {
      await app.close();
    }
  });
});

describe('frameworkErrors', () => {
  it('should answer a malformed URL in the dialect instead of Fastify own JSON', async () => {
    const app = Fastify({ frameworkErrors });
    await app.register(faultline, { dialect: 'xroad', logger: false, correlationId: () => 'id-1' });
    app.get('/a/:id', async () => 'ok');
    const url = await listen(app);
    try {
      const res = await request(url).get('/a/%').set('accept', 'text/xml');
      expect(res.status).toBe(400);
      expect(res.headers['x-road-error']).toBe('Client.BadRequest');
      expect(res.text).toBe(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Client.BadRequest</type>' +
          '<message>The request URL is not valid</message><detail>id-1</detail></error>',
      );
    } finally {
      await app.close();
    }
  });

  it('should answer the fixed text/plain 500 before the plugin is registered', async () => {
    const app = Fastify({ frameworkErrors });
    app.get('/a/:id', async () => 'ok');
    const url = await listen(app);
    try {
      const res = await request(url).get('/a/%');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe('Internal Server Error');
    } finally {
      await app.close();
    }
  });
});

describe('when notFound is not a boolean', () => {
  it('should fail registration with a TypeError', async () => {
    const app = Fastify();
    await expect(
      app.register(faultline, { dialect: 'xroad', notFound: 'no' as never }),
    ).rejects.toThrow('faultline: options.notFound must be a boolean');
    await app.close();
  });
});
