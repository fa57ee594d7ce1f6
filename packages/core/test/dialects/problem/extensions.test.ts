/**
 * problem+json extension members (RFC 9457 §3.2): from the catalogue entry, from the thrown
 * fault and from the `customize` hook, with the members faultline sets itself protected; and
 * `instance` as the request path.
 */
import {
  RESERVED_MEMBERS,
  checkExtensions,
  createFaultHandler,
  defineCatalog,
  makeCatalog,
  problem,
} from '../../../src/index';
import type { FaultHandlerOptions, ProblemOptions } from '../../../src/index';

const ID = 'c0ffee00-0000-4000-8000-000000000002';
const INSTANCE = `urn:uuid:${ID}`;

function handler(problemOptions: ProblemOptions = {}, options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: 'problem',
    logger: false,
    correlationId: () => ID,
    problem: problemOptions,
    ...options,
  });
}

const credit = defineCatalog({
  codes: {
    OutOfCredit: {
      status: 403,
      message: 'Your balance is {balance}, the price is {price}',
      extensions: { accounts: ['/account/12345'], balance: 0 },
    },
  },
});

describe('extension members', () => {
  describe('when the thrown fault carries them', () => {
    it('should send them after the standard members', () => {
      const res = handler().handle(
        problem.fault(403, 'Your balance is 30, the price is 50', {
          code: 'OutOfCredit',
          extensions: { balance: 30, accounts: ['/account/12345', '/account/67890'] },
        }),
      );
      expect(res.body).toBe(
        `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Your balance is 30, the price is 50","instance":"${INSTANCE}","code":"OutOfCredit","balance":30,"accounts":["/account/12345","/account/67890"]}`,
      );
    });
  });

  describe('when the catalogue entry carries them', () => {
    it("should send the entry's members, the thrown fault's over them", () => {
      const h = handler({}, { catalogs: [credit.catalog] });
      expect(h.handle(credit.fault('OutOfCredit', { balance: 30, price: 50 })).body).toBe(
        `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Your balance is 30, the price is 50","instance":"${INSTANCE}","code":"OutOfCredit","accounts":["/account/12345"],"balance":0}`,
      );
      expect(
        h.handle(
          credit.fault('OutOfCredit', { balance: 30, price: 50 }, { extensions: { balance: 30 } }),
        ).body,
      ).toBe(
        `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Your balance is 30, the price is 50","instance":"${INSTANCE}","code":"OutOfCredit","accounts":["/account/12345"],"balance":30}`,
      );
    });

    it('should take them from a catalogue built from data', () => {
      const catalog = makeCatalog('problem', [
        {
          code: 'Busy',
          status: 503,
          name: 'Busy',
          message: 'Busy',
          extensions: { region: 'eu-1' },
        },
      ]);
      const res = handler({}, { catalogs: [catalog] }).handle(
        problem.fault(503, 'Busy', { code: 'Busy' }),
      );
      expect(JSON.parse(res.body)).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Busy',
        instance: INSTANCE,
        code: 'Busy',
        region: 'eu-1',
      });
    });
  });

  describe('when a member is reserved or no JSON value', () => {
    it.each([
      [{ instance: '/x' }, "'instance' is a member faultline sets itself"],
      [{ code: 'X' }, "'code' is a member faultline sets itself"],
      [{ when: new Date(0) }, "'when' must be a JSON value"],
      [{ n: Number.NaN }, "'n' must be a JSON value"],
      [{ big: 1n }, "'big' must be a JSON value"],
      [[1], 'must be an object of members'],
    ])('should reject %p when the fault is built', (extensions, message) => {
      expect(() => problem.fault(400, 'x', { extensions: extensions as never })).toThrow(message);
    });

    it('should reject them in catalogues at start-up', () => {
      expect(() =>
        defineCatalog({ codes: { A: { status: 400, message: 'x', extensions: { status: 200 } } } }),
      ).toThrow("faultline: catalogue 'problem' code 'A' extensions: 'status' is a member");
      expect(() =>
        makeCatalog('mine', [
          { code: 'A', status: 400, name: 'A', message: 'x', extensions: { detail: 'y' } },
        ]),
      ).toThrow(TypeError);
      expect(() =>
        credit.fault('OutOfCredit', { balance: 1, price: 2 }, { extensions: { type: 'x' } }),
      ).toThrow("faultline: OutOfCredit option extensions: 'type' is a member");
    });

    it('should keep a member named __proto__ as data', () => {
      const extensions = checkExtensions(JSON.parse('{"__proto__":{"x":1},"y":2}'), 'test');
      expect(Object.getPrototypeOf(extensions)).toBe(Object.prototype);
      const res = handler().handle(problem.fault(400, 'x', { extensions }));
      expect(res.body.endsWith(',"code":"BadRequest","__proto__":{"x":1},"y":2}')).toBe(true);
    });

    it('should list the reserved members', () => {
      expect(RESERVED_MEMBERS).toEqual([
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'code',
        'errors',
        'correlationId',
        'retryable',
        'retryAfter',
        'debug',
      ]);
    });
  });
});

