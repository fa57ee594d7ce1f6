/**
 * A SigV4 signer for the XKS proxy's tests, built on the AWS SDK's own signer
 * (`@smithy/signature-v4` with `@aws-crypto/sha256-js`): an implementation independent of the
 * proxy's `node:crypto` verifier, so a test passes only when the two agree. It lives beside the
 * example because its dependencies are the example's dev dependencies.
 *
 * @module
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** What to sign. */
export interface SignInput {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly method?: string;
  /** The path, with any query string. */
  readonly path: string;
  readonly body: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region?: string;
  readonly service?: string;
  /** The signing time (the proxy's clock in the tests). */
  readonly date: Date;
  /** Add `x-amz-content-sha256`, as the SDK does by default. @default false */
  readonly contentSha256?: boolean;
  /** More headers to send and sign. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Signs a request and returns the headers to send with it: `host`, `content-type`,
 * `x-amz-date`, `authorization` (and `x-amz-content-sha256` when asked).
 *
 * @param input - the request and the credential
 * @returns the request headers
 * @example
 * ```ts
 * const headers = await sign({ url, path: '/kms/xks/v1/health', body, accessKeyId, secretAccessKey, date });
 * ```
 */
export async function sign(input: SignInput): Promise<Record<string, string>> {
  const { host, hostname, port } = new URL(input.url);
  const [path = '/', query] = input.path.split('?', 2);
  const signer = new SignatureV4({
    service: input.service ?? 'kms-xks-proxy',
    region: input.region ?? 'us-east-1',
    credentials: { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey },
    sha256: Sha256,
    applyChecksum: input.contentSha256 ?? false,
  });
  const signed = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      query: query === undefined ? {} : Object.fromEntries(new URLSearchParams(query)),
      headers: { host, 'content-type': 'application/json', ...input.headers },
      body: input.body,
    },
    { signingDate: input.date },
  );
  return signed.headers as Record<string, string>;
}
