/**
 * Error contracts through every adapter (Express 4, Express 5, Fastify 5): problem+json
 * extension members, `instance` as the request path, help links as the problem `type`, and
 * retry hints as `Retry-After` (seconds or an HTTP date) and body members, and an X-Road fault
 * in German and Estonian by `Accept-Language`. Each case asserts the whole body and
 * the headers faultline sets, the same in every adapter.
 */
import { defineCatalog, problem, xroad } from '@faultline/core';
import type { FaultHandlerOptions } from '@faultline/core';
import { ADAPTERS, call } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';

const ID = 'c0ffee00-0000-4000-8000-00000000c0de';

const credit = defineCatalog({
  codes: {
    OutOfCredit: {
      status: 403,
      message: 'Your balance is {balance}, the price is {price}',
      extensions: { accounts: ['/account/12345'] },
    },
    Busy: { status: 503, message: 'Busy, try again', retry: 'idempotent', retryAfter: 30 },
    StoreClosed: {
      status: 503,
      message: 'The store is closed',
      docs: 'https://errors.example.com/shop.html#StoreClosed',
    },
  },
});

const routes: FailingRoute[] = [
  {
    path: '/buy/:item',
    error: () =>
      credit.fault('OutOfCredit', { balance: 30, price: 50 }, { extensions: { balance: 30 } }),
  },
  {
    path: '/busy',
    error: () => credit.fault('Busy'),
  },
  {
    path: '/busy-until',
    error: () => credit.fault('Busy', { retryAfter: new Date(Date.UTC(2026, 11, 2, 9, 30)) }),
  },
  {
    path: '/store',
    error: () => credit.fault('StoreClosed'),
  },
  {
    path: '/r1/EE/GOV/70000310/population/persons',
    error: () => xroad.fault('Server.ServerProxy.AccessDenied'),
  },
  {
    path: '/orders/:id',
    error: () => problem.fault(409, 'Order 7 was shipped', { code: 'OrderShipped' }),
  },
  {
    path: '/cors/origin',
    headers: { vary: 'Origin', 'access-control-allow-origin': 'https://app.example.com' },
    error: () => problem.fault(409, 'Order 7 was shipped', { code: 'OrderShipped' }),
  },
  {
    path: '/cors/star',
    headers: { vary: '*' },
    error: () => problem.fault(409, 'Order 7 was shipped', { code: 'OrderShipped' }),
  },
  {
    path: '/cors/accept',
    headers: { vary: 'accept-encoding, Accept' },
    error: () => problem.fault(409, 'Order 7 was shipped', { code: 'OrderShipped' }),
  },
];

// The headers faultline decides, by name; absent ones as undefined.
const NAMES = [
  'content-type',
  'content-length',
  'content-language',
  'cache-control',
  'vary',
  'retry-after',
  'x-content-type-options',
] as const;
function headersOf(res: RawResponse): Record<string, string | undefined> {
  return Object.fromEntries(NAMES.map((n) => [n, res.headers[n]]));
}

function problemHeaders(body: string, extra: Record<string, string> = {}) {
  return {
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'content-language': undefined,
    'cache-control': 'no-store',
    vary: 'Accept',
    'retry-after': undefined,
    'x-content-type-options': 'nosniff',
    ...extra,
  };
}

async function serve(options: FaultHandlerOptions): Promise<Running[]> {
  const servers: Running[] = [];
  for (const adapter of ADAPTERS) servers.push(await adapter.start(routes, options));
  return servers;
}

describe('extension members through every adapter', () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({
      logger: false,
      correlationId: () => ID,
      catalogs: [credit.catalog],
      problem: {
        customize: (body, _fault, request) => ({ ...body, tenant: request.headers?.['x-tenant'] }),
      },
    });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it("should send the entry's, the fault's and the hook's members, whole", async () => {
    const body = `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Your balance is 30, the price is 50","instance":"urn:uuid:${ID}","code":"OutOfCredit","accounts":["/account/12345"],"balance":30,"tenant":"acme"}`;
    for (const s of servers) {
      const res = await call(s.url, 'POST', '/buy/book', { 'x-tenant': 'acme' });
      expect([s.name, res.status, res.text]).toEqual([s.name, 403, body]);
      expect(headersOf(res)).toEqual(problemHeaders(body));
    }
  });
});

describe("instance: 'path' through every adapter", () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({
      logger: false,
      correlationId: () => ID,
      problem: { instance: 'path' },
    });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('should send the path without the query, and the id as correlationId', async () => {
    const body = `{"type":"about:blank","title":"Conflict","status":409,"detail":"Order 7 was shipped","instance":"/orders/7","code":"OrderShipped","correlationId":"${ID}"}`;
    for (const s of servers) {
      const res = await call(s.url, 'DELETE', '/orders/7?token=secret');
      expect([s.name, res.status, res.text]).toEqual([s.name, 409, body]);
      expect(headersOf(res)).toEqual(problemHeaders(body));
    }
  });
});

