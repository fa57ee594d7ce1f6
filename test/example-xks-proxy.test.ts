/**
 * The XKS proxy example over HTTP: requests signed by the AWS SDK's SigV4 signer (an
 * implementation independent of the proxy's verifier), every error name the proxy produces
 * from a real condition with its exact status and whole body, the AES-256-GCM round trip
 * checked with `node:crypto` against the spec's AAD construction, tampering, 404/405 and
 * GetHealthStatus. Statuses and scenario texts come from the seed table (seed 004).
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, denyPrincipals } from '../examples/xks-proxy/src/app';
import type { AppOptions, Credential } from '../examples/xks-proxy/src/app';
import { sign } from '../examples/xks-proxy/test/sign';
import type { SignInput } from '../examples/xks-proxy/test/sign';
import { SEED_ROWS } from './fixtures/xks-seed';
import { curl, masked, responseSamples } from './support/samples';
import { call, recorder } from './support/servers';
import type { LogCall, RawResponse } from './support/servers';

const HOST = '127.0.0.1';
const PREFIX = '/example/uri/path/prefix';
const BASE = `${PREFIX}/kms/xks/v1`;
const T0 = Date.parse('2024-05-15T12:00:00Z');
const ALICE = 'arn:aws:iam::123456789012:user/Alice';
const MALLORY = 'arn:aws:iam::123456789012:user/Mallory';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const FOO_MATERIAL = Buffer.alloc(32, 7);
const LONG_KEY_ID = `k${'0123456789abcdef'.repeat(8)}`.slice(0, 128);

const MAIN: Credential = {
  accessKeyId: 'XKSTEST2MAIN3KEY4ID567',
  secretAccessKey: 'dGVzdC1zZWNyZXQtZm9yLXRoZS14a3MtcHJveHktdGVzdHM=',
};
const ROTATED: Credential = {
  accessKeyId: 'XKSTEST2ROTATED3KEY4ID',
  secretAccessKey: 'cm90YXRlZC1zZWNyZXQtZm9yLXRoZS14a3MtcHJveHkxMjM=',
};
const THROTTLED: Credential = {
  accessKeyId: 'XKSTEST2THROTTLED3KEY4',
  secretAccessKey: 'dGhyb3R0bGVkLXNlY3JldC1mb3ItdGhlLXhrcy1wcm94eTE=',
  rateLimit: { burst: 2, perSecond: 0.5 },
};

// The seed's status and scenario text of an error name.
function seed(name: string): { status: number; scenario: string } {
  const row = SEED_ROWS.find((r) => r.split(' | ')[1] === name);
  if (row === undefined) throw new Error(`no seed row for ${name}`);
  const [status, , scenario] = row.split(' | ');
  return { status: Number(status), scenario: scenario! };
}

let now = T0;

interface Started {
  readonly url: string;
  readonly calls: LogCall[];
  close(): Promise<void>;
}

async function start(
  options: Omit<AppOptions, 'logger' | 'correlationId' | 'clock' | 'uriPrefix'>,
): Promise<Started> {
  const log = recorder();
  const app = await createApp({
    ...options,
    uriPrefix: PREFIX,
    clock: () => now,
    logger: log.logger,
    correlationId: () => 'fixed-id',
  });
  await app.listen({ port: 0, host: HOST });
  return {
    url: `http://${HOST}:${(app.server.address() as AddressInfo).port}`,
    calls: log.calls,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

let proxy: Started;
let slowHsm: Started;

beforeAll(async () => {
  proxy = await start({
    credentials: [MAIN, ROTATED, THROTTLED],
    keys: [
      { id: 'foo', usage: ['ENCRYPT', 'DECRYPT'], material: FOO_MATERIAL },
      { id: 'encrypt_only_key', usage: ['ENCRYPT'] },
      { id: 'decrypt_only_key', usage: ['DECRYPT'] },
      { id: 'impotent_key', usage: ['SIGN', 'VERIFY'] },
      { id: 'disabled_key', usage: ['ENCRYPT', 'DECRYPT'], status: 'DISABLED' },
      { id: 'slow_key', usage: ['ENCRYPT', 'DECRYPT'], latencyMs: 60_000 },
      { id: LONG_KEY_ID, usage: ['ENCRYPT', 'DECRYPT'] },
    ],
    hsm: { timeoutMs: 25 },
    authorize: denyPrincipals([MALLORY]),
  });
  // A key manager that never answers in time: even the deep health check times out.
  slowHsm = await start({
    credentials: [MAIN],
    keys: [],
    hsm: { latencyMs: 60_000, timeoutMs: 25 },
  });
});
afterAll(async () => {
  await proxy.close();
  await slowHsm.close();
});

interface Request {
  /** Relative to `[prefix]/kms/xks/v1/`, or absolute when it starts with `/`. */
  readonly path: string;
  readonly method?: string;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  /** `null`: send it unsigned. */
  readonly credential?: Credential | null;
  /** Overrides of what the signer signs. */
  readonly signed?: Partial<SignInput>;
  /** A body sent instead of the signed one. */
  readonly sentBody?: string;
  /** Headers set after signing. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly server?: () => Started;
}

async function send(r: Request): Promise<RawResponse> {
  const server = r.server?.() ?? proxy;
  server.calls.length = 0;
  const method = r.method ?? 'POST';
  const path = r.path.startsWith('/') ? r.path : `${BASE}/${r.path}`;
  const body =
    r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const credential = r.credential === undefined ? MAIN : r.credential;
  const headers =
    credential === null
      ? { 'content-type': 'application/json' }
      : await sign({
          url: server.url,
          method,
          path,
          body: body ?? '',
          ...credential,
          date: new Date(now),
          ...r.signed,
        });
  return call(server.url, method, path, { ...headers, ...r.headers }, r.sentBody ?? body);
}

/** The same signed request, sent as curl sends it, for what `curl -i` shows. */
async function curlSigned(
  path: string,
  body: object,
): Promise<{ head: readonly string[]; body: string }> {
  const text = JSON.stringify(body);
  const headers = await sign({
    url: proxy.url,
    method: 'POST',
    path: `${BASE}/${path}`,
    body: text,
    ...MAIN,
    date: new Date(now),
  });
  return curl(proxy.url, 'POST', `${BASE}/${path}`, headers as Record<string, string>, text);
}

