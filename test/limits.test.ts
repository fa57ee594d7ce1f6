/**
 * Output limits: huge messages, huge `details`, long cause chains and `AggregateError`s with
 * thousands of members give bounded, marked responses and log entries, in every adapter; hostile
 * `Accept` headers are read only up to a bound.
 */
import { XMLValidator } from 'fast-xml-parser';
import { DEFAULT_LIMITS, createFaultHandler, problem, xroad } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import type { FaultHandlerOptions } from '@faultline/core';
import { ADAPTERS, call, recorder } from './support/servers';
import type { FailingRoute, Running } from './support/servers';

const HUGE = 'x'.repeat(5_000_000);
const MARKER = '… [truncated]';

function chain(depth: number): Error {
  let error = new Error('root cause');
  for (let i = 0; i < depth; i++) error = new Error(`layer ${i}`, { cause: error });
  return error;
}

const manyDetails = () =>
  problem.fault(400, 'invalid', {
    details: Array.from({ length: 10_000 }, (_, i) => ({
      pointer: `/items/${i}`,
      message: 'must be a number',
    })),
  });

// The conventions that cut a message themselves: DE4A's IEM Text (4000) and XKS's errorMessage (511).
const OWN_LIMIT: Readonly<Record<string, number>> = { de4a: 4000, xks: 511 };

describe.each(DIALECT_SETUPS)('$dialect with limits.message above the default', (setup) => {
  const text = 'abcdefghij'.repeat(600); // 6000 characters
  const handler = createFaultHandler({
    dialect: setup.dialect,
    ...setup.options,
    logger: false,
    limits: { message: 10_000 },
  });
  const own = OWN_LIMIT[setup.dialect];

  describe.each(setup.encodings)('answered as $name', (encoding) => {
    it.each([
      ['a fault thrown with the message', () => setup.exposed(text)],
      ['an error with a 4xx status', () => Object.assign(new Error(text), { status: 400 })],
    ])('%s', (_name, thrown) => {
      const { body } = handler.handle(thrown(), {
        method: 'POST',
        url: '/kms/xks/v1/keys/k/encrypt',
        headers: encoding.headers,
      });
      expect(body).not.toContain(MARKER);
      if (own === undefined) {
        expect(body).toContain(text);
      } else {
        // The convention's own cut, after its template's words: nothing of the handler's.
        expect(body).toContain(text.slice(0, own - 100));
        expect(body).not.toContain(text);
      }
    });
  });

  it('should cut a message above the limit it was given, with the marker', () => {
    const cut = createFaultHandler({
      dialect: setup.dialect,
      ...setup.options,
      logger: false,
      limits: { message: 5000 },
    });
    const { body } = cut.handle(setup.exposed(text), { headers: setup.encodings[0]!.headers });
    if (own === undefined)
      expect(body).toContain(`${text.slice(0, 5000 - MARKER.length)}${MARKER}`);
    expect(body).not.toContain(text);
  });
});

