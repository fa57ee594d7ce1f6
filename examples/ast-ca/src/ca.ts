/**
 * The certificate authority itself, in memory: a root CA made at start-up, one signer (an
 * issuing CA under the root) per tenant, and the certificate requests waiting for an operator.
 * Every fault here comes from the state of these objects, never from a canned condition.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { ast } from '@faultline/core';
import { x509 } from './x509.js';

/** A WebCrypto key pair (the DOM's `CryptoKeyPair`; this project compiles without the DOM lib). */
export type KeyPair = webcrypto.CryptoKeyPair;

/** A certificate profile: what a certificate of this kind may be used for. */
export interface Profile {
  /** The extended key usage the certificate carries, and its signer must allow. */
  readonly eku: string;
  /** Whether an RSA key may also encrypt keys (TLS key transport, S/MIME); EC keys never do. */
  readonly keyEncipherment: boolean;
}

/** The profiles `POST /v1/certificates` issues. */
export const PROFILES: Readonly<Record<string, Profile>> = Object.freeze({
  'code-signing': { eku: x509.ExtendedKeyUsage.codeSigning, keyEncipherment: false },
  'email-protection': { eku: x509.ExtendedKeyUsage.emailProtection, keyEncipherment: true },
  'tls-client': { eku: x509.ExtendedKeyUsage.clientAuth, keyEncipherment: false },
  'tls-server': { eku: x509.ExtendedKeyUsage.serverAuth, keyEncipherment: true },
});

/** The profiles a new signer may issue when its creator names none. */
export const DEFAULT_SIGNER_PROFILES: readonly string[] = Object.freeze([
  'tls-client',
  'tls-server',
]);

/** A tenant's issuing CA. */
export interface Signer {
  readonly id: string;
  readonly tenant: string;
  readonly keys: KeyPair;
  readonly certificate: x509.X509Certificate;
  revokedAt: Date | undefined;
  /** How many certificates it has signed; a signer that signed one can no longer be deleted. */
  issued: number;
}

/** A certificate request and, once signed, its certificate. */
export interface CertificateRecord {
  readonly id: string;
  readonly tenant: string;
  readonly requestedBy: string;
  readonly profile: string;
  readonly signerId: string;
  readonly csr: x509.Pkcs10CertificateRequest;
  status: 'pending' | 'issued' | 'delivered' | 'failed';
  certificate?: x509.X509Certificate;
  failure?: string;
}

/** How the CA makes keys and reads the time. */
export interface CaOptions {
  readonly now: () => Date;
  readonly generateSignerKeys: () => Promise<KeyPair>;
}

const ECDSA_P384 = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const;
const DAY = 24 * 60 * 60 * 1000;

/**
 * A fresh ECDSA P-256 key pair from WebCrypto, the default source of signer keys.
 *
 * @returns the key pair; the private key cannot be exported
 */
export function generateEcdsaKeys(): Promise<KeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
}

// A positive, non-zero 127-bit serial number (RFC 5280 §4.1.2.2: at most 20 octets).
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

// WebCrypto's signature algorithm for a signing key.
function signingAlgorithm(key: webcrypto.CryptoKey): webcrypto.EcdsaParams {
  return { name: key.algorithm.name === 'ECDSA' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

async function caExtensions(
  publicKey: webcrypto.CryptoKey,
  issuer: x509.X509Certificate | undefined,
  pathLength?: number,
): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (issuer !== undefined)
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey));
  return extensions;
}

/** The CA: its root, the tenants' signers and the certificate requests. */
export class CertificateAuthority {
  readonly #options: CaOptions;
  readonly #root: Promise<{ keys: KeyPair; certificate: x509.X509Certificate }>;
  readonly #signers = new Map<string, Signer>();
  // The signer of each tenant, and a version that changes whenever a tenant's signer is
  // created or deleted: creation commits only if the version it started from still holds.
  readonly #tenants = new Map<string, { signerId?: string; version: number; creating: number }>();
  readonly #certificates = new Map<string, CertificateRecord>();
  #nextSigner = 1;
  #nextCertificate = 1;

  constructor(options: CaOptions) {
    this.#options = options;
    this.#root = this.#createRoot();
    // Requests await the root; this keeps a failed start-up from being an unhandled rejection.
    this.#root.catch(() => undefined);
  }