const metadata = (kmsOperation: string, principal = ALICE) => ({
  awsPrincipalArn: principal,
  kmsKeyArn: KEY_ARN,
  kmsOperation,
  kmsRequestId: '4112f4d6-db54-4af4-ae30-c55a22a8dfae',
});
const HEALTH = {
  requestMetadata: {
    kmsOperation: 'KmsHealthCheck',
    kmsRequestId: '1124f4d6-db54-4af4-ae30-c55a22a8abcd',
  },
};
const DESCRIBE = { requestMetadata: metadata('DescribeKey') };
const encryptBody = (extra: object = {}) => ({
  requestMetadata: metadata('Encrypt'),
  plaintext: 'SGVsbG8gV29ybGQh',
  encryptionAlgorithm: 'AES_GCM',
  ...extra,
});
// A Decrypt body whose fields have the right shapes; its tag verifies for no key.
const decryptBody = (extra: object = {}) => ({
  requestMetadata: metadata('Decrypt'),
  ciphertext: 'ghxkK1txeDNn3q8Y',
  initializationVector: 'HMrlRw85cAJUd5Ax',
  authenticationTag: 'vBxN2ncH1oEkR8WVXpmyYQ==',
  encryptionAlgorithm: 'AES_GCM',
  ...extra,
});

// Every error: the seed's status for the name (405 for a wrong method), application/json,
// and exactly {"errorName","errorMessage"}.
function expectError(
  res: RawResponse,
  errorName: string,
  errorMessage: string,
  status = seed(errorName).status,
): void {
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
    status,
    contentType: 'application/json',
  });
  expect(JSON.parse(res.text)).toEqual({ errorName, errorMessage });
  expect(res.text).toBe(JSON.stringify({ errorName, errorMessage }));
}

interface ErrorCase extends Request {
  readonly name: string;
  readonly errorName: string;
  /** Default: the seed's scenario text (the message of a hidden 5xx). */
  readonly errorMessage?: string;
  readonly status?: number;
  /** The levels of the log lines the request must produce. @default ['info'] or ['error'] by status */
  readonly logs?: readonly string[];
}

