/**
 * Forwarding a request to its backend with undici's `fetch`, and reading every way that can
 * fail as the gateway's transport fault. undici's `Agent` gives the timeouts their Synapse
 * meaning: `headersTimeout` runs once the request is sent (CONNECTION_TIMEOUT +
 * REQUEST_DONE = 101507); a body that stops or fails once the response head is in is an I/O
 * error in RESPONSE_BODY (SND_IO_ERROR + RESPONSE_BODY = 101505), as PassThrough reports no
 * socket timeout after REQUEST_DONE.
 *
 * @module
 */
import { esb } from '@faultline/core';
import type { ProtocolState } from '@faultline/core';
import { Agent, fetch } from 'undici';

/** Backend timeouts in ms. */
export interface BackendTimeouts {
  /** Establishing the TCP connection. @default 5000 */
  readonly connectMs?: number;
  /** From the request being sent to the response head being complete. @default 30000 */
  readonly headersMs?: number;
  /** Between two chunks of the response body. @default 30000 */
  readonly bodyMs?: number;
}

/** What the backend answered, read completely. */
export interface BackendResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** A request to forward. */
export interface BackendRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and framing: each connection has its own. undici also
// refuses `connection`, `keep-alive`, `transfer-encoding`, `upgrade` and `expect` outright.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'expect',
  'host',
  'content-length',
]);

/**
 * Whether a header belongs to one hop only and must not be forwarded.
 *
 * @param name - a lower-case header name
 * @returns `true` for hop-by-hop and framing headers
 * @example
 * ```ts
 * isHopByHop('transfer-encoding'); // true
 * ```
 */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name);
}

/**
 * The transport fault for a failed exchange with the backend.
 *
 * Until the response head has arrived the gateway cannot see how far the exchange got (undici
 * reports a buffered request as sent as soon as it is queued), so the error tells the state:
 * a refused connection is REQUEST_READY, a headers timeout or an early close REQUEST_DONE, an
 * unparsable head RESPONSE_HEAD. Once the head is in, the state is RESPONSE_BODY, and a body
 * that fails for any other reason (say, one labelled gzip that is not) is an I/O error while
 * reading it: SND_IO_ERROR + RESPONSE_BODY, as PassThrough's TargetHandler reports it.
 *
 * @param error - what `fetch` or the body read rejected with
 * @param state - `RESPONSE_BODY` once the head arrived, else `undefined`
 * @returns the fault to throw, or the error itself when it is not a transport failure
 * @example
 * ```ts
 * backendFault(err, 'RESPONSE_BODY'); // e.g. CONNECTION_CLOSED + RESPONSE_BODY = 101510
 * ```
 */
export function backendFault(error: unknown, state: ProtocolState | undefined): unknown {
  const fault = esb.fromNetworkError(error, state);
  if (fault !== undefined) return fault;
  if (state === 'RESPONSE_BODY')
    return esb.transportFault('SND_IO_ERROR_SENDING', 'RESPONSE_BODY', undefined, { cause: error });
  return error;
}

/** The connection pool to the backends, with the gateway's timeouts. */
export class BackendClient {
  readonly #agent: Agent;

  /**
   * @param timeouts - connect, headers and body timeouts in ms
   * @example
   * ```ts
   * const client = new BackendClient({ headersMs: 3000 });
   * ```
   */
  constructor(timeouts: BackendTimeouts = {}) {
    this.#agent = new Agent({
      connect: { timeout: timeouts.connectMs ?? 5000 },
      headersTimeout: timeouts.headersMs ?? 30_000,
      bodyTimeout: timeouts.bodyMs ?? 30_000,
    });
  }

  /**
   * Sends a request and reads the whole response, so that a failure while reading it can
   * still be answered with a fault.
   *
   * @param request - method, URL, headers (already filtered) and body
   * @returns the backend's status, headers and body
   * @throws Fault the transport fault (see {@link backendFault}), or the error if it is none
   * @example
   * ```ts
   * const res = await client.send({ method: 'GET', url: 'http://127.0.0.1:9000/pizzashack/menu', headers: [] });
   * ```
   */
  async send(request: BackendRequest): Promise<BackendResponse> {
    let state: ProtocolState | undefined;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers.map(([name, value]) => [name, value]),
        body: request.body,
        redirect: 'manual',
        dispatcher: this.#agent,
      });
      state = 'RESPONSE_BODY';
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: [...response.headers], body };
    } catch (error) {
      throw backendFault(error, state);
    }
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}
