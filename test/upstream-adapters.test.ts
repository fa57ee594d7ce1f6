/**
 * Upstream faults thrown by routes of Express 4, Express 5 and Fastify 5, on real servers: an
 * X-Road fault translated into problem+json, the same fault forwarded byte for byte to an
 * X-Road caller with `passthrough`, and a garbage body answered as a bad gateway without a word
 * of it. Each answer is read back with `parseFault`.
 */
import { UpstreamFault, faultFromResponse, parseFault } from '@faultline/core';
import type { FaultHandlerOptions } from '@faultline/core';
import { ADAPTERS, call, recorder } from './support/servers';
import type { FailingRoute, Running } from './support/servers';

const XROAD_500 =
  '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed: SERVICE:EE/GOV/70000310/population/persons","detail":"a1b2c3d4-0000-4000-8000-000000000001"}';
const SECRET = 'db password=hunter2';

let denied: UpstreamFault;
let garbage: UpstreamFault;

beforeAll(async () => {
  denied = (await faultFromResponse({
    status: 500,
    headers: {
      'content-type': 'application/json',
      'x-road-error': 'Server.ServerProxy.AccessDenied',
    },
    body: XROAD_500,
  })) as UpstreamFault;
  garbage = (await faultFromResponse({
    status: 500,
    headers: { 'content-type': 'text/html' },
    body: `<html><body>Traceback: ${SECRET}</body></html>`,
  })) as UpstreamFault;
});

const routes: FailingRoute[] = [
  { path: '/orders/denied', error: () => denied },
  { path: '/orders/garbage', error: () => garbage },
  { path: '/r1/persons/denied', error: () => denied },
];

describe.each(ADAPTERS)('upstream faults through $name', (adapter) => {
  let server: Running;
  const log = recorder();

  beforeAll(async () => {
    const options: FaultHandlerOptions = {
      dialect: { '/r1': 'xroad', '*': 'problem' },
      passthrough: true,
      logger: log.logger,
      correlationId: () => 'c0ffee00-0000-4000-8000-000000000016',
    };
    server = await adapter.start(routes, options);
  });
  afterAll(() => server.close());
  beforeEach(() => log.calls.splice(0));

  it('should translate an X-Road fault into problem+json, with the upstream id in the log', async () => {
    const res = await call(server.url, 'GET', '/orders/denied');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      502,
      'application/problem+json',
      '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:c0ffee00-0000-4000-8000-000000000016","code":"BadGateway"}',
    ]);
    const read = parseFault(res.text, res.headers['content-type']);
    expect(read.recognised && [read.dialect, read.fault.code]).toEqual(['problem', 'BadGateway']);
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]?.event).toMatchObject({
      correlationId: 'c0ffee00-0000-4000-8000-000000000016',
      upstream: {
        status: 500,
        dialect: 'xroad',
        code: 'Server.ServerProxy.AccessDenied',
        correlationId: 'a1b2c3d4-0000-4000-8000-000000000001',
      },
    });
  });

  it('should forward the X-Road fault byte for byte to an X-Road caller', async () => {
    const res = await call(server.url, 'GET', '/r1/persons/denied');
    expect([
      res.status,
      res.headers['content-type'],
      res.headers['x-road-error'],
      res.headers['content-length'],
      res.text,
    ]).toEqual([
      500,
      'application/json',
      'Server.ServerProxy.AccessDenied',
      String(Buffer.byteLength(XROAD_500)),
      XROAD_500,
    ]);
    const read = parseFault(res.text, res.headers['content-type'], { headers: res.headers });
    expect(read.recognised && read.fault.correlationId).toBe(
      'a1b2c3d4-0000-4000-8000-000000000001',
    );
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]?.event).toMatchObject({
      correlationId: 'a1b2c3d4-0000-4000-8000-000000000001',
      passthrough: true,
    });
  });

  it('should answer a garbage body as a bad gateway with none of its text', async () => {
    const res = await call(server.url, 'GET', '/orders/garbage');
    expect([res.status, res.text]).toEqual([
      502,
      '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:c0ffee00-0000-4000-8000-000000000016","code":"BadGateway"}',
    ]);
    expect(JSON.stringify(log.calls)).not.toContain(SECRET);
  });
});