const ERROR_CASES: readonly ErrorCase[] = [
  // AuthenticationFailedException: the SigV4 check, before anything reads the body.
  {
    name: 'an unsigned request',
    path: 'health',
    body: HEALTH,
    credential: null,
    errorName: 'AuthenticationFailedException',
    errorMessage: 'Missing Authorization header: requests must be signed with AWS SigV4',
  },
  {
    name: 'an unknown access key id',
    path: 'keys/foo/metadata',
    body: DESCRIBE,
    credential: { accessKeyId: 'XKSTEST2UNKNOWN3KEY4ID', secretAccessKey: MAIN.secretAccessKey },
    errorName: 'AuthenticationFailedException',
    errorMessage: 'The SigV4 access key id is not configured on this proxy',
  },
  {
    name: 'a signature made with another secret',
    path: 'keys/foo/encrypt',
    body: encryptBody(),
    credential: { ...MAIN, secretAccessKey: ROTATED.secretAccessKey },
    errorName: 'AuthenticationFailedException',
    errorMessage: 'The SigV4 signature does not match',
  },
  {
    name: 'a body changed after signing',
    path: 'keys/foo/encrypt',
    body: encryptBody(),
    sentBody: JSON.stringify(encryptBody({ plaintext: 'SGVsbG8gTWFsbG9yeSE=' })),
    errorName: 'AuthenticationFailedException',
    errorMessage: 'The SigV4 signature does not match',
  },
  {
    name: 'a body that does not match x-amz-content-sha256',
    path: 'keys/foo/encrypt',
    body: encryptBody(),
    signed: { contentSha256: true },
    sentBody: JSON.stringify(encryptBody({ plaintext: 'SGVsbG8gTWFsbG9yeSE=' })),
    errorName: 'AuthenticationFailedException',
    errorMessage: 'x-amz-content-sha256 does not match the request body',
  },
  {
    name: 'a signature six minutes old',
    path: 'health',
    body: HEALTH,
    signed: { date: new Date(T0 - 6 * 60_000) },
    errorName: 'AuthenticationFailedException',
    errorMessage:
      "The request time (x-amz-date) is more than 5 minutes away from the proxy's clock",
  },
  {
    name: 'a signature for the kms service',
    path: 'keys/foo/metadata',
    body: DESCRIBE,
    signed: { service: 'kms' },
    errorName: 'AuthenticationFailedException',
    errorMessage:
      'The credential scope must name the service kms-xks-proxy and end in aws4_request',
  },
  {
    name: 'a Basic Authorization header',
    path: 'health',
    body: HEALTH,
    credential: null,
    headers: { authorization: 'Basic eGtzOnhrcw==' },
    errorName: 'AuthenticationFailedException',
    errorMessage: 'The Authorization header is not an AWS4-HMAC-SHA256 signature',
  },

  // InvalidUriPathException: paths that are no XKS API, and methods other than POST.
  {
    name: 'an operation the API does not have',
    path: 'keys/foo/sign',
    body: encryptBody(),
    errorName: 'InvalidUriPathException',
    errorMessage: `No route for POST ${BASE}/keys/foo/sign`,
  },
  {
    name: 'another URI prefix',
    path: `${PREFIX}/invalid/kms/xks/v1/health`,
    body: HEALTH,
    errorName: 'InvalidUriPathException',
    errorMessage: `No route for POST ${PREFIX}/invalid/kms/xks/v1/health`,
  },
  {
    name: 'a trailing slash',
    path: 'health/',
    body: HEALTH,
    errorName: 'InvalidUriPathException',
    errorMessage: `No route for POST ${BASE}/health/`,
  },
  {
    name: 'a key id with a character outside [A-Za-z0-9._-]',
    path: 'keys/f%20oo/metadata',
    body: DESCRIBE,
    errorName: 'InvalidUriPathException',
    errorMessage: `No route for POST ${BASE}/keys/f%20oo/metadata`,
  },
  {
    name: 'a key id of 129 characters',
    path: `keys/${LONG_KEY_ID}x/metadata`,
    body: DESCRIBE,
    errorName: 'InvalidUriPathException',
    errorMessage: `No route for POST ${BASE}/keys/${LONG_KEY_ID}x/metadata`,
  },

  // ValidationException: bodies that do not fit the API.
  {
    name: 'invalid JSON',
    path: 'keys/foo/encrypt',
    body: '{"requestMetadata":',
    errorName: 'ValidationException',
    errorMessage: 'The request body could not be parsed',
  },
  {
    name: 'a JSON array',
    path: 'keys/foo/metadata',
    body: '[]',
    errorName: 'ValidationException',
    errorMessage: 'The request body must be a JSON object',
  },
  {
    name: 'an XML body',
    path: 'keys/foo/metadata',
    body: '<requestMetadata/>',
    signed: { headers: { 'content-type': 'text/xml' } },
    errorName: 'ValidationException',
    errorMessage: 'The request content type or encoding is not supported',
  },
  {
    name: 'no requestMetadata',
    path: 'keys/foo/metadata',
    body: {},
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata is missing or not a JSON object',
  },
  {
    name: 'an empty requestMetadata',
    path: 'keys/foo/metadata',
    body: { requestMetadata: {} },
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata.awsPrincipalArn is required',
  },
  {
    name: 'a kmsRequestId that is a number',
    path: 'keys/foo/metadata',
    body: { requestMetadata: { ...metadata('DescribeKey'), kmsRequestId: 42 } },
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata.kmsRequestId must be a string',
  },
  {
    name: 'Encrypt without kmsKeyArn',
    path: 'keys/foo/encrypt',
    body: encryptBody({ requestMetadata: { ...metadata('Encrypt'), kmsKeyArn: undefined } }),
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata.kmsKeyArn is required',
  },
  {
    name: 'an awsPrincipalArn of 2049 characters',
    path: 'keys/foo/metadata',
    body: { requestMetadata: metadata('DescribeKey', `arn:${'a'.repeat(2045)}`) },
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata.awsPrincipalArn is longer than 2048 characters',
  },
  {
    name: 'Encrypt without plaintext',
    path: 'keys/foo/encrypt',
    body: encryptBody({ plaintext: undefined }),
    errorName: 'ValidationException',
    errorMessage: 'plaintext is required',
  },
  {
    name: 'plaintext that is not Base64',
    path: 'keys/foo/encrypt',
    body: encryptBody({ plaintext: 'Hello World!' }),
    errorName: 'ValidationException',
    errorMessage: 'plaintext is not valid Base64',
  },
  {
    name: 'plaintext in a non-canonical Base64',
    path: 'keys/foo/encrypt',
    body: encryptBody({ plaintext: 'AB==' }),
    errorName: 'ValidationException',
    errorMessage: 'plaintext is not valid Base64',
  },
  {
    name: 'plaintext of 4301 bytes',
    path: 'keys/foo/encrypt',
    body: encryptBody({ plaintext: Buffer.alloc(4301, 1).toString('base64') }),
    errorName: 'ValidationException',
    errorMessage: 'plaintext is longer than 4300 bytes',
  },
  {
    name: 'AAD of 8193 bytes',
    path: 'keys/foo/encrypt',
    body: encryptBody({ additionalAuthenticatedData: Buffer.alloc(8193, 1).toString('base64') }),
    errorName: 'ValidationException',
    errorMessage: 'additionalAuthenticatedData is longer than 8192 bytes',
  },
  {
    name: 'Encrypt without encryptionAlgorithm',
    path: 'keys/foo/encrypt',
    body: encryptBody({ encryptionAlgorithm: undefined }),
    errorName: 'ValidationException',
    errorMessage: 'encryptionAlgorithm is required',
  },
  {
    name: 'Decrypt without an authentication tag',
    path: 'keys/foo/decrypt',
    body: decryptBody({ authenticationTag: undefined }),
    errorName: 'ValidationException',
    errorMessage: 'authenticationTag is required',
  },
  {
    name: 'a ciphertextMetadata of 21 bytes',
    path: 'keys/foo/decrypt',
    body: decryptBody({ ciphertextMetadata: Buffer.alloc(21).toString('base64') }),
    errorName: 'ValidationException',
    errorMessage: 'ciphertextMetadata is longer than 20 bytes',
  },

  // UnsupportedOperationException: what v1 of the spec does not have, and oversized bodies.
  {
    name: 'encryptionAlgorithm AES_CBC',
    path: 'keys/foo/encrypt',
    body: encryptBody({ encryptionAlgorithm: 'AES_CBC' }),
    errorName: 'UnsupportedOperationException',
    errorMessage: 'encryptionAlgorithm is not supported: this proxy implements AES_GCM only',
  },
  {
    name: 'a CDIV algorithm SHA_512',
    path: 'keys/foo/encrypt',
    body: encryptBody({ ciphertextDataIntegrityValueAlgorithm: 'SHA_512' }),
    errorName: 'UnsupportedOperationException',
    errorMessage:
      'ciphertextDataIntegrityValueAlgorithm is not supported: this proxy implements SHA_256 only',
  },
  {
    name: 'a body over 64 KiB',
    path: 'keys/foo/encrypt',
    body: encryptBody({ padding: 'x'.repeat(70_000) }),
    errorName: 'UnsupportedOperationException',
    errorMessage: 'The request body is larger than the 65536 bytes this proxy accepts',
    logs: ['error'],
  },

  // KeyNotFoundException, InvalidStateException, InvalidKeyUsageException: the key store.
  {
    name: 'GetKeyMetadata of an unknown key',
    path: 'keys/no_such_key/metadata',
    body: DESCRIBE,
    errorName: 'KeyNotFoundException',
    errorMessage: 'No external key with id no_such_key',
  },
  {
    name: 'Encrypt with an unknown key',
    path: 'keys/no_such_key/encrypt',
    body: encryptBody(),
    errorName: 'KeyNotFoundException',
    errorMessage: 'No external key with id no_such_key',
  },
  {
    name: 'Decrypt with an unknown key',
    path: 'keys/no_such_key/decrypt',
    body: decryptBody(),
    errorName: 'KeyNotFoundException',
    errorMessage: 'No external key with id no_such_key',
  },
  {
    name: 'Encrypt with a disabled key',
    path: 'keys/disabled_key/encrypt',
    body: encryptBody(),
    errorName: 'InvalidStateException',
    errorMessage: 'The external key disabled_key is disabled',
  },
  {
    name: 'Decrypt with a disabled key',
    path: 'keys/disabled_key/decrypt',
    body: decryptBody(),
    errorName: 'InvalidStateException',
    errorMessage: 'The external key disabled_key is disabled',
  },
  {
    name: 'Encrypt with a decrypt-only key',
    path: 'keys/decrypt_only_key/encrypt',
    body: encryptBody(),
    errorName: 'InvalidKeyUsageException',
    errorMessage: 'The external key decrypt_only_key does not support ENCRYPT',
  },
  {
    name: 'Decrypt with an encrypt-only key',
    path: 'keys/encrypt_only_key/decrypt',
    body: decryptBody(),
    errorName: 'InvalidKeyUsageException',
    errorMessage: 'The external key encrypt_only_key does not support DECRYPT',
  },
  {
    name: 'Encrypt with a key that can neither encrypt nor decrypt',
    path: 'keys/impotent_key/encrypt',
    body: encryptBody(),
    errorName: 'InvalidKeyUsageException',
    errorMessage: 'The external key impotent_key does not support ENCRYPT',
  },
  {
    name: 'Decrypt with a key that can neither encrypt nor decrypt',
    path: 'keys/impotent_key/decrypt',
    body: decryptBody(),
    errorName: 'InvalidKeyUsageException',
    errorMessage: 'The external key impotent_key does not support DECRYPT',
  },
  {
    name: 'Encrypt with a CDIV and an encrypt-only key',
    path: 'keys/encrypt_only_key/encrypt',
    body: encryptBody({ ciphertextDataIntegrityValueAlgorithm: 'SHA_256' }),
    errorName: 'InvalidKeyUsageException',
    errorMessage:
      'The external key encrypt_only_key does not support DECRYPT, which the ciphertextDataIntegrityValue check needs',
  },

  // AccessDeniedException: the proxy's policy on requestMetadata.
  {
    name: 'a principal the policy denies',
    path: 'keys/foo/encrypt',
    body: { ...encryptBody(), requestMetadata: metadata('Encrypt', MALLORY) },
    errorName: 'AccessDeniedException',
    errorMessage: `The proxy's policy denies requestMetadata.awsPrincipalArn ${MALLORY}`,
  },

  // DependencyTimeoutException: the key manager misses its AbortSignal.timeout deadline.
  {
    name: 'Encrypt with a key on a slow HSM partition',
    path: 'keys/slow_key/encrypt',
    body: encryptBody(),
    errorName: 'DependencyTimeoutException',
  },
  {
    name: 'GetKeyMetadata of a key on a slow HSM partition',
    path: 'keys/slow_key/metadata',
    body: DESCRIBE,
    errorName: 'DependencyTimeoutException',
  },
  {
    name: 'GetHealthStatus when the whole HSM is slow',
    path: 'health',
    body: HEALTH,
    server: () => slowHsm,
    errorName: 'DependencyTimeoutException',
  },

  // ValidationException from GetHealthStatus: the seed's table excludes it, but AWS's test
  // client expects it, so the proxy allows it there (xks: { allow }) and nothing is replaced.
  {
    name: 'GetHealthStatus without requestMetadata',
    path: 'health',
    body: {},
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata is missing or not a JSON object',
  },
  {
    name: 'GetHealthStatus with an empty requestMetadata',
    path: 'health',
    body: { requestMetadata: {} },
    errorName: 'ValidationException',
    errorMessage: 'requestMetadata.kmsOperation is required',
  },
  {
    name: 'GetHealthStatus with invalid JSON',
    path: 'health',
    body: '{',
    errorName: 'ValidationException',
    errorMessage: 'The request body could not be parsed',
  },
];

