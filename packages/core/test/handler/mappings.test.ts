/**
 * Mapping rules: matching by class, code, name and predicate, their precedence, specs and
 * functions as targets, validation when the handler is created, and failure safety.
 */
import { createFaultHandler, isFault, problem, xks, xroad } from '../../src/index';
import type { FaultHandlerOptions, MappingRule, RequestInfo } from '../../src/index';

class DomainError extends Error {}
class KeyDisabledError extends DomainError {}
class KeyVeryDisabledError extends KeyDisabledError {}
class OtherError extends Error {}

const REQUEST: RequestInfo = { method: 'POST', url: '/kms/xks/v1/keys/k1/encrypt' };

function handler(mappings: readonly MappingRule[], extra: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: 'xks',
    logger: false,
    correlationId: () => 'id-1',
    mappings,
    ...extra,
  });
}
const nameOf = (body: string) => (JSON.parse(body) as { errorName: string }).errorName;

describe('matching', () => {
  const rules: MappingRule[] = [
    { when: () => true, to: { code: 'ThrottlingException' } },
    { class: DomainError, to: { code: 'AccessDeniedException' } },
    { class: KeyDisabledError, to: { code: 'InvalidStateException' } },
    { code: 'P2025', to: { code: 'KeyNotFoundException' } },
    { name: 'ZodError', to: { code: 'ValidationException' } },
  ];
  const h = handler(rules);

  it.each([
    ['the exact class before its superclass', new KeyDisabledError('k1'), 'InvalidStateException'],
    [
      'the nearest class for a subclass without a rule',
      new KeyVeryDisabledError('k1'),
      'InvalidStateException',
    ],
    [
      'a superclass rule for another subclass',
      Object.assign(new DomainError('d')),
      'AccessDeniedException',
    ],
    [
      'a code before a predicate',
      Object.assign(new Error('gone'), { code: 'P2025' }),
      'KeyNotFoundException',
    ],
    [
      'a name before a predicate',
      Object.assign(new Error('bad'), { name: 'ZodError' }),
      'ValidationException',
    ],
    [
      'a class before a code',
      Object.assign(new KeyDisabledError('k1'), { code: 'P2025' }),
      'InvalidStateException',
    ],
    ['the predicate when nothing else matches', new OtherError('x'), 'ThrottlingException'],
  ])('should pick %s', (_label, thrown, expected) => {
    expect(nameOf(h.handle(thrown, REQUEST).body)).toBe(expected);
  });

  it('should try predicates in order: the earlier rule wins', () => {
    const res = handler([
      { when: (e) => e instanceof OtherError, to: { code: 'ThrottlingException' } },
      { when: () => true, to: { code: 'AccessDeniedException' } },
    ]).handle(new OtherError('x'), REQUEST);
    expect(nameOf(res.body)).toBe('ThrottlingException');
  });

  it('should keep the first of two rules for the same class or code', () => {
    const res = handler([
      { code: 'E1', to: { code: 'ThrottlingException' } },
      { code: 'E1', to: { code: 'AccessDeniedException' } },
    ]).handle(Object.assign(new Error('x'), { code: 'E1' }), REQUEST);
    expect(nameOf(res.body)).toBe('ThrottlingException');
  });

  it('should match numeric codes', () => {
    const res = handler([{ code: 404, to: { code: 'KeyNotFoundException' } }]).handle(
      Object.assign(new Error('x'), { code: 404 }),
      REQUEST,
    );
    expect(nameOf(res.body)).toBe('KeyNotFoundException');
  });

  it('should not match code or name rules against thrown plain objects, which are not trusted', () => {
    const res = handler([{ code: 'P2025', to: { code: 'KeyNotFoundException' } }]).handle(
      { code: 'P2025' },
      REQUEST,
    );
    expect(nameOf(res.body)).toBe('InternalException');
  });

  it('should survive Proxies and getters while matching', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const res = handler([
      { class: DomainError, to: { code: 'ThrottlingException' } },
      { code: 'X', to: { code: 'ThrottlingException' } },
    ]).handle(new Proxy({}, { getPrototypeOf: trap, get: trap }), REQUEST);
    expect(nameOf(res.body)).toBe('InternalException');
  });
});

