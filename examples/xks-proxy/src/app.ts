/**
 * An AWS KMS External Key Store (XKS) proxy on Fastify 5 (XKS Proxy API spec v1.0.3): the four
 * APIs GetKeyMetadata, Encrypt, Decrypt and GetHealthStatus under `[uriPrefix]/kms/xks/v1`,
 * SigV4 authentication, a request quota per access key, an optional authorization policy on
 * `requestMetadata`, and an in-memory AES-256-GCM key manager. Every error it raises, and every
 * error Fastify raises, is answered in the `xks` dialect: `{"errorName":…,"errorMessage":…}` as
 * `application/json`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isFault, routeNotFound, xks } from '@faultline/core';
import type { FaultLogger, RequestInfo, XksOperation } from '@faultline/core';
import faultline, { frameworkErrors } from '@faultline/fastify';
import { KeyManager } from './key-manager.js';
import type { KeyDefinition, KeyManagerOptions, Sealed } from './key-manager.js';
import {
  LIMITS,
  base64Field,
  cdivRequested,
  encryptionAlgorithm,
  jsonObject,
  requestMetadata,
} from './requests.js';
import type { RequestMetadata } from './requests.js';
import { verifySigV4 } from './sigv4.js';
import { DEFAULT_RATE_LIMIT, RequestQuota, checkRateLimit } from './throttle.js';
import type { RateLimit } from './throttle.js';

export type { KeyDefinition, KeyManagerOptions, KeyStatus } from './key-manager.js';
export type { RequestMetadata } from './requests.js';
export type { RateLimit } from './throttle.js';

/** A SigV4 credential KMS signs with, configured on both sides. */
export interface Credential {
  /** 20–30 characters of `A-Z` and `2-7`, as KMS requires. */
  readonly accessKeyId: string;
  /** 43–64 characters of `A-Za-z0-9+/=`, as KMS requires. */
  readonly secretAccessKey: string;
  /** This key's quota, overriding the app's `rateLimit`. */
  readonly rateLimit?: RateLimit;
}

/** What an {@link Authorizer} decides on. */
export interface AuthorizationRequest {
  readonly operation: Exclude<XksOperation, 'GetHealthStatus'>;
  readonly keyId: string;
  readonly metadata: RequestMetadata;
  /** The access key id that signed the request. */
  readonly accessKeyId: string;
}

/**
 * The proxy's secondary authorization (spec, "Authorization"): the reason to deny a request,
 * or `undefined` to allow it. GetHealthStatus is never authorized, as the spec requires.
 */
export type Authorizer = (
  request: AuthorizationRequest,
) => string | undefined | Promise<string | undefined>;

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The external keys. */
  readonly keys: readonly KeyDefinition[];
  /** The SigV4 credentials the proxy accepts (the spec asks for two at once, for rotation). */
  readonly credentials: readonly Credential[];
  /**
   * The path before `/kms/xks/v1`, e.g. `/example/uri/path/prefix`: `''` or `/`-separated
   * segments of `[A-Za-z0-9_-]`.
   * @default ''
   */
  readonly uriPrefix?: string;
  /** The quota of each access key. @default { burst: 1800, perSecond: 1800 } */
  readonly rateLimit?: RateLimit;
  /** Secondary authorization on `requestMetadata`. Default: allow every authenticated request. */
  readonly authorize?: Authorizer;
  /** The simulated key manager: latency, deadline, name. */
  readonly hsm?: KeyManagerOptions;
  /** The clock for SigV4's time check and the quotas, in ms since the epoch. @default Date.now */
  readonly clock?: () => number;
  /**
   * Where faults are logged; `false` turns logging off. Default: Fastify's own logger
   * (`request.log`), writing to stderr.
   */
  readonly logger?: FaultLogger | false;
  /** Makes the correlation id logged with each fault (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
}

/**
 * Builds an {@link Authorizer} that denies the given principals (`awsPrincipalArn`) every key.
 *
 * @param arns - the principal ARNs to deny
 * @returns the authorizer
 * @example
 * ```ts
 * const app = await createApp({ keys, credentials, authorize: denyPrincipals(['arn:aws:iam::123456789012:user/Mallory']) });
 * ```
 */
export function denyPrincipals(arns: Iterable<string>): Authorizer {
  const denied = new Set(arns);
  return ({ metadata }) =>
    metadata.awsPrincipalArn !== undefined && denied.has(metadata.awsPrincipalArn)
      ? `The proxy's policy denies requestMetadata.awsPrincipalArn ${metadata.awsPrincipalArn}`
      : undefined;
}