describe('the xks-proxy example', () => {
  describe.each(ERROR_CASES)('when it receives $name', (c) => {
    it(`should answer ${c.errorName} as XKS JSON and log it once with the correlation id`, async () => {
      const res = await send(c);
      expectError(res, c.errorName, c.errorMessage ?? seed(c.errorName).scenario, c.status);
      const server = c.server?.() ?? proxy;
      const logs = c.logs ?? [res.status >= 500 ? 'error' : 'info'];
      expect(server.calls.map((call) => call.level)).toEqual(logs);
      expect(server.calls.at(-1)?.event).toMatchObject({
        correlationId: 'fixed-id',
        dialect: 'xks',
        code: c.errorName,
      });
    });
  });

  describe('when another method than POST reaches an API path', () => {
    it('should answer 405 with Allow: POST and no body, and log it once', async () => {
      for (const [method, path] of [
        ['GET', 'health'],
        ['GET', 'keys/foo/metadata'],
        ['PUT', 'keys/foo/encrypt'],
        ['GET', 'keys/foo/decrypt'],
      ] as const) {
        const res = await send({
          path,
          method,
          credential: null,
          ...(method === 'PUT' ? { body: encryptBody() } : {}),
        });
        expect([
          res.status,
          res.headers.allow,
          res.headers['content-type'],
          res.headers['content-length'],
          res.text,
        ]).toEqual([405, 'POST', undefined, '0', '']);
        expect(proxy.calls.map((call) => call.level)).toEqual(['info']);
        expect(proxy.calls[0]?.event).toMatchObject({
          correlationId: 'fixed-id',
          dialect: 'xks',
          code: 'InvalidUriPathException',
        });
      }
    });
  });

  describe('when an error names the timeout in the log', () => {
    it('should keep the deadline and its abort in the log, out of the body', async () => {
      const res = await send({ path: 'keys/slow_key/encrypt', body: encryptBody() });
      expect(res.text).not.toContain('25 ms');
      const event = proxy.calls[0]?.event as { err: { message: string; causes: string[] } };
      expect(event.err.message).toBe('The key manager did not answer within 25 ms');
      expect(event.err.causes[0]).toMatch(/^AbortError: /);
    });
  });

  describe('when a plaintext is refused', () => {
    it('should keep the plaintext out of the log', async () => {
      await send({
        path: 'keys/decrypt_only_key/encrypt',
        body: encryptBody({ plaintext: 'c2VjcmV0LXBsYWludGV4dA==' }),
      });
      expect(JSON.stringify(proxy.calls)).not.toContain('c2VjcmV0LXBsYWludGV4dA==');
    });
  });

  describe('when a caller exceeds its quota', () => {
    it('should throttle it with Retry-After, other callers not, and let it in after the refill', async () => {
      for (let i = 0; i < 2; i++)
        expect((await send({ path: 'health', body: HEALTH, credential: THROTTLED })).status).toBe(
          200,
        );
      const throttled = await send({ path: 'health', body: HEALTH, credential: THROTTLED });
      expectError(
        throttled,
        'ThrottlingException',
        'Request quota exceeded for this access key: 2 at once, then one every 2 s',
      );
      expect(throttled.headers['retry-after']).toBe('2');
      expect((await send({ path: 'health', body: HEALTH })).status).toBe(200);
      now += 2000;
      try {
        expect((await send({ path: 'health', body: HEALTH, credential: THROTTLED })).status).toBe(
          200,
        );
      } finally {
        now = T0;
      }
    });
  });
});

