/**
 * A backend that speaks RFC 9457 problem+json, for the gateway's other side
 * (`src/bridge.ts`): an order service whose answers are a success, a problem, an empty 502 and
 * a garbage page that names a secret, as backends in the wild send them.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started backend. */
export interface RunningProblemBackend {
  readonly url: string;
  close(): Promise<void>;
}

/** The problem the backend answers for an order it does not know, byte for byte. */
export const ORDER_NOT_FOUND =
  '{"type":"https://orders.example/problems/not-found","title":"Order not found","status":404,"detail":"Order 7 does not exist","instance":"urn:uuid:0a7e57ed-0000-4000-8000-000000000404"}';

/** The page the backend answers when its database fails: no fault, and a secret in it. */
export const CRASH_PAGE =
  '<html><body><h1>Internal Server Error</h1><pre>OperationalError: connect to db password=hunter2</pre></body></html>';

/**
 * Starts the order backend on 127.0.0.1.
 *
 * @param port - the port; default any free one
 * @returns its URL and how to stop it
 * @example
 * ```ts
 * const backend = await startProblemBackend();
 * await fetch(`${backend.url}/orders/7`); // 404 application/problem+json
 * ```
 */
export async function startProblemBackend(port = 0): Promise<RunningProblemBackend> {
  const server = createServer((req, res) => {
    switch (req.url) {
      case '/orders/1':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"id":1,"pizza":"Margherita"}');
        return;
      case '/orders/7':
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(ORDER_NOT_FOUND);
        return;
      case '/orders/crash':
        res.writeHead(500, { 'content-type': 'text/html' }).end(CRASH_PAGE);
        return;
      default:
        // The backend's own proxy gave up: an empty 502, no body at all.
        res.writeHead(502, { 'content-length': '0' }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
