/**
 * Guarded reads of thrown values. An error handler runs when things already went wrong, so
 * nothing here may throw: not on getters that throw, not on Proxies, not on Symbols.
 */

/** Reads `obj[key]`; `undefined` when the read throws. */
export function safeGet(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof ctor`, `false` when a Proxy trap throws. */
export function safeInstanceOf(value: object, ctor: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
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
