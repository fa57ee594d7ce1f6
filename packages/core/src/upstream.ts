/**
 * Reading an upstream's answer: `faultFromResponse` turns the error response of a service this
 * one called (a `fetch` Response, a `node:http` or undici response, or `{ status, headers,
 * body }`) into an `UpstreamFault`, and `throwIfFault` throws it.
 *
 * @module
 */
import { parseFault } from './parse-fault.js';
import type { ParseFaultOptions } from './parse-fault.js';
import { MAX_BODY_BYTES } from './read/document.js';
import { UpstreamFault } from './pipeline/upstream.js';
import type { UpstreamResponse } from './pipeline/upstream.js';
import { safeGet } from './safe.js';

/**
 * A response `faultFromResponse` reads: a `fetch` Response, a `node:http` `IncomingMessage`,
 * an undici `request()` result, or the parts of one.
 *
 * @example
 * ```ts
 * const response: UpstreamResponseLike = { status: 502, headers: { 'content-type': 'text/plain' }, body: '' };
 * ```
 */
export type UpstreamResponseLike =
  | {
      readonly status: number;
      readonly headers: {
        /** A header's value, as `Headers.get` gives it. */
        get(name: string): string | null;
        /** Every header, as `Headers.forEach` gives them. */
        forEach(fn: (value: string, name: string) => void): void;
      };
      readonly body: {
        /** A reader of the body stream. */
        getReader(): unknown;
      } | null;
      /** A copy of the response whose body can be read apart. */
      clone?(): unknown;
    }
  | {
      readonly statusCode?: number | undefined;
      readonly headers: Readonly<Record<string, string | readonly string[] | number | undefined>>;
      readonly body?: unknown;
    }
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string | readonly string[] | number | undefined>>;
      readonly body?: string | Uint8Array;
    };

/**
 * Options of {@link faultFromResponse} and {@link throwIfFault}.
 *
 * @example
 * ```ts
 * const options: UpstreamOptions = { expose: true, limits: { body: 64 * 1024 } };
 * ```
 */
export interface UpstreamOptions {
  /** Whether the upstream's message may reach the caller. @default false */
  readonly expose?: boolean;
  /** How many bytes of the body are read (at most 1 MiB, `parseFault`'s limit). @default 1048576 */
  readonly limits?: { readonly body?: number };
  /** The convention whose infrastructure the response came through (see `parseFault`). */
  readonly via?: ParseFaultOptions['via'];
  /** Catalogues of a team's own codes. */
  readonly catalogs?: ParseFaultOptions['catalogs'];
  /** The dialects to try, in order; default: every built-in one. */
  readonly dialects?: ParseFaultOptions['dialects'];
}

// What was read of a body: its text when whole, within the limit and UTF-8.
interface BodyRead {
  readonly text: string | undefined;
  readonly why?: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Uint8Array, limit: number): BodyRead {
  if (bytes.byteLength > limit) return { text: undefined, why: `larger than ${limit} bytes` };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { text: undefined, why: 'not UTF-8' };
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function chunkOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return undefined;
}

// A WHATWG stream (fetch), read until the limit is passed; the rest is cancelled, unread.
async function readWeb(body: { getReader(): unknown }, limit: number): Promise<BodyRead> {
  const reader = body.getReader() as ReadableStreamDefaultReader<unknown>;
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = chunkOf(value);
    if (chunk === undefined) continue;
    chunks.push(chunk);
    length += chunk.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      return { text: undefined, why: `larger than ${limit} bytes` };
    }
  }
  return decode(concat(chunks, length), limit);
}

// A Node stream (node:http, undici), read until the limit is passed; then it is destroyed.
async function readNode(body: AsyncIterable<unknown>, limit: number): Promise<BodyRead> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const value of body) {
    const chunk = chunkOf(value);
    if (chunk === undefined) continue;
    chunks.push(chunk);
    length += chunk.byteLength;
    if (length > limit) {
      const destroy = safeGet(body, 'destroy');
      if (typeof destroy === 'function') (destroy as () => void).call(body);
      return { text: undefined, why: `larger than ${limit} bytes` };
    }
  }
  return decode(concat(chunks, length), limit);
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

const isWebStream = (value: unknown): value is { getReader(): unknown } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { getReader?: unknown }).getReader === 'function';

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  const forEach = (headers as { forEach?: unknown }).forEach;
  if (typeof (headers as { get?: unknown }).get === 'function' && typeof forEach === 'function') {
    (forEach as (fn: (value: string, name: string) => void) => void).call(
      headers,
      (value, name) => {
        out[name.toLowerCase()] = value;
      },
    );
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (typeof value === 'number') out[name.toLowerCase()] = String(value);
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.map(String).join(', ');
  }
  return out;
}