describe('help links through every adapter', () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({ logger: false, correlationId: () => ID, catalogs: [credit.catalog] });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it("should send the code's documentation URL as type", async () => {
    const body = `{"type":"https://errors.example.com/shop.html#StoreClosed","title":"The store is closed","status":503,"detail":"The store is closed","instance":"urn:uuid:${ID}","code":"StoreClosed"}`;
    for (const s of servers) {
      const res = await call(s.url, 'GET', '/store');
      expect([s.name, res.status, res.text]).toEqual([s.name, 503, body]);
      expect(headersOf(res)).toEqual(problemHeaders(body));
    }
  });
});

describe('retry hints through every adapter', () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({ logger: false, correlationId: () => ID, catalogs: [credit.catalog] });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('should send Retry-After as an HTTP date, and the same in the body', async () => {
    const body = `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Busy, try again","instance":"urn:uuid:${ID}","code":"Busy","retryable":true,"retryAfter":"Wed, 02 Dec 2026 09:30:00 GMT"}`;
    for (const s of servers) {
      const res = await call(s.url, 'GET', '/busy-until');
      expect([s.name, res.status, res.text]).toEqual([s.name, 503, body]);
      expect(headersOf(res)).toEqual(
        problemHeaders(body, { 'retry-after': 'Wed, 02 Dec 2026 09:30:00 GMT' }),
      );
    }
  });

  it('should send seconds to an idempotent request, and no retry to a POST', async () => {
    const retry = `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Busy, try again","instance":"urn:uuid:${ID}","code":"Busy","retryable":true,"retryAfter":30}`;
    const noRetry = `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Busy, try again","instance":"urn:uuid:${ID}","code":"Busy","retryable":false}`;
    for (const s of servers) {
      const put = await call(s.url, 'PUT', '/busy');
      expect([s.name, put.status, put.text]).toEqual([s.name, 503, retry]);
      expect(headersOf(put)).toEqual(problemHeaders(retry, { 'retry-after': '30' }));
      const post = await call(s.url, 'POST', '/busy');
      expect([s.name, post.status, post.text]).toEqual([s.name, 503, noRetry]);
      expect(headersOf(post)).toEqual(problemHeaders(noRetry));
    }
  });
});

describe('localised messages through every adapter', () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({
      dialect: 'xroad',
      logger: false,
      correlationId: () => ID,
      locales: {
        translations: {
          xroad: {
            'Server.ServerProxy.AccessDenied': {
              de: 'Anfrage ist nicht erlaubt',
              et: 'Päring ei ole lubatud',
            },
          },
        },
      },
    });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each([
    ['de-DE, en;q=0.5', 'de', 'Anfrage ist nicht erlaubt'],
    ['et', 'et', 'Päring ei ole lubatud'],
    ['fr', 'en', 'Request is not allowed'],
  ])('Accept-Language %s: the message in %s, whole', async (header, language, text) => {
    const body = `{"type":"Server.ServerProxy.AccessDenied","message":"${text}","detail":"${ID}"}`;
    for (const s of servers) {
      const res = await call(s.url, 'GET', '/r1/EE/GOV/70000310/population/persons', {
        accept: 'application/json',
        'accept-language': header,
      });
      expect([s.name, res.status, res.text]).toEqual([s.name, 500, body]);
      expect({ ...headersOf(res), 'x-road-error': res.headers['x-road-error'] }).toEqual({
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'content-language': language,
        'cache-control': 'no-store',
        vary: 'Accept, Accept-Language',
        'retry-after': undefined,
        'x-content-type-options': 'nosniff',
        'x-road-error': 'Server.ServerProxy.AccessDenied',
      });
    }
  });
});

describe('a Vary set before the fault, through every adapter', () => {
  let servers: Running[];
  beforeAll(async () => {
    servers = await serve({ logger: false, correlationId: () => ID });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each([
    ['/cors/origin', 'Origin, Accept'],
    ['/cors/star', '*'],
    ['/cors/accept', 'accept-encoding, Accept'],
    ['/orders/7', 'Accept'],
  ])('%s: the fault adds its names to it (Vary: %s)', async (path, vary) => {
    const body = `{"type":"about:blank","title":"Conflict","status":409,"detail":"Order 7 was shipped","instance":"urn:uuid:${ID}","code":"OrderShipped"}`;
    for (const s of servers) {
      const res = await call(s.url, 'GET', path);
      expect([s.name, res.status, res.text]).toEqual([s.name, 409, body]);
      expect([s.name, headersOf(res)]).toEqual([s.name, problemHeaders(body, { vary })]);
    }
  });

  it('keeps what the route set for CORS beside it', async () => {
    for (const s of servers) {
      const res = await call(s.url, 'GET', '/cors/origin', { origin: 'https://app.example.com' });
      expect([s.name, res.headers['access-control-allow-origin']]).toEqual([
        s.name,
        'https://app.example.com',
      ]);
    }
  });
});
