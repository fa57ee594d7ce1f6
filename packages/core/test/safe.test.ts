/**
 * Guarded reads and log-only descriptions of thrown values.
 */
import {
  checkSyncFunction,
  describeValue,
  isThenable,
  ownOptions,
  safeGet,
  safeInstanceOf,
  stringOrUndefined,
  syncResult,
  truncate,
} from '../src/safe';

const MARKER = '… [truncated]';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function throwingGetter(key: string): object {
  return Object.defineProperty({}, key, {
    get() {
      throw new Error('getter!');
    },
  });
}

const hostileProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap!');
    },
    getPrototypeOf() {
      throw new Error('trap!');
    },
  },
);

describe('describeValue', () => {
  describe.each([
    ['a string', 'boom', 'boom'],
    ['an empty string', '', ''],
    ['a number', 42, '42'],
    ['NaN', NaN, 'NaN'],
    ['a bigint', 10n, '10'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a described symbol', Symbol('x'), 'Symbol(x)'],
    ['an undescribed symbol', Symbol(), 'Symbol()'],
    ['a function', () => 1, '[function]'],
    ['an array', [1, 2], '[array]'],
    ['a plain object', { a: 1 }, '[object]'],
    ['a null-prototype object', Object.create(null) as object, '[object]'],
  ])('when the value is %s', (_label, value, expected) => {
    it(`should describe it as ${JSON.stringify(expected)}`, () => {
      expect(describeValue(value)).toBe(expected);
    });
  });

  describe('when the object has a toString, toJSON or getters', () => {
    it('should never call user code', () => {
      const toString = jest.fn(() => 'secret');
      const toJSON = jest.fn(() => 'secret');
      const value = {
        toString,
        toJSON,
        get message(): string {
          throw new Error('getter!');
        },
      };
      expect(describeValue(value)).toBe('[object]');
      expect(toString).not.toHaveBeenCalled();
      expect(toJSON).not.toHaveBeenCalled();
    });
  });

  describe('when the value is a Proxy whose traps throw', () => {
    it('should not throw', () => {
      expect(describeValue(hostileProxy)).toBe('[object]');
    });
  });
});

describe('truncate', () => {
  describe('when the text fits', () => {
    it.each([
      ['', 10],
      ['short', 10],
      ['exactly-10', 10],
    ])('should return %p unchanged', (text, max) => {
      expect(truncate(text, max)).toBe(text);
    });
  });

  describe('when the text is too long', () => {
    it('should cut it to max units ending with the marker', () => {
      const out = truncate('a'.repeat(100), 20);
      expect(out).toBe('a'.repeat(20 - MARKER.length) + MARKER);
      expect(out).toHaveLength(20);
    });
  });

  describe('when the cut would fall inside a surrogate pair', () => {
    it('should drop the whole pair rather than leave half of it', () => {
      // max 20 keeps 7 units: 'abcdef' and the high half of the emoji.
      expect(truncate(`abcdef😀${'x'.repeat(50)}`, 20)).toBe(`abcdef${MARKER}`);
    });

    it.each(Array.from({ length: 12 }, (_, i) => i))(
      'should never leave a lone surrogate with %i leading ASCII units',
      (lead) => {
        const out = truncate('a'.repeat(lead) + '😀'.repeat(30), 30);
        expect(out.length).toBeLessThanOrEqual(30);
        expect(out.endsWith(MARKER)).toBe(true);
        expect(LONE_SURROGATE.test(out)).toBe(false);
      },
    );
  });
});

describe('safeGet', () => {
  describe('when the property is readable', () => {
    it('should return it', () => {
      expect(safeGet({ a: 1 }, 'a')).toBe(1);
      expect(safeGet({}, 'missing')).toBeUndefined();
    });
  });

  describe('when the getter or the Proxy trap throws', () => {
    it('should return undefined', () => {
      expect(safeGet(throwingGetter('a'), 'a')).toBeUndefined();
      expect(safeGet(hostileProxy, 'a')).toBeUndefined();
    });
  });
});

describe('safeInstanceOf', () => {
  describe('when the value is an ordinary object', () => {
    it('should answer like instanceof', () => {
      expect(safeInstanceOf(new TypeError('x'), Error)).toBe(true);
      expect(safeInstanceOf({}, Error)).toBe(false);
    });
  });

  describe('when the getPrototypeOf trap throws', () => {
    it('should answer false', () => {
      expect(safeInstanceOf(hostileProxy, Error)).toBe(false);
    });
  });
});

describe('stringOrUndefined', () => {
  it.each([
    ['x', 'x'],
    ['', ''],
    [1, undefined],
    [null, undefined],
    [{}, undefined],
  ])('should map %p to %p', (value, expected) => {
    expect(stringOrUndefined(value)).toBe(expected);
  });
});

describe('truncate to fewer units than the marker', () => {
  it.each([0, 1, 5, 13])('should return at most %i units', (max) => {
    const out = truncate('x'.repeat(100), max);
    expect(out).toBe('x'.repeat(max));
  });
});

describe('isThenable and syncResult', () => {
  describe('when a callback returns a plain value', () => {
    it('should give the value back', () => {
      expect(syncResult('x')).toBe('x');
      expect(syncResult(undefined)).toBeUndefined();
      expect(isThenable({ then: 1 })).toBe(false);
    });
  });

  describe('when a callback returns a promise that rejects', () => {
    it('should give no value and handle the rejection', async () => {
      const unhandled: unknown[] = [];
      const onRejection = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onRejection);
      try {
        expect(syncResult(Promise.reject(new Error('late')))).toBeUndefined();
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', onRejection);
      }
      expect(unhandled).toEqual([]);
    });
  });

  describe('when the thenable is hostile', () => {
    it('should survive a then getter that throws and a then that throws', async () => {
      const getter = Object.defineProperty({}, 'then', {
        get() {
          throw new Error('trap');
        },
      });
      expect(isThenable(getter)).toBe(false);
      const thrower = {
        then() {
          throw new Error('then failed');
        },
      };
      expect(isThenable(thrower)).toBe(true);
      expect(syncResult(thrower)).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
    });
  });
});

