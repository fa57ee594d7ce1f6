/**
 * A small certificate authority on Express 5 that answers every error as an AST Certificate
 * Authority fault (KOBIL AST, subsystem 510). Tenants get an issuing CA (a "signer") under a
 * root made at start-up, submit PKCS#10 requests that an operator approves, fetch each
 * certificate once, and register public keys by JWK thumbprint. Every fault comes from a real
 * check: CSR parsing, key policy and signature verification, the signers' and requests' state,
 * HMAC-signed bearer tokens and the service's clock.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Request } from 'express';
import { ast } from '@faultline/core';
import type { FaultDetail, FaultLogger, RequestInfo } from '@faultline/core';
import { faultline, notFound } from '@faultline/express';
import { authenticate, principal, requireRole } from './auth.js';
import {
  CertificateAuthority,
  DEFAULT_SIGNER_PROFILES,
  PROFILES,
  generateEcdsaKeys,
} from './ca.js';
import type { CertificateRecord, KeyPair, Signer } from './ca.js';
import { checkCsr, parseCsr } from './csr.js';
import { KeyRegistry, parseJwk } from './keys.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Where faults are logged; `false` turns logging off. Default: one JSON line on stderr. */
  readonly logger?: FaultLogger | false;
  /** Makes the id sent as `correlationId` and logged (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
  /** The HMAC-SHA-256 secret bearer tokens are signed with. Default: 32 random bytes. */
  readonly tokenSecret?: string | Buffer;
  /** The service's clock, for token expiry, key expiry and certificate validity. */
  readonly now?: () => Date;
  /**
   * Where signer keys come from (an HSM in production). Default: a fresh ECDSA P-256 pair from
   * WebCrypto.
   */
  readonly generateSignerKeys?: () => Promise<KeyPair>;
}

type Body = Record<string, unknown>;

// The JSON object a route reads. No body at all counts as `{}`, so missing fields are named.
function body(req: Request): Body {
  const value: unknown = req.body;
  const length = req.get('content-length');
  const sent =
    req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
  if (value === undefined && !sent) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ast.fault(
      'MalformedBody',
      'The request body must be a JSON object sent as application/json',
    );
  }
  return value as Body;
}

function requireFields(input: Body, names: readonly string[]): void {
  const missing = names.filter((name) => input[name] === undefined || input[name] === null);
  if (missing.length === 0) return;
  const details: FaultDetail[] = missing.map((name) => ({
    pointer: `/body/${name}`,
    message: 'is required',
    keyword: 'required',
  }));
  throw ast.fault(
    'MissingField',
    `Required field${missing.length === 1 ? ' is' : 's are'} missing: ${missing.join(', ')}`,
    { details },
  );
}

function malformedField(name: string, message: string, keyword = 'type'): never {
  throw ast.fault('MalformedField', `${name} ${message}`, {
    details: [{ pointer: `/body/${name}`, message, keyword }],
  });
}

function stringField(input: Body, name: string): string {
  const value = input[name];
  if (typeof value !== 'string') malformedField(name, 'must be a string');
  return value;
}

function profilesField(input: Body): readonly string[] {
  const value = input.profiles;
  if (value === undefined) return DEFAULT_SIGNER_PROFILES;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && PROFILES[item] !== undefined)
  ) {
    malformedField(
      'profiles',
      `must be a non-empty array of profile names (${Object.keys(PROFILES).join(', ')})`,
      'enum',
    );
  }
  return [...new Set(value as string[])];
}

function expiresAtField(input: Body, now: Date): Date | undefined {
  const value = input.expiresAt;
  if (value === undefined) return undefined;
  const date =
    typeof value === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)
      ? new Date(value)
      : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    malformedField('expiresAt', 'must be an RFC 3339 date-time', 'format');
  if (date.getTime() <= now.getTime())
    malformedField('expiresAt', 'must lie in the future', 'format');
  return date;
}

function signerJson(signer: Signer) {
  return {
    id: signer.id,
    tenant: signer.tenant,
    status: signer.revokedAt === undefined ? 'active' : 'revoked',
    subject: signer.certificate.subject,
    serialNumber: signer.certificate.serialNumber,
    notAfter: signer.certificate.notAfter.toISOString(),
    issued: signer.issued,
  };
}

function certificateJson(record: CertificateRecord) {
  return {
    id: record.id,
    status: record.status,
    profile: record.profile,
    subject: record.csr.subject,
    signer: record.signerId,
    ...(record.certificate === undefined
      ? {}
      : {
          serialNumber: record.certificate.serialNumber,
          notBefore: record.certificate.notBefore.toISOString(),
          notAfter: record.certificate.notAfter.toISOString(),
        }),
  };
}

/**
 * Builds the certificate authority. Its root key is made at once, in the background; call
 * `listen` on the result to start it.
 *
 * @param options - fault logging, correlation ids, the token secret, the clock, signer keys
 * @returns the Express application
 * @example
 * ```ts
 * const secret = randomBytes(32);
 * createApp({ tokenSecret: secret }).listen(8510, '127.0.0.1');
 * const admin = signToken({ sub: 'carol', tenant: 'acme', roles: ['ca-admin'], amr: ['pwd'] }, secret);
 * // curl -i -X POST -H "Authorization: Bearer <admin>" http://127.0.0.1:8510/v1/signers
 * ```
 */
