/**
 * The AST certificate authority example (`examples/ast-ca`) over HTTP on 127.0.0.1: real CSRs
 * made here with `@peculiar/x509` (and with Node's crypto for keys WebCrypto lacks), real
 * signers, HMAC-signed tokens and an injected clock. Every fault is checked by status, content
 * type and whole body, and is logged exactly once.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogLevel } from '@faultline/core';
import { createApp } from '../examples/ast-ca/src/app';
import { signToken } from '../examples/ast-ca/src/auth';
import type { TokenClaims } from '../examples/ast-ca/src/auth';
import { generateEcdsaKeys } from '../examples/ast-ca/src/ca';
import type { KeyPair } from '../examples/ast-ca/src/ca';
import { x509 } from '../examples/ast-ca/src/x509';
import { foreignCsr } from './fixtures/ast-ca-csr';
import { call, recorder } from './support/servers';
import type { RawResponse } from './support/servers';

const HOST = '127.0.0.1';
const ID = 'c0ffee00-0000-4000-8000-0000000ca510';
const JSON_TYPE = 'application/json;charset=utf-8';
const SECRET = 'ast-ca example test secret';
const START = new Date('2026-03-01T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;

// The seed's code and HTTP status of every fault the example produces (seed 001).
const SEED = {
  InvalidCsrSignature: [51010, 403],
  UnsupportedKeyType: [51011, 400],
  BadKey: [51012, 400],
  UnsupportedAlgorithm: [51013, 400],
  BadProfile: [51014, 403],
  UnsupportedProfile: [51015, 500],
  NotYetSigned: [51020, 409],
  AlreadyDelivered: [51021, 410],
  IssuanceFailed: [51022, 410],
  SignerNotYetIssued: [51030, 412],
  SignerAlreadyExists: [51040, 409],
  SignerRevoked: [51041, 409],
  SignerCreationConflict: [51042, 409],
  SignerAlreadyInUse: [51045, 409],
  PasswordAuthMissing: [51050, 403],
  KeyAlreadyExists: [51051, 409],
  KeyExpired: [51055, 410],
  MissingField: [5104001, 400],
  MalformedField: [5104002, 400],
  MalformedBody: [5104005, 400],
  Unauthorized: [510401, 401],
  Forbidden: [510403, 403],
  MissingUserId: [5104031, 403],
  SignerNotFound: [5104041, 404],
  CertificateNotFound: [5104042, 404],
  SignerNotFoundForTenant: [5104043, 404],
  KeyNotFound: [5104045, 404],
  SignerError: [5105003, 500],
} as const satisfies Record<string, readonly [number, number]>;
type FaultName = keyof typeof SEED;

let clock = START;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function bearer(claims: TokenClaims, secret = SECRET): Record<string, string> {
  return {
    authorization: `Bearer ${signToken({ iat: seconds(START), exp: seconds(START) + 24 * 3600, ...claims }, secret)}`,
  };
}
const member = (tenant: string, sub = 'alice') => bearer({ sub, tenant, roles: [], amr: ['pwd'] });
const admin = (tenant: string) =>
  bearer({ sub: 'carol', tenant, roles: ['ca-admin', 'ca-operator'], amr: ['pwd', 'otp'] });

// Holds signer key generation until `expected` creations have reached it, so that they overlap
// for certain, whatever the scheduling.
class Gate {
  arrived = 0;
  readonly firstArrived: Promise<void>;
  readonly #open: Promise<void>;
  #onFirst!: () => void;
  #release!: () => void;
  constructor(readonly expected: number) {
    this.firstArrived = new Promise((resolve) => (this.#onFirst = resolve));
    this.#open = new Promise((resolve) => (this.#release = resolve));
  }
  async pass(): Promise<void> {
    this.arrived += 1;
    if (this.arrived === 1) this.#onFirst();
    if (this.arrived === this.expected) this.#release();
    await this.#open;
  }
}

let gate: Gate | undefined;
let makeSignerKeys: () => Promise<KeyPair> = generateEcdsaKeys;
async function signerKeys(): Promise<KeyPair> {
  const keys = await makeSignerKeys();
  await gate?.pass();
  return keys;
}
// A key pair an HSM might hand out by mistake: RSA-OAEP encrypts, it cannot sign.
const encryptionKeys = () =>
  crypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['encrypt', 'decrypt'],
  );

const log = recorder();
const seen = new Set<string>();
let server: Server;
let url: string;

beforeAll(async () => {
  server = createApp({
    logger: log.logger,
    correlationId: () => ID,
    tokenSecret: SECRET,
    now: () => clock,
    generateSignerKeys: signerKeys,
  }).listen(0, HOST);
  await once(server, 'listening');
  url = `http://${HOST}:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

/** Sends a request; an object body is sent as JSON, a string body as it is. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
  type = 'application/json',
): Promise<RawResponse> {
  log.calls.length = 0;
  if (body === undefined) return call(url, method, path, headers);
  return call(
    url,
    method,
    path,
    { 'content-type': type, ...headers },
    typeof body === 'string' ? body : JSON.stringify(body),
  );
}

function faultBody(name: FaultName, message: string, details?: readonly object[]): string {
  const rest = details === undefined ? '' : `,"details":${JSON.stringify(details)}`;
  return `{"code":${SEED[name][0]},"name":"${name}","message":${JSON.stringify(message)},"correlationId":"${ID}"${rest}}`;
}

/** Asserts the exact AST fault, and that it was logged once with the id the body carries. */
function expectFault(
  res: RawResponse,
  name: FaultName,
  message: string,
  details?: readonly object[],
): void {
  const [code, status] = SEED[name];
  expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
    status,
    type: JSON_TYPE,
    text: faultBody(name, message, details),
  });
  const level: LogLevel = status >= 500 ? 'error' : 'info';
  expect(log.calls).toHaveLength(1);
  expect(log.calls[0]).toMatchObject({
    level,
    event: { correlationId: ID, dialect: 'ast', code, status },
  });
  seen.add(name);
}

