/**
 * Named profiles: a table of differences laid over the newest release, an unknown name a
 * TypeError that names the profiles there are.
 */
import { resolveProfile } from '../../src/dialects/release-profile';

const DEFAULTS = { jsonType: 'application/json', other: 1 };
const PROFILES = { '7.4': { jsonType: 'application/json;charset=utf-8' }, old: { other: 2 } };

describe('resolveProfile', () => {
  it('should give the defaults when no profile is named', () => {
    expect(resolveProfile('xroad', DEFAULTS, PROFILES, undefined)).toEqual(DEFAULTS);
  });

  it("should lay a profile's differences over the defaults, and freeze the result", () => {
    const release = resolveProfile('xroad', DEFAULTS, PROFILES, '7.4');
    expect(release).toEqual({ jsonType: 'application/json;charset=utf-8', other: 1 });
    expect(Object.isFrozen(release)).toBe(true);
  });

  it.each([['7.3'], [''], [7.4], [null], ['toString'], ['__proto__']])(
    'should reject %p with a TypeError naming the profiles',
    (name) => {
      expect(() => resolveProfile('xroad', DEFAULTS, PROFILES, name)).toThrow(
        // A name is quoted; any other value is shown as it is.
        new TypeError(
          `faultline: options.xroad.profile must be one of '7.4', 'old' (got ${typeof name === 'string' ? `'${name}'` : String(name)})`,
        ),
      );
    },
  );
});
