/**
 * Requests Node cannot parse (a malformed request line, a header too large, a request that
 * took too long to arrive) never reach a framework: Node's HTTP server raises `clientError`
 * with the socket. `answerClientError` answers them in the handler's convention, as far as
 * Node allows: HTTP/1.1 only, written on the socket, which is then closed.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import { FALLBACK_RESPONSE } from './types.js';
import type { FaultHandler, FaultResponse } from './types.js';
import { safeGet } from '../safe.js';
import { reasonPhrase } from '../status.js';

// The status Node's own `clientError` answer has for each parser error, and the text a client
// gets (the parser's message names its internals).
const ANSWERS: Readonly<Record<string, { readonly status: number; readonly text: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, text: 'The request header fields are too large' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    text: 'The request chunk extensions are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, text: 'The request did not arrive in time' },
};
const BAD_REQUEST = { status: 400, text: 'The request is not valid HTTP' };

/**
 * Answers a request Node's HTTP parser rejected, for a server's `clientError` event: the
 * handler's fault for it (logged once, like every fault), written as a raw HTTP/1.1 response
 * with `Connection: close`, then the socket is closed. Without a handler, the fixed
 * `text/plain` fallback is written. A reset or destroyed socket is left alone, as Node does.
 * Never throws.
 *
 * @param handler - the faultline handler, or `undefined` for the fixed fallback
 * @param error - the parser's error (its `code` decides the status: 431, 413, 408, else 400)
 * @param socket - the client's socket
 * @example
 * ```ts
 * const handler = createFaultHandler({ dialect: 'xroad' });
 * server.on('clientError', (error, socket) => answerClientError(handler, error, socket));
 * ```
 */
export function answerClientError(
  handler: FaultHandler | undefined,
  error: unknown,
  socket: Duplex,
): void {
  try {
    const code = typeof error === 'object' && error !== null ? safeGet(error, 'code') : undefined;
    if (code === 'ECONNRESET' || socket.destroyed) return;
    const answer =
      (typeof code === 'string' && Object.hasOwn(ANSWERS, code) ? ANSWERS[code] : undefined) ??
      BAD_REQUEST;
    const response: Pick<FaultResponse, 'status' | 'headers' | 'body'> =
      handler === undefined
        ? FALLBACK_RESPONSE
        : handler.handle(parserError(answer, code, error), {});
    if (socket.writable) socket.write(rawResponse(response));
  } catch {
    // nothing more can be done for a request that never was one
  }
  try {
    socket.destroy();
  } catch {
    // already gone
  }
}

function parserError(
  answer: { status: number; text: string },
  code: unknown,
  cause: unknown,
): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // the frames would be Node's parser's and faultline's own
  try {
    return Object.assign(new Error(answer.text, { cause }), {
      status: answer.status,
      expose: true,
      ...(typeof code === 'string' ? { code } : {}),
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

// The headers the handler made are legal; only the framing is added.
function rawResponse({
  status,
  headers,
  body,
}: Pick<FaultResponse, 'status' | 'headers' | 'body'>): string {
  let head = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
  for (const name of Object.keys(headers)) head += `${name}: ${headers[name] as string}\r\n`;
  return `${head}connection: close\r\n\r\n${body}`;
}
