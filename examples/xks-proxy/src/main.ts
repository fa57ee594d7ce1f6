/**
 * Starts the XKS proxy on 127.0.0.1 (`PORT`, default 8082) with a demo key store and demo
 * credentials, and prints curl commands (`--aws-sigv4`) that show a success and each kind of
 * XKS error. Stops on Ctrl-C.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createApp, denyPrincipals } from './app.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8082);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

// The defaults of AWS's XKS proxy test client (aws-samples/aws-kms-xksproxy-test-client).
const URI_PREFIX = '/example/uri/path/prefix';
const ACCESS_KEY_ID = 'XKSDEMO2ACCESS3KEY4ID5';
const SECRET_ACCESS_KEY = 'ZmF1bHRsaW5lLXhrcy1wcm94eS1kZW1vLXNlY3JldCE=';
// A second credential with a tiny quota: one request, then one every 30 seconds.
const THROTTLED_KEY_ID = 'XKSDEMO2THROTTLED3KEY4';
const THROTTLED_SECRET = 'ZmF1bHRsaW5lLXhrcy10aHJvdHRsZWQtc2VjcmV0ISE=';
const DENIED_PRINCIPAL = 'arn:aws:iam::123456789012:user/Mallory';

const app = await createApp({
  uriPrefix: URI_PREFIX,
  credentials: [
    { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    {
      accessKeyId: THROTTLED_KEY_ID,
      secretAccessKey: THROTTLED_SECRET,
      rateLimit: { burst: 1, perSecond: 1 / 30 },
    },
  ],
  // Fresh random key material on every start: ciphertexts do not outlive the process.
  keys: [
    { id: 'foo', usage: ['ENCRYPT', 'DECRYPT'] },
    { id: 'encrypt_only_key', usage: ['ENCRYPT'] },
    { id: 'decrypt_only_key', usage: ['DECRYPT'] },
    { id: 'impotent_key', usage: ['SIGN', 'VERIFY'] },
    { id: 'disabled_key', usage: ['ENCRYPT', 'DECRYPT'], status: 'DISABLED' },
    // On a slow HSM partition: every call outlasts the 200 ms deadline.
    { id: 'slow_key', usage: ['ENCRYPT', 'DECRYPT'], latencyMs: 1000 },
  ],
  hsm: { timeoutMs: 200 },
  authorize: denyPrincipals([DENIED_PRINCIPAL]),
});

try {
  await app.listen({ port: wanted, host: HOST });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  await app.listen({ port: 0, host: HOST });
  const free = (app.server.address() as AddressInfo).port;
  console.log(`Port ${wanted} is in use, so the example listens on the free port ${free} instead.`);
}
const port = (app.server.address() as AddressInfo).port;
const api = `http://${HOST}:${port}${URI_PREFIX}/kms/xks/v1`;

const metadata = (kmsOperation: string, principal = 'arn:aws:iam::123456789012:user/Alice') => ({
  awsPrincipalArn: principal,
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  kmsOperation,
  kmsRequestId: '4112f4d6-db54-4af4-ae30-c55a22a8dfae',
});
const health = {
  requestMetadata: {
    kmsOperation: 'KmsHealthCheck',
    kmsRequestId: '1124f4d6-db54-4af4-ae30-c55a22a8abcd',
  },
};
const encrypt = (extra: object = {}, principal?: string) => ({
  requestMetadata: metadata('Encrypt', principal),
  plaintext: 'SGVsbG8gV29ybGQh',
  encryptionAlgorithm: 'AES_GCM',
  ...extra,
});

function curl(path: string, body: object, user = `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`): string {
  return (
    `curl -i --aws-sigv4 "aws:amz:us-east-1:kms-xks-proxy" --user ${user} ` +
    `-H 'Content-Type: application/json' --data '${JSON.stringify(body)}' ${api}${path}`
  );
}

console.log(`faultline XKS proxy example (Fastify) listening on ${api}

GetHealthStatus (200):
  ${curl('/health', health)}

GetKeyMetadata (200):
  ${curl('/keys/foo/metadata', { requestMetadata: metadata('DescribeKey') })}

Encrypt, with a ciphertextDataIntegrityValue (200):
  ${curl('/keys/foo/encrypt', encrypt({ ciphertextDataIntegrityValueAlgorithm: 'SHA_256' }))}

An unknown key (404 KeyNotFoundException):
  ${curl('/keys/no_such_key/metadata', { requestMetadata: metadata('DescribeKey') })}

A wrong secret, so the SigV4 signature does not match (401 AuthenticationFailedException):
  ${curl('/health', health, `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY.replace('Zm', 'Xx')}`)}

Encrypt with a decrypt-only key (400 InvalidKeyUsageException):
  ${curl('/keys/decrypt_only_key/encrypt', encrypt())}

Encrypt with a disabled key (400 InvalidStateException):
  ${curl('/keys/disabled_key/encrypt', encrypt())}

Plaintext that is not Base64 (400 ValidationException):
  ${curl('/keys/foo/encrypt', encrypt({ plaintext: 'Hello World!' }))}

An algorithm other than AES_GCM (501 UnsupportedOperationException):
  ${curl('/keys/foo/encrypt', encrypt({ encryptionAlgorithm: 'AES_CBC' }))}

A ciphertext whose tag does not verify (400 InvalidCiphertextException):
  ${curl('/keys/foo/decrypt', {
    requestMetadata: metadata('Decrypt'),
    ciphertext: 'ghxkK1txeDNn3q8Y',
    initializationVector: 'HMrlRw85cAJUd5Ax',
    authenticationTag: 'vBxN2ncH1oEkR8WVXpmyYQ==',
    encryptionAlgorithm: 'AES_GCM',
  })}

A principal the proxy's policy denies (403 AccessDeniedException):
  ${curl('/keys/foo/encrypt', encrypt({}, DENIED_PRINCIPAL))}

A key whose HSM does not answer within 200 ms (503 DependencyTimeoutException):
  ${curl('/keys/slow_key/encrypt', encrypt())}

A credential whose quota is one request per 30 seconds: run it twice (429 ThrottlingException):
  ${curl('/health', health, `${THROTTLED_KEY_ID}:${THROTTLED_SECRET}`)}

A GET on an API path (405, Allow: POST, no body):
  curl -i ${api}/health

A path that is no XKS API (404 InvalidUriPathException):
  ${curl('/keys/foo/sign', encrypt())}

AWS's test client (aws-samples/aws-kms-xksproxy-test-client) runs against this demo with:
  XKS_PROXY_HOST=${HOST}:${port} SCHEME= URI_PREFIX=${URI_PREFIX.slice(1)} SIGV4_ACCESS_KEY_ID=${ACCESS_KEY_ID} SIGV4_SECRET_ACCESS_KEY=${SECRET_ACCESS_KEY} ./test-xks-proxy -a

Fastify logs each request, each XKS call's kmsRequestId and each fault as JSON lines on
stderr. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.server.closeAllConnections();
    void app.close().then(() => process.exit(0));
  });
}