describe('checkSyncFunction', () => {
  it.each([
    ['an async function', async () => 1],
    ['an async arrow in a wrapper object', { f: async () => 1 }.f],
    [
      'a generator',
      function* gen() {
        yield 1;
      },
    ],
  ])('should refuse %s with a TypeError naming the option', (_name, value) => {
    expect(() => checkSyncFunction(value, 'options.x')).toThrow(
      new TypeError(
        'faultline: options.x must be a synchronous function (faultline answers before a promise could settle)',
      ),
    );
  });

  it('should take a plain function, a function returning a promise and undefined', () => {
    const plain = () => 1;
    const promising = () => Promise.resolve(1);
    expect(checkSyncFunction(plain, 'x')).toBe(plain);
    expect(checkSyncFunction(promising, 'x')).toBe(promising);
    expect(checkSyncFunction(undefined, 'x')).toBeUndefined();
    expect(() => checkSyncFunction('x', 'options.y')).toThrow(
      'faultline: options.y must be a function',
    );
  });
});

describe('ownOptions', () => {
  describe('when Object.prototype carries a key', () => {
    it('should read only own properties, at every depth, and keep functions and class instances', () => {
      const proto = Object.prototype as unknown as Record<string, unknown>;
      const fn = () => 1;
      const instance = new Map();
      proto.debug = true;
      try {
        const copy = ownOptions({ a: { b: [{ c: 1 }] }, fn, instance });
        expect((copy as Record<string, unknown>).debug).toBeUndefined();
        expect((copy.a as Record<string, unknown>).debug).toBeUndefined();
        expect((copy.a.b[0] as Record<string, unknown>).debug).toBeUndefined();
        expect(copy.a.b[0]!.c).toBe(1);
        expect(copy.fn).toBe(fn);
        expect(copy.instance).toBe(instance);
      } finally {
        delete proto.debug;
      }
    });
  });

  it('should keep a dialect value as it is, and let a copy be written in a message', () => {
    const dialect = Object.freeze({ id: 'x', configure: () => undefined });
    expect(ownOptions({ dialect }).dialect).toBe(dialect);
    expect(String(ownOptions({ a: 1 }))).toBe('[object Object]');
    expect(`${ownOptions({ a: 1 }) as unknown as string}`).toBe('[object Object]');
  });
});