describe('when the mapped error is wrapped in the thrown one', () => {
  class DbError extends Error {}
  class ServiceError extends Error {}
  const wrap = (inner: unknown, depth = 1): Error => {
    let outer: unknown = inner;
    for (let i = 0; i < depth; i++) outer = new ServiceError(`layer ${i}`, { cause: outer });
    return outer as Error;
  };

  it('should map an error found in the cause chain by its class, with the whole body', () => {
    const res = handler([{ class: DbError, to: { code: 'KeyNotFoundException' } }]).handle(
      wrap(new DbError('no row')),
      REQUEST,
    );
    expect(res.status).toBe(404);
    expect(res.body).toBe(
      '{"errorName":"KeyNotFoundException","errorMessage":"The request was rejected because the specified external key is not found."}',
    );
  });

  it.each([
    ['a code', { code: 'P2025', to: { code: 'KeyNotFoundException' } }],
    ['a name', { name: 'PrismaError', to: { code: 'KeyNotFoundException' } }],
    [
      'a predicate',
      { when: (e: unknown) => e instanceof DbError, to: { code: 'KeyNotFoundException' } },
    ],
  ] as const)('should match %s two links down', (_label, rule) => {
    const db = Object.assign(new DbError('x'), { code: 'P2025', name: 'PrismaError' });
    const res = handler([rule as MappingRule]).handle(wrap(db, 2), REQUEST);
    expect(nameOf(res.body)).toBe('KeyNotFoundException');
  });

  it('should prefer the thrown value, then the closest wrapped error, whatever the rule order', () => {
    const h = handler([
      { class: DbError, to: { code: 'KeyNotFoundException' } },
      { code: 'E_MID', to: { code: 'InvalidStateException' } },
      { class: ServiceError, to: { code: 'AccessDeniedException' } },
    ]);
    const mid = Object.assign(new Error('mid'), { code: 'E_MID' }, { cause: new DbError('x') });
    expect(nameOf(h.handle(new ServiceError('top', { cause: mid }), REQUEST).body)).toBe(
      'AccessDeniedException',
    );
    expect(nameOf(h.handle(new Error('top', { cause: mid }), REQUEST).body)).toBe(
      'InvalidStateException',
    );
  });

  it("should try an AggregateError's errors, breadth first, before deeper causes", () => {
    const h = handler([
      { class: DbError, to: { code: 'KeyNotFoundException' } },
      { code: 'E_SECOND', to: { code: 'InvalidStateException' } },
    ]);
    const thrown = new AggregateError(
      [wrap(new DbError('deep'), 1), Object.assign(new Error('b'), { code: 'E_SECOND' })],
      'two calls failed',
    );
    expect(nameOf(h.handle(thrown, REQUEST).body)).toBe('InvalidStateException');
  });

  it('should give the target the wrapped error it matched', () => {
    const res = createFaultHandler({
      dialect: 'problem',
      logger: false,
      correlationId: () => 'id-1',
      mappings: [
        {
          class: DbError,
          to: { code: 'Gone', status: 410, message: (e) => `row ${(e as Error).message}` },
        },
      ],
    }).handle(wrap(new DbError('r7')), REQUEST);
    expect(res.body).toBe(
      '{"type":"about:blank","title":"Gone","status":410,"detail":"row r7","instance":"urn:uuid:id-1","code":"Gone"}',
    );
  });

  it('should leave a wrapped error alone for a rule with wrapped: false', () => {
    const h = handler([{ class: DbError, wrapped: false, to: { code: 'KeyNotFoundException' } }]);
    expect(nameOf(h.handle(new DbError('x'), REQUEST).body)).toBe('KeyNotFoundException');
    expect(nameOf(h.handle(wrap(new DbError('x')), REQUEST).body)).toBe('InternalException');
  });

  it('should stop after limits.wrapped wrapped errors (default 8)', () => {
    const rules: MappingRule[] = [{ class: DbError, to: { code: 'KeyNotFoundException' } }];
    expect(nameOf(handler(rules).handle(wrap(new DbError('x'), 7), REQUEST).body)).toBe(
      'KeyNotFoundException',
    );
    expect(nameOf(handler(rules).handle(wrap(new DbError('x'), 8), REQUEST).body)).toBe(
      'KeyNotFoundException',
    );
    expect(nameOf(handler(rules).handle(wrap(new DbError('x'), 9), REQUEST).body)).toBe(
      'InternalException',
    );
    const two = handler(rules, { limits: { wrapped: 2 } });
    expect(nameOf(two.handle(wrap(new DbError('x'), 2), REQUEST).body)).toBe(
      'KeyNotFoundException',
    );
    expect(nameOf(two.handle(wrap(new DbError('x'), 3), REQUEST).body)).toBe('InternalException');
  });

  it('should end on cycles, huge aggregates, Proxies and untrusted objects without throwing', () => {
    const h = handler([
      { class: DbError, to: { code: 'KeyNotFoundException' } },
      { code: 'P2025', to: { code: 'InvalidStateException' } },
    ]);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(nameOf(h.handle(a, REQUEST).body)).toBe('InternalException');
    const many = new AggregateError(
      Array.from({ length: 10_000 }, () => new Error('x')),
      'many',
    );
    expect(nameOf(h.handle(many, REQUEST).body)).toBe('InternalException');
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { getPrototypeOf: trap, get: trap });
    expect(nameOf(h.handle(new Error('x', { cause: proxy }), REQUEST).body)).toBe(
      'InternalException',
    );
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    const fake = Object.assign(new Error('agg'), { name: 'AggregateError', errors: revoked.proxy });
    expect(nameOf(h.handle(fake, REQUEST).body)).toBe('InternalException');
    // A plain object in the chain is no error: its code is not read.
    expect(nameOf(h.handle(new Error('x', { cause: { code: 'P2025' } }), REQUEST).body)).toBe(
      'InternalException',
    );
  });

  it('should refuse a wrapped option that is not a boolean, and a wrapped limit below 1', () => {
    expect(() =>
      handler([{ class: DbError, wrapped: 'no' as never, to: { code: 'KeyNotFoundException' } }]),
    ).toThrow('faultline: options.mappings[0].wrapped must be a boolean');
    expect(() => handler([], { limits: { wrapped: 0 } })).toThrow(
      'faultline: limits.wrapped must be a positive integer',
    );
  });
});

