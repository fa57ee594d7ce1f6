/**
 * A small orders service behind Kong Gateway that answers every error the way Kong does, on
 * Express (4 or 5) and on Fastify 5 with the same routes and the same options: the `kong`
 * dialect of `./kong.ts` for the API, problem+json for `/internal`, a mapping rule that turns a
 * missing invoice file into Kong's 404, and the request id Kong passes in `X-Kong-Request-Id`
 * sent back in the body and in the same header.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Express, Request, Response } from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { FaultHandlerOptions, FaultLogger, RequestInfo } from '@faultline/core';
import { faultline as expressFaultline, notFound } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import { kong } from './kong.js';

/** Options of both apps. */
export interface AppOptions {
  /** Where faults are logged; `false` turns logging off. Default: one JSON line on stderr. */
  readonly logger?: FaultLogger | false;
}

const KEYS = new Set(['pizza-lover']);
const ORDERS = new Map([['7', { id: 7, item: 'pizza', quantity: 2 }]]);

// Kong's request id: the one Kong passed on, else a new one of the same form (32 hex digits).
function requestId(request: RequestInfo): string {
  const given = request.headers?.['x-kong-request-id'];
  return typeof given === 'string' && /^[0-9a-f]{32}$/.test(given)
    ? given
    : randomUUID().replace(/-/g, '');
}

/**
 * The handler options both apps use: Kong for the API, problem+json for `/internal`.
 *
 * @param options - the logger
 * @returns the options for `faultline(...)` (Express) or `register(faultline, ...)` (Fastify)
 */
export function faultOptions(options: AppOptions = {}): FaultHandlerOptions {
  return {
    dialect: { '/internal': 'problem', '*': kong },
    mappings: [
      {
        code: 'ENOENT',
        to: { dialect: kong, code: 'NotFound', message: 'The invoice is not there yet' },
      },
    ],
    correlationId: requestId,
    correlationHeader: 'x-kong-request-id',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}

// key-auth's checks, in its order: a key at all, then a key of a consumer.
function authenticate(apikey: unknown): void {
  if (typeof apikey !== 'string' || apikey === '') {
    throw kong.fault('NoApiKey', undefined, {
      headers: { 'www-authenticate': 'Key realm="kong"' },
    });
  }
  if (!KEYS.has(apikey)) throw kong.fault('InvalidCredentials');
}

function order(id: string) {
  const found = ORDERS.get(id);
  if (found === undefined) throw kong.fault('NotFound', `Order ${id} not found`);
  return found;
}

function newOrder(body: unknown) {
  const quantity =
    typeof body === 'object' && body !== null
      ? (body as { quantity?: unknown }).quantity
      : undefined;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
    throw kong.fault('BadRequest', 'quantity must be a positive integer');
  }
  return { id: 8, item: 'pizza', quantity };
}

function invoice(id: string): never {
  order(id);
  throw Object.assign(
    new Error(`ENOENT: no such file or directory, open '/var/invoices/${id}.pdf'`),
    { code: 'ENOENT' },
  );
}

function status(): never {
  throw new TypeError("Cannot read properties of undefined (reading 'courier')");
}

function limited(): never {
  throw kong.fault('RateLimited', undefined, { headers: { 'retry-after': '60' } });
}

function health(): never {
  throw new Error('the database is not reachable');
}

/** What `express()` of Express 4 or 5 returns, for the app to be built with either. */
export type ExpressFactory = (() => Express) & { json: typeof express.json };

/**
 * The Express app: the orders API answering as Kong, on Express 5 by default or on the
 * Express 4 given.
 *
 * @param options - the logger
 * @param factory - `express` of Express 4 or 5
 * @returns the app
 */
export function createExpressApp(
  options: AppOptions = {},
  factory: ExpressFactory = express,
): Express {
  const app = factory();
  const key = (req: Request) => req.get('apikey');
  app.use(factory.json());
  app.get('/orders/:id', (req: Request, res: Response) => {
    authenticate(key(req));
    res.json(order(String(req.params.id)));
  });
  app.post('/orders', (req: Request, res: Response) => {
    authenticate(key(req));
    res.status(201).json(newOrder(req.body));
  });
  app.get('/orders/:id/invoice', (req: Request) => {
    authenticate(key(req));
    invoice(String(req.params.id));
  });
  app.get('/orders/:id/status', (req: Request) => {
    authenticate(key(req));
    status();
  });
  app.get('/limited', limited);
  app.get('/internal/health', health);
  app.use(notFound());
  app.use(expressFaultline(faultOptions(options)));
  return app;
}

/**
 * The Fastify app: the same API with the same answers.
 *
 * @param options - the logger
 * @returns the app, ready to listen
 */
export async function createFastifyApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyFaultline, faultOptions(options));
  const key = (headers: Record<string, unknown>) => headers.apikey;
  app.get<{ Params: { id: string } }>('/orders/:id', async (req) => {
    authenticate(key(req.headers));
    return order(req.params.id);
  });
  app.post('/orders', async (req, reply) => {
    authenticate(key(req.headers));
    return reply.code(201).send(newOrder(req.body));
  });
  app.get<{ Params: { id: string } }>('/orders/:id/invoice', async (req) => {
    authenticate(key(req.headers));
    invoice(req.params.id);
  });
  app.get<{ Params: { id: string } }>('/orders/:id/status', async (req) => {
    authenticate(key(req.headers));
    status();
  });
  app.get('/limited', async () => limited());
  app.get('/internal/health', async () => health());
  return app;
}
