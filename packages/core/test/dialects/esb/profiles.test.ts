/**
 * The ESB releases: the 4.x default, each profile as a table of differences merged over it,
 * the checked profile name, and the `WWW-Authenticate` value each release sends.
 */
import { NEWEST, PROFILES, challengeOf, releaseOf } from '../../../src/dialects/esb/profiles';

describe('releaseOf', () => {
  describe('when no profile is given', () => {
    it('should be WSO2 API Manager 4.x', () => {
      expect(releaseOf(undefined)).toBe(NEWEST);
      expect(NEWEST).toEqual({
        xmlOnAccept: false,
        schemes: ['Internal API Key', 'Bearer'],
        join: ', ',
        errorDescription: 'The provided token is invalid',
        statuses: {},
      });
    });
  });

  describe.each([
    [
      'apim-3.2',
      {
        xmlOnAccept: true,
        schemes: ['Bearer'],
        join: ' ',
        errorDescription: 'The access token expired',
        statuses: {},
      },
    ],
    [
      'apim-4-runtime',
      {
        xmlOnAccept: false,
        schemes: ['Internal API Key', 'Bearer'],
        join: ', ',
        errorDescription: 'The provided token is invalid',
        statuses: { 900805: 403, 900911: 500 },
      },
    ],
  ])('when the profile is %s', (profile, release) => {
    it('should be the default with the profile’s differences, frozen', () => {
      const merged = releaseOf(profile);
      expect(merged).toEqual(release);
      expect(Object.isFrozen(merged)).toBe(true);
    });
  });

  it('should hold exactly the two profiles, each frozen', () => {
    expect(Object.keys(PROFILES)).toEqual(['apim-3.2', 'apim-4-runtime']);
    expect(Object.values(PROFILES).every((p) => Object.isFrozen(p))).toBe(true);
  });

  it.each([
    ['apim-3.1', "(got 'apim-3.1')"],
    ['APIM-3.2', "(got 'APIM-3.2')"],
    ['toString', "(got 'toString')"],
    ['', "(got '')"],
    [32, '(got 32)'],
    [false, '(got false)'],
  ])('should refuse %p with a TypeError naming the profiles', (profile, got) => {
    expect(() => releaseOf(profile)).toThrow(
      new TypeError(
        `faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' ${got}`,
      ),
    );
  });
});

describe('challengeOf', () => {
  it.each([
    [
      NEWEST,
      undefined,
      'WSO2 API Manager',
      'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"',
    ],
    [
      releaseOf('apim-3.2'),
      undefined,
      'WSO2 API Manager',
      'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The access token expired"',
    ],
    [
      { ...NEWEST, schemes: ['Bearer', 'API Key'], join: ' ' },
      undefined,
      'R',
      'Bearer realm="R" API Key realm="R", error="invalid_token", error_description="The provided token is invalid"',
    ],
    [
      NEWEST,
      'OAuth2 realm="x"',
      'ignored',
      'OAuth2 realm="x", error="invalid_token", error_description="The provided token is invalid"',
    ],
  ])('should write %p with %p as its release does', (release, challenges, realm, header) => {
    expect(challengeOf(release, challenges, realm)).toBe(header);
  });
});