describe('targets', () => {
  it('should build a spec with the message, headers and status overrides the dialect takes', () => {
    const h = createFaultHandler({
      dialect: 'problem',
      logger: false,
      correlationId: () => 'id-1',
      mappings: [
        {
          class: KeyDisabledError,
          to: {
            code: 'KeyDisabled',
            status: 409,
            message: (e) => `Key ${(e as Error).message} is disabled`,
            headers: { 'retry-after': '30' },
          },
        },
      ],
    });
    const res = h.handle(new KeyDisabledError('k1'));
    expect(res.status).toBe(409);
    expect(res.headers['retry-after']).toBe('30');
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'KeyDisabled',
      detail: 'Key k1 is disabled',
    });
  });

  it('should use a function target and keep the error as the logged cause', () => {
    const calls: { err: { message: string } }[] = [];
    const h = createFaultHandler({
      dialect: 'xroad',
      correlationId: () => 'id-1',
      logger: { error: () => undefined, info: (event: object) => void calls.push(event as never) },
      mappings: [
        {
          class: KeyDisabledError,
          to: (e, request) =>
            xroad.fault('Client.BadRequest', `disabled on ${request.url}`, { cause: e }),
        },
      ],
    });
    const res = h.handle(new KeyDisabledError('k1'), { url: '/r1/x' });
    expect(res.body).toBe(
      '{"type":"Client.BadRequest","message":"disabled on /r1/x","detail":"id-1"}',
    );
    expect(calls[0]!.err.message).toBe('k1');
  });

  it('should convert a fault of another dialect named by to.dialect', () => {
    const res = handler([
      { code: 'E_GONE', to: { dialect: 'problem', code: 404, message: 'gone' } },
    ]).handle(Object.assign(new Error('x'), { code: 'E_GONE' }), REQUEST);
    expect(nameOf(res.body)).toBe('InvalidUriPathException');
  });

  describe('when the function target throws or returns something else', () => {
    it.each([
      [
        'throws',
        () => {
          throw new Error('mapper bug');
        },
      ],
      ['returns a plain Error', () => new Error('not a fault')],
    ])('should fall back to the usual answer when it %s', (_label, to) => {
      const res = handler([{ class: KeyDisabledError, to: to as never }]).handle(
        new KeyDisabledError('k1'),
        REQUEST,
      );
      expect(nameOf(res.body)).toBe('InternalException');
    });
  });

  it('should ignore a message function that throws, keeping the catalogue text', () => {
    const res = handler([
      {
        class: KeyDisabledError,
        to: {
          code: 'InvalidStateException',
          message: () => {
            throw new Error('x');
          },
        },
      },
    ]).handle(new KeyDisabledError('k1'), REQUEST);
    expect(JSON.parse(res.body)).toEqual({
      errorName: 'InvalidStateException',
      errorMessage: xks.catalog.get('InvalidStateException')!.message,
    });
  });

  it('should count mapped errors as expected in onFault', () => {
    const seen: boolean[] = [];
    handler([{ class: KeyDisabledError, to: { code: 'InternalException' } }], {
      onFault: (e) => void seen.push(e.expected),
    }).handle(new KeyDisabledError('k1'), REQUEST);
    expect(seen).toEqual([true]);
  });
});

