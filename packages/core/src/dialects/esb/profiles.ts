/**
 * Extra file: the table of releases, data that runtime.ts lays over its defaults once.
 *
 * The releases the ESB dialect reproduces. The default is the newest WSO2 API Manager 4.x
 * gateway (wso2/product-apim, wso2/carbon-apimgt, wso2/wso2-synapse); each named profile is a
 * small table of what another release sends differently, merged over the default once, in
 * `configure()`.
 *
 * @module
 */
import { resolveProfile } from '../release-profile.js';

/**
 * A named release the ESB dialect can answer as, instead of the newest 4.x gateway:
 * `apim-3.2` (WSO2 API Manager 3.2.0: the `am:`/`ams:`/`amt:` XML bodies on an XML Accept, its
 * `WWW-Authenticate`) or `apim-4-runtime` (what the 4.x code sends where its documentation's
 * status table says otherwise: 900805 with 403, 900911 with 500).
 *
 * @example
 * ```ts
 * const profile: EsbProfile = 'apim-3.2';
 * createFaultHandler({ dialect: 'esb', esb: { profile } });
 * ```
 */
export type EsbProfile = 'apim-3.2' | 'apim-4-runtime';

/** What a release sends, where releases differ. */
export interface Release {
  /** An Accept of exactly `application/xml` or `text/xml` selects the 3.x XML bodies (`handlers/Utils.setFaultPayload`). */
  readonly xmlOnAccept: boolean;
  /** The authentication schemes whose challenges `WWW-Authenticate` lists, in order (`getAuthenticatorsChallengeString`). */
  readonly schemes: readonly string[];
  /** What the challenges are joined with. */
  readonly join: string;
  /** The `error_description` after `error="invalid_token"`. */
  readonly errorDescription: string;
  /** Statuses the release sends for codes whose documented status differs. */
  readonly statuses: Readonly<Record<number, number>>;
}

/**
 * WSO2 API Manager 4.x, the default: JSON from every sequence (`payloadFactory
 * media-type="json"`), the internal API key authenticator's challenge before OAuth's, joined
 * with `, ` (carbon-apimgt `APIAuthenticationHandler`), and the documentation's statuses.
 *
 * @example
 * ```ts
 * NEWEST.schemes; // ['Internal API Key', 'Bearer']
 * ```
 */
export const NEWEST: Release = Object.freeze({
  xmlOnAccept: false,
  schemes: Object.freeze(['Internal API Key', 'Bearer']),
  join: ', ',
  errorDescription: 'The provided token is invalid',
  statuses: Object.freeze({}),
});

/**
 * Each profile: what differs from {@link NEWEST}.
 *
 * @example
 * ```ts
 * PROFILES['apim-4-runtime'].statuses; // { 900805: 403, 900911: 500 }
 * ```
 */
export const PROFILES: Readonly<Record<EsbProfile, Partial<Release>>> = Object.freeze({
  // wso2/product-apim v3.2.0 sequences (XML payloadFactory), carbon-apimgt 6.7.x
  // APIAuthenticationHandler: OAuth's challenge alone, joined with a space, "The access token expired".
  'apim-3.2': Object.freeze({
    xmlOnAccept: true,
    schemes: Object.freeze(['Bearer']),
    join: ' ',
    errorDescription: 'The access token expired',
  }),
  // carbon-apimgt ThrottleHandler.handleThrottleOut (blocked: SC_FORBIDDEN) and
  // APIAuthenticationHandler.handleAuthFailure (API_AUTH_MISSING_OPEN_API_DEF: SC_INTERNAL_SERVER_ERROR).
  'apim-4-runtime': Object.freeze({ statuses: Object.freeze({ 900805: 403, 900911: 500 }) }),
});

/**
 * The release a profile option selects, checked.
 *
 * @param profile - the `profile` option, or `undefined` for the newest 4.x release
 * @returns the merged table
 * @throws TypeError naming the profiles that exist
 * @example
 * ```ts
 * releaseOf('apim-3.2').join; // ' '
 * releaseOf('apim-3'); // TypeError: faultline: options.esb.profile must be one of 'apim-3.2', 'apim-4-runtime' (got 'apim-3')
 * ```
 */
export function releaseOf(profile: unknown): Release {
  return profile === undefined ? NEWEST : resolveProfile('esb', NEWEST, PROFILES, profile);
}

/**
 * The `WWW-Authenticate` value a release sends with a 401 authentication failure.
 *
 * @param release - the release
 * @param challenges - the challenges before the error parameters; default: each scheme with `realm`
 * @param realm - the realm of the default challenges
 * @returns the header value
 * @example
 * ```ts
 * challengeOf(NEWEST, undefined, 'WSO2 API Manager');
 * // 'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"'
 * ```
 */
export function challengeOf(
  release: Release,
  challenges: string | undefined,
  realm: string,
): string {
  const list =
    challenges ?? release.schemes.map((scheme) => `${scheme} realm="${realm}"`).join(release.join);
  return `${list}, error="invalid_token", error_description="${release.errorDescription}"`;
}
