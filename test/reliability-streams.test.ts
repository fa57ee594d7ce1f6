/**
 * Errors around a response body, for every dialect through every adapter, with `NODE_ENV`
 * unset (design/reliability-matrix.md B3 row 24, and the stream cases of the framework
 * matrix):
 * - a stream that fails before its first chunk: nothing was sent, so the fault is;
 * - a stream that fails after its first chunk, and `res.write()` followed by a throw: the
 *   response has started, so no fault is written into it; the connection is ended (the
 *   client sees a cut-off body, never a fault glued to it) and the error is logged once.
 */
import http from 'node:http';
import { parseFault } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { ADAPTERS, call, recorder } from './support/servers';
import type { FailingRoute, Running } from './support/servers';
import { SECRET, expectSafe, withoutNodeEnv } from './support/hostile';

interface Outcome {
  readonly status: number;
  readonly body: string;
  /** Whether the connection ended before the response was complete. */
  readonly cut: boolean;
}

// A GET that reports a response cut off mid-body instead of failing.
function fetchOutcome(url: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cut: !res.complete }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, cut: true }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body, cut: true }));
    });
    req.on('error', reject);
  });
}

const rejections = withoutNodeEnv();

describe.each(DIALECT_SETUPS)('$dialect', (setup) => {
  describe.each(ADAPTERS)('through $name', (adapter) => {
    const routes: FailingRoute[] = [
      {
        path: '/stream-before-data',
        error: () => new Error(`stream ${SECRET}`),
        stream: 'before-data',
      },
      {
        path: '/stream-after-data',
        error: () => new Error(`stream ${SECRET}`),
        stream: 'after-data',
      },
      { path: '/write-then-throw', error: () => new Error(`partial ${SECRET}`), partial: true },
    ];
    const log = recorder();
    let server: Running;
    // Express's final handler prints what reaches it to stderr outside production.
    let quiet: jest.SpyInstance;

    beforeAll(async () => {
      quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      server = await adapter.start(routes, {
        dialect: setup.dialect,
        logger: log.logger,
        ...setup.options,
      });
    });
    afterAll(async () => {
      quiet.mockRestore();
      await server.close();
    });

    it('should answer a stream that fails before its first chunk with the fault, logged once', async () => {
      const before = log.calls.length;
      const res = await call(server.url, 'GET', '/stream-before-data');
      const read = parseFault(res.text, res.headers['content-type'], { status: res.status });
      if (!read.recognised)
        throw new Error(`not a fault: ${read.reason}\n${res.text.slice(0, 300)}`);
      expect(read.dialect).toBe(setup.dialect);
      expect(read.fault.status).toBe(500);
      expectSafe(res);
      expect(log.calls.slice(before)).toHaveLength(1);
    });

    it.each(['/stream-after-data', '/write-then-throw'])(
      '%s: should cut the started response off, write no fault into it, and log once',
      async (path) => {
        const before = log.calls.length;
        const outcome = await fetchOutcome(`${server.url}${path}`);
        expect(outcome.cut).toBe(true);
        expect(outcome.body).toBe('partial');
        const calls = log.calls.slice(before);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.event).toMatchObject({ responseStarted: true, status: 500 });
        // The server still answers.
        const next = await call(server.url, 'GET', '/stream-before-data');
        expect(parseFault(next.text, next.headers['content-type']).recognised).toBe(true);
      },
    );

    it('lets no promise rejection go unhandled', () => {
      expect(rejections).toEqual([]);
    });
  });
});
