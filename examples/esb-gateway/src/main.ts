/**
 * Starts the demo backend and the gateway in front of it on 127.0.0.1 (`PORT`, default 8280),
 * and prints curl commands for a success and each kind of fault. Stops on Ctrl-C.
 *
 * Environment: `PORT`; `REDIS_URL` (count rate limits in Redis, shared by every instance);
 * `CUSTOM_AUTH_FAULT=convert` (the documentation's custom sequence answers authentication failures);
 * `BACKEND_TIMEOUT_MS` (headers and body timeouts, default 3000); `THROTTLE_WINDOW`
 * (`fixed`, the default, or `sliding`); `ESB_PROFILE=apim-3.2` (answer as WSO2 API Manager
 * 3.2.0 instead of 4.x: XML bodies for an XML Accept, its challenge).
 *
 * @module
 */
import { createServer } from 'node:http';
import type { EsbProfile } from '@faultline/core';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { startBackend } from './backend.js';
import { demoApplications } from './config.js';
import { MemoryStore, RedisStore } from './limiter.js';
import type { RateLimitStore } from './limiter.js';
import { readSequences } from './sequences.js';

const HOST = '127.0.0.1';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const wanted = Number(process.env.PORT ?? 8280);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535)
  fail(`PORT must be a port number, got '${process.env.PORT}'`);
const timeoutMs = Number(process.env.BACKEND_TIMEOUT_MS ?? 3000);
if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
  fail(`BACKEND_TIMEOUT_MS must be a positive integer, got '${process.env.BACKEND_TIMEOUT_MS}'`);
const window = process.env.THROTTLE_WINDOW ?? 'fixed';
if (window !== 'fixed' && window !== 'sliding')
  fail(`THROTTLE_WINDOW must be 'fixed' or 'sliding', got '${window}'`);
const customAuthFault = process.env.CUSTOM_AUTH_FAULT || undefined;
const profile = (process.env.ESB_PROFILE || undefined) as EsbProfile | undefined;

// The warehouse's backend is down in this demo: a port that was free a moment ago.
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const redisUrl = process.env.REDIS_URL;
let store: RateLimitStore;
if (redisUrl === undefined || redisUrl === '') {
  store = new MemoryStore();
} else {
  let reported = false;
  store = await RedisStore.connect(redisUrl, {
    onError(error) {
      if (!reported)
        console.error(
          `Redis at ${redisUrl}: ${error.message} (requests are let through until it is back)`,
        );
      reported = true;
    },
  }).catch((error: unknown) =>
    fail(
      `Cannot connect to Redis at ${redisUrl}: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
}

const backend = await startBackend();
const sequencesDir = fileURLToPath(new URL('../sequences/', import.meta.url));
const server = createServer(
  createApp({
    backendUrl: backend.url,
    warehouseUrl: `http://${HOST}:${await closedPort()}/warehouse`,
    applications: demoApplications(window),
    limiter: { store },
    timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs },
    sequences: readSequences(sequencesDir),
    customAuthFault,
    profile,
  }),
);

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

let port: number;
try {
  port = await listen(wanted);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  port = await listen(0);
  console.log(`Port ${wanted} is in use, so the gateway listens on the free port ${port} instead.`);
}

const gw = `http://${HOST}:${port}`;
const key = (value: string) => `-H 'apikey: ${value}'`;
const bearer = (token: string) => `-H 'Authorization: Bearer ${token}'`;
const menu = `${gw}/pizzashack/1.0.0/menu`;
const order = `-H 'Content-Type: application/json' --data '{"pizzaType":"Chicken Parmesan","quantity":2}' ${gw}/pizzashack/1.0.0/order`;
const envelope =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<ns:getQuote xmlns:ns="http://services.samples"><ns:symbol>WSO2</ns:symbol></ns:getQuote></soapenv:Body></soapenv:Envelope>';
const soap = `-H 'Content-Type: text/xml' -H 'SOAPAction: "urn:getQuote"' --data '${envelope}' ${gw}/stockquote/1.0.0/quote`;
const docCurl = `curl -i -X GET "${menu}" -H "accept: application/json" -H "Authorization: Bearer fb119e84-9542-3194-93dc-1ddddaaa1111"`;
const timeout = `${timeoutMs / 1000} s`;

