/**
 * Retry hints: a retry class (no / yes / yes if the request is idempotent) and a time, from the
 * catalogue entry or the thrown fault, sent as `Retry-After` (seconds or an HTTP date) and, where
 * the body admits it, in the body: problem's `retryable` and `retryAfter`, ESB's `nextAccessTime`.
 */
import {
  Fault,
  createFaultHandler,
  defineCatalog,
  esb,
  makeCatalog,
  problem,
  xroad,
} from '../../src/index';
import type { FaultHandlerOptions } from '../../src/index';

const ID = 'c0ffee00-0000-4000-8000-000000000004';
const INSTANCE = `urn:uuid:${ID}`;
const AT = new Date(Date.UTC(2026, 11, 2, 9, 30, 0));
const HTTP_DATE = 'Wed, 02 Dec 2026 09:30:00 GMT';

const shop = defineCatalog({
  codes: {
    Busy: { status: 503, message: 'Busy, try again', retry: 'yes', retryAfter: 30 },
    Conflict: { status: 409, message: 'Edited meanwhile', retry: 'idempotent', retryAfter: 5 },
    Banned: { status: 403, message: 'Banned', retry: 'no', retryAfter: 60 },
    Later: { status: 503, message: 'Later', retryAfter: 10 },
  },
});

function handler(options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    logger: false,
    correlationId: () => ID,
    catalogs: [shop.catalog],
    ...options,
  });
}

describe('retry hints in problem+json', () => {
  it('should send Retry-After in seconds and the retryable and retryAfter members', () => {
    const res = handler().handle(shop.fault('Busy'), { method: 'POST' });
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Busy, try again","instance":"${INSTANCE}","code":"Busy","retryable":true,"retryAfter":30}`,
    );
  });

  it('should send an HTTP date for a time the thrown fault gives, over the entry’s seconds', () => {
    const res = handler().handle(shop.fault('Busy', { retryAfter: AT }));
    expect(res.headers['retry-after']).toBe(HTTP_DATE);
    expect(JSON.parse(res.body)).toMatchObject({ retryable: true, retryAfter: HTTP_DATE });
  });

  it.each([
    ['GET', true],
    ['PUT', true],
    ['delete', true],
    ['POST', false],
    ['PATCH', false],
  ])('should let a %s request retry an idempotent-only fault: %s', (method, retryable) => {
    const res = handler().handle(shop.fault('Conflict'), { method });
    expect(JSON.parse(res.body)).toMatchObject({ retryable });
    expect(res.headers['retry-after']).toBe(retryable ? '5' : undefined);
    expect(JSON.parse(res.body).retryAfter).toBe(retryable ? 5 : undefined);
  });

  it('should say retryable false and send no time for a fault that may not be retried', () => {
    const res = handler().handle(shop.fault('Banned'), { method: 'GET' });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Banned","instance":"${INSTANCE}","code":"Banned","retryable":false}`,
    );
  });

  it('should send only the time when no retry class is given', () => {
    const res = handler().handle(shop.fault('Later'));
    expect(res.headers['retry-after']).toBe('10');
    expect(res.body.endsWith('"code":"Later","retryAfter":10}')).toBe(true);
  });

  it('should take the hint from the fault when no catalogue is registered', () => {
    const res = handler({ catalogs: [] }).handle(shop.fault('Busy'));
    expect(res.headers['retry-after']).toBe('30');
  });

  it("should keep a fault's own Retry-After header", () => {
    const res = handler().handle(
      problem.fault(429, 'Slow down', {
        retry: 'yes',
        retryAfter: 5,
        headers: { 'retry-after': '7' },
      }),
    );
    expect(res.headers['retry-after']).toBe('7');
    expect(JSON.parse(res.body)).toMatchObject({ retryable: true, retryAfter: 5 });
  });

  it('should leave bodies without a hint as they were', () => {
    expect(handler().handle(problem.fault(503, 'Down')).body).toBe(
      `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Down","instance":"${INSTANCE}","code":"ServiceUnavailable"}`,
    );
  });
});

