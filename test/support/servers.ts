/**
 * Real servers for the cross-adapter suites: the same routes and faultline options served by
 * Express 4, Express 5 and Fastify 5, each listening on 127.0.0.1 on a free port.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import request from 'supertest';
import type { FaultHandlerOptions, FaultLogger, LogLevel } from '@faultline/core';
import { faultline as expressFaultline, notFound } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';

/** A route that fails: `error()` builds the value the handler throws (or rejects with). */
export interface FailingRoute {
  readonly path: string;
  readonly error: () => unknown;
  /** Reject from an async handler instead of throwing synchronously (not on Express 4). */
  readonly async?: boolean;
  /** Write part of the body before throwing. */
  readonly partial?: boolean;
  /**
   * Where it fails: `before-body` before the request body is read (an Express middleware ahead
   * of the body parsers, a Fastify `onRequest` hook); `pipe` while piping the request body into
   * a sink that fails with `error()`. By default the route handler throws.
   */
  readonly stage?: 'before-body' | 'pipe';
  /**
   * Answer with a stream that fails with `error()`: before its first chunk, or after it (when
   * the response has started). Express pipes it into the response and passes its error to
   * `next`; Fastify sends it.
   */
  readonly stream?: 'before-data' | 'after-data';
  /** Headers the route sets on its response before it fails (Express `res.setHeader`, Fastify `reply.header`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A text stream that fails with `error`, before any data or after one chunk. */
export function failingStream(error: unknown, when: 'before-data' | 'after-data'): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (when === 'after-data' && !sent) {
        sent = true;
        this.push('partial');
        return;
      }
      setImmediate(() => this.destroy(error as Error));
    },
  });
}

/** A writable that fails on the first chunk with the given error. */
export function failingSink(error: unknown): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback(error as Error);
    },
  });
}

/** One log call recorded by {@link recorder}. */
export interface LogCall {
  readonly level: LogLevel;
  readonly event: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** A pino-compatible logger that records every call. */
export function recorder(): { logger: FaultLogger; calls: LogCall[] } {
  const calls: LogCall[] = [];
  const logger = Object.fromEntries(
    (['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const).map((level) => [
      level,
      (event: object, msg?: string) =>
        calls.push({ level, event: event as Record<string, unknown>, msg }),
    ]),
  ) as FaultLogger;
  return { logger, calls };
}

/** A started server. */
export interface Running {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

export interface AdapterDef {
  readonly name: string;
  readonly supportsAsync: boolean;
  start(routes: readonly FailingRoute[], options: FaultHandlerOptions): Promise<Running>;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function expressAdapter(
  name: string,
  factory: typeof express5,
  supportsAsync: boolean,
): AdapterDef {
  return {
    name,
    supportsAsync,
    async start(routes, options) {
      const app = factory();
      app.disable('x-powered-by');
      for (const route of routes.filter((r) => r.stage === 'before-body')) {
        app.use(route.path, () => {
          throw route.error();
        });
      }
      app.use(factory.json());
      app.use(factory.text({ type: ['text/xml', 'application/xml', 'application/soap+xml'] }));
      for (const route of routes) {
        app.all(route.path, (req, res, next) => {
          if (route.stage === 'pipe') {
            req.pipe(failingSink(route.error())).on('error', next);
            return undefined;
          }
          if (route.stream !== undefined) {
            res.type('text/plain');
            failingStream(route.error(), route.stream).on('error', next).pipe(res);
            return undefined;
          }
          for (const [name, value] of Object.entries(route.headers ?? {}))
            res.setHeader(name, value);
          if (route.partial) res.write('partial');
          if (route.async) return Promise.reject(route.error());
          throw route.error();
        });
      }
      app.use(notFound());
      app.use(expressFaultline(options));
      const server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s as unknown as Server));
        s.once('error', reject);
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { name, url, close: () => closeServer(server) };
    },
  };
}

const fastifyAdapter: AdapterDef = {
  name: 'fastify 5',
  supportsAsync: true,
  async start(routes, options) {
    const app = Fastify({ logger: false });
    app.addContentTypeParser(
      ['text/xml', 'application/xml', 'application/soap+xml'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    // The request body as a stream, for the `pipe` routes.
    app.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
      done(null, payload),
    );
    await app.register(fastifyFaultline, options);
    for (const route of routes) {
      const onRequest =
        route.stage === 'before-body'
          ? async () => {
              throw route.error();
            }
          : [];
      app.all(route.path, { onRequest }, async (req, reply) => {
        if (route.stage === 'pipe')
          await pipeline(req.body as Readable, failingSink(route.error()));
        if (route.stream !== undefined)
          return reply.type('text/plain').send(failingStream(route.error(), route.stream));
        for (const [name, value] of Object.entries(route.headers ?? {})) reply.header(name, value);
        if (route.partial) {
          reply.raw.writeHead(200, { 'content-type': 'text/plain' });
          reply.raw.write('partial');
        }
        if (route.async) await Promise.resolve();
        throw route.error();
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return {
      name: 'fastify 5',
      url,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
};

/** Every adapter under test: Express 4, Express 5 and Fastify 5. */
export const ADAPTERS: readonly AdapterDef[] = [
  expressAdapter('express 4', express4 as unknown as typeof express5, false),
  expressAdapter('express 5', express5, true),
  fastifyAdapter,
];

/** A response read as raw text, whatever its content type. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Sends a request and returns the status, headers and the body as the exact bytes sent (UTF-8). */
export async function call(
  url: string,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  body?: string,
): Promise<RawResponse> {
  let req = request(url)[method.toLowerCase() as 'get'](path);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  if (body !== undefined) req = req.send(body);
  const res = await req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  });
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    text: typeof res.body === 'string' ? res.body : '',
  };
}

/** The response headers that faultline sets, for comparing adapters. */
export function faultHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const names = [
    'content-type',
    'content-length',
    'x-road-error',
    'soapaction',
    'x-content-type-options',
  ];
  return Object.fromEntries(names.map((n) => [n, headers[n]]));
}

/** A response read off a raw socket: the status line, the headers (lower-case names, repeated ones joined) and the body. */
export interface RawWireResponse extends RawResponse {
  /** The head exactly as sent, for checks of the framing (both `Transfer-Encoding` and `Content-Length`). */
  readonly head: string;
}

/**
 * Writes `text` as is on a new connection to `url` and reads until the server closes it: for
 * requests no HTTP client sends (absolute-form targets, malformed request lines). The request
 * should carry `Connection: close`. The body is decoded from chunked framing when the
 * response uses it.
 */
export function rawRequest(url: string, text: string | Buffer): Promise<RawWireResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const split = all.indexOf('\r\n\r\n');
      const head = split === -1 ? all : all.slice(0, split);
      let body = split === -1 ? '' : all.slice(split + 4);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: body, head });
    });
  });
}

function unchunk(body: string): string {
  let out = '';
  let rest = Buffer.from(body, 'utf8');
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line === -1) return out;
    const size = parseInt(rest.subarray(0, line).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.subarray(line + 2, line + 2 + size).toString('utf8');
    rest = rest.subarray(line + 2 + size + 2);
  }
}

/**
 * Waits until `holds()` is true, turn by turn of the event loop: for what settles after a
 * response (a log line of a rejection, a hook's warning). No clock is involved, so a busy
 * machine only makes it take longer; the test's own timeout ends a wait that never ends.
 */
export async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((resolve) => setImmediate(resolve));
}
