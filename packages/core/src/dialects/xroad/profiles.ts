/**
 * Extra file: the table of releases, data that runtime.ts lays over its defaults once.
 *
 * The X-Road releases faultline reproduces: the default is X-Road 7.5–7.8 (Jetty 12, which
 * drops the assumed UTF-8 charset from `application/json`); profile `7.4` is X-Road 7.4 and
 * earlier, which sent `application/json;charset=utf-8`
 * (`src/common/common-jetty/.../JettyUtils.java` `setContentType`).
 *
 * @module
 */

/**
 * A named profile of the `xroad` dialect: a release the default does not reproduce.
 *
 * @example
 * ```ts
 * const profile: XRoadProfile = '7.4';
 * createFaultHandler({ dialect: 'xroad', xroad: { profile } });
 * ```
 */
export type XRoadProfile = '7.4';

/** What a release sends that differs between releases. */
export interface XRoadRelease {
  /** The `Content-Type` of REST JSON faults. */
  readonly jsonType: string;
}

/** X-Road 7.5–7.8: REST JSON without a charset. */
export const XROAD_DEFAULT: XRoadRelease = Object.freeze({ jsonType: 'application/json' });

/** Each profile's differences from {@link XROAD_DEFAULT}. */
export const XROAD_PROFILES: Readonly<Record<XRoadProfile, Partial<XRoadRelease>>> = Object.freeze({
  '7.4': Object.freeze({ jsonType: 'application/json;charset=utf-8' }),
});