export function createApp(options: AppOptions = {}): express.Express {
  const now = options.now ?? (() => new Date());
  const ca = new CertificateAuthority({
    now,
    generateSignerKeys: options.generateSignerKeys ?? generateEcdsaKeys,
  });
  const keys = new KeyRegistry();
  const app = express();
  app.disable('x-powered-by');

  app.use('/v1', authenticate(options.tokenSecret ?? randomBytes(32), now), express.json());

  // Signers: one issuing CA per tenant.
  app.post('/v1/signers', requireRole('ca-admin', 'manage signers'), async (req, res) => {
    const signer = await ca.createSigner(principal(res).tenant, profilesField(body(req)));
    res
      .status(201)
      .location(`/v1/signers/${signer.id}`)
      .json({ ...signerJson(signer), certificate: signer.certificate.toString('pem') });
  });
  app.get('/v1/signers/:id', (req, res) => {
    res.json(signerJson(ca.signer(principal(res).tenant, req.params.id as string)));
  });
  app.post('/v1/signers/:id/revoke', requireRole('ca-admin', 'manage signers'), (req, res) => {
    res.json(signerJson(ca.revokeSigner(principal(res).tenant, req.params.id as string)));
  });
  app.delete('/v1/signers/:id', requireRole('ca-admin', 'manage signers'), (req, res) => {
    ca.deleteSigner(principal(res).tenant, req.params.id as string);
    res.status(204).end();
  });

  // The configuration an SDK needs to enrol devices against the tenant's signer.
  app.get('/v1/sdk-config', async (_req, res) => {
    const { tenant } = principal(res);
    const signer = ca.activeSigner(tenant, 'SignerNotYetIssued');
    res.json({
      tenant,
      signer: signer.id,
      enrolment: '/v1/certificates',
      profiles: Object.keys(PROFILES).filter((name) => ca.supports(signer, name)),
      trustAnchors: [
        signer.certificate.toString('pem'),
        (await ca.rootCertificate()).toString('pem'),
      ],
    });
  });

  // Certificate requests: checked at once, signed when an operator approves them.
  app.post('/v1/certificates', async (req, res) => {
    const { tenant, user } = principal(res);
    const input = body(req);
    requireFields(input, ['csr', 'profile']);
    const pem = stringField(input, 'csr');
    const profile = stringField(input, 'profile');
    if (PROFILES[profile] === undefined) {
      throw ast.fault(
        'BadProfile',
        `Profile '${profile}' isn't allowed on POST /v1/certificates; use one of ${Object.keys(PROFILES).join(', ')}`,
      );
    }
    const csr = parseCsr(pem);
    const signer = ca.activeSigner(tenant, 'SignerNotFoundForTenant');
    if (!ca.supports(signer, profile)) {
      throw ast.fault(
        'UnsupportedProfile',
        `Profile '${profile}' isn't supported by signer ${signer.id}, the issuer CA of tenant '${tenant}'`,
      );
    }
    await checkCsr(csr);
    const record = ca.request({ tenant, requestedBy: user, profile, signerId: signer.id, csr });
    res.status(202).location(`/v1/certificates/${record.id}`).json(certificateJson(record));
  });
  app.post(
    '/v1/certificates/:id/sign',
    requireRole('ca-operator', 'sign certificates'),
    async (req, res) => {
      const record = await ca.sign(ca.certificate(principal(res).tenant, req.params.id as string));
      res.json(certificateJson(record));
    },
  );
  app.get('/v1/certificates/:id', async (req, res) => {
    const record = ca.certificate(principal(res).tenant, req.params.id as string);
    res.json({ id: record.id, profile: record.profile, ...(await ca.deliver(record)) });
  });

  // Public keys, registered by users who signed in with a password.
  app.post('/v1/keys', (req, res) => {
    const { tenant, user, amr } = principal(res);
    if (!amr.includes('pwd')) {
      throw ast.fault(
        'PasswordAuthMissing',
        `The access token's amr [${amr.join(', ')}] does not include pwd: sign in with a password to register keys`,
      );
    }
    const input = body(req);
    requireFields(input, ['jwk']);
    const key = keys.register(tenant, parseJwk(input.jwk), user, expiresAtField(input, now()));
    res
      .status(201)
      .location(`/v1/keys/${key.kid}`)
      .json({ kid: key.kid, expiresAt: key.expiresAt?.toISOString() ?? null });
  });
  app.get('/v1/keys/:kid', (req, res) => {
    const key = keys.get(principal(res).tenant, req.params.kid as string, now());
    res.json({
      kid: key.kid,
      jwk: { ...key.jwk, kid: key.kid },
      expiresAt: key.expiresAt?.toISOString() ?? null,
    });
  });

  app.use(notFound());
  // The correlation id in every body lets a caller quote it to the CA's operators.
  app.use(
    faultline({
      dialect: 'ast',
      ast: { correlationId: true },
      logger: options.logger,
      correlationId: options.correlationId,
    }),
  );
  return app;
}
