/**
 * The Fastify rows of the reliability matrix (design/reliability-matrix.md B3), for every
 * dialect and every encoding, on a real Fastify 5 server with `NODE_ENV` unset:
 * - 28: validation errors of the body and the querystring, a malformed JSON body and a body
 *   over the limit are answered 400 / 413 in the dialect, with the pointers and messages of
 *   the problems but nothing of the input;
 * - 29: a child scope's own error handler wins in its scope; what it rethrows (an Error, or
 *   any other value, synchronously or not) reaches faultline and is answered safely; the
 *   plugin registered twice in one scope is a clear error; `onError` hooks run once.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import faultline from '@faultline/fastify';
import { parseFault } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import type { DialectEncoding, DialectSetup } from './support/dialects';
import { call, failingStream, recorder, until } from './support/servers';
import type { RawResponse } from './support/servers';
import { SECRET, expectSafe, hostileProxy, withoutNodeEnv } from './support/hostile';
import { parseXml } from './support/xml';

// The dialects whose bodies list validation problems.
const SHOWS_DETAILS = new Set(['ast', 'problem']);

// The status each convention answers a 403 and a 413 with: X-Road sends every client fault as
// 400; AST has no code for a 413 (BadRequest, 400); XKS answers an over-large payload as
// UnsupportedOperationException (501).
const STATUS: Readonly<Record<string, { readonly 403: number; readonly 413: number }>> = {
  xroad: { 403: 400, 413: 400 },
  esb: { 403: 403, 413: 413 },
  de4a: { 403: 403, 413: 413 },
  xks: { 403: 403, 413: 501 },
  ast: { 403: 403, 413: 400 },
  problem: { 403: 403, 413: 413 },
};

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function close(app: FastifyInstance): Promise<void> {
  app.server.closeAllConnections();
  await app.close();
}

// A well-formed fault of the dialect whose own status is `status`, carrying nothing it must not.
function expectFault(
  res: RawResponse,
  setup: DialectSetup,
  encoding: DialectEncoding,
  status: number,
): void {
  expect(res.status).toBe(encoding.fixedStatus ?? status);
  const read = parseFault(res.text, res.headers['content-type'], { status: res.status });
  if (!read.recognised) throw new Error(`not a fault: ${read.reason}\n${res.text.slice(0, 300)}`);
  // ESB's threat-protection sequence (its 400s) has no SOAP branch: its SOAP clients get the JSON body.
  const plainSoap =
    encoding.name === 'SOAP' &&
    setup.dialect !== 'xroad' &&
    !(setup.dialect === 'esb' && res.status === 400);
  expect(read.dialect).toBe(plainSoap ? 'soap' : setup.dialect);
  if (read.fault.status !== undefined) expect(read.fault.status).toBe(status);
  if (/xml/.test(res.headers['content-type'] ?? '')) parseXml(res.text);
  else JSON.parse(res.text);
  expectSafe(res);
}

const rejections = withoutNodeEnv();

describe.each(DIALECT_SETUPS)('row 28 in $dialect: Fastify validation and body errors', (setup) => {
  const log = recorder();
  const app = Fastify({ bodyLimit: 1024 });
  let url: string;

  beforeAll(async () => {
    app.addContentTypeParser(
      ['text/xml', 'application/soap+xml'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    await app.register(faultline, { dialect: setup.dialect, logger: log.logger, ...setup.options });
    app.post(
      '/orders',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', pattern: '^[a-z]+$' },
              size: { type: 'string', enum: ['small', 'large'] },
            },
          },
          querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } } },
        },
      },
      async () => ({ ok: true }),
    );
    url = await listen(app);
  });
  afterAll(() => close(app));

  const cases = [
    // Fastify's ajv stops at the first problem (allErrors: false).
    {
      name: 'a body value that breaks a pattern and an enum',
      query: '',
      body: `{"name":"Caps-${SECRET}","size":"${SECRET}"}`,
      status: 400,
      pointers: ['/body/name'],
    },
    {
      name: 'a missing required property',
      query: '',
      body: '{}',
      status: 400,
      pointers: ['/body/name'],
    },
    {
      name: 'a querystring value of the wrong type',
      query: `?limit=${SECRET}`,
      body: '{"name":"ok"}',
      status: 400,
      pointers: ['/querystring/limit'],
    },
    {
      name: 'a malformed JSON body',
      query: '',
      body: `{"name": "${SECRET}`,
      status: 400,
      pointers: [],
    },
    {
      name: 'a body over the limit',
      query: '',
      body: JSON.stringify({ name: SECRET.repeat(200) }),
      status: STATUS[setup.dialect]![413],
      pointers: [],
    },
  ];

  describe.each(setup.encodings)('answered as $name', (encoding) => {
    it.each(cases)('$name: $status in the dialect, no input echoed, logged once', async (c) => {
      const before = log.calls.length;
      const res = await call(
        url,
        'POST',
        `/orders${c.query}`,
        { ...encoding.headers, 'content-type': 'application/json' },
        c.body,
      );
      expectFault(res, setup, encoding, c.status);
      if (SHOWS_DETAILS.has(setup.dialect))
        for (const pointer of c.pointers) expect(res.text).toContain(pointer);
      expect(log.calls.slice(before)).toHaveLength(1);
    });
  });

  it('lets no promise rejection go unhandled', () => {
    expect(rejections).toEqual([]);
  });
});

describe.each(DIALECT_SETUPS)('row 29 in $dialect: encapsulation', (setup) => {
  const encoding = setup.encodings[0]!;
  const log = recorder();
  const onError: string[] = [];
  const app = Fastify();
  let url: string;

  // Child scopes whose own handler rethrows what `rethrow()` gives, synchronously or not.
  const rethrows: { name: string; value: () => unknown; status: number }[] = [
    {
      name: 'an Error with a status',
      value: () => Object.assign(new Error('not allowed here'), { statusCode: 403 }),
      status: STATUS[setup.dialect]![403],
    },
    { name: 'an Error with a secret', value: () => new Error(SECRET), status: 500 },
    { name: 'a string', value: () => `string ${SECRET}`, status: 500 },
    { name: 'a Symbol', value: () => Symbol(SECRET), status: 500 },
    { name: 'undefined', value: () => undefined, status: 500 },
    { name: 'null', value: () => null, status: 500 },
    { name: 'a number', value: () => 42, status: 500 },
    {
      name: 'a plain object with a status',
      value: () => ({ statusCode: 400, message: SECRET }),
      status: 500,
    },
    { name: 'a Proxy whose every trap throws', value: hostileProxy, status: 500 },
  ];

  beforeAll(async () => {
    app.addHook('onError', async (request) => {
      onError.push(request.url);
    });
    await app.register(faultline, { dialect: setup.dialect, logger: log.logger, ...setup.options });
    app.get('/root', async () => {
      throw new Error(SECRET);
    });
    await app.register(async (child) => {
      child.setErrorHandler(async (_error, _request, reply) =>
        reply.code(418).send({ handledBy: 'child' }),
      );
      child.get('/own', async () => {
        throw new Error(SECRET);
      });
    });
    for (const [i, r] of rethrows.entries()) {
      await app.register(async (child) => {
        child.setErrorHandler((_error) => {
          throw r.value();
        });
        child.get(`/sync/${i}`, async () => {
          throw new Error('first');
        });
      });
      await app.register(async (child) => {
        child.setErrorHandler(async (_error) => {
          throw r.value();
        });
        child.get(`/async/${i}`, async () => {
          throw new Error('first');
        });
      });
    }
    url = await listen(app);
  });
  afterAll(() => close(app));

  it("should let a child scope's own handler answer in its scope", async () => {
    const res = await call(url, 'GET', '/own', encoding.headers);
    expect(res.status).toBe(418);
    expect(JSON.parse(res.text)).toEqual({ handledBy: 'child' });
  });

  it('should answer a root error once, with one onError call', async () => {
    const before = log.calls.length;
    onError.length = 0;
    const res = await call(url, 'GET', '/root', encoding.headers);
    expectFault(res, setup, encoding, 500);
    expect(log.calls.slice(before)).toHaveLength(1);
    expect(onError).toEqual(['/root']);
  });

  describe.each(['sync', 'async'])('when a child handler rethrows (%s)', (mode) => {
    it.each(rethrows.map((r, i) => ({ ...r, i })))(
      '$name: answered by faultline with $status, logged once',
      async (r) => {
        const before = log.calls.length;
        const res = await call(url, 'GET', `/${mode}/${r.i}`, encoding.headers);
        expectFault(res, setup, encoding, r.status);
        const calls = log.calls.slice(before);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.event.status).toBe(r.status);
      },
    );
  });

  it('lets no promise rejection go unhandled', () => {
    expect(rejections).toEqual([]);
  });
});

describe('row 29: registration', () => {
  it('should refuse a second registration in the same scope with a clear error', async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: false });
    await expect(app.register(faultline, { dialect: 'problem', logger: false })).rejects.toThrow(
      'faultline: the plugin is already registered in this scope; register it once per scope',
    );
    await app.close();
  });

  it('should explain why a child scope sharing the prefix cannot have its own not-found handler', async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: false });
    const child = app.register(async (scope) => {
      await scope.register(faultline, { dialect: 'problem', logger: false });
    });
    await expect(child).rejects.toThrow(
      /^faultline: a not-found handler is already set for this prefix .*register the plugin with \{ notFound: false \} here, or in a scope with its own prefix$/,
    );
    await app.close();
  });

  it('should let a child scope register its own dialect, and keep the root dialect elsewhere', async () => {
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: false });
    app.get('/root', async () => {
      throw Object.assign(new Error('gone'), { statusCode: 404 });
    });
    await app.register(async (child) => {
      // The child shares the root's prefix, and so its not-found handler.
      await child.register(faultline, { dialect: 'problem', logger: false, notFound: false });
      child.get('/child', async () => {
        throw Object.assign(new Error('gone'), { statusCode: 404 });
      });
    });
    const url = await listen(app);
    try {
      const root = await call(url, 'GET', '/root');
      const child = await call(url, 'GET', '/child');
      expect(JSON.parse(root.text)).toMatchObject({ type: 'Client.NotFound', message: 'gone' });
      expect(child.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(child.text)).toMatchObject({ status: 404, detail: 'gone' });
    } finally {
      await close(app);
    }
  });

  it('should log a stream failing mid-body once, through the innermost registration', async () => {
    const root = recorder();
    const child = recorder();
    const app = Fastify();
    await app.register(faultline, { dialect: 'xroad', logger: root.logger });
    await app.register(async (scope) => {
      await scope.register(faultline, {
        dialect: 'problem',
        logger: child.logger,
        notFound: false,
      });
      scope.get('/stream', async (_request, reply) =>
        reply.type('text/plain').send(failingStream(new Error(SECRET), 'after-data')),
      );
    });
    const url = await listen(app);
    try {
      const outcome = await call(url, 'GET', '/stream').then(
        (res) => res.text,
        (err: Error) => `cut: ${err.message}`,
      );
      expect(outcome).not.toContain(SECRET);
      await until(() => child.calls.length + root.calls.length > 0);
      expect(root.calls).toHaveLength(0);
      expect(child.calls).toHaveLength(1);
      expect(child.calls[0]!.event).toMatchObject({
        responseStarted: true,
        dialect: 'problem',
        status: 500,
      });
    } finally {
      await close(app);
    }
  });
});