describe('the xks-proxy example on success', () => {
  function expectJson(res: RawResponse): unknown {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    return JSON.parse(res.text);
  }

  describe('when KMS asks for the health status', () => {
    it('should answer the spec shape after a deep check, and never authorize it', async () => {
      const withPrincipal = {
        requestMetadata: { ...HEALTH.requestMetadata, awsPrincipalArn: MALLORY },
      };
      for (const body of [HEALTH, withPrincipal]) {
        const res = await send({ path: 'health', body });
        expect(res.text).toBe(
          '{"xksProxyFleetSize":1,"xksProxyVendor":"faultline","xksProxyModel":"faultline XKS proxy example 0.0.0",' +
            '"ekmVendor":"faultline","ekmFleetDetails":[{"id":"hsm-1","model":"faultline in-memory AES-256-GCM HSM","healthStatus":"ACTIVE"}]}',
        );
      }
      expect(proxy.calls).toEqual([]);
    });
  });

  describe.each([
    ['foo', { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' }],
    ['impotent_key', { keySpec: 'AES_256', keyUsage: ['SIGN', 'VERIFY'], keyStatus: 'ENABLED' }],
    [
      'disabled_key',
      { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'DISABLED' },
    ],
    [LONG_KEY_ID, { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' }],
  ])('when KMS asks for the metadata of %s', (keyId, expected) => {
    it('should report its spec, usages and status', async () => {
      expect(expectJson(await send({ path: `keys/${keyId}/metadata`, body: DESCRIBE }))).toEqual(
        expected,
      );
    });
  });

  describe.each([
    ['signed with x-amz-content-sha256', { contentSha256: true }, MAIN],
    ['signed in another region', { region: 'eu-west-1' }, MAIN],
    ['signed with the second (rotated) credential', {}, ROTATED],
  ])('when a request is %s', (_name, signed, credential) => {
    it('should authenticate it', async () => {
      expect(
        (await send({ path: 'keys/foo/metadata', body: DESCRIBE, signed, credential })).status,
      ).toBe(200);
    });
  });

  describe('when KMS encrypts with AAD and a CDIV, then decrypts', () => {
    const plaintext = Buffer.from('Hello World!');
    const aad = Buffer.from('project=nile,department=marketing');
    let sealed: {
      ciphertext: string;
      initializationVector: string;
      authenticationTag: string;
      ciphertextDataIntegrityValue: string;
    };

    beforeAll(async () => {
      const res = await send({
        path: 'keys/foo/encrypt',
        body: encryptBody({
          plaintext: plaintext.toString('base64'),
          additionalAuthenticatedData: aad.toString('base64'),
          ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
        }),
      });
      sealed = expectJson(res) as typeof sealed;
    });

    const bytes = (field: keyof typeof sealed) => Buffer.from(sealed[field], 'base64');
    const decrypt = (extra: object = {}, keyId = 'foo') =>
      send({
        path: `keys/${keyId}/decrypt`,
        body: decryptBody({
          ciphertext: sealed.ciphertext,
          initializationVector: sealed.initializationVector,
          authenticationTag: sealed.authenticationTag,
          additionalAuthenticatedData: aad.toString('base64'),
          ...extra,
        }),
      });
    const flip = (field: keyof typeof sealed) => {
      const b = bytes(field);
      b[0]! ^= 1;
      return b.toString('base64');
    };

    it('should answer the spec fields: a 12-byte IV, a 16-byte tag, a ciphertext as long as the plaintext', () => {
      expect(Object.keys(sealed).sort()).toEqual([
        'authenticationTag',
        'ciphertext',
        'ciphertextDataIntegrityValue',
        'initializationVector',
      ]);
      expect([
        bytes('initializationVector').length,
        bytes('authenticationTag').length,
        bytes('ciphertext').length,
      ]).toEqual([12, 16, plaintext.length]);
    });

    it('should compute the CDIV over AAD || IV || ciphertext || tag (Appendix C)', () => {
      const cdiv = createHash('sha256')
        .update(
          Buffer.concat([
            aad,
            bytes('initializationVector'),
            bytes('ciphertext'),
            bytes('authenticationTag'),
          ]),
        )
        .digest('base64');
      expect(sealed.ciphertextDataIntegrityValue).toBe(cdiv);
    });

    it("should seal under the key with the spec's AAD: 2-byte AAD length, AAD, 1-byte metadata length", () => {
      const decipher = createDecipheriv('aes-256-gcm', FOO_MATERIAL, bytes('initializationVector'));
      decipher.setAuthTag(bytes('authenticationTag'));
      const length = Buffer.alloc(2);
      length.writeUInt16BE(aad.length);
      decipher.setAAD(Buffer.concat([length, aad, Buffer.of(0)]));
      expect(Buffer.concat([decipher.update(bytes('ciphertext')), decipher.final()])).toEqual(
        plaintext,
      );
    });

    it('should decrypt it back with the same AAD', async () => {
      expect(expectJson(await decrypt())).toEqual({ plaintext: plaintext.toString('base64') });
    });

    describe.each([
      ['a flipped ciphertext bit', () => ({ ciphertext: flip('ciphertext') })],
      ['a flipped tag bit', () => ({ authenticationTag: flip('authenticationTag') })],
      [
        'another AAD',
        () => ({ additionalAuthenticatedData: Buffer.from('project=blue').toString('base64') }),
      ],
      ['no AAD', () => ({ additionalAuthenticatedData: undefined })],
      [
        'a ciphertextMetadata Encrypt did not produce',
        () => ({ ciphertextMetadata: Buffer.from('key_version=1').toString('base64') }),
      ],
      [
        'the AAD moved into ciphertextMetadata',
        () => ({
          additionalAuthenticatedData: undefined,
          ciphertextMetadata: aad.subarray(0, 20).toString('base64'),
        }),
      ],
      ['another IV', () => ({ initializationVector: flip('initializationVector') })],
    ])('when the Decrypt carries %s', (_name, tamper) => {
      it('should answer InvalidCiphertextException', async () => {
        expectError(
          await decrypt(tamper()),
          'InvalidCiphertextException',
          'The authentication tag does not verify: the ciphertext, IV, tag, AAD or ciphertext metadata differ from what Encrypt produced',
        );
      });
    });

    it('should send the response the README shows, every header as curl prints it', async () => {
      const [sample] = responseSamples('examples/xks-proxy/README.md');
      const body = decryptBody({
        ...sealed,
        ciphertextDataIntegrityValue: undefined,
        additionalAuthenticatedData: Buffer.from('project=blue').toString('base64'),
      });
      const sent = await curlSigned('keys/foo/decrypt', body);
      expect(masked(sample!)).toEqual(masked(sent));
    });

    describe.each([
      [
        'a 13-byte IV',
        () => ({ initializationVector: Buffer.alloc(13).toString('base64') }),
        'initializationVector must be 12 or 16 bytes',
      ],
      [
        'a 12-byte tag',
        () => ({
          authenticationTag: bytes('authenticationTag').subarray(0, 12).toString('base64'),
        }),
        'authenticationTag must be 16 bytes',
      ],
    ])('when the Decrypt carries %s', (_name, tamper, message) => {
      it('should answer InvalidCiphertextException', async () => {
        expectError(await decrypt(tamper()), 'InvalidCiphertextException', message);
      });
    });

    describe('when another key that may decrypt is asked', () => {
      it('should answer InvalidCiphertextException', async () => {
        const res = await decrypt({}, 'decrypt_only_key');
        expect(JSON.parse(res.text)).toMatchObject({ errorName: 'InvalidCiphertextException' });
      });
    });
  });

  describe('when the plaintext has the 4300 bytes the spec requires, and the AAD 8192', () => {
    it('should round-trip it', async () => {
      const plaintext = Buffer.alloc(4300, 0xab).toString('base64');
      const aad = Buffer.alloc(8192, 0xcd).toString('base64');
      const sealed = expectJson(
        await send({
          path: 'keys/foo/encrypt',
          body: encryptBody({ plaintext, additionalAuthenticatedData: aad }),
        }),
      ) as Record<string, string>;
      const res = await send({
        path: 'keys/foo/decrypt',
        body: decryptBody({ ...sealed, additionalAuthenticatedData: aad }),
      });
      expect(expectJson(res)).toEqual({ plaintext });
    });
  });

  describe('when a ciphertext sealed elsewhere under the same key material arrives', () => {
    it('should decrypt it: the proxy is plain AES-256-GCM with the documented AAD', async () => {
      const iv = Buffer.alloc(12, 3);
      const cipher = createCipheriv('aes-256-gcm', FOO_MATERIAL, iv);
      cipher.setAAD(Buffer.of(0, 0, 0));
      const ciphertext = Buffer.concat([cipher.update('from outside'), cipher.final()]);
      const res = await send({
        path: 'keys/foo/decrypt',
        body: decryptBody({
          ciphertext: ciphertext.toString('base64'),
          initializationVector: iv.toString('base64'),
          authenticationTag: cipher.getAuthTag().toString('base64'),
        }),
      });
      expect(expectJson(res)).toEqual({
        plaintext: Buffer.from('from outside').toString('base64'),
      });
    });
  });
});

describe('createApp', () => {
  describe.each([
    [
      'an access key id outside A-Z2-7',
      { credentials: [{ ...MAIN, accessKeyId: 'akid' }] },
      'credentials[0].accessKeyId must be 20-30 characters of A-Z and 2-7',
    ],
    [
      'a short secret',
      { credentials: [{ ...MAIN, secretAccessKey: 'short' }] },
      'credentials[0].secretAccessKey must be 43-64 characters of A-Z, a-z, 0-9, +, / and =',
    ],
    [
      'a key id with a slash',
      { keys: [{ id: 'a/b', usage: [] }] },
      'keys[0].id must be 1-128 characters of [A-Za-z0-9._-]',
    ],
    [
      'key material of 16 bytes',
      { keys: [{ id: 'k', usage: [], material: Buffer.alloc(16) }] },
      'keys[0].material must be 32 bytes',
    ],
    [
      'a URI prefix without a leading slash',
      { uriPrefix: 'example' },
      "uriPrefix must be '' or a path such as '/example/uri/path/prefix' of [A-Za-z0-9_-] segments",
    ],
    [
      'a rate limit of zero',
      { rateLimit: { burst: 0, perSecond: 1 } },
      'rateLimit must be { burst: a positive integer, perSecond: a positive number }',
    ],
    [
      'a negative deadline',
      { hsm: { timeoutMs: -1 } },
      'hsm.timeoutMs must be a number of milliseconds, 0 or more',
    ],
  ])('when given %s', (_name, patch, message) => {
    it('should throw a TypeError naming the option', async () => {
      await expect(
        createApp({ credentials: [MAIN], keys: [], ...patch } as AppOptions),
      ).rejects.toThrow(new TypeError(message));
    });
  });
});
