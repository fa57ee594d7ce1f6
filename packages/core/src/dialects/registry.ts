/**
 * The registry of built-in dialects: the one place that lists them. A seventh built-in dialect
 * is one line here; the handler options, the adapters and the command line read this table.
 *
 * @module
 */
import { ast } from './ast/index.js';
import { de4a } from './de4a/index.js';
import { esb } from './esb/index.js';
import { problem } from './problem/index.js';
import { xks } from './xks/index.js';
import { xroad } from './xroad/index.js';
import type { Dialect } from './contract.js';

/**
 * The built-in dialects, by name, in the order `parseFault` tries them: the most specific
 * structures first, problem+json last.
 *
 * @example
 * ```ts
 * Object.keys(DIALECTS); // ['xroad', 'xks', 'esb', 'de4a', 'ast', 'problem']
 * DIALECTS.xks.catalog.entries.length; // 12
 * ```
 */
export const DIALECTS = Object.freeze({
  xroad,
  xks,
  esb,
  de4a,
  ast,
  problem,
} as const satisfies Record<string, Dialect<never>>);

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

/**
 * The options of each built-in dialect, under its name, as the handler options take them:
 * `{ xroad: { side: 'client' }, esb: { profile: 'apim-3.2' } }`. Each type is the parameter of
 * the dialect's own `configure`, so a dialect added to {@link DIALECTS} brings its options
 * with it.
 *
 * @example
 * ```ts
 * const options: DialectOptionsByName = { xroad: { side: 'client' }, xks: { pathPrefix: '/tenant-a' } };
 * createFaultHandler({ dialect: 'xroad', ...options });
 * ```
 */
export type DialectOptionsByName = {
  readonly [K in DialectName]?: Parameters<(typeof DIALECTS)[K]['configure']>[0];
};

/** The built-in dialect of a name, or `undefined` (inherited names such as `toString` included). */
export function builtInDialect(name: string): Dialect | undefined {
  return Object.hasOwn(DIALECTS, name) ? (DIALECTS[name as DialectName] as Dialect) : undefined;
}