describe('retry hints in other dialects', () => {
  it('should send Retry-After with an X-Road fault; its body has no place for it', () => {
    const res = handler({ dialect: 'xroad' }).handle(
      new Fault({
        dialect: 'xroad',
        code: 'Server.ServerProxy.ServiceBusy',
        status: 500,
        message: 'Busy',
        retry: 'yes',
        retryAfter: AT,
      }),
      { method: 'GET', url: '/r1/EE/GOV/1/app/x', headers: { accept: 'application/json' } },
    );
    expect(res.headers['retry-after']).toBe(HTTP_DATE);
    expect(res.body).not.toContain('retry');
  });

  it("should give an ESB quota throttle-out the hint's time as nextAccessTime", () => {
    const thrown = new Fault({
      dialect: 'esb',
      code: 900800,
      status: 429,
      message: 'Message throttled out',
      retryAfter: AT,
    });
    const res = handler({ dialect: 'esb' }).handle(thrown, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    expect(res.headers['retry-after']).toBe(HTTP_DATE);
    expect(res.body).toBe(
      '{"code":"900800","message":"Message throttled out","description":"You have exceeded your quota .You can access API after 2026-Dec-02 09:30:00+0000 UTC","nextAccessTime":"2026-Dec-02 09:30:00+0000 UTC"}',
    );
  });

  it('should send an ESB fault outside throttling its Retry-After, body unchanged', () => {
    const plain = handler({ dialect: 'esb' }).handle(esb.fault(900901), {
      headers: { accept: 'application/json' },
    });
    const hinted = handler({ dialect: 'esb' }).handle(
      new Fault({
        dialect: 'esb',
        code: 900901,
        status: 401,
        message: 'Invalid Credentials',
        retryAfter: 3,
      }),
      { headers: { accept: 'application/json' } },
    );
    expect(hinted.headers['retry-after']).toBe('3');
    expect(hinted.body).toBe(plain.body);
  });

  it('should turn seconds into a time for an ESB throttle-out', () => {
    const res = handler({ dialect: 'esb' }).handle(
      new Fault({ dialect: 'esb', code: 900800, status: 429, message: 'x', retryAfter: 60 }),
      { headers: { accept: 'application/json' } },
    );
    expect(res.headers['retry-after']).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(JSON.parse(res.body).nextAccessTime).toMatch(/ UTC$/);
  });

  it('should not disturb X-Road faults without a hint', () => {
    const res = handler({ dialect: 'xroad' }).handle(
      xroad.fault('Server.ServerProxy.AccessDenied'),
    );
    expect(res.headers['retry-after']).toBeUndefined();
  });
});

describe('checks', () => {
  it.each([
    [{ retry: 'maybe' }, "faultline: retry must be 'no', 'yes' or 'idempotent'"],
    [{ retryAfter: -1 }, 'faultline: retryAfter must be a whole number of seconds or a valid Date'],
    [
      { retryAfter: 1.5 },
      'faultline: retryAfter must be a whole number of seconds or a valid Date',
    ],
    [{ retryAfter: new Date(Number.NaN) }, 'faultline: retryAfter must be'],
    [{ retryAfter: '30' }, 'faultline: retryAfter must be'],
  ])('should reject %p on a fault', (hint, message) => {
    expect(
      () =>
        new Fault({
          dialect: 'problem',
          code: 'X',
          status: 503,
          message: 'x',
          ...(hint as object),
        }),
    ).toThrow(message);
  });

  it('should reject a bad retry class or time in a catalogue at start-up', () => {
    expect(() =>
      defineCatalog({ codes: { A: { status: 503, message: 'x', retry: 'often' as never } } }),
    ).toThrow("faultline: catalogue 'problem' code 'A' retry must be one of no, yes, idempotent");
    expect(() =>
      makeCatalog('mine', [{ code: 'A', status: 503, name: 'A', message: 'x', retryAfter: -5 }]),
    ).toThrow("faultline: catalogue 'mine' code 'A' retryAfter must be a whole number of seconds");
  });
});
