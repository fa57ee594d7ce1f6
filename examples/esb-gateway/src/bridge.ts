/**
 * The gateway's other side: the backends it calls speak other conventions. Persons come from an
 * X-Road provider (the `xroad-express` example), orders from a problem+json service
 * (`src/problem-backend.ts`). Each route calls its backend with `fetch` and `throwIfFault`:
 *
 * - `/esb/persons/:id`, `/esb/orders/:id` answer the gateway's ESB clients: a backend's fault is
 *   translated into the ESB convention (the caller's own mistakes stay client faults, the rest
 *   become transport faults);
 * - `/r1/persons/:id` answers X-Road clients and `/orders/:id` problem+json clients: a backend's
 *   fault already in their convention is forwarded byte for byte (`passthrough`);
 * - a backend that answers an empty 502 or a garbage page is a bad gateway in every
 *   convention, and no word of its page reaches a client.
 *
 * Every fault is logged once, with the backend's correlation id beside the gateway's.
 *
 * @module
 */
import express from 'express';
import { throwIfFault } from '@faultline/core';
import type { FaultLogger, RequestInfo } from '@faultline/core';
import { faultline, notFound, statusPages } from '@faultline/express';

/** Options of {@link createBridge}. */
export interface BridgeOptions {
  /** The X-Road provider (the `xroad-express` example's URL). */
  readonly xroadUrl: string;
  /** The problem+json order service. */
  readonly problemUrl: string;
  /** Where faults are logged; `false` turns logging off. Default: one JSON line on stderr. */
  readonly logger?: FaultLogger | false;
  /** Makes the gateway's correlation id (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
}

// The subsystem the gateway calls the X-Road provider as, unless the caller names its own.
const GATEWAY_CLIENT = 'EE/GOV/70000310/passport-app';
const PERSONS = '/r1/EE/GOV/70000310/population/persons';

/**
 * The bridge: an Express 5 application that answers each caller in its own convention.
 *
 * @param options - the backends, logging and correlation ids
 * @returns the application
 * @example
 * ```ts
 * const app = createBridge({ xroadUrl: 'http://127.0.0.1:8080', problemUrl: 'http://127.0.0.1:8081' });
 * app.listen(8082, '127.0.0.1');
 * ```
 */
export function createBridge(options: BridgeOptions): express.Express {
  const handlerOptions = {
    dialect: { '/r1': 'xroad', '/orders': 'problem', '*': 'esb' },
    passthrough: true,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
  } as const;
  const app = express();
  app.disable('x-powered-by');
  app.use(statusPages(handlerOptions));

  // Calls a backend and relays its success; a fault is thrown as an UpstreamFault.
  const relay = async (res: express.Response, url: string, headers: Record<string, string>) => {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    await throwIfFault(response);
    res
      .status(response.status)
      .type(response.headers.get('content-type') ?? 'application/json')
      .send(Buffer.from(await response.arrayBuffer()));
  };
  const person = (req: express.Request, res: express.Response) =>
    relay(res, `${options.xroadUrl}${PERSONS}/${encodeURIComponent(String(req.params.id))}`, {
      'x-road-client': req.get('x-road-client') ?? GATEWAY_CLIENT,
      accept: 'application/json',
    });
  const order = (req: express.Request, res: express.Response) =>
    relay(res, `${options.problemUrl}/orders/${encodeURIComponent(String(req.params.id))}`, {
      accept: 'application/json',
    });

  app.get('/esb/persons/:id', person);
  app.get('/r1/persons/:id', person);
  app.get('/esb/orders/:id', order);
  app.get('/orders/:id', order);
  app.use(notFound());
  app.use(faultline(handlerOptions));
  return app;
}
