/**
 * No single request can end a server process. Each adapter runs the application of
 * test/fixtures/survival/server.mjs as a child process with Node's defaults (an unhandled
 * rejection or an uncaught exception ends it), with every edge of reliability rows 31–50 on a
 * route and every callback returning a rejecting promise. Every hostile request is sent, and
 * after each one the server must still answer.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { call, rawRequest } from './support/servers';

const SERVER = join(__dirname, 'fixtures', 'survival', 'server.mjs');

// Requests that would each end the process, or did in an earlier release.
const HOSTILE: readonly {
  readonly name: string;
  readonly send: (url: string) => Promise<unknown>;
  readonly only?: string;
}[] = [
  {
    name: 'an error carrying Trailer and hop-by-hop headers',
    send: (url) => call(url, 'GET', '/trailer-error'),
  },
  { name: 'Trailer set by the route', send: (url) => call(url, 'GET', '/trailer-route') },
  {
    name: 'Transfer-Encoding set by the route',
    send: (url) =>
      rawRequest(url, 'GET /te-route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
  },
  { name: 'a mapping whose callbacks reject', send: (url) => call(url, 'GET', '/mapped') },
  {
    name: 'a SOAP route whose predicate rejects',
    send: (url) =>
      call(url, 'POST', '/soap/fault', { soapaction: '""', 'content-type': 'text/xml' }, '<x/>'),
  },
  { name: 'a spread fault', send: (url) => call(url, 'GET', '/spread') },
  { name: 'a Symbol', send: (url) => call(url, 'GET', '/symbol') },
  { name: 'an unknown route', send: (url) => call(url, 'GET', '/%3Cscript%3E') },
  {
    name: 'a forged body that fails verification',
    send: (url) => call(url, 'POST', '/ok', { 'content-type': 'application/json' }, '{"forged":1}'),
    only: 'express',
  },
  {
    name: 'a request Node cannot parse',
    send: (url) => rawRequest(url, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
  },
  {
    name: 'headers over the limit',
    send: (url) =>
      rawRequest(url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  },
  {
    name: 'an onSend hook failing while the fault is sent',
    send: (url) => call(url, 'GET', '/hooked'),
    only: 'fastify',
  },
  {
    name: 'an error after the reply was sent',
    send: (url) => call(url, 'GET', '/after-send'),
    only: 'fastify',
  },
  {
    name: 'an error after the reply was hijacked',
    send: (url) => call(url, 'GET', '/after-hijack'),
    only: 'fastify',
  },
];

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly output: string[];
}

async function start(adapter: string): Promise<Child> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [SERVER, adapter], { env, cwd: join(__dirname, '..') });
  const output: string[] = [];
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${String(code)}) before listening: ${output.join('')}`)),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const listening = /listening (\d+)/.exec(buffered);
      if (listening !== null) resolve(Number(listening[1]));
    });
  });
  return { process: child, url: `http://127.0.0.1:${port}`, output };
}

describe.each(['express4', 'express5', 'fastify'])(
  '%s as a child process with Node defaults',
  (adapter) => {
    let child: Child;
    beforeAll(async () => {
      child = await start(adapter);
    });
    afterAll(async () => {
      if (child.process.exitCode === null) {
        child.process.kill('SIGTERM');
        await once(child.process, 'exit');
      }
    });

    const cases = HOSTILE.filter((c) => c.only === undefined || adapter.startsWith(c.only));
    it.each(cases)('survives $name and still answers', async ({ send }) => {
      await send(child.url).catch(() => undefined);
      // A rejection left unhandled ends the process on a later turn of its event loop; a second
      // round trip gives it that turn.
      for (let i = 0; i < 2; i++) {
        const ok = await call(child.url, 'GET', '/ok');
        expect(ok.status).toBe(200);
        expect(ok.text).toBe('ok');
      }
      expect(child.process.exitCode).toBeNull();
      expect(child.output.join('')).not.toMatch(/Unhandled|uncaught|ERR_HTTP/i);
    });
  },
);