describe('validation when the handler is created', () => {
  it.each([
    ['not an array', { a: 1 }, /options\.mappings must be an array/],
    ['a rule that is not an object', [42], /mappings\[0\] must be a rule object/],
    [
      'no match key',
      [{ to: { code: 'InternalException' } }],
      /mappings\[0\] must match by exactly one of class, code, name, when or upstream \(got none\)/,
    ],
    [
      'two match keys',
      [{ code: 'X', name: 'Y', to: { code: 'InternalException' } }],
      /exactly one of .* \(got code, name\)/,
    ],
    [
      'a class that is not a function',
      [{ class: 'KeyDisabledError', to: { code: 'InternalException' } }],
      /mappings\[0\]\.class must be a class/,
    ],
    [
      'a predicate that is not a function',
      [{ when: true, to: { code: 'InternalException' } }],
      /mappings\[0\]\.when must be a function/,
    ],
    ['a missing target', [{ code: 'X' }], /mappings\[0\]\.to must be a fault spec/],
    [
      'an unknown dialect code',
      [{ code: 'X' }, { code: 'Y', to: { code: 'NoSuchException' } }],
      /mappings\[0\]\.to must be a fault spec/,
    ],
    [
      'an unknown code in the second rule',
      [{ code: 'Y', to: { code: 'NoSuchException' } }],
      /mappings\[0\]\.to: 'NoSuchException' is not an XKS error name/,
    ],
    [
      'a status the dialect refuses',
      [{ code: 'Y', to: { code: 'KeyNotFoundException', status: 410 } }],
      /mappings\[0\]\.to: XKS statuses are fixed/,
    ],
    [
      'an unknown to.dialect',
      [{ code: 'Y', to: { dialect: 'soap', code: 'X' } }],
      /mappings\[0\]\.to\.dialect 'soap' is not a built-in dialect/,
    ],
  ])('should throw a TypeError naming the rule for %s', (_label, mappings, message) => {
    expect(() =>
      createFaultHandler({ dialect: 'xks', logger: false, mappings: mappings as never }),
    ).toThrow(TypeError);
    expect(() =>
      createFaultHandler({ dialect: 'xks', logger: false, mappings: mappings as never }),
    ).toThrow(message);
  });

  it('should name to.dialect when a rule must fit several dialects', () => {
    expect(() =>
      createFaultHandler({
        dialect: { '/kms': 'xks', '*': 'problem' },
        logger: false,
        mappings: [{ code: 'Y', to: { code: 'KeyNotFoundException' } }],
      }),
    ).toThrow(/name its dialect with to\.dialect/);
  });

  it('should accept a rule for several dialects once it names its dialect', () => {
    const h = createFaultHandler({
      dialect: { '/kms': 'xks', '*': 'problem' },
      logger: false,
      mappings: [{ code: 'Y', to: { dialect: 'xks', code: 'KeyNotFoundException' } }],
    });
    const err = Object.assign(new Error('x'), { code: 'Y' });
    expect(nameOf(h.handle(err, { url: '/kms/xks/v1/keys/k/metadata' }).body)).toBe(
      'KeyNotFoundException',
    );
    expect(h.handle(err, { url: '/orders' }).headers['content-type']).toBe(
      'application/problem+json',
    );
  });
});

describe('rule tables of any size', () => {
  it('should find a class and a code rule among 10 000', () => {
    const classes = Array.from({ length: 5000 }, () => class extends Error {});
    const rules: MappingRule[] = [
      ...classes.map((c): MappingRule => ({ class: c, to: { code: 404, message: 'class' } })),
      ...Array.from({ length: 5000 }, (_, i): MappingRule => ({
        code: `E${i}`,
        to: { code: 409, message: 'code' },
      })),
    ];
    const h = createFaultHandler({ logger: false, mappings: rules });
    expect(JSON.parse(h.handle(new classes[4321]!('x')).body).detail).toBe('class');
    expect(h.handle(Object.assign(new Error('x'), { code: 'E4999' })).status).toBe(409);
    expect(isFault(h.handle(new Error('none')).fault)).toBe(true);
  });
});

describe('problem.make', () => {
  it('should need a status for a code without one', () => {
    expect(() => problem.make({ code: 'OrderShipped' })).toThrow(/needs a status/);
    expect(problem.make({ code: 'OrderShipped', status: 409 }).status).toBe(409);
  });
});
