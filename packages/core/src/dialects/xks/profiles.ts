/**
 * Extra file: the table of releases, data that runtime.ts lays over its defaults once.
 *
 * The XKS proxy releases faultline reproduces. The default follows the XKS proxy API
 * specification v1.0.x (aws/aws-kms-xksproxy-api-spec `xks_proxy_api_spec.md`, "Error codes")
 * and its error-code table, which says that ValidationException does not apply to GetHealthStatus.
 * Profile `aws-reference` is AWS's reference proxy (aws-samples/aws-kms-xks-proxy
 * `xks-axum/src/xks_proxy/mod.rs`), which AWS's test client (aws-kms-xksproxy-test-client
 * v1.1.0) holds every proxy to: ValidationException for every JSON rejection, `/health`
 * included, and no `errorMessage` member.
 *
 * @module
 */

/**
 * A named profile of the `xks` dialect: a release the default does not reproduce.
 *
 * @example
 * ```ts
 * const profile: XksProfile = 'aws-reference';
 * createFaultHandler({ dialect: 'xks', xks: { profile } });
 * ```
 */
export type XksProfile = 'aws-reference';

/** What differs between the specification and AWS's reference proxy. */
export interface XksRelease {
  /** Whether ValidationException is sent for GetHealthStatus (the specification's table says it does not apply). */
  readonly healthValidation: boolean;
  /** Whether the body carries `errorMessage`. */
  readonly errorMessage: boolean;
}

/** The specification v1.0.x. */
export const XKS_DEFAULT: XksRelease = Object.freeze({
  healthValidation: false,
  errorMessage: true,
});

/** Each profile's differences from {@link XKS_DEFAULT}. */
export const XKS_PROFILES: Readonly<Record<XksProfile, Partial<XksRelease>>> = Object.freeze({
  'aws-reference': Object.freeze({ healthValidation: true, errorMessage: false }),
});
