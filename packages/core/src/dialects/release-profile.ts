/**
 * Named profiles: the real releases a dialect's default does not reproduce. The default is the
 * newest release; each profile is a small table of what differs from it, checked once when a
 * handler is created.
 *
 * @module
 */

/**
 * The settings of one release: the default's, with a profile's differences laid over them.
 * An unknown name is a `TypeError` that names the profiles there are.
 *
 * @param dialect - the dialect's id, for the message (`options.<dialect>.profile`)
 * @param defaults - the newest release's settings
 * @param profiles - each profile's differences from the defaults
 * @param name - the `profile` option; `undefined` is the default
 * @returns the frozen settings
 * @throws TypeError naming the profiles, e.g. `faultline: options.xroad.profile must be one of '7.4' (got 'x')`
 * @example
 * ```ts
 * const release = resolveProfile('xroad', { jsonType: 'application/json' }, { '7.4': { jsonType: 'application/json;charset=utf-8' } }, '7.4');
 * release.jsonType; // 'application/json;charset=utf-8'
 * ```
 */
export function resolveProfile<R extends object>(
  dialect: string,
  defaults: R,
  profiles: Readonly<Record<string, Partial<R>>>,
  name: unknown,
): Readonly<R> {
  if (name === undefined) return Object.freeze({ ...defaults });
  if (typeof name !== 'string' || !Object.hasOwn(profiles, name)) {
    const names = Object.keys(profiles)
      .map((n) => `'${n}'`)
      .join(', ');
    const got = typeof name === 'string' ? `'${name}'` : String(name);
    throw new TypeError(
      `faultline: options.${dialect}.profile must be one of ${names} (got ${got})`,
    );
  }
  return Object.freeze({ ...defaults, ...profiles[name] });
}
