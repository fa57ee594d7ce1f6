/**
 * Starts the orders service twice on 127.0.0.1, on Express 5 (`PORT`, default 8084) and on
 * Fastify 5 (the next port), and prints curl commands that show Kong's answers in every format.
 * Stops on Ctrl-C.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createExpressApp, createFastifyApp } from './app.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8084);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65534) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

// Listens on the port wanted, or on a free one when it is taken.
async function listen(start: (port: number) => Promise<Server>, port: number): Promise<Server> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

const express = await listen(
  (port) =>
    new Promise((resolve, reject) => {
      const server = createExpressApp().listen(port, HOST, () => resolve(server));
      server.once('error', reject);
    }),
  wanted,
);
const fastify = await createFastifyApp();
await listen(async (port) => {
  await fastify.listen({ port, host: HOST });
  return fastify.server;
}, wanted + 1);

const url = (server: Server) => `http://${HOST}:${(server.address() as AddressInfo).port}`;
const base = url(express);

console.log(`faultline custom dialect example: Kong Gateway's errors, on Express ${base} and Fastify ${url(fastify.server)}

An order (200):
  curl -i -H 'apikey: pizza-lover' ${base}/orders/7

No API key (401, WWW-Authenticate: Key realm="kong"), as JSON:
  curl -i ${base}/orders/7

The same as HTML, XML and plain text:
  curl -i -H 'Accept: text/html' ${base}/orders/7
  curl -i -H 'Accept: application/xml' ${base}/orders/7
  curl -i -H 'Accept: text/plain' ${base}/orders/7

An unknown order, with Kong's request id passed on (404):
  curl -i -H 'apikey: pizza-lover' -H 'X-Kong-Request-Id: 5ab1c0ffee0000000000000000000001' ${base}/orders/9

A missing invoice file, mapped to Kong's 404 by a rule:
  curl -i -H 'apikey: pizza-lover' ${base}/orders/7/invoice

An unexpected error (500), and an unknown route (404 no Route matched):
  curl -i -H 'apikey: pizza-lover' ${base}/orders/7/status
  curl -i ${base}/nowhere

The internal routes answer problem+json:
  curl -i ${base}/internal/health

Each fault is logged as one JSON line on stderr. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    express.closeAllConnections();
    express.close();
    fastify.server.closeAllConnections();
    void fastify.close().then(() => process.exit(0));
  });
}