const steps: readonly (readonly [title: string, command: string])[] = [
  ['The menu, with an API key (200)', `curl -i ${key('pizzashack-key-0001')} ${menu}`],
  [
    'An order, with a bearer token that has the order:write scope (201)',
    `curl -i ${bearer('6c1f7a52-0d47-4bb6-9c56-0d2e3c6a8a11')} ${order}`,
  ],
  ['A SOAP call through the gateway (200)', `curl -i ${key('quote-key-0005')} ${soap}`],
  [
    customAuthFault === 'convert'
      ? "The documentation's example: an invalid token, answered by convert.xml (555, Access-Control-Allow-Origin: *)"
      : `The documentation's example: an invalid token (401 900901, WWW-Authenticate; start with CUSTOM_AUTH_FAULT=convert for the documentation's 555)`,
    docCurl,
  ],
  ['No credentials (401 900902)', `curl -i ${menu}`],
  [
    'An expired token (401 900903)',
    `curl -i ${bearer('9d3b2a10-5e4f-4a6b-8c7d-1e2f3a4b5c6d')} ${menu}`,
  ],
  [
    'An application not subscribed to PizzaShack (403 900908)',
    `curl -i ${key('quote-key-0005')} ${menu}`,
  ],
  ['A subscription awaiting approval (401 900909)', `curl -i ${key('pending-key-0003')} ${menu}`],
  [
    'A subscription the publisher blocked (401 900907)',
    `curl -i ${key('suspended-key-0004')} ${menu}`,
  ],
  [
    'A token without the order:write scope (403 900910)',
    `curl -i ${bearer('0e8a4d2b-7f3c-4c5e-8d1a-5b6c7d8e9f00')} ${order}`,
  ],
  [
    profile === 'apim-3.2'
      ? 'An invalid API key, as XML (401 900901, an ams:fault)'
      : 'An invalid API key, asking for XML (401 900901, in JSON as from API Manager 4.x; ESB_PROFILE=apim-3.2 sends XML)',
    `curl -i -H 'Accept: application/xml' ${key('no-such-key')} ${menu}`,
  ],
  [
    'A SOAP client without credentials (401, SOAP fault "Authentication Failure")',
    `curl -i ${soap}`,
  ],
  ['An unknown API (404, the main sequence)', `curl -i ${gw}/burgershack/1.0.0/menu`],
  [
    'A method the resource does not have (405, the resource mismatch handler)',
    `curl -i -X DELETE ${key('pizzashack-key-0001')} ${menu}`,
  ],
  ['An API in the BLOCKED lifecycle state (503 700700)', `curl -i ${gw}/legacy/2.0.0/orders`],
  [
    `TrialApp's quota is 3 requests per minute (${window} window): three 200s, then 429 900803 with Retry-After`,
    `for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code}\\n' ${key('trial-key-0002')} ${menu}; done; curl -i ${key('trial-key-0002')} ${menu}`,
  ],
  [
    'The warehouse backend is down: connection refused (500 101503)',
    `curl -i ${key('pizzashack-key-0001')} ${gw}/warehouse/1.0.0/stock`,
  ],
  [
    `The backend reads the request and never answers: after ${timeout}, 500 101507 (CONNECTION_TIMEOUT + REQUEST_DONE)`,
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/hang`,
  ],
  [
    'The backend closes the connection before answering (500 101508: CONNECTION_CLOSED + REQUEST_DONE)',
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/crash`,
  ],
  [
    'The backend closes the connection in the middle of the body (500 101510: CONNECTION_CLOSED + RESPONSE_BODY)',
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/cut`,
  ],
  [
    `The backend stops in the middle of the body: after ${timeout}, 500 101505 (SND_IO_ERROR_SENDING + RESPONSE_BODY)`,
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/stall`,
  ],
  [
    'The backend answers with a head that is not HTTP/1.1 (500 101510: PROTOCOL_VIOLATION + RESPONSE_HEAD)',
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/garbage`,
  ],
  [
    'The backend labels a plain body as gzip (500 101505: SND_IO_ERROR_SENDING + RESPONSE_BODY)',
    `curl -i ${key('pizzashack-key-0001')} ${gw}/flaky/1.0.0/gzip`,
  ],
];

console.log(`faultline ESB example: an API gateway on Express 5, listening on ${gw}
Backend (PizzaShack kitchen, stock quotes, flaky routes): ${backend.url}
Rate limits: ${redisUrl ? `in Redis at ${redisUrl}, shared by every gateway using it` : 'in memory (set REDIS_URL to share them between instances)'}
Answers as: ${profile === undefined ? 'WSO2 API Manager 4.x' : `profile ${profile}`}
Authentication failures: ${customAuthFault === undefined ? 'the built-in _auth_failure_handler_' : `the custom sequence '${customAuthFault}'`}
${steps.map(([title, command], i) => `\n${i + 1}. ${title}:\n  ${command}`).join('\n')}

Each fault is logged as one JSON line on stderr. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      void Promise.allSettled([backend.close(), store.close()]).then(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}