/** What GetHealthStatus reports of this proxy. */
export const PROXY_VENDOR = Object.freeze({
  xksProxyVendor: 'faultline',
  xksProxyModel: 'faultline XKS proxy example 0.0.0',
  ekmVendor: 'faultline',
});

// Enough for the largest body KMS sends (4300 bytes of data and 8192 of AAD, Base64-encoded,
// with 2048-character ARNs) several times over; a larger body is refused before it is read.
const BODY_LIMIT = 64 * 1024;
const ACCESS_KEY_ID = /^[A-Z2-7]{20,30}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9+/=]{43,64}$/;

function checkCredentials(
  credentials: unknown,
  fallback: RateLimit,
): ReadonlyMap<string, Credential> {
  if (!Array.isArray(credentials))
    throw new TypeError('credentials must be an array of SigV4 credentials');
  const map = new Map<string, Credential>();
  for (const [index, credential] of (credentials as Credential[]).entries()) {
    const name = `credentials[${index}]`;
    if (
      typeof credential?.accessKeyId !== 'string' ||
      !ACCESS_KEY_ID.test(credential.accessKeyId)
    ) {
      throw new TypeError(`${name}.accessKeyId must be 20-30 characters of A-Z and 2-7`);
    }
    if (
      typeof credential.secretAccessKey !== 'string' ||
      !SECRET_ACCESS_KEY.test(credential.secretAccessKey)
    ) {
      throw new TypeError(
        `${name}.secretAccessKey must be 43-64 characters of A-Z, a-z, 0-9, +, / and =`,
      );
    }
    if (map.has(credential.accessKeyId))
      throw new TypeError(`${name}.accessKeyId is configured twice`);
    const rateLimit =
      credential.rateLimit === undefined
        ? fallback
        : checkRateLimit(credential.rateLimit, `${name}.rateLimit`);
    map.set(credential.accessKeyId, Object.freeze({ ...credential, rateLimit }));
  }
  return map;
}

function checkPrefix(prefix: unknown): string {
  try {
    xks.isUnderPrefix('/', prefix as string);
    return prefix as string;
  } catch {
    throw new TypeError(
      "uriPrefix must be '' or a path such as '/example/uri/path/prefix' of [A-Za-z0-9_-] segments",
    );
  }
}

// The AAD given to AES-GCM (spec, Encrypt: ciphertextMetadata): the 2-byte big-endian length
// of the AAD, the AAD, the 1-byte length of the ciphertext metadata, the metadata. The lengths
// keep `aad = x, metadata = ∅` and `aad = ∅, metadata = x` from verifying each other.
function gcmAad(aad: Buffer | undefined, metadata: Buffer | undefined): Buffer {
  const a = aad ?? Buffer.alloc(0);
  const m = metadata ?? Buffer.alloc(0);
  const aadLength = Buffer.alloc(2);
  aadLength.writeUInt16BE(a.length);
  return Buffer.concat([aadLength, a, Buffer.of(m.length), m]);
}

// Spec, Appendix C: SHA-256 over AAD || ciphertextMetadata || IV || ciphertext || tag (this proxy
// emits no ciphertextMetadata, so that part is empty).
function integrityValue(aad: Buffer | undefined, sealed: Sealed): string {
  const hash = createHash('sha256');
  for (const part of [aad, sealed.iv, sealed.ciphertext, sealed.tag])
    if (part !== undefined) hash.update(part);
  return hash.digest('base64');
}

// The spec asks the proxy to log kmsRequestId, to match its logs with CloudTrail.
function logCall(
  request: FastifyRequest,
  xksOperation: XksOperation,
  metadata: RequestMetadata,
  keyId?: string,
): void {
  const { kmsRequestId, kmsOperation } = metadata;
  request.log.info(
    { xksOperation, ...(keyId === undefined ? {} : { keyId }), kmsRequestId, kmsOperation },
    'XKS request',
  );
}

function sendJson(reply: FastifyReply, value: object): FastifyReply {
  // As a Buffer, so Fastify sends exactly `application/json`, as the error bodies are.
  return reply.type('application/json').send(Buffer.from(JSON.stringify(value)));
}