  async #createRoot() {
    const keys = await crypto.subtle.generateKey(ECDSA_P384, false, ['sign', 'verify']);
    const notBefore = this.#options.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: 'CN=faultline AST Example Root CA, O=faultline',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 10 * 365 * DAY),
      keys,
      signingAlgorithm: ECDSA_P384,
      extensions: await caExtensions(keys.publicKey, undefined),
    });
    return { keys, certificate };
  }

  /** The root certificate. */
  async rootCertificate(): Promise<x509.X509Certificate> {
    return (await this.#root).certificate;
  }

  #tenant(tenant: string) {
    let state = this.#tenants.get(tenant);
    if (state === undefined) {
      state = { version: 0, creating: 0 };
      this.#tenants.set(tenant, state);
    }
    return state;
  }

  /**
   * Creates the tenant's signer: a new key pair and a CA certificate under the root that allows
   * `profiles` (as extended key usages). Key generation and signing take time; a second
   * creation that overlaps the first loses the race.
   *
   * @throws the AST fault `SignerAlreadyExists` or `SignerCreationConflict` (409)
   */
  async createSigner(tenant: string, profiles: readonly string[]): Promise<Signer> {
    const state = this.#tenant(tenant);
    if (state.signerId !== undefined) {
      throw ast.fault(
        'SignerAlreadyExists',
        `Tenant '${tenant}' already has the signer ${state.signerId}`,
      );
    }
    const version = state.version;
    state.creating += 1;
    let keys: KeyPair;
    let certificate: x509.X509Certificate;
    try {
      const root = await this.#root;
      keys = await this.#options.generateSignerKeys();
      const notBefore = this.#options.now();
      certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: `CN=${tenant} Signer, O=faultline`,
        issuer: root.certificate.subjectName,
        notBefore,
        notAfter: new Date(notBefore.getTime() + 5 * 365 * DAY),
        publicKey: keys.publicKey,
        signingKey: root.keys.privateKey,
        signingAlgorithm: ECDSA_P384,
        extensions: [
          ...(await caExtensions(keys.publicKey, root.certificate, 0)),
          new x509.ExtendedKeyUsageExtension(profiles.map((name) => PROFILES[name]?.eku ?? name)),
        ],
      });
    } finally {
      state.creating -= 1;
    }
    if (state.version !== version) {
      const winner =
        state.signerId === undefined ? 'was created and deleted' : `${state.signerId} was created`;
      throw ast.fault(
        'SignerCreationConflict',
        `While this signer was being created for tenant '${tenant}', the signer ${winner} by a concurrent request`,
      );
    }
    const signer: Signer = {
      id: `sgn-${this.#nextSigner++}`,
      tenant,
      keys,
      certificate,
      revokedAt: undefined,
      issued: 0,
    };
    this.#signers.set(signer.id, signer);
    state.signerId = signer.id;
    state.version += 1;
    return signer;
  }

  /**
   * A signer of the tenant, by id.
   *
   * @throws the AST fault `SignerNotFound` (404), also for another tenant's signer
   */
  signer(tenant: string, id: string): Signer {
    const signer = this.#signers.get(id);
    if (signer === undefined || signer.tenant !== tenant)
      throw ast.fault('SignerNotFound', `Tenant '${tenant}' has no signer ${id}`);
    return signer;
  }

  /**
   * The signer that issues the tenant's certificates.
   *
   * @param whenMissing - the fault for a tenant without one
   * @throws `whenMissing`, or the AST fault `SignerRevoked` (409)
   */
  activeSigner(
    tenant: string,
    whenMissing: 'SignerNotFoundForTenant' | 'SignerNotYetIssued',
  ): Signer {
    const state = this.#tenant(tenant);
    if (state.signerId === undefined) {
      const message =
        whenMissing === 'SignerNotYetIssued'
          ? `The signer certificate of tenant '${tenant}' wasn't issued yet${state.creating > 0 ? ': its creation is in progress' : ''}`
          : `Tenant '${tenant}' has no signer; an administrator creates one with POST /v1/signers`;
      throw ast.fault(whenMissing, message);
    }
    const signer = this.signer(tenant, state.signerId);
    if (signer.revokedAt !== undefined) {
      throw ast.fault(
        'SignerRevoked',
        `Signer ${signer.id} of tenant '${tenant}' was revoked and may not be used anymore`,
      );
    }
    return signer;
  }

  /**
   * Revokes a signer: it issues nothing from now on, pending requests included.
   *
   * @throws the AST fault `SignerNotFound` (404) or `SignerRevoked` (409) when it already is
   */
  revokeSigner(tenant: string, id: string): Signer {
    const signer = this.signer(tenant, id);
    if (signer.revokedAt !== undefined)
      throw ast.fault('SignerRevoked', `Signer ${id} was already revoked`);
    signer.revokedAt = this.#options.now();
    return signer;
  }

  /**
   * Deletes a signer that never signed a certificate.
   *
   * @throws the AST fault `SignerNotFound` (404) or `SignerAlreadyInUse` (409)
   */
  deleteSigner(tenant: string, id: string): void {
    const signer = this.signer(tenant, id);
    if (signer.issued > 0) {
      throw ast.fault(
        'SignerAlreadyInUse',
        `Signer ${id} already signed ${signer.issued} certificate${signer.issued === 1 ? '' : 's'} and can't be deleted anymore`,
      );
    }
    this.#signers.delete(id);
    const state = this.#tenant(tenant);
    state.signerId = undefined;
    state.version += 1;
  }

  /**
   * Whether a signer's certificate allows a profile: its extended key usages must list the
   * profile's.
   */
  supports(signer: Signer, profile: string): boolean {
    const usages = signer.certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
    return usages.includes(PROFILES[profile]?.eku ?? '');
  }

  /** Queues a checked request for an operator's approval. */
  request(
    init: Pick<CertificateRecord, 'tenant' | 'requestedBy' | 'profile' | 'signerId' | 'csr'>,
  ): CertificateRecord {
    const record: CertificateRecord = {
      ...init,
      id: `crt-${this.#nextCertificate++}`,
      status: 'pending',
    };
    this.#certificates.set(record.id, record);
    return record;
  }

  /**
   * A certificate request of the tenant, by id.
   *
   * @throws the AST fault `CertificateNotFound` (404), also for another tenant's certificate
   */
  certificate(tenant: string, id: string): CertificateRecord {
    const record = this.#certificates.get(id);
    if (record === undefined || record.tenant !== tenant)
      throw ast.fault('CertificateNotFound', `Tenant '${tenant}' has no certificate ${id}`);
    return record;
  }

  /**
   * Signs a pending request with its signer. When the signer was revoked or deleted meanwhile,
   * or signing fails, the request is marked as failed for good.
   *
   * @throws the AST fault `SignerRevoked` (409), `SignerNotFound` (404), `SignerError` (500) or
   *   `IssuanceFailed` (410) for a request that failed before
   */
  async sign(record: CertificateRecord): Promise<CertificateRecord> {
    if (record.status === 'failed') throw this.#failed(record);
    if (record.status !== 'pending') return record;
    const signer = this.#signers.get(record.signerId);
    if (signer === undefined || signer.revokedAt !== undefined) {
      const reason = signer === undefined ? 'was deleted' : 'was revoked';
      record.status = 'failed';
      record.failure = `its signer ${record.signerId} ${reason} before it was signed`;
      if (signer === undefined)
        throw ast.fault(
          'SignerNotFound',
          `Signer ${record.signerId} ${reason}; certificate ${record.id} can no longer be issued`,
        );
      throw ast.fault(
        'SignerRevoked',
        `Signer ${record.signerId} ${reason} and may not be used anymore; certificate ${record.id} can no longer be issued`,
      );
    }
    const profile = PROFILES[record.profile] as Profile;
    const rsa = record.csr.publicKey.algorithm.name === 'RSASSA-PKCS1-v1_5';
    const keyUsage =
      x509.KeyUsageFlags.digitalSignature |
      (rsa && profile.keyEncipherment ? x509.KeyUsageFlags.keyEncipherment : 0);
    const notBefore = this.#options.now();
    try {
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(keyUsage, true),
        new x509.ExtendedKeyUsageExtension([profile.eku]),
        await x509.SubjectKeyIdentifierExtension.create(record.csr.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(signer.certificate.publicKey),
      ];
      const san = record.csr.getExtension('2.5.29.17');
      if (san !== null) extensions.push(san);
      record.certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: record.csr.subjectName,
        issuer: signer.certificate.subjectName,
        notBefore,
        notAfter: new Date(notBefore.getTime() + 90 * DAY),
        publicKey: record.csr.publicKey,
        signingKey: signer.keys.privateKey,
        signingAlgorithm: signingAlgorithm(signer.keys.privateKey),
        extensions,
      });
    } catch (error) {
      record.status = 'failed';
      record.failure = `signer ${signer.id} could not sign it`;
      throw ast.fault('SignerError', undefined, { cause: error });
    }
    record.status = 'issued';
    signer.issued += 1;
    return record;
  }

  /**
   * Hands a signed certificate over, once: it is evicted afterwards.
   *
   * @returns the certificate and its chain, as PEM
   * @throws the AST fault `NotYetSigned` (409), `AlreadyDelivered` (410) or `IssuanceFailed` (410)
   */
  async deliver(record: CertificateRecord): Promise<{ certificate: string; chain: string[] }> {
    if (record.status === 'pending') {
      throw ast.fault('NotYetSigned', `Certificate ${record.id} waits for an operator to sign it`, {
        headers: { 'Retry-After': '5' },
      });
    }
    if (record.status === 'delivered')
      throw ast.fault(
        'AlreadyDelivered',
        `Certificate ${record.id} was already delivered and was evicted`,
      );
    if (record.status === 'failed') throw this.#failed(record);
    const signer = this.#signers.get(record.signerId);
    const chain = [
      signer?.certificate.toString('pem'),
      (await this.rootCertificate()).toString('pem'),
    ];
    const certificate = (record.certificate as x509.X509Certificate).toString('pem');
    record.status = 'delivered';
    record.certificate = undefined;
    return { certificate, chain: chain.filter((pem): pem is string => pem !== undefined) };
  }

  #failed(record: CertificateRecord) {
    return ast.fault(
      'IssuanceFailed',
      `Certificate ${record.id} couldn't be issued: ${record.failure ?? 'signing failed'}`,
    );
  }
}
