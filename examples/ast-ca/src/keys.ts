/**
 * The public key provider: tenants register public keys as JWKs and fetch them by `kid`. The
 * `kid` is the key's JWK thumbprint (RFC 7638), so the same key can be registered only once
 * per tenant, however its JWK is written.
 *
 * @module
 */
import { createHash, createPublicKey } from 'node:crypto';
import { ast } from '@faultline/core';

/** A public JWK with only the members its thumbprint covers. */
export type PublicJwk = Readonly<Record<string, string>>;

/** A registered key. */
export interface RegisteredKey {
  readonly kid: string;
  readonly tenant: string;
  readonly jwk: PublicJwk;
  readonly registeredBy: string;
  readonly expiresAt: Date | undefined;
}

// RFC 7638 §3.2: the required members of each key type, in lexicographic order.
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};
// Members that only private (or symmetric) JWKs carry.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function malformed(pointer: string, message: string): never {
  throw ast.fault('MalformedField', `${pointer.slice('/body/'.length)} ${message}`, {
    details: [{ pointer, message, keyword: 'format' }],
  });
}

/**
 * Checks a JWK and keeps the members of its thumbprint.
 *
 * @param value - the `jwk` field of the request body
 * @returns the public JWK, its members in RFC 7638 order
 * @throws the AST fault `MalformedField` (400) for anything but a valid public RSA, EC or OKP key
 */
export function parseJwk(value: unknown): PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    malformed('/body/jwk', 'must be a JWK object');
  const jwk = value as Record<string, unknown>;
  const members = typeof jwk.kty === 'string' ? REQUIRED_MEMBERS[jwk.kty] : undefined;
  if (members === undefined) malformed('/body/jwk/kty', 'must be RSA, EC or OKP');
  for (const name of members) {
    if (typeof jwk[name] !== 'string' || jwk[name] === '')
      malformed(`/body/jwk/${name}`, 'must be a non-empty string');
  }
  const secret = PRIVATE_MEMBERS.find((name) => name in jwk);
  if (secret !== undefined)
    malformed(`/body/jwk/${secret}`, 'must not be sent: register the public key only');
  const publicJwk = Object.fromEntries(members.map((name) => [name, jwk[name] as string]));
  try {
    createPublicKey({ key: publicJwk, format: 'jwk' });
  } catch {
    malformed('/body/jwk', `is not a valid ${jwk.kty} public key`);
  }
  return Object.freeze(publicJwk);
}

/**
 * The JWK SHA-256 thumbprint of RFC 7638: the required members, in lexicographic order, as JSON
 * without whitespace, hashed and base64url-encoded.
 *
 * @param jwk - a key from {@link parseJwk}
 * @returns the thumbprint, e.g. `NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs` for RFC 7638's example
 */
export function thumbprint(jwk: PublicJwk): string {
  const members = REQUIRED_MEMBERS[jwk.kty ?? ''] ?? [];
  const canonical = `{${members.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The registered keys of every tenant, in memory. */
export class KeyRegistry {
  readonly #keys = new Map<string, RegisteredKey>();

  /**
   * Registers a key under its thumbprint.
   *
   * @returns the registered key
   * @throws the AST fault `KeyAlreadyExists` (409) when the tenant has a key with the same thumbprint
   */
  register(
    tenant: string,
    jwk: PublicJwk,
    registeredBy: string,
    expiresAt: Date | undefined,
  ): RegisteredKey {
    const kid = thumbprint(jwk);
    if (this.#keys.has(`${tenant}/${kid}`)) {
      throw ast.fault(
        'KeyAlreadyExists',
        `A key with the thumbprint ${kid} is already registered for tenant '${tenant}'`,
      );
    }
    const key: RegisteredKey = Object.freeze({ kid, tenant, jwk, registeredBy, expiresAt });
    this.#keys.set(`${tenant}/${kid}`, key);
    return key;
  }

  /**
   * Finds a key that may still be used.
   *
   * @throws the AST fault `KeyNotFound` (404) or `KeyExpired` (410)
   */
  get(tenant: string, kid: string, now: Date): RegisteredKey {
    const key = this.#keys.get(`${tenant}/${kid}`);
    if (key === undefined) throw ast.fault('KeyNotFound', `Tenant '${tenant}' has no key ${kid}`);
    if (key.expiresAt !== undefined && key.expiresAt.getTime() <= now.getTime()) {
      throw ast.fault(
        'KeyExpired',
        `Key ${kid} of tenant '${tenant}' expired at ${key.expiresAt.toISOString()}`,
      );
    }
    return key;
  }
}
