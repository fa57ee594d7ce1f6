/**
 * Guarded reads of thrown values, and of the callbacks and options a user gives. An error
 * handler runs when things already went wrong, so nothing here may throw: not on getters that
 * throw, not on Proxies, not on Symbols.
 */
import { types } from 'node:util';

/**
 * Whether a value is an `Error` of any realm (a vm context, a test runner), where `instanceof
 * Error` fails. `util.types.isNativeError` never throws and never runs user code, even for
 * Proxies.
 */
export const isNativeError: (value: unknown) => value is Error = types.isNativeError;

/** Reads `obj[key]`; `undefined` when the read throws. */
export function safeGet(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof ctor`, `false` when a Proxy trap throws. */
export function safeInstanceOf(
  value: object,
  ctor: abstract new (...args: never[]) => unknown,
): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}

/**
 * The links of a cause chain: the value, its `cause`, that one's `cause`, … — at most `max`
 * links, stopped at `undefined` or at a link seen before (a cycle). Every read is guarded.
 *
 * @example
 * ```ts
 * causes(new Error('a', { cause: new Error('b') }), 8).length; // 2
 * ```
 */
export function causes(value: unknown, max: number): unknown[] {
  const links: unknown[] = [];
  const seen = new Set<unknown>();
  for (let current = value; current !== undefined && links.length < max && !seen.has(current);) {
    seen.add(current);
    links.push(current);
    current =
      typeof current === 'object' && current !== null ? safeGet(current, 'cause') : undefined;
  }
  return links;
}

/** The value if it is a string, else `undefined`. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A printable description of any thrown value, for logs only. Never calls user code
 * (`toString`, `toJSON`, getters) and never uses `'' + value`, which throws for Symbols.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return `Symbol(${value.description ?? ''})`;
    case 'function':
      return '[function]';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? '[array]' : '[object]';
  }
}

const MARKER = '… [truncated]';

/** Cuts `text` to at most `max` UTF-16 units, marking the cut and never splitting a pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = max > MARKER.length ? MARKER : '';
  let end = max - marker.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + marker;
}

/** Whether a value is a promise or another thenable; `false` when reading `then` throws. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/**
 * A synchronous callback's result. faultline decides an answer synchronously, so a callback
 * that returns a promise (or any thenable) gives no value: the result is `undefined`, and a
 * rejection of that promise is handled here instead of ending the process as an unhandled
 * rejection.
 *
 * @param result - what the callback returned
 * @returns the result, or `undefined` for a thenable
 */
export function syncResult<T>(result: T): Exclude<T, PromiseLike<unknown>> | undefined {
  if (!isThenable(result)) return result as Exclude<T, PromiseLike<unknown>>;
  try {
    Promise.resolve(result).catch(() => undefined);
  } catch {
    // a thenable whose `then` cannot even be read: nothing to wait for
  }
  return undefined;
}

/**
 * Checks an option that must be a synchronous function: `undefined` passes; an `async`
 * function is refused at start-up, since its promise could never decide the answer.
 *
 * @param value - the option
 * @param name - its name in messages, e.g. `options.mappings[2].when`
 * @returns the function, or `undefined`
 * @throws TypeError when it is not a function, or is an async one
 */
export function checkSyncFunction<F>(value: F | undefined, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`faultline: ${name} must be a function`);
  if (types.isAsyncFunction(value) || types.isGeneratorFunction(value)) {
    throw new TypeError(
      `faultline: ${name} must be a synchronous function (faultline answers before a promise could settle)`,
    );
  }
  return value;
}

/**
 * A copy of an option value in which every plain object holds only its own enumerable
 * properties, on a prototype that carries nothing but `toString` and `valueOf`: a key added
 * to `Object.prototype` by other code (`debug`, `trustObjects`) is never read as an option.
 * Arrays are copied the same way; functions, class instances (loggers, RegExps) and dialect
 * values are kept as they are.
 *
 * @param value - an option value
 * @param depth - how deep plain objects are copied
 * @returns the copy
 */
export function ownOptions<T>(value: T, depth = 8): T {
  if (typeof value !== 'object' || value === null || depth === 0) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => ownOptions(item, depth - 1)) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  // A dialect value is used by identity (one runtime per dialect): kept as it is.
  if (typeof Object.getOwnPropertyDescriptor(value, 'configure')?.value === 'function')
    return value;
  const copy = Object.create(OPTIONS_PROTO) as Record<string, unknown>;
  for (const key of Object.keys(value))
    copy[key] = ownOptions((value as Record<string, unknown>)[key], depth - 1);
  return copy as T;
}

// The prototype of copied options: nothing to inherit but what turning one into text needs
// (error messages name option values).
const OPTIONS_PROTO: object = Object.freeze(
  Object.create(null, {
    toString: { value: () => '[object Object]' },
    valueOf: {
      value: function valueOf(this: unknown) {
        return this;
      },
    },
  }) as object,
);

/**
 * The names of an options type, for the warning on names nothing reads: every member of the
 * type, no more and no fewer (the compiler checks both).
 *
 * @example
 * ```ts
 * optionNames<{ side?: string; profile?: string }>({ side: true, profile: true }); // ['side', 'profile']
 * ```
 */
export function optionNames<O>(names: {
  readonly [K in keyof Required<O>]: true;
}): readonly string[] {
  return Object.freeze(Object.keys(names));
}