async function readBody(
  payload: AsyncIterable<Buffer | string>,
  declaredLength: string | undefined,
): Promise<Buffer> {
  const tooLarge = () =>
    Object.assign(
      new Error(`The request body is larger than the ${BODY_LIMIT} bytes this proxy accepts`),
      {
        status: 413,
        expose: true,
      },
    );
  if (Number(declaredLength) > BODY_LIMIT) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > BODY_LIMIT) throw tooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the XKS proxy, not yet listening.
 *
 * @param options - keys, credentials, URI prefix, quota, authorization, key manager, clock,
 *   fault logger and correlation ids
 * @returns the Fastify instance, with faultline registered in the `xks` dialect
 * @throws TypeError naming the option when an option is invalid
 * @example
 * ```ts
 * const app = await createApp({
 *   keys: [{ id: 'foo', usage: ['ENCRYPT', 'DECRYPT'] }],
 *   credentials: [{ accessKeyId: 'XKSDEMO2ACCESS3KEY4ID5', secretAccessKey: process.env.XKS_SECRET! }],
 *   uriPrefix: '/example/uri/path/prefix',
 * });
 * await app.listen({ port: 8082, host: '127.0.0.1' });
 * ```
 */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const prefix = checkPrefix(options.uriPrefix ?? '');
  const rateLimit =
    options.rateLimit === undefined
      ? DEFAULT_RATE_LIMIT
      : checkRateLimit(options.rateLimit, 'rateLimit');
  const credentials = checkCredentials(options.credentials, rateLimit);
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function')
    throw new TypeError('clock must be a function returning milliseconds');
  const authorize = options.authorize ?? (() => undefined);
  if (typeof authorize !== 'function') throw new TypeError('authorize must be a function');
  const hsm = new KeyManager(options.keys, options.hsm);
  const quota = new RequestQuota((id) => credentials.get(id)!.rateLimit!, clock);
  const base = `${prefix}/kms/xks/v1`;
  // Who signed each request in flight: set by the authentication hook, read by the handlers.
  const callers = new WeakMap<FastifyRequest, string>();

  const app = Fastify({
    // Fastify's logger logs the faults (through request.log) unless a logger is given.
    logger: options.logger === undefined ? { stream: process.stderr } : false,
    frameworkErrors,
    bodyLimit: BODY_LIMIT,
    // Fastify refuses a path parameter over 100 characters with its own 414 (which the dialect
    // reads as a ValidationException); externalKeyId may have 128, and a longer one is an
    // invalid URI path. So let any segment Node accepts (16 KiB of headers) reach the routes,
    // whose key id check answers InvalidUriPathException.
    routerOptions: { maxParamLength: 16 * 1024 },
  });
  await app.register(faultline, {
    dialect: 'xks',
    xks: {
      pathPrefix: prefix,
      // The seed's table excludes ValidationException from GetHealthStatus, but AWS's own test
      // client and reference proxy answer a malformed health request with it.
      allow: { GetHealthStatus: ['ValidationException'] },
    },
    logger: options.logger,
    correlationId: options.correlationId,
  });

  // The API routes, in a scope of their own: only POSTs to the four APIs are authenticated.
  // A GET on an API path reaches the not-found handler, which the dialect answers with 405.
  await app.register(async (api) => {
    // The route matched on Fastify's looser parameter syntax; the key id must be the spec's.
    api.addHook('onRequest', async (request) => {
      if (xks.operationOf(request.url, prefix) === undefined)
        throw routeNotFound(request.method, request.url);
    });

    // Authentication needs the exact body bytes, so it runs before Fastify parses them; a
    // caller that fails it never learns whether its JSON was valid.
    api.addHook('preParsing', async (request, _reply, payload) => {
      const body = await readBody(payload, request.headers['content-length']);
      const { accessKeyId } = verifySigV4(
        { method: request.method, url: request.url, rawHeaders: request.raw.rawHeaders, body },
        (id) => credentials.get(id)?.secretAccessKey,
        clock(),
      );
      quota.take(accessKeyId);
      callers.set(request, accessKeyId);
      return Readable.from(body.length === 0 ? [] : [body]);
    });

    // What every key API reads first: the key id, the body and its metadata, then the policy.
    const admit = async (request: FastifyRequest, operation: AuthorizationRequest['operation']) => {
      const keyId = xks.operationOf(request.url, prefix)!.keyId!;
      const fields = jsonObject(request.body);
      const metadata = requestMetadata(fields, operation);
      logCall(request, operation, metadata, keyId);
      const denial = await authorize({
        operation,
        keyId,
        metadata,
        accessKeyId: callers.get(request)!,
      });
      if (denial !== undefined) throw xks.fault('AccessDeniedException', denial);
      return { keyId, fields };
    };

    api.post(`${base}/health`, async (request, reply) => {
      const metadata = requestMetadata(jsonObject(request.body), 'GetHealthStatus');
      logCall(request, 'GetHealthStatus', metadata);
      const healthStatus = await hsm.healthCheck();
      return sendJson(reply, {
        xksProxyFleetSize: 1,
        ...PROXY_VENDOR,
        ekmFleetDetails: [{ id: hsm.id, model: hsm.model, healthStatus }],
      });
    });

    api.post(`${base}/keys/:keyId/metadata`, async (request, reply) => {
      const { keyId } = await admit(request, 'GetKeyMetadata');
      return sendJson(reply, await hsm.describe(keyId));
    });

    api.post(`${base}/keys/:keyId/encrypt`, async (request, reply) => {
      const { keyId, fields } = await admit(request, 'Encrypt');
      encryptionAlgorithm(fields);
      const plaintext = base64Field(fields, 'plaintext', {
        required: true,
        maxBytes: LIMITS.data,
      })!;
      const aad = base64Field(fields, 'additionalAuthenticatedData', {
        required: false,
        maxBytes: LIMITS.aad,
      });
      const withCdiv = cdivRequested(fields);
      const sealed = await hsm.encrypt(keyId, plaintext, gcmAad(aad, undefined));
      const response: Record<string, string> = {
        ciphertext: sealed.ciphertext.toString('base64'),
        initializationVector: sealed.iv.toString('base64'),
        authenticationTag: sealed.tag.toString('base64'),
      };
      if (withCdiv) {
        // Appendix C: hash the output first, then prove that it decrypts. Hashing after the
        // check would bless output corrupted in between.
        response.ciphertextDataIntegrityValue = integrityValue(aad, sealed);
        await checkDecrypts(keyId, sealed, aad, plaintext);
      }
      return sendJson(reply, response);
    });

    api.post(`${base}/keys/:keyId/decrypt`, async (request, reply) => {
      const { keyId, fields } = await admit(request, 'Decrypt');
      encryptionAlgorithm(fields);
      const ciphertext = base64Field(fields, 'ciphertext', {
        required: true,
        maxBytes: LIMITS.data,
      })!;
      const iv = base64Field(fields, 'initializationVector', {
        required: true,
        maxBytes: LIMITS.data,
      })!;
      const tag = base64Field(fields, 'authenticationTag', {
        required: true,
        maxBytes: LIMITS.data,
      })!;
      const aad = base64Field(fields, 'additionalAuthenticatedData', {
        required: false,
        maxBytes: LIMITS.aad,
      });
      const metadata = base64Field(fields, 'ciphertextMetadata', {
        required: false,
        maxBytes: LIMITS.ciphertextMetadata,
      });
      if (iv.length !== 12 && iv.length !== 16) {
        throw xks.fault(
          'InvalidCiphertextException',
          'initializationVector must be 12 or 16 bytes',
        );
      }
      if (tag.length !== 16)
        throw xks.fault('InvalidCiphertextException', 'authenticationTag must be 16 bytes');
      const plaintext = await hsm.decrypt(keyId, {
        iv,
        ciphertext,
        tag,
        aad: gcmAad(aad, metadata),
      });
      return sendJson(reply, { plaintext: plaintext.toString('base64') });
    });
  });

  // The CDIV promise: a Decrypt with the same inputs will succeed. A key that cannot decrypt
  // cannot keep it; output that does not decrypt is the key manager's failure.
  async function checkDecrypts(
    keyId: string,
    sealed: Sealed,
    aad: Buffer | undefined,
    plaintext: Buffer,
  ) {
    let back: Buffer;
    try {
      back = await hsm.decrypt(keyId, { ...sealed, aad: gcmAad(aad, undefined) });
    } catch (error) {
      if (isFault(error) && error.code === 'InvalidKeyUsageException') {
        throw xks.fault(
          'InvalidKeyUsageException',
          `The external key ${keyId} does not support DECRYPT, which the ciphertextDataIntegrityValue check needs`,
          { cause: error },
        );
      }
      if (isFault(error) && error.code === 'InvalidCiphertextException') {
        throw new Error('The key manager produced a ciphertext that does not decrypt', {
          cause: error,
        });
      }
      throw error;
    }
    if (!back.equals(plaintext))
      throw new Error('The key manager decrypted its ciphertext to another plaintext');
  }

  return app;
}