function expectNoFault(res: RawResponse, status: number): unknown {
  expect({ status: res.status, logged: log.calls.length }).toEqual({ status, logged: 0 });
  return status === 204 ? undefined : JSON.parse(res.text);
}

const RSA = (modulusLength: number, hash: string) => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash,
});
const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function makeCsr(
  cn: string,
  algorithm: object,
  extensions: x509.Extension[] = [],
): Promise<x509.Pkcs10CertificateRequest> {
  const keys = (await crypto.subtle.generateKey(
    algorithm as Parameters<typeof crypto.subtle.generateKey>[0],
    true,
    ['sign', 'verify'],
  )) as KeyPair;
  return x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: algorithm,
    extensions,
  });
}

// One request of each kind, made once.
const csr: Record<
  'rsa2048' | 'p256' | 'rsa1024' | 'sha1' | 'tampered' | 'ed25519' | 'ed448' | 'p192' | 'k256',
  string
> = {
  rsa2048: '',
  p256: '',
  rsa1024: '',
  sha1: '',
  tampered: '',
  ed25519: '',
  ed448: '',
  p192: '',
  k256: '',
};

beforeAll(async () => {
  const good = await makeCsr('good.example', RSA(2048, 'SHA-256'), [
    new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'good.example' }]),
  ]);
  csr.rsa2048 = good.toString('pem');
  csr.p256 = (await makeCsr('ec.example', P256)).toString('pem');
  csr.rsa1024 = (await makeCsr('weak.example', RSA(1024, 'SHA-256'))).toString('pem');
  csr.sha1 = (await makeCsr('old.example', RSA(2048, 'SHA-1'))).toString('pem');
  csr.ed25519 = (await makeCsr('edwards.example', { name: 'Ed25519' })).toString('pem');
  // The last byte of a request is the last byte of its signature.
  const der = Buffer.from(good.rawData);
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  csr.tampered = new x509.Pkcs10CertificateRequest(der).toString('pem');
  csr.ed448 = foreignCsr('ed448', 'edwards.example');
  csr.p192 = foreignCsr('prime192v1', 'weak.example');
  csr.k256 = foreignCsr('secp256k1', 'bitcoin.example');
});