// A status a response carries: fetch's `status`, Node's and undici's `statusCode`.
function statusOf(response: object): number | undefined {
  const status = safeGet(response, 'status') ?? safeGet(response, 'statusCode');
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

// Whether a body at a success status may still be a fault: SOAP puts faults in XML at 200.
const XML_TYPE = /^\s*(?:text\/xml|application\/(?:soap\+)?xml)\s*(?:;|$)/i;

async function bodyOf(response: object, limit: number, success: boolean): Promise<BodyRead> {
  const body = safeGet(response, 'body');
  if (typeof body === 'string' || body instanceof Uint8Array)
    return decode(chunkOf(body) ?? new Uint8Array(), limit);
  if (isWebStream(body)) {
    if (!success) return readWeb(body, limit);
    // A success is read from a copy, so the caller can still read the body itself.
    const clone = safeGet(response, 'clone');
    const copy = typeof clone === 'function' ? (clone as () => unknown).call(response) : undefined;
    const copied = typeof copy === 'object' && copy !== null ? safeGet(copy, 'body') : undefined;
    return isWebStream(copied) ? readWeb(copied, limit) : { text: undefined, why: 'not read' };
  }
  // An undici body, or an IncomingMessage, which is its own body.
  const stream = isAsyncIterable(body) ? body : isAsyncIterable(response) ? response : undefined;
  if (stream !== undefined)
    return success ? { text: undefined, why: 'not read' } : readNode(stream, limit);
  if (body === undefined || body === null) return { text: '' };
  return { text: undefined, why: 'not text, bytes or a stream' };
}

function checkLimit(options: UpstreamOptions): number {
  const limit = options.limits?.body;
  if (limit === undefined) return MAX_BODY_BYTES;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
    throw new TypeError('faultline: limits.body must be a positive integer');
  return Math.min(limit, MAX_BODY_BYTES);
}

/**
 * Reads an upstream's response into an `UpstreamFault`: for an error status (4xx/5xx), the
 * body is read (at most `limits.body` bytes; a longer one is left unread) and `parseFault`
 * detects its dialect, code, message and correlation id. A body that is no fault (empty,
 * HTML, garbage, too large) still gives an upstream fault with the status, and no text of it:
 * its message only says why. A success is a fault only when it is a SOAP fault (X-Road sends
 * them with 200): a `fetch` Response is then read from a clone; a Node stream or an undici body
 * at a success status is left unread.
 *
 * @param response - a `fetch` Response, an `IncomingMessage`, an undici response or `{ status, headers, body }`
 * @param options - `expose`, `limits.body`, and `parseFault`'s `via`, `catalogs`, `dialects`
 * @returns the upstream fault, or `undefined` for a response that is no fault
 * @throws TypeError when `response` has no status, or an option is invalid; a stream that
 *   fails while it is read rejects with its error (a reset is a network failure)
 * @example
 * ```ts
 * const response = await fetch('http://127.0.0.1:8080/r1/EE/GOV/123/app/getPerson');
 * const upstream = await faultFromResponse(response);
 * upstream?.code; // 'Server.ServerProxy.AccessDenied'
 * ```
 */
export async function faultFromResponse(
  response: UpstreamResponseLike,
  options: UpstreamOptions = {},
): Promise<UpstreamFault | undefined> {
  if (typeof response !== 'object' || response === null)
    throw new TypeError('faultline: faultFromResponse needs a response');
  const status = statusOf(response);
  if (status === undefined)
    throw new TypeError('faultline: the response has no HTTP status (status or statusCode)');
  const limit = checkLimit(options);
  const headers = headerRecord(safeGet(response, 'headers'));
  const contentType = headers['content-type'];
  const success = status < 400;
  if (success && (contentType === undefined || !XML_TYPE.test(contentType))) return undefined;
  const read = await bodyOf(response, limit, success);
  const raw: UpstreamResponse = { status, headers, body: read.text };
  const parsed =
    read.text === undefined
      ? undefined
      : parseFault(read.text, contentType, {
          status,
          headers,
          ...(options.via === undefined ? {} : { via: options.via }),
          ...(options.catalogs === undefined ? {} : { catalogs: options.catalogs }),
          ...(options.dialects === undefined ? {} : { dialects: options.dialects }),
        });
  if (parsed?.recognised === true) {
    if (success && parsed.format !== 'soap11' && parsed.format !== 'soap12') return undefined;
    return new UpstreamFault({
      status,
      message: parsed.fault.message,
      fault: parsed.fault,
      format: parsed.format,
      expose: options.expose === true,
      response: raw,
      cause: response,
    });
  }
  if (success) return undefined;
  return new UpstreamFault({
    status,
    message: `the upstream answered ${status} with ${
      read.text === undefined
        ? `a body that is ${read.why ?? 'unreadable'}`
        : read.text === ''
          ? 'no body'
          : 'a body that is no fault'
    }`,
    expose: options.expose === true,
    response: raw,
    cause: response,
  });
}

/**
 * Throws the `UpstreamFault` of an error response (4xx/5xx, or an X-Road SOAP fault at HTTP
 * 200); resolves for any other response, whose body it leaves unread.
 *
 * @param response - as for {@link faultFromResponse}
 * @param options - as for {@link faultFromResponse}
 * @returns nothing, for a response that is no fault
 * @throws UpstreamFault for a fault; TypeError as {@link faultFromResponse}
 * @example
 * ```ts
 * const response = await fetch(`${backend}/orders/7`);
 * await throwIfFault(response); // the handler answers it in the caller's convention
 * return response.json();
 * ```
 */
export async function throwIfFault(
  response: UpstreamResponseLike,
  options: UpstreamOptions = {},
): Promise<void> {
  const fault = await faultFromResponse(response, options);
  if (fault !== undefined) throw fault;
}
