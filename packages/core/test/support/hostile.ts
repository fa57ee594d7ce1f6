/**
 * Hostile thrown values shared by the core suites (reliability matrix rows 10–14): values
 * that are not Errors, Proxies whose traps throw, and objects whose getters throw.
 */

/** The text every throwing getter and trap throws; it must never reach a client. */
export const SECRET = 'getter!';

/** Defines `key` on `target` as a getter that throws. */
export function withThrowingGetter<T extends object>(target: T, key: string): T {
  return Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw new Error(SECRET);
    },
  });
}

/** A Proxy whose listed traps throw. */
export function proxyThrowingOn(...traps: Array<keyof ProxyHandler<object>>): object {
  const handler: ProxyHandler<object> = {};
  for (const trap of traps) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(SECRET);
    };
  }
  return new Proxy({}, handler);
}

function circular(): object {
  const value: Record<string, unknown> = { message: 'loop' };
  value['self'] = value;
  value['cause'] = value;
  return value;
}

/** Has a message but no Error in its prototype chain. */
export class NotAnError {
  readonly message = 'looks like one';
}

/** Every hostile value, labelled, built fresh. */
export function hostileValues(): Array<[string, unknown]> {
  return [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'str'],
    ['a number', 42],
    ['a bigint', 10n],
    ['true', true],
    ['an empty array', []],
    ['a symbol', Symbol('x')],
    ['a null-prototype object', Object.create(null) as object],
    ['a class instance without Error', new NotAnError()],
    ['a circular object', circular()],
    [
      'a circular Error',
      Object.assign(new Error('loop'), {
        get cause() {
          return this;
        },
      }),
    ],
    ['a Proxy with a throwing get trap', proxyThrowingOn('get')],
    ['a Proxy with a throwing getPrototypeOf trap', proxyThrowingOn('getPrototypeOf')],
    ['a Proxy with a throwing ownKeys trap', proxyThrowingOn('ownKeys')],
    [
      'a Proxy whose every trap throws',
      proxyThrowingOn('get', 'getPrototypeOf', 'ownKeys', 'has', 'getOwnPropertyDescriptor'),
    ],
    ...[
      'message',
      'name',
      'stack',
      'status',
      'statusCode',
      'headers',
      'cause',
      'code',
      'toJSON',
      'toString',
    ].map((key): [string, unknown] => [
      `an Error whose ${key} getter throws`,
      withThrowingGetter(new Error('plain'), key),
    ]),
    ...['message', 'status', 'statusCode', 'headers', 'code'].map((key): [string, unknown] => [
      `an object whose ${key} getter throws`,
      withThrowingGetter({}, key),
    ]),
    [
      'an Error whose toJSON returns secrets',
      Object.assign(new Error('x'), { toJSON: () => ({ message: SECRET }) }),
    ],
  ];
}