describe('the AST certificate authority example', () => {
  describe('when the bearer token is missing or bad', () => {
    const cases: readonly {
      name: string;
      headers: Record<string, string>;
      fault: FaultName;
      message: string;
    }[] = [
      {
        name: 'no Authorization header',
        headers: {},
        fault: 'Unauthorized',
        message: 'The Authorization header is missing',
      },
      {
        name: 'a Basic credential',
        headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' },
        fault: 'Unauthorized',
        message: 'The token could not be decoded',
      },
      {
        name: 'a token signed with another secret',
        headers: bearer({ sub: 'alice', tenant: 'acme' }, 'another secret'),
        fault: 'Unauthorized',
        message: "The token's signature is not valid",
      },
      {
        name: 'an unsigned token (alg none)',
        headers: {
          authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice","tenant":"acme"}').toString('base64url')}.AAAA`,
        },
        fault: 'Unauthorized',
        message: 'The token is not signed with HS256',
      },
      {
        name: 'an expired token',
        headers: bearer({ sub: 'alice', tenant: 'acme', exp: seconds(START) - 1 }),
        fault: 'Unauthorized',
        message: 'The token expired at 2026-03-01T11:59:59.000Z',
      },
      {
        name: 'a token not valid yet',
        headers: bearer({ sub: 'alice', tenant: 'acme', nbf: seconds(START) + 60 }),
        fault: 'Unauthorized',
        message: 'The token is not valid before 2026-03-01T12:01:00.000Z',
      },
      {
        name: 'a token without tenant',
        headers: bearer({ sub: 'alice' }),
        fault: 'Unauthorized',
        message: "The token's tenant claim is missing or malformed",
      },
      {
        name: 'a token without user id',
        headers: bearer({ tenant: 'acme' }),
        fault: 'MissingUserId',
        message: 'The user ID (sub) is missing in the access token',
      },
    ];

    it.each(cases)('should answer $name with $fault', async (c) => {
      expectFault(await send('GET', '/v1/sdk-config', c.headers), c.fault, c.message);
    });

    it('should challenge the client with WWW-Authenticate', async () => {
      expect((await send('GET', '/v1/sdk-config')).headers['www-authenticate']).toBe(
        'Bearer realm="ast-ca"',
      );
      const forged = await send(
        'GET',
        '/v1/sdk-config',
        bearer({ sub: 'alice', tenant: 'acme' }, 'another secret'),
      );
      expect(forged.headers['www-authenticate']).toBe(
        'Bearer realm="ast-ca", error="invalid_token"',
      );
    });

    it('should answer a member who manages signers with Forbidden', async () => {
      const res = await send('POST', '/v1/signers', member('acme'));
      expectFault(
        res,
        'Forbidden',
        "User 'alice' lacks the role 'ca-admin' required to manage signers",
      );
    });
  });

  describe('when the tenant has no signer yet', () => {
    it('should answer the SDK config with SignerNotYetIssued', async () => {
      expectFault(
        await send('GET', '/v1/sdk-config', member('acme')),
        'SignerNotYetIssued',
        "The signer certificate of tenant 'acme' wasn't issued yet",
      );
    });

    it('should answer a certificate request with SignerNotFoundForTenant', async () => {
      const res = await send('POST', '/v1/certificates', member('acme'), {
        csr: csr.rsa2048,
        profile: 'tls-client',
      });
      expectFault(
        res,
        'SignerNotFoundForTenant',
        "Tenant 'acme' has no signer; an administrator creates one with POST /v1/signers",
      );
    });
  });

  describe('when signers are created', () => {
    let signerId: string;

    it('should create the tenant signer under the root, with a CA certificate', async () => {
      const res = await send('POST', '/v1/signers', admin('acme'));
      const signer = expectNoFault(res, 201) as Record<string, string>;
      signerId = signer.id as string;
      expect(signer).toMatchObject({
        id: expect.stringMatching(/^sgn-\d+$/),
        tenant: 'acme',
        status: 'active',
        subject: 'CN=acme Signer, O=faultline',
        issued: 0,
      });
      expect(res.headers.location).toBe(`/v1/signers/${signerId}`);
      const certificate = new x509.X509Certificate(signer.certificate as string);
      expect(certificate.getExtension(x509.BasicConstraintsExtension)).toMatchObject({
        ca: true,
        pathLength: 0,
      });
      expect(certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
        x509.ExtendedKeyUsage.clientAuth,
        x509.ExtendedKeyUsage.serverAuth,
      ]);
    });

    it('should answer a second creation with SignerAlreadyExists', async () => {
      expectFault(
        await send('POST', '/v1/signers', admin('acme')),
        'SignerAlreadyExists',
        `Tenant 'acme' already has the signer ${signerId}`,
      );
    });

    it('should answer unknown profiles with MalformedField', async () => {
      const res = await send('POST', '/v1/signers', admin('acme'), {
        profiles: ['tls-client', 'sub-ca'],
      });
      const message =
        'must be a non-empty array of profile names (code-signing, email-protection, tls-client, tls-server)';
      expectFault(res, 'MalformedField', `profiles ${message}`, [
        { pointer: '/body/profiles', message, keyword: 'enum' },
      ]);
    });

    it("should answer another tenant's signer with SignerNotFound", async () => {
      expectFault(
        await send('GET', `/v1/signers/${signerId}`, member('globex')),
        'SignerNotFound',
        `Tenant 'globex' has no signer ${signerId}`,
      );
    });

    it('should serve the SDK config once the signer exists', async () => {
      const config = expectNoFault(
        await send('GET', '/v1/sdk-config', member('acme')),
        200,
      ) as Record<string, unknown>;
      expect(config).toMatchObject({
        tenant: 'acme',
        signer: signerId,
        enrolment: '/v1/certificates',
        profiles: ['tls-client', 'tls-server'],
      });
      expect(config.trustAnchors).toHaveLength(2);
    });

    it('should answer the loser of two concurrent creations with SignerCreationConflict', async () => {
      gate = new Gate(2);
      const first = send('POST', '/v1/signers', admin('race'));
      await gate.firstArrived;
      // The first creation holds at the gate: the signer is on its way, not issued.
      const pending = await send('GET', '/v1/sdk-config', member('race'));
      expectFault(
        pending,
        'SignerNotYetIssued',
        "The signer certificate of tenant 'race' wasn't issued yet: its creation is in progress",
      );
      const second = send('POST', '/v1/signers', admin('race'));
      const responses = await Promise.all([first, second]);
      gate = undefined;
      const winner = responses.find((r) => r.status === 201);
      const loser = responses.find((r) => r.status !== 201) as RawResponse;
      const id = (JSON.parse(winner?.text ?? '{}') as { id?: string }).id;
      expectFault(
        loser,
        'SignerCreationConflict',
        `While this signer was being created for tenant 'race', the signer ${id} was created by a concurrent request`,
      );
    });

    it('should delete a signer that never signed, and answer its id with SignerNotFound afterwards', async () => {
      const created = expectNoFault(
        await send('POST', '/v1/signers', admin('initech'), { profiles: ['email-protection'] }),
        201,
      ) as { id: string };
      expectNoFault(await send('DELETE', `/v1/signers/${created.id}`, admin('initech')), 204);
      expectFault(
        await send('DELETE', `/v1/signers/${created.id}`, admin('initech')),
        'SignerNotFound',
        `Tenant 'initech' has no signer ${created.id}`,
      );
      expectFault(
        await send('GET', '/v1/sdk-config', member('initech')),
        'SignerNotYetIssued',
        "The signer certificate of tenant 'initech' wasn't issued yet",
      );
    });
  });

  describe('when certificates are requested', () => {
    const post = (body: unknown, type?: string) =>
      send('POST', '/v1/certificates', member('acme'), body, type);
    const pem = (name: keyof typeof csr) => ({ csr: csr[name], profile: 'tls-client' });
    const required = (name: string) => ({
      pointer: `/body/${name}`,
      message: 'is required',
      keyword: 'required',
    });

    it('should answer a body that is no JSON with MalformedBody', async () => {
      expectFault(await post('{"csr":'), 'MalformedBody', 'The request body could not be parsed');
      expectFault(
        await post('[1,2]'),
        'MalformedBody',
        'The request body must be a JSON object sent as application/json',
      );
      expectFault(
        await post(csr.rsa2048, 'application/pkcs10'),
        'MalformedBody',
        'The request body must be a JSON object sent as application/json',
      );
    });

    it('should name every missing field with MissingField', async () => {
      expectFault(await post({}), 'MissingField', 'Required fields are missing: csr, profile', [
        required('csr'),
        required('profile'),
      ]);
      expectFault(
        await send('POST', '/v1/certificates', member('acme')),
        'MissingField',
        'Required fields are missing: csr, profile',
        [required('csr'), required('profile')],
      );
      expectFault(
        await post({ csr: csr.rsa2048 }),
        'MissingField',
        'Required field is missing: profile',
        [required('profile')],
      );
    });

    it('should answer fields of the wrong format with MalformedField', async () => {
      expectFault(
        await post({ csr: 42, profile: 'tls-client' }),
        'MalformedField',
        'csr must be a string',
        [{ pointer: '/body/csr', message: 'must be a string', keyword: 'type' }],
      );
      const notPem = 'must be a PEM-encoded PKCS#10 certificate request';
      expectFault(
        await post({ csr: 'hello', profile: 'tls-client' }),
        'MalformedField',
        `csr ${notPem}`,
        [{ pointer: '/body/csr', message: notPem, keyword: 'format' }],
      );
      const garbage =
        '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQg==\n-----END CERTIFICATE REQUEST-----\n';
      const invalid = 'is not a valid PKCS#10 certificate request';
      expectFault(
        await post({ csr: garbage, profile: 'tls-client' }),
        'MalformedField',
        `csr ${invalid}`,
        [{ pointer: '/body/csr', message: invalid, keyword: 'format' }],
      );
    });

    it('should answer a profile of another endpoint with BadProfile', async () => {
      const res = await post({ csr: csr.rsa2048, profile: 'sub-ca' });
      expectFault(
        res,
        'BadProfile',
        "Profile 'sub-ca' isn't allowed on POST /v1/certificates; use one of code-signing, email-protection, tls-client, tls-server",
      );
    });

    it("should answer a profile the tenant's signer does not allow with UnsupportedProfile", async () => {
      const res = await post({ csr: csr.rsa2048, profile: 'code-signing' });
      expectFault(
        res,
        'UnsupportedProfile',
        "Profile 'code-signing' isn't supported by signer sgn-1, the issuer CA of tenant 'acme'",
      );
    });

    const policy: readonly {
      name: string;
      csr: keyof typeof csr;
      fault: FaultName;
      message: string;
    }[] = [
      {
        name: 'an RSA-1024 key',
        csr: 'rsa1024',
        fault: 'BadKey',
        message: "The CSR's RSA key has 1024 bits; at least 2048 are required",
      },
      {
        name: 'a P-192 key',
        csr: 'p192',
        fault: 'BadKey',
        message: "The CSR's EC curve prime192v1 is too weak: use P-256 or P-384",
      },
      {
        name: 'a secp256k1 key',
        csr: 'k256',
        fault: 'BadKey',
        message: "The CSR's EC curve secp256k1 isn't allowed: use P-256 or P-384",
      },
      {
        name: 'an Ed25519 key',
        csr: 'ed25519',
        fault: 'UnsupportedKeyType',
        message:
          "The CSR's Ed25519 key isn't supported: use RSA (2048-4096 bits) or ECDSA (P-256, P-384)",
      },
      {
        name: 'an Ed448 key',
        csr: 'ed448',
        fault: 'UnsupportedKeyType',
        message:
          "The CSR's Ed448 key isn't supported: use RSA (2048-4096 bits) or ECDSA (P-256, P-384)",
      },
      {
        name: 'a SHA-1 signature',
        csr: 'sha1',
        fault: 'UnsupportedAlgorithm',
        message:
          'The CSR is signed with RSASSA-PKCS1-v1_5 with SHA-1; use SHA-256, SHA-384 or SHA-512 with RSA or ECDSA',
      },
      {
        name: 'a tampered signature',
        csr: 'tampered',
        fault: 'InvalidCsrSignature',
        message: "The CSR's signature doesn't match its public key",
      },
    ];

    it.each(policy)('should answer a CSR with $name with $fault', async (c) => {
      expectFault(await post(pem(c.csr)), c.fault, c.message);
    });

    it('should accept good RSA-2048 and EC P-256 requests as pending', async () => {
      for (const [name, subject] of [
        ['p256', 'CN=ec.example'],
        ['rsa2048', 'CN=good.example'],
      ] as const) {
        const res = await post({ csr: csr[name], profile: 'tls-server' });
        const body = expectNoFault(res, 202) as { id: string };
        expect(body).toEqual({
          id: body.id,
          status: 'pending',
          profile: 'tls-server',
          subject,
          signer: 'sgn-1',
        });
        expect(res.headers.location).toBe(`/v1/certificates/${body.id}`);
      }
    });
  });

  describe('when a certificate is signed and delivered', () => {
    let id: string;

    beforeAll(async () => {
      clock = new Date(START.getTime() + HOUR);
      id = (
        JSON.parse(
          (
            await send('POST', '/v1/certificates', member('acme'), {
              csr: csr.rsa2048,
              profile: 'tls-server',
            })
          ).text,
        ) as { id: string }
      ).id;
    });
    afterAll(() => {
      clock = START;
    });

    it('should answer a fetch before signing with NotYetSigned and Retry-After', async () => {
      const res = await send('GET', `/v1/certificates/${id}`, member('acme'));
      expectFault(res, 'NotYetSigned', `Certificate ${id} waits for an operator to sign it`);
      expect(res.headers['retry-after']).toBe('5');
    });

    it('should answer unknown ids and other tenants with CertificateNotFound', async () => {
      expectFault(
        await send('GET', '/v1/certificates/crt-999', member('acme')),
        'CertificateNotFound',
        "Tenant 'acme' has no certificate crt-999",
      );
      expectFault(
        await send('GET', `/v1/certificates/${id}`, member('globex')),
        'CertificateNotFound',
        `Tenant 'globex' has no certificate ${id}`,
      );
    });

    it('should let only operators sign', async () => {
      const res = await send('POST', `/v1/certificates/${id}/sign`, member('acme'));
      expectFault(
        res,
        'Forbidden',
        "User 'alice' lacks the role 'ca-operator' required to sign certificates",
      );
    });

    it('should sign it for 90 days from the clock', async () => {
      const body = expectNoFault(
        await send('POST', `/v1/certificates/${id}/sign`, admin('acme')),
        200,
      );
      expect(body).toMatchObject({
        id,
        status: 'issued',
        notBefore: '2026-03-01T13:00:00.000Z',
        notAfter: '2026-05-30T13:00:00.000Z',
      });
    });

    it('should deliver a certificate that chains to the root', async () => {
      const body = expectNoFault(
        await send('GET', `/v1/certificates/${id}`, member('acme')),
        200,
      ) as { certificate: string; chain: string[] };
      const [leaf, signer, root] = [body.certificate, ...body.chain].map(
        (pem) => new x509.X509Certificate(pem),
      ) as [x509.X509Certificate, x509.X509Certificate, x509.X509Certificate];
      // A minute after issuance: @peculiar/x509 counts the notBefore instant itself as outside.
      const date = new Date(clock.getTime() + 60_000);
      expect(await leaf.verify({ publicKey: signer.publicKey, date })).toBe(true);
      expect(await signer.verify({ publicKey: root.publicKey, date })).toBe(true);
      expect(await root.isSelfSigned()).toBe(true);
      expect({ subject: leaf.subject, issuer: leaf.issuer }).toEqual({
        subject: 'CN=good.example',
        issuer: 'CN=acme Signer, O=faultline',
      });
      expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
        x509.ExtendedKeyUsage.serverAuth,
      ]);
      expect(leaf.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      );
      expect(
        leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => n.value),
      ).toEqual(['good.example']);
    });

    it('should answer a second fetch with AlreadyDelivered', async () => {
      expectFault(
        await send('GET', `/v1/certificates/${id}`, member('acme')),
        'AlreadyDelivered',
        `Certificate ${id} was already delivered and was evicted`,
      );
    });

    it('should refuse to delete the signer with SignerAlreadyInUse', async () => {
      expectFault(
        await send('DELETE', '/v1/signers/sgn-1', admin('acme')),
        'SignerAlreadyInUse',
        "Signer sgn-1 already signed 1 certificate and can't be deleted anymore",
      );
    });
  });

  describe('when the signer is revoked or deleted before signing', () => {
    it('should answer every use of a revoked signer with SignerRevoked, and its pending request with IssuanceFailed', async () => {
      const signer = expectNoFault(await send('POST', '/v1/signers', admin('umbrella')), 201) as {
        id: string;
      };
      const request = expectNoFault(
        await send('POST', '/v1/certificates', member('umbrella'), {
          csr: csr.p256,
          profile: 'tls-client',
        }),
        202,
      ) as { id: string };
      expect(
        expectNoFault(
          await send('POST', `/v1/signers/${signer.id}/revoke`, admin('umbrella')),
          200,
        ),
      ).toMatchObject({ status: 'revoked' });
      expectFault(
        await send('POST', `/v1/signers/${signer.id}/revoke`, admin('umbrella')),
        'SignerRevoked',
        `Signer ${signer.id} was already revoked`,
      );
      const revoked = `Signer ${signer.id} of tenant 'umbrella' was revoked and may not be used anymore`;
      expectFault(
        await send('POST', '/v1/certificates', member('umbrella'), {
          csr: csr.p256,
          profile: 'tls-client',
        }),
        'SignerRevoked',
        revoked,
      );
      expectFault(
        await send('GET', '/v1/sdk-config', member('umbrella')),
        'SignerRevoked',
        revoked,
      );
      expectFault(
        await send('POST', `/v1/certificates/${request.id}/sign`, admin('umbrella')),
        'SignerRevoked',
        `Signer ${signer.id} was revoked and may not be used anymore; certificate ${request.id} can no longer be issued`,
      );
      const failed = `Certificate ${request.id} couldn't be issued: its signer ${signer.id} was revoked before it was signed`;
      expectFault(
        await send('GET', `/v1/certificates/${request.id}`, member('umbrella')),
        'IssuanceFailed',
        failed,
      );
      expectFault(
        await send('POST', `/v1/certificates/${request.id}/sign`, admin('umbrella')),
        'IssuanceFailed',
        failed,
      );
    });

    it('should fail a request whose signer was deleted', async () => {
      const signer = expectNoFault(await send('POST', '/v1/signers', admin('hooli')), 201) as {
        id: string;
      };
      const request = expectNoFault(
        await send('POST', '/v1/certificates', member('hooli'), {
          csr: csr.rsa2048,
          profile: 'tls-client',
        }),
        202,
      ) as { id: string };
      expectNoFault(await send('DELETE', `/v1/signers/${signer.id}`, admin('hooli')), 204);
      const res = await send('POST', `/v1/certificates/${request.id}/sign`, admin('hooli'));
      expectFault(
        res,
        'SignerNotFound',
        `Signer ${signer.id} was deleted; certificate ${request.id} can no longer be issued`,
      );
      const failed = `Certificate ${request.id} couldn't be issued: its signer ${signer.id} was deleted before it was signed`;
      expectFault(
        await send('GET', `/v1/certificates/${request.id}`, member('hooli')),
        'IssuanceFailed',
        failed,
      );
    });

    it("should answer with SignerError when the signer's key cannot sign, and fail the request", async () => {
      makeSignerKeys = encryptionKeys;
      const signer = expectNoFault(await send('POST', '/v1/signers', admin('cyberdyne')), 201) as {
        id: string;
      };
      makeSignerKeys = generateEcdsaKeys;
      const request = expectNoFault(
        await send('POST', '/v1/certificates', member('cyberdyne'), {
          csr: csr.p256,
          profile: 'tls-server',
        }),
        202,
      ) as { id: string };
      const res = await send('POST', `/v1/certificates/${request.id}/sign`, admin('cyberdyne'));
      expectFault(
        res,
        'SignerError',
        'An unexpected error occurred during a certificate issuance operation',
      );
      expect(JSON.stringify(log.calls[0]?.event)).toContain('cause');
      const failed = `Certificate ${request.id} couldn't be issued: signer ${signer.id} could not sign it`;
      expectFault(
        await send('GET', `/v1/certificates/${request.id}`, member('cyberdyne')),
        'IssuanceFailed',
        failed,
      );
    });
  });

  describe('when public keys are registered', () => {
    // RFC 7638 §3.1's example key and its thumbprint.
    const RFC_JWK = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    const RFC_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    const register = (body: unknown, headers = member('acme')) =>
      send('POST', '/v1/keys', headers, body);
    const field = (pointer: string, message: string) => [{ pointer, message, keyword: 'format' }];
    let ecJwk: Record<string, unknown>;

    beforeAll(async () => {
      const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ])) as KeyPair;
      ecJwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as Record<string, unknown>;
    });

    it('should answer a token whose amr lacks pwd with PasswordAuthMissing', async () => {
      const sso = bearer({ sub: 'bob', tenant: 'acme', amr: ['hwk', 'pin'] });
      expectFault(
        await register({ jwk: RFC_JWK }, sso),
        'PasswordAuthMissing',
        "The access token's amr [hwk, pin] does not include pwd: sign in with a password to register keys",
      );
    });

    it('should answer a missing jwk with MissingField', async () => {
      expectFault(await register({}), 'MissingField', 'Required field is missing: jwk', [
        { pointer: '/body/jwk', message: 'is required', keyword: 'required' },
      ]);
    });

    const malformed: readonly {
      name: string;
      body: () => unknown;
      pointer: string;
      message: string;
    }[] = [
      {
        name: 'a string',
        body: () => ({ jwk: 'RS256' }),
        pointer: '/body/jwk',
        message: 'must be a JWK object',
      },
      {
        name: 'a symmetric key',
        body: () => ({ jwk: { kty: 'oct', k: 'c2VjcmV0' } }),
        pointer: '/body/jwk/kty',
        message: 'must be RSA, EC or OKP',
      },
      {
        name: 'an RSA key without e',
        body: () => ({ jwk: { kty: 'RSA', n: RFC_JWK.n } }),
        pointer: '/body/jwk/e',
        message: 'must be a non-empty string',
      },
      {
        name: 'a private key',
        body: () => ({ jwk: { ...ecJwk, d: 'c2VjcmV0' } }),
        pointer: '/body/jwk/d',
        message: 'must not be sent: register the public key only',
      },
      {
        name: 'a point off the curve',
        body: () => ({ jwk: { ...ecJwk, y: ecJwk.x } }),
        pointer: '/body/jwk',
        message: 'is not a valid EC public key',
      },
      {
        name: 'a date that is no date',
        body: () => ({ jwk: ecJwk, expiresAt: 'tomorrow' }),
        pointer: '/body/expiresAt',
        message: 'must be an RFC 3339 date-time',
      },
      {
        name: 'a past expiry',
        body: () => ({ jwk: ecJwk, expiresAt: '2026-03-01T11:00:00Z' }),
        pointer: '/body/expiresAt',
        message: 'must lie in the future',
      },
    ];

    it.each(malformed)('should answer $name with MalformedField', async (c) => {
      expectFault(
        await register(c.body()),
        'MalformedField',
        `${c.pointer.slice('/body/'.length)} ${c.message}`,
        field(c.pointer, c.message),
      );
    });

    it('should use the RFC 7638 thumbprint as kid, and answer the same key with KeyAlreadyExists', async () => {
      expect(expectNoFault(await register({ jwk: RFC_JWK }), 201)).toEqual({
        kid: RFC_THUMBPRINT,
        expiresAt: null,
      });
      // The same key with other members, in another order: the thumbprint ignores both.
      const again = { e: RFC_JWK.e, n: RFC_JWK.n, kty: 'RSA', use: 'sig' };
      expectFault(
        await register({ jwk: again }),
        'KeyAlreadyExists',
        `A key with the thumbprint ${RFC_THUMBPRINT} is already registered for tenant 'acme'`,
      );
      expectNoFault(await register({ jwk: RFC_JWK }, member('globex')), 201);
    });

    it('should answer an unknown kid with KeyNotFound', async () => {
      expectFault(
        await send('GET', '/v1/keys/unknown-kid', member('acme')),
        'KeyNotFound',
        "Tenant 'acme' has no key unknown-kid",
      );
    });

    it('should serve a key until it expires, then answer KeyExpired', async () => {
      const created = expectNoFault(
        await register({ jwk: ecJwk, expiresAt: '2026-03-01T13:00:00Z' }),
        201,
      ) as { kid: string; expiresAt: string };
      expect(created.expiresAt).toBe('2026-03-01T13:00:00.000Z');
      const served = expectNoFault(
        await send('GET', `/v1/keys/${created.kid}`, member('acme')),
        200,
      );
      expect(served).toMatchObject({
        kid: created.kid,
        jwk: { kty: 'EC', crv: 'P-256', x: ecJwk.x, y: ecJwk.y, kid: created.kid },
      });
      clock = new Date(START.getTime() + 2 * HOUR);
      try {
        expectFault(
          await send('GET', `/v1/keys/${created.kid}`, member('acme')),
          'KeyExpired',
          `Key ${created.kid} of tenant 'acme' expired at 2026-03-01T13:00:00.000Z`,
        );
      } finally {
        clock = START;
      }
    });
  });

  describe('when a route is unknown', () => {
    it("should answer with the dialect's not-found code", async () => {
      expectFault(
        await send('GET', '/nowhere?token=secret'),
        'SignerNotFound',
        'No route for GET /nowhere',
      );
    });
  });

  it('should have produced every fault of its table', () => {
    expect([...seen].sort()).toEqual(Object.keys(SEED).sort());
  });
});
