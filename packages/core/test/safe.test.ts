/**
 * Guarded reads and log-only descriptions of thrown values.
 */
import { describeValue, safeGet, safeInstanceOf, stringOrUndefined, truncate } from '../src/safe';

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
      const value = { toString, toJSON, get message(): string { throw new Error('getter!'); } };
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
