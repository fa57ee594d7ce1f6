/**
 * The CA's certificate request policy. A PKCS#10 request is parsed with `@peculiar/x509`, its
 * key is decoded by Node's crypto (OpenSSL), and its signature is checked with WebCrypto. The
 * checks run in the order a real CA runs them (Let's Encrypt's Boulder does the same): the key
 * type, the key's strength, the signature algorithm, then the signature itself.
 *
 * @module
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ast } from '@faultline/core';
import { x509 } from './x509.js';

const PEM =
  /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

// OpenSSL's curve names, as Node reports them, and the names users know.
const ALLOWED_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
};
const WEAK_CURVES = new Set([
  'prime192v1',
  'prime192v2',
  'prime192v3',
  'secp192k1',
  'secp224k1',
  'secp224r1',
  'secp160r1',
  'secp160k1',
]);
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;

const ALLOWED_SIGNATURES = new Set(['RSASSA-PKCS1-v1_5', 'ECDSA']);
const ALLOWED_DIGESTS = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
// Signature algorithms `@peculiar/x509` leaves as bare OIDs.
const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
};

function malformed(message: string): never {
  throw ast.fault('MalformedField', `csr ${message}`, {
    details: [{ pointer: '/body/csr', message, keyword: 'format' }],
  });
}

/**
 * Parses a PEM-encoded PKCS#10 certificate request.
 *
 * @param pem - the `csr` field of the request body
 * @returns the parsed request
 * @throws the AST fault `MalformedField` (400) when it is no PEM CSR or its subject is empty
 */
export function parseCsr(pem: string): x509.Pkcs10CertificateRequest {
  if (!PEM.test(pem)) malformed('must be a PEM-encoded PKCS#10 certificate request');
  let csr: x509.Pkcs10CertificateRequest;
  let subject: string;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
    subject = csr.subject;
    void csr.publicKey.rawData;
  } catch {
    return malformed('is not a valid PKCS#10 certificate request');
  }
  if (subject === '') malformed('has an empty subject');
  return csr;
}

const KEY_NAMES: Readonly<Record<string, string>> = {
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  'rsa-pss': 'RSA-PSS',
  x25519: 'X25519',
  x448: 'X448',
};

function describeKey(csr: x509.Pkcs10CertificateRequest, key: KeyObject | undefined): string {
  const type = key?.asymmetricKeyType;
  if (type === undefined) return csr.publicKey.algorithm.name;
  return KEY_NAMES[type] ?? type.toUpperCase();
}

function checkKey(csr: x509.Pkcs10CertificateRequest): void {
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    key = undefined;
  }
  const type = key?.asymmetricKeyType;
  if (key === undefined || (type !== 'rsa' && type !== 'ec')) {
    throw ast.fault(
      'UnsupportedKeyType',
      `The CSR's ${describeKey(csr, key)} key isn't supported: use RSA (${MIN_RSA_BITS}-${MAX_RSA_BITS} bits) or ECDSA (P-256, P-384)`,
    );
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      throw ast.fault(
        'BadKey',
        `The CSR's RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`,
      );
    if (bits > MAX_RSA_BITS)
      throw ast.fault(
        'BadKey',
        `The CSR's RSA key has ${bits} bits; at most ${MAX_RSA_BITS} are allowed`,
      );
    if (details.publicExponent !== 65537n)
      throw ast.fault('BadKey', "The CSR's RSA key must use the public exponent 65537");
    return;
  }
  const curve = details.namedCurve ?? 'unnamed';
  if (ALLOWED_CURVES[curve] === undefined) {
    const why = WEAK_CURVES.has(curve) ? 'is too weak' : "isn't allowed";
    throw ast.fault('BadKey', `The CSR's EC curve ${curve} ${why}: use P-256 or P-384`);
  }
}

function checkSignatureAlgorithm(csr: x509.Pkcs10CertificateRequest): void {
  const { name, hash } = csr.signatureAlgorithm as { name: string; hash?: { name?: string } };
  const digest = hash?.name;
  if (ALLOWED_SIGNATURES.has(name) && digest !== undefined && ALLOWED_DIGESTS.has(digest)) return;
  const label = SIGNATURE_NAMES[name] ?? (digest === undefined ? name : `${name} with ${digest}`);
  throw ast.fault(
    'UnsupportedAlgorithm',
    `The CSR is signed with ${label}; use SHA-256, SHA-384 or SHA-512 with RSA or ECDSA`,
  );
}

/**
 * Applies the CA's policy to a parsed request: the key, the signature algorithm, then the
 * signature.
 *
 * @param csr - a request from {@link parseCsr}
 * @throws the AST fault `UnsupportedKeyType`, `BadKey`, `UnsupportedAlgorithm` (400) or
 *   `InvalidCsrSignature` (403)
 */
export async function checkCsr(csr: x509.Pkcs10CertificateRequest): Promise<void> {
  checkKey(csr);
  checkSignatureAlgorithm(csr);
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch (error) {
    throw ast.fault('InvalidCsrSignature', "The CSR's signature could not be verified", {
      cause: error,
    });
  }
  if (!valid)
    throw ast.fault('InvalidCsrSignature', "The CSR's signature doesn't match its public key");
}
