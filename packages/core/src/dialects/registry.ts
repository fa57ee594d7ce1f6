/**
 * The built-in dialects, by name.
 */
import { ast } from './ast/index.js';
import { de4a } from './de4a/index.js';
import { esb } from './esb/index.js';
import { problem } from './problem/index.js';
import { xks } from './xks/index.js';
import { xroad } from './xroad/index.js';
import type { Dialect } from './contract.js';

/** The built-in dialects, by name. */
export const DIALECTS = Object.freeze({ problem, xroad, ast, xks, de4a, esb } as const satisfies Record<string, Dialect<never>>);

/**
 * The name of a built-in dialect.
 *
 * @example
 * ```ts
 * const name: DialectName = 'xroad';
 * createFaultHandler({ dialect: name });
 * ```
 */
export type DialectName = keyof typeof DIALECTS;

/** The built-in dialect of a name, or `undefined` (inherited names such as `toString` included). */
export function builtInDialect(name: string): Dialect | undefined {
  return Object.hasOwn(DIALECTS, name) ? (DIALECTS[name as DialectName] as Dialect) : undefined;
}