describe('the handler', () => {
  it('cuts a huge message to the limit, with a marker, in JSON, XML and SOAP', () => {
    const handler = createFaultHandler({ dialect: 'xroad', logger: false });
    for (const headers of [
      { accept: 'application/json' },
      { accept: 'application/xml' },
      { soapaction: '""' },
    ]) {
      const { body } = handler.handle(xroad.fault('Server.ServerProxy.AccessDenied', HUGE), {
        headers,
      });
      expect(body.length).toBeLessThan(DEFAULT_LIMITS.message + 600);
      expect(body).toContain(`${'x'.repeat(DEFAULT_LIMITS.message - MARKER.length)}${MARKER}`);
      if (!headers.accept?.includes('json')) expect(XMLValidator.validate(body)).toBe(true);
    }
  });

  it('sends at most `details` validation details, the last one counting the rest', () => {
    const handler = createFaultHandler({
      dialect: 'problem',
      logger: false,
      limits: { details: 3 },
    });
    const body = JSON.parse(handler.handle(manyDetails()).body) as {
      errors: { detail: string; pointer: string }[];
    };
    expect(body.errors).toEqual([
      { detail: 'must be a number', pointer: '#/items/0' },
      { detail: 'must be a number', pointer: '#/items/1' },
      { detail: '… 9998 more problems not shown', pointer: '#' },
    ]);
  });

  it('logs and shows (with debug) at most `causes` errors of a cause chain, even a very long one', () => {
    const { logger, calls } = recorder();
    const handler = createFaultHandler({
      dialect: 'problem',
      logger,
      debug: true,
      limits: { causes: 3 },
    });
    const body = JSON.parse(handler.handle(chain(10_000)).body) as { debug: { causes: string[] } };
    expect(body.debug.causes).toEqual([
      'Error: layer 9998',
      'Error: layer 9997',
      'Error: layer 9996',
    ]);
    expect((calls[0]?.event.err as { causes: string[] }).causes).toHaveLength(3);
  });

  it('answers an AggregateError of thousands of validation errors with bounded details', () => {
    const handler = createFaultHandler({ dialect: 'problem', logger: false });
    const thrown = new AggregateError(
      Array.from({ length: 5_000 }, (_, i) =>
        Object.assign(new Error(`item ${i} is invalid`), { status: 400 }),
      ),
      'invalid items',
    );
    const response = handler.handle(thrown);
    const body = JSON.parse(response.body) as { errors: { detail: string }[] };
    expect(response.status).toBe(400);
    expect(body.errors).toHaveLength(DEFAULT_LIMITS.details);
    expect(body.errors[98]?.detail).toBe('item 98 is invalid');
    expect(body.errors[99]?.detail).toBe('… 4901 more problems not shown');
    expect(response.body.length).toBeLessThan(20_000);
  });

  it('applies the details limit to library validation errors too, above the default as well as below', () => {
    const ajvError = () =>
      Object.assign(new Error('validation failed'), {
        ajv: true,
        errors: Array.from({ length: 10_000 }, (_, i) => ({
          instancePath: `/items/${i}`,
          keyword: 'type',
          message: 'must be number',
        })),
      });
    for (const [details, last] of [
      [250, '… 9751 more problems not shown'],
      [5, '… 9996 more problems not shown'],
    ] as const) {
      const handler = createFaultHandler({
        dialect: 'problem',
        logger: false,
        limits: { details },
      });
      const body = JSON.parse(handler.handle(ajvError()).body) as {
        errors: { detail: string; pointer: string }[];
      };
      expect(body.errors).toHaveLength(details);
      expect(body.errors[details - 2]).toEqual({
        detail: 'must be number',
        pointer: `#/items/${details - 2}`,
        keyword: 'type',
      });
      expect(body.errors[details - 1]).toEqual({ detail: last, pointer: '#' });
    }
  });

  it('reads a hostile Accept header only up to the limit', () => {
    const handler = createFaultHandler({ dialect: 'xroad', logger: false, limits: { accept: 64 } });
    const far = `${'application/x-nothing, '.repeat(10)}application/xml`;
    const near = 'application/xml, application/json';
    expect(
      handler.handle(new Error('x'), { headers: { accept: far } }).headers['content-type'],
    ).toBe('application/json');
    expect(
      handler.handle(new Error('x'), { headers: { accept: near } }).headers['content-type'],
    ).toBe('application/xml;charset=utf-8');
    const huge = createFaultHandler({ dialect: 'xroad', logger: false }).handle(new Error('x'), {
      headers: { accept: `${'a/b;q=1,'.repeat(1_000_000)}text/xml` },
    });
    expect(huge.headers['content-type']).toBe('application/json');
  });

  it.each([
    [{ message: 0 }, 'faultline: limits.message must be a positive integer'],
    [{ details: 1.5 }, 'faultline: limits.details must be a positive integer'],
    [{ causes: '3' }, 'faultline: limits.causes must be a positive integer'],
    [
      { depth: 3 },
      'faultline: limits.depth is not a limit (message, details, causes, wrapped, accept)',
    ],
    ['big', 'faultline: limits must be an object'],
  ])('refuses limits %j when the handler is created', (limits, message) => {
    expect(() => createFaultHandler({ limits } as unknown as FaultHandlerOptions)).toThrow(
      new TypeError(message),
    );
  });
});

describe.each(ADAPTERS)('$name', (adapter) => {
  const routes: FailingRoute[] = [
    { path: '/huge', error: () => problem.fault(409, HUGE) },
    { path: '/details', error: manyDetails },
  ];
  let server: Running;

  beforeAll(async () => {
    server = await adapter.start(routes, {
      dialect: 'problem',
      logger: false,
      limits: { message: 100, details: 10 },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends a bounded body for a huge message', async () => {
    const res = await call(server.url, 'GET', '/huge');
    const body = JSON.parse(res.text) as { detail: string };
    expect(res.status).toBe(409);
    expect(body.detail).toBe(`${'x'.repeat(100 - MARKER.length)}${MARKER}`);
  });

  it('sends bounded details', async () => {
    const res = await call(server.url, 'GET', '/details');
    const body = JSON.parse(res.text) as { errors: { detail: string }[] };
    expect(body.errors).toHaveLength(10);
    expect(body.errors[9]?.detail).toBe('… 9991 more problems not shown');
  });
});
