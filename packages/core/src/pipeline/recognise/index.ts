/**
 * The built-in recognisers: the errors faultline understands without a mapping rule. Each can
 * be switched off by name (`builtins: { zod: false }`); an error no recogniser claims gets the
 * usual answer (its status if it carries one and `httpErrors` is on, else an internal error).
 *
 * @module
 */

/**
 * The names of the built-in recognisers.
 *
 * @example
 * ```ts
 * // Switch every built-in recogniser off except the network one:
 * const builtins = Object.fromEntries(BUILTIN_NAMES.map((name) => [name, name === 'network']));
 * createFaultHandler({ dialect: 'problem', builtins });
 * ```
 */
export const BUILTIN_NAMES = [
  'network',
  'httpErrors',
  'fastify',
  'bodyParser',
  'aggregate',
  'zod',
  'ajv',
] as const;

/**
 * A built-in recogniser:
 * - `network`: Node and undici failures of a dependency call (`ECONNREFUSED`, `ECONNRESET`,
 *   `ETIMEDOUT`, `ENOTFOUND`, `AbortError`, `TimeoutError`, …, also inside `fetch`'s `cause`)
 *   become each dialect's natural fault;
 * - `httpErrors`: `status`/`statusCode`, `expose` and `headers` on an error (http-errors,
 *   `@fastify/error`, NestJS-style `HttpException`) and Boom's `output`;
 * - `fastify`: Fastify's validation and content-type errors (`FST_ERR_*`);
 * - `bodyParser`: Express body-parser errors (`type: 'entity.parse.failed'`, …);
 * - `aggregate`: an `AggregateError` of client errors becomes one validation fault;
 * - `zod`, `ajv`: their validation errors become validation details.
 *
 * @example
 * ```ts
 * const off: BuiltinName = 'zod';
 * createFaultHandler({ dialect: 'problem', builtins: { [off]: false } });
 * ```
 */
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** Which built-in recognisers are on. */
export type Builtins = Readonly<Record<BuiltinName, boolean>>;

/** Every recogniser on: the default, as each reads only `Error`s and shows no more than a 4xx message. */
export const ALL_BUILTINS: Builtins = Object.freeze(
  Object.fromEntries(BUILTIN_NAMES.map((name) => [name, true])) as Record<BuiltinName, boolean>,
);

/**
 * Reads the `builtins` option: names mapped to `true` or `false`; names left out stay on.
 *
 * @param raw - the option's value
 * @returns the recognisers that are on
 * @throws TypeError for an unknown name or a value that is not a boolean
 * @example
 * ```ts
 * checkBuiltins({ zod: false }).zod; // false
 * checkBuiltins({ zdo: false });     // TypeError: faultline: builtins.zdo is not a built-in (network, httpErrors, …)
 * ```
 */
export function checkBuiltins(raw: unknown): Builtins {
  if (raw === undefined) return ALL_BUILTINS;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(
      'faultline: builtins must be an object of names to booleans, e.g. { zod: false }',
    );
  }
  const known = new Set<string>(BUILTIN_NAMES);
  const chosen: Record<string, boolean> = { ...ALL_BUILTINS };
  for (const [name, on] of Object.entries(raw)) {
    if (!known.has(name))
      throw new TypeError(
        `faultline: builtins.${name} is not a built-in (${BUILTIN_NAMES.join(', ')})`,
      );
    if (typeof on !== 'boolean')
      throw new TypeError(`faultline: builtins.${name} must be true or false`);
    chosen[name] = on;
  }
  return Object.freeze(chosen as Record<BuiltinName, boolean>);
}
