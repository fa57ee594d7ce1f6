/**
 * `Fault`, the brand shared across installs, and the stack-less builders the pipeline uses.
 */
import {
  FAULT_BRAND,
  Fault,
  buildFault,
  copyFault,
  isErrorStatus,
  isFault,
  stackOf,
} from '../src/fault';
import type { FaultInit } from '../src/fault';

const INIT: FaultInit = {
  dialect: 'xroad',
  code: 'Client.BadRequest',
  status: 400,
  message: 'No id',
};

// A Proxy whose every trap throws, whatever the trap is.
function hostileProxy(): object {
  const handler = new Proxy(
    {},
    {
      get: () => () => {
        throw new Error('trap!');
      },
    },
  );
  return new Proxy({}, handler);
}

// What a fault built by another copy of faultline looks like to this one.
function foreignFault(): object {
  return {
    [Symbol.for('faultline.fault')]: true,
    dialect: 'xroad',
    code: 'Client.BadRequest',
    status: 400,
    message: 'from elsewhere',
  };
}

class AppFault extends Fault {}

describe('Fault', () => {
  describe('when built with every field', () => {
    const cause = new Error('root');
    const fault = new Fault({
      ...INIT,
      name: 'BadRequest',
      description: 'The request is bad',
      params: { id: 7 },
      headers: { 'retry-after': '5' },
      expose: false,
      details: [{ pointer: '/body/id', message: 'is required', keyword: 'required' }],
      cause,
      correlationId: 'id-1',
    });

    it('should carry every field as given', () => {
      expect(fault).toMatchObject({
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        message: 'No id',
        name: 'BadRequest',
        description: 'The request is bad',
        params: { id: 7 },
        headers: { 'retry-after': '5' },
        expose: false,
        details: [{ pointer: '/body/id', message: 'is required', keyword: 'required' }],
        correlationId: 'id-1',
      });
      expect(fault.cause).toBe(cause);
    });

    it('should be an Error with a stack of its own', () => {
      expect(fault).toBeInstanceOf(Error);
      expect(fault.stack).toContain('No id');
    });

    it('should carry the brand', () => {
      expect(fault[FAULT_BRAND]).toBe(true);
      expect(FAULT_BRAND).toBe(Symbol.for('faultline.fault'));
    });
  });

  describe('when built with the required fields only', () => {
    const fault = new Fault(INIT);

    it('should default name to the code', () => {
      expect(fault.name).toBe('Client.BadRequest');
    });

    it('should default name to the string form of a numeric code', () => {
      expect(new Fault({ ...INIT, code: 51010 }).name).toBe('51010');
    });

    it('should leave the optional fields undefined and carry no cause', () => {
      expect(fault.description).toBeUndefined();
      expect(fault.params).toBeUndefined();
      expect(fault.headers).toBeUndefined();
      expect(fault.details).toBeUndefined();
      expect(fault.correlationId).toBeUndefined();
      expect(Object.hasOwn(fault, 'cause')).toBe(false);
    });
  });

  describe.each([
    [400, true],
    [404, true],
    [499, true],
    [500, false],
    [503, false],
    [599, false],
  ])('when the status is %i and expose is not given', (status, expose) => {
    it(`should default expose to ${String(expose)}`, () => {
      expect(new Fault({ ...INIT, status }).expose).toBe(expose);
    });
  });

  describe('when expose is given against the status class', () => {
    it('should keep it', () => {
      expect(new Fault({ ...INIT, status: 500, expose: true }).expose).toBe(true);
      expect(new Fault({ ...INIT, status: 404, expose: false }).expose).toBe(false);
    });
  });

  describe.each([
    ['an empty code', { code: '' }],
    ['a boolean code', { code: true as never }],
    ['a null code', { code: null as never }],
  ])('when built with %s', (_label, patch) => {
    it('should throw a TypeError naming the code', () => {
      expect(() => new Fault({ ...INIT, ...patch })).toThrow(
        new TypeError('faultline: a fault needs a non-empty code'),
      );
    });
  });

  describe.each([399, 600, 404.5, '404', 200, NaN, Infinity, null, undefined])(
    'when built with status %p',
    (status) => {
      it('should throw a TypeError naming the status', () => {
        expect(() => new Fault({ ...INIT, status: status as never })).toThrow(TypeError);
        expect(() => new Fault({ ...INIT, status: status as never })).toThrow(
          /status must be an integer in 400-599/,
        );
      });
    },
  );

  describe('when a field is assigned', () => {
    it('should throw in strict mode, the fields being read-only', () => {
      const fault = new Fault(INIT);
      expect(() => {
        (fault as { code: unknown }).code = 'Server.Other';
      }).toThrow(TypeError);
      expect(() => {
        (fault as { status: unknown }).status = 500;
      }).toThrow(TypeError);
      expect(fault.code).toBe('Client.BadRequest');
      expect(fault.status).toBe(400);
    });
  });
});