describe('the customize hook', () => {
  it('should get a copy of the body, the fault and the request, and send the body it returns', () => {
    const seen: unknown[] = [];
    const h = handler({
      customize(body, fault, request) {
        seen.push(body, fault.code, request.url);
        return { ...body, region: 'eu-1', tenant: request.headers?.['x-tenant'] };
      },
    });
    const res = h.handle(problem.fault(409, 'Order 7 was shipped', { code: 'OrderShipped' }), {
      url: '/orders/7',
      headers: { 'x-tenant': 'acme' },
    });
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Conflict","status":409,"detail":"Order 7 was shipped","instance":"${INSTANCE}","code":"OrderShipped","region":"eu-1","tenant":"acme"}`,
    );
    expect(seen).toEqual([
      {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Order 7 was shipped',
        instance: INSTANCE,
        code: 'OrderShipped',
      },
      'OrderShipped',
      '/orders/7',
    ]);
  });

  it('should keep the reserved members whatever the hook does, and send what it changed in the copy', () => {
    const h = handler({
      customize(body) {
        const b = body as Record<string, unknown>;
        b.status = 200;
        b.detail = 'hijacked';
        delete b.balance;
        b.hint = 'top up';
      },
    });
    const res = h.handle(problem.fault(402, 'Pay first', { extensions: { balance: 3, left: 1 } }));
    expect(res.status).toBe(402);
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Payment Required","status":402,"detail":"Pay first","instance":"${INSTANCE}","code":"PaymentRequired","left":1,"hint":"top up"}`,
    );
  });

  it('should answer the fallback 500 when the hook throws, and log the failure', () => {
    const events: { level: string; event: Record<string, unknown> }[] = [];
    const logger = Object.fromEntries(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((level) => [
        level,
        (event: Record<string, unknown>) => void events.push({ level, event }),
      ]),
    );
    const h = handler(
      {
        customize() {
          throw new Error('hook broke');
        },
      },
      { logger },
    );
    const res = h.handle(problem.fault(404, 'x'));
    expect([res.status, res.body]).toEqual([500, 'Internal Server Error']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      level: 'error',
      event: { formatterError: { message: 'hook broke' } },
    });
  });

  it('should reject a hook that is no function', () => {
    expect(() => handler({ customize: 'x' as never })).toThrow(
      'faultline: problem.customize must be a function (body, fault, request)',
    );
  });
});

describe("instance: 'path'", () => {
  it('should send the path without its query, and the correlation id as a member', () => {
    const res = handler({ instance: 'path' }).handle(problem.fault(404, 'Order 7 does not exist'), {
      method: 'GET',
      url: '/orders/7?token=secret#x',
    });
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 does not exist","instance":"/orders/7","code":"NotFound","correlationId":"${ID}"}`,
    );
  });

  it('should use the routed path, or /, when the target is unknown', () => {
    const h = handler({ instance: 'path' });
    expect(JSON.parse(h.handle(new Error('x'), { path: '/a' }).body).instance).toBe('/a');
    expect(JSON.parse(h.handle(new Error('x')).body).instance).toBe('/');
  });

  it("should reject anything but 'urn' and 'path'", () => {
    expect(() => handler({ instance: 'uri' as never })).toThrow(
      "faultline: problem.instance must be 'urn' or 'path'",
    );
  });
});

describe('the schema', () => {
  it('should admit extension members and a path instance only when asked to', () => {
    const closed = problem.schema().json;
    const open = problem.schema({ extensions: true }).json;
    expect(closed.additionalProperties).toBe(false);
    expect(open.additionalProperties).toBe(true);
    expect((open.properties as Record<string, unknown>).instance).toEqual({
      type: 'string',
      minLength: 1,
    });
  });
});
