/**
 * AWS Signature Version 4 verification for XKS proxy requests, with `node:crypto` only
 * (XKS Proxy API spec v1.0.3, "Authentication" and Appendix A). The proxy recomputes the
 * signature the caller made with the shared secret of its access key id and compares the two;
 * every way a request can fail that check is an `AuthenticationFailedException`.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { xks } from '@faultline/core';

/** The SigV4 service name of every XKS proxy request. */
export const XKS_SERVICE = 'kms-xks-proxy';

/**
 * How far the request time (`x-amz-date`) may be from the proxy's clock, either way: the spec
 * says requests more than five minutes in the past or future should fail authentication.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
// Headers KMS always signs; without them the signature would not bind the host or the time.
const REQUIRED_SIGNED = ['host', 'x-amz-date'] as const;

/** A request as it arrived, before anything parsed its body. */
export interface SigV4Request {
  readonly method: string;
  /** The request target as received: path and query, still percent-encoded. */
  readonly url: string;
  /** Node's `rawHeaders`: names and values alternating, as sent. */
  readonly rawHeaders: readonly string[];
  /** The exact body bytes. */
  readonly body: Buffer;
}

/** Who signed a request that verified. */
export interface SigV4Identity {
  readonly accessKeyId: string;
  /** The region of the credential scope, e.g. `us-east-1`: the region KMS called from. */
  readonly region: string;
}

function rejected(message: string): never {
  throw xks.fault('AuthenticationFailedException', message);
}

/**
 * Verifies the SigV4 signature of an XKS proxy request.
 *
 * @param request - the method, raw target, raw headers and body bytes
 * @param secretFor - the secret access key of an access key id, or `undefined` when unknown
 * @param now - the proxy's clock, in milliseconds since the epoch
 * @returns the access key id and region that signed the request
 * @throws the `AuthenticationFailedException` fault when the signature is missing, malformed,
 *   stale, made with an unknown access key id or does not match
 * @example
 * ```ts
 * const { accessKeyId } = verifySigV4(
 *   { method: 'POST', url: req.url, rawHeaders: req.rawHeaders, body },
 *   (id) => secrets.get(id),
 *   Date.now(),
 * );
 * ```
 */
export function verifySigV4(
  request: SigV4Request,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number,
): SigV4Identity {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization');
  if (authorization === undefined)
    rejected('Missing Authorization header: requests must be signed with AWS SigV4');
  const { accessKeyId, date, region, signedHeaders, signature } = parseAuthorization(
    authorization.join(','),
  );

  const amzDate = headers.get('x-amz-date')?.join(',');
  const time = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || time === undefined)
    rejected('Missing or malformed x-amz-date header');
  if (amzDate.slice(0, 8) !== date) rejected('The credential scope date does not match x-amz-date');
  if (Math.abs(now - time) > MAX_CLOCK_SKEW_MS) {
    rejected("The request time (x-amz-date) is more than 5 minutes away from the proxy's clock");
  }

  const payloadHash = sha256Hex(request.body);
  const declared = headers.get('x-amz-content-sha256')?.join(',');
  if (declared !== undefined && declared !== payloadHash)
    rejected('x-amz-content-sha256 does not match the request body');

  const secret = secretFor(accessKeyId);
  if (secret === undefined) rejected('The SigV4 access key id is not configured on this proxy');

  const canonicalHeaders = signedHeaders.map((name) => {
    const values = headers.get(name);
    if (values === undefined) rejected(`The signed header ${name} is missing from the request`);
    return `${name}:${values.map(canonicalValue).join(',')}\n`;
  });
  const canonicalRequest = [
    request.method,
    canonicalUri(request.url),
    canonicalQuery(request.url),
    canonicalHeaders.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${XKS_SERVICE}/${TERMINATOR}`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const expected = hmac(signingKey(secret, date, region), stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    rejected('The SigV4 signature does not match');
  return { accessKeyId, region };
}

interface Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

// `AWS4-HMAC-SHA256 Credential=<id>/<yyyymmdd>/<region>/kms-xks-proxy/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=<64 hex>`: one space after the algorithm, then
// comma-separated components in any order.
function parseAuthorization(value: string): Authorization {
  const space = value.indexOf(' ');
  if (space === -1 || value.slice(0, space) !== ALGORITHM) {
    rejected(`The Authorization header is not an ${ALGORITHM} signature`);
  }
  const parts = new Map<string, string>();
  for (const component of value.slice(space + 1).split(',')) {
    const equals = component.indexOf('=');
    if (equals !== -1)
      parts.set(component.slice(0, equals).trim(), component.slice(equals + 1).trim());
  }
  const scope = (parts.get('Credential') ?? '').split('/');
  const [accessKeyId = '', date = '', region = '', service, terminator] = scope;
  if (
    scope.length !== 5 ||
    accessKeyId === '' ||
    !/^\d{8}$/.test(date) ||
    !/^[a-z0-9-]{1,64}$/.test(region)
  ) {
    rejected(
      `The credential must be <access key id>/<yyyymmdd>/<region>/${XKS_SERVICE}/${TERMINATOR}`,
    );
  }
  if (service !== XKS_SERVICE || terminator !== TERMINATOR) {
    rejected(`The credential scope must name the service ${XKS_SERVICE} and end in ${TERMINATOR}`);
  }
  const signedHeaders = (parts.get('SignedHeaders') ?? '').split(';');
  if (!signedHeaders.every((name) => HEADER_NAME.test(name)))
    rejected('SignedHeaders must list lower-case header names');
  if (!REQUIRED_SIGNED.every((name) => signedHeaders.includes(name))) {
    rejected('The signature must cover the host and x-amz-date headers');
  }
  const signature = parts.get('Signature') ?? '';
  if (!SIGNATURE.test(signature)) rejected('The signature must be 64 lower-case hex digits');
  return { accessKeyId, date, region, signedHeaders, signature };
}

function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20240230 over to March; a real timestamp reads back unchanged.
  return new Date(time).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z' === value
    ? time
    : undefined;
}

// Header values by lower-case name, in the order received (repeated headers keep each value).
function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = map.get(name);
    if (list === undefined) map.set(name, [rawHeaders[i + 1]!]);
    else list.push(rawHeaders[i + 1]!);
  }
  return map;
}

function canonicalValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

// RFC 3986 unreserved characters stay; everything else is %XX, upper-case, as SigV4 wants.
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// Services other than S3 encode each segment of the path once more, as the AWS SDKs do.
function canonicalUri(url: string): string {
  const path = url.split('?', 1)[0] || '/';
  return path.split('/').map(uriEncode).join('/');
}

function canonicalQuery(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return '';
  const pairs = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const [key, value] =
        equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    });
  pairs.sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function signingKey(secret: string, date: string, region: string): Buffer {
  const dateKey = hmac(`AWS4${secret}`, date);
  return hmac(hmac(hmac(dateKey, region), XKS_SERVICE), TERMINATOR);
}