describe('isFault and instanceof Fault', () => {
  describe('when the value is a Fault of this install', () => {
    it('should recognise it', () => {
      const fault = new Fault(INIT);
      expect(isFault(fault)).toBe(true);
      expect(fault instanceof Fault).toBe(true);
    });
  });

  describe('when the value is a plain object carrying the shared brand (another install)', () => {
    it('should recognise it by isFault and by instanceof', () => {
      const foreign = foreignFault();
      expect(isFault(foreign)).toBe(true);
      expect(foreign instanceof Fault).toBe(true);
    });
  });

  describe('when the brand is present but not exactly true', () => {
    it.each([1, 'true', {}, false])('should not recognise a brand of %p', (brand) => {
      const value = { [Symbol.for('faultline.fault')]: brand };
      expect(isFault(value)).toBe(false);
      expect(value instanceof Fault).toBe(false);
    });
  });

  describe('when the class is a subclass of Fault', () => {
    it('should keep the ordinary instanceof of the subclass', () => {
      const sub = new AppFault(INIT);
      expect(sub instanceof AppFault).toBe(true);
      expect(sub instanceof Fault).toBe(true);
      expect(new Fault(INIT) instanceof AppFault).toBe(false);
      expect(foreignFault() instanceof AppFault).toBe(false);
    });
  });

  describe.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'Client.BadRequest'],
    ['a number', 400],
    ['a symbol', Symbol('x')],
    ['a bigint', 10n],
    ['a plain Error', new Error('x')],
    ['an error-like object', { code: 'Client.BadRequest', status: 400, message: 'x' }],
    ['a function', () => undefined],
  ])('when the value is %s', (_label, value) => {
    it('should not be a fault', () => {
      expect(isFault(value)).toBe(false);
      expect(value instanceof Fault).toBe(false);
    });
  });

  describe('when the value is a Proxy whose traps all throw', () => {
    it('should answer false without throwing', () => {
      const proxy = hostileProxy();
      expect(() => isFault(proxy)).not.toThrow();
      expect(isFault(proxy)).toBe(false);
      expect(proxy instanceof Fault).toBe(false);
    });
  });
});

describe('buildFault', () => {
  describe('when given an origin with a stack', () => {
    const origin = new Error('origin');
    const fault = buildFault(INIT, origin);

    it('should report the stack of the origin instead of a new one', () => {
      expect(fault.stack).toBe(origin.stack);
    });

    it('should be a branded Fault with the fields given', () => {
      expect(isFault(fault)).toBe(true);
      expect(Object.getPrototypeOf(fault)).toBe(Fault.prototype);
      expect(fault).toMatchObject({
        code: 'Client.BadRequest',
        status: 400,
        message: 'No id',
        name: 'Client.BadRequest',
        expose: true,
      });
    });
  });

  describe('when given no origin', () => {
    it('should have no stack at all, proving none was captured', () => {
      expect(buildFault(INIT).stack).toBeUndefined();
    });
  });

  describe('when given a prototype', () => {
    it('should build on it', () => {
      const fault = buildFault(INIT, undefined, AppFault.prototype);
      expect(Object.getPrototypeOf(fault)).toBe(AppFault.prototype);
      expect(fault instanceof AppFault).toBe(true);
    });
  });

  describe('when the status is invalid', () => {
    it.each([399, 600, 404.5, '404'])('should throw a TypeError for %p', (status) => {
      expect(() => buildFault({ ...INIT, status: status as never })).toThrow(TypeError);
    });
  });

  describe('when a field is assigned', () => {
    it('should throw in strict mode', () => {
      const fault = buildFault(INIT, new Error('origin'));
      expect(() => {
        (fault as { code: unknown }).code = 'Other';
      }).toThrow(TypeError);
    });
  });
});

describe('copyFault', () => {
  const original = new AppFault({
    ...INIT,
    description: 'd',
    headers: { 'retry-after': '1' },
    cause: new Error('root'),
  });
  const copy = copyFault(original, { correlationId: 'id-1', message: 'patched' });

  describe('when given a patch', () => {
    it('should apply the patch and keep every other field', () => {
      expect(copy).toMatchObject({
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        name: 'Client.BadRequest',
        description: 'd',
        headers: { 'retry-after': '1' },
        expose: true,
        message: 'patched',
        correlationId: 'id-1',
      });
      expect(copy.cause).toBe(original.cause);
    });

    it('should leave the original untouched', () => {
      expect(original.message).toBe('No id');
      expect(original.correlationId).toBeUndefined();
    });

    it("should keep the original's prototype", () => {
      expect(Object.getPrototypeOf(copy)).toBe(AppFault.prototype);
      expect(copy instanceof AppFault).toBe(true);
    });

    it("should report the original's stack instead of capturing a new one", () => {
      expect(typeof original.stack).toBe('string');
      expect(copy.stack).toBe(original.stack);
    });

    it('should be immutable like the original', () => {
      expect(() => {
        (copy as { code: unknown }).code = 'Other';
      }).toThrow(TypeError);
    });
  });

  describe('when the patch holds an invalid status', () => {
    it('should throw a TypeError', () => {
      expect(() => copyFault(original, { status: 200 })).toThrow(TypeError);
    });
  });
});

describe('stackOf', () => {
  it.each([
    ['an Error', new Error('x'), true],
    ['a stack-less object', {}, false],
    ['a non-string stack', { stack: 42 }, false],
    ['a primitive', 'x', false],
    ['null', null, false],
    [
      'a throwing getter',
      Object.defineProperty({}, 'stack', {
        get: () => {
          throw new Error('getter!');
        },
      }),
      false,
    ],
    ['a hostile Proxy', hostileProxy(), false],
  ])('should read the stack of %s safely', (_label, value, has) => {
    expect(typeof stackOf(value) === 'string').toBe(has);
  });
});

describe('isErrorStatus', () => {
  it.each([
    [400, true],
    [599, true],
    [399, false],
    [600, false],
    [404.5, false],
    ['404', false],
    [NaN, false],
  ])('should answer %p with %p', (value, expected) => {
    expect(isErrorStatus(value)).toBe(expected);
  });
});
