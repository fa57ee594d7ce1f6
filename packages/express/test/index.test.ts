import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import type { ErrorRequestHandler, Express } from 'express';
import request from 'supertest';
import { xroad } from '@faultline/core';
import { faultline, notFound } from '../src/index';
import { recorder } from '../../../test/support/servers';

const majors = [
  { name: 'express 4', express: express4 as unknown as typeof express5 },
  { name: 'express 5', express: express5 },
];

async function start(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s as unknown as Server));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('faultline()', () => {
  it('should return a named four-argument error middleware', () => {
    const handler = faultline({ dialect: 'xroad' });
    expect(handler.length).toBe(4);
    expect(handler.name).toBe('faultlineErrorHandler');
  });

  describe('when the options are invalid', () => {
    it.each([
      [{ dialect: 'nope' }, /unknown dialect 'nope'/],
      [{ dialect: 'xroad', xroad: { side: 'middle' } }, /xroad side/],
      [{ dialect: 'xroad', logger: console.log }, /options.logger/],
    ])('should throw a TypeError when created with %j', (options, message) => {
      expect(() => faultline(options as never)).toThrow(TypeError);
      expect(() => faultline(options as never)).toThrow(message);
    });
  });
});

describe.each(majors)('with $name', ({ express }) => {
  const log = recorder();
  let server: { url: string; close: () => Promise<void> };
  const direct: ErrorRequestHandler = faultline({
    dialect: 'xroad',
    logger: log.logger,
    correlationId: () => 'id-1',
  });

  beforeAll(async () => {
    const app = express();
    app.get('/member', () => {
      throw xroad.fault('UnknownMember', "Client 'SUBSYSTEM:EE/GOV/1/app' not found", {
        side: 'client',
      });
    });
    // The middleware called directly with no error at all (reliability matrix row 11).
    app.get('/direct', (req, res, next) => direct(undefined, req, res, next));
    app.get('/async', async () => {
      await Promise.resolve();
      throw xroad.fault('Client.BadRequest', 'async failure');
    });
    const sub = express.Router();
    sub.get('/x', () => {
      throw new Error('inner');
    });
    app.use(
      '/sub',
      sub,
      notFound({ dialect: 'xroad', logger: log.logger, correlationId: () => 'id-sub' }),
    );
    app.use(notFound());
    app.use(faultline({ dialect: 'xroad', logger: log.logger, correlationId: () => 'id-1' }));
    server = await start(app);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    log.calls.length = 0;
  });

  it('should answer a thrown fault in the dialect', async () => {
    const res = await request(server.url).get('/member');
    expect(res.status).toBe(500);
    expect(res.text).toBe(
      '{"type":"Server.ClientProxy.UnknownMember","message":"Client \'SUBSYSTEM:EE/GOV/1/app\' not found","detail":"id-1"}',
    );
    expect(log.calls).toHaveLength(1);
  });

  describe('when the middleware is called with an undefined error', () => {
    it('should answer the internal-error fault, not crash', async () => {
      const res = await request(server.url).get('/direct');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        type: 'Server.ServerProxy.ServiceFailed.InternalError',
        message: 'Internal Server Error',
        detail: 'id-1',
      });
    });
  });

  describe('when the request is HEAD', () => {
    it('should send the status and headers with no body', async () => {
      const res = await request(server.url).head('/member');
      expect(res.status).toBe(500);
      expect(res.headers['x-road-error']).toBe('Server.ClientProxy.UnknownMember');
      expect(res.headers['content-length']).toBe('113');
      expect(res.text).toBeUndefined();
    });
  });

  describe('when no route matches', () => {
    it('should pass a 404 from notFound() to the error middleware', async () => {
      const res = await request(server.url)
        .get('/missing/%3Cscript%3E')
        .set('accept', 'application/xml');
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Client.NotFound</type>' +
          '<message>No route for GET /missing/%3Cscript%3E</message><detail>id-1</detail></error>',
      );
    });

    it('should answer by itself when notFound() has options', async () => {
      const res = await request(server.url).post('/sub/unknown');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'Client.NotFound',
        message: 'No route for POST /sub/unknown',
        detail: 'id-sub',
      });
      expect(log.calls).toHaveLength(1);
      expect(log.calls[0]!.level).toBe('info');
    });
  });
});

describe('with express 5 async handlers', () => {
  it('should answer a rejected promise once', async () => {
    const log = recorder();
    const app = express5();
    app.get('/async', async () => {
      await Promise.resolve();
      throw xroad.fault('Client.BadRequest', 'async failure');
    });
    app.use(faultline({ dialect: 'xroad', logger: log.logger, correlationId: () => 'id-a' }));
    const server = await start(app);
    try {
      const res = await request(server.url).get('/async');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'Client.BadRequest',
        message: 'async failure',
        detail: 'id-a',
      });
      expect(log.calls).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('without a logger option', () => {
  it('should write one JSON line per fault on stderr', async () => {
    const lines: string[] = [];
    const spy = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    const app = express5();
    app.get('/x', () => {
      throw new Error('kaput');
    });
    app.use(faultline({ dialect: 'xroad', correlationId: () => 'id-stderr' }));
    const server = await start(app);
    try {
      await request(server.url).get('/x?a=1');
    } finally {
      spy.mockRestore();
      await server.close();
    }
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      level: 'error',
      correlationId: 'id-stderr',
      code: 'Server.ServerProxy.ServiceFailed.InternalError',
      status: 500,
      method: 'GET',
      url: '/x?a=1',
      msg: 'kaput',
      err: { type: 'Error', message: 'kaput' },
    });
    expect((events[0]!.err as { stack: string }).stack).toContain('kaput');
  });
});

describe.each(majors)('an error after the response started, with $name', ({ express }) => {
  it('should log it once and pass a cause-less fault on, even for a hostile thrown value', async () => {
    const log = recorder();
    const forwarded: unknown[] = [];
    const app = express();
    app.get('/partial', (_req, res) => {
      res.write('partial');
      const hostile = new Error('inner secret');
      Object.defineProperty(hostile, 'stack', {
        get() {
          throw new Error('stack getter exploded');
        },
      });
      throw hostile;
    });
    app.use(faultline({ dialect: 'xroad', logger: log.logger, correlationId: () => 'id-late' }));
    app.use(((err, _req, res, _next) => {
      forwarded.push(err);
      res.destroy();
    }) as ErrorRequestHandler);
    const server = await start(app);
    try {
      await request(server.url)
        .get('/partial')
        .then(
          () => undefined,
          () => undefined,
        );
      expect(log.calls).toHaveLength(1);
      expect(log.calls[0]!.event).toMatchObject({
        correlationId: 'id-late',
        responseStarted: true,
      });
      expect(forwarded).toHaveLength(1);
      expect(forwarded[0]).toMatchObject({
        code: 'Server.ServerProxy.ServiceFailed.InternalError',
        correlationId: 'id-late',
      });
      expect((forwarded[0] as Error).cause).toBeUndefined();
      expect(() => String((forwarded[0] as Error).stack)).not.toThrow();
      const alive = await request(server.url).get('/nowhere');
      expect(alive.status).toBe(404); // still serving: Express's own 404, as this app has no notFound()
    } finally {
      await server.close();
    }
  });
});
