/**
 * The ESB gateway example's other side (`examples/esb-gateway/src/bridge.ts`) over loopback
 * HTTP: it fronts the X-Road provider of `examples/xroad-express` and a problem+json order
 * service, both started here. The tests show an upstream fault translated into the ESB
 * convention, forwarded byte for byte to a caller of its own convention, and a backend's empty
 * 502 and garbage page answered as a bad gateway; every answer is read back with `parseFault`,
 * and every fault is logged once with the backend's id beside the gateway's.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseFault } from '@faultline/core';
import { createApp as createXroadApp } from '../examples/xroad-express/src/app';
import { createBridge } from '../examples/esb-gateway/src/bridge';
import {
  CRASH_PAGE,
  ORDER_NOT_FOUND,
  startProblemBackend,
} from '../examples/esb-gateway/src/problem-backend';
import type { RunningProblemBackend } from '../examples/esb-gateway/src/problem-backend';
import { call, recorder } from './support/servers';

const XROAD_ID = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const GATEWAY_ID = 'c0ffee00-0000-4000-8000-0000000b71d6';
const INSURANCE = { 'x-road-client': 'EE/COM/12345678/insurance-app' };
const DENIED =
  '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed: SERVICE:EE/GOV/70000310/population/persons","detail":"a1b2c3d4-0000-4000-8000-00000000c0de"}';
const BAD_GATEWAY =
  '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:c0ffee00-0000-4000-8000-0000000b71d6","code":"BadGateway"}';
const ESB_FAILED =
  '{"code":"102514","type":"Status report","message":"Runtime Error","description":"Error in Sender"}';

function listen(app: { listen: (port: number, host: string, cb: () => void) => unknown }) {
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }) as Server;
  });
}

let xroadBackend: { url: string; close: () => Promise<void> };
let orders: RunningProblemBackend;
let gateway: { url: string; close: () => Promise<void> };
const log = recorder();

beforeAll(async () => {
  xroadBackend = await listen(createXroadApp({ logger: false, correlationId: () => XROAD_ID }));
  orders = await startProblemBackend();
  gateway = await listen(
    createBridge({
      xroadUrl: xroadBackend.url,
      problemUrl: orders.url,
      logger: log.logger,
      correlationId: () => GATEWAY_ID,
    }),
  );
});
afterAll(async () => {
  await gateway.close();
  await orders.close();
  await xroadBackend.close();
});
beforeEach(() => log.calls.splice(0));

const read = (res: { text: string; headers: Readonly<Record<string, string>> }) => {
  const parsed = parseFault(res.text, res.headers['content-type'], { headers: res.headers });
  return parsed.recognised ? [parsed.dialect, parsed.fault.code, parsed.fault.correlationId] : [];
};

describe('the bridge in front of an X-Road provider', () => {
  it('should relay a person the provider has', async () => {
    const res = await call(gateway.url, 'GET', '/esb/persons/38001010000');
    expect([res.status, JSON.parse(res.text)]).toEqual([
      200,
      { id: '38001010000', givenName: 'Jaan', familyName: 'Tamm', birthDate: '1980-01-01' },
    ]);
    expect(log.calls).toHaveLength(0);
  });

  it("should translate the provider's AccessDenied into an ESB transport fault", async () => {
    const direct = await call(
      xroadBackend.url,
      'GET',
      '/r1/EE/GOV/70000310/population/persons/38001010000',
      INSURANCE,
    );
    expect(direct.text).toBe(DENIED);
    const res = await call(gateway.url, 'GET', '/esb/persons/38001010000', INSURANCE);
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      500,
      'application/json; charset=UTF-8',
      ESB_FAILED,
    ]);
    expect(read(res)).toEqual(['esb', 102514, undefined]);
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]?.event).toMatchObject({
      correlationId: GATEWAY_ID,
      dialect: 'esb',
      code: 102514,
      upstream: {
        status: 500,
        dialect: 'xroad',
        code: 'Server.ServerProxy.AccessDenied',
        correlationId: XROAD_ID,
      },
    });
  });

  it("should keep the caller's own mistake a client fault", async () => {
    const res = await call(gateway.url, 'GET', '/esb/persons/00000000000');
    expect([res.status, res.text]).toEqual([
      400,
      '{"code":"400","message":"Bad Request","description":"Bad Request"}',
    ]);
  });

  it('should forward the X-Road fault byte for byte to an X-Road caller', async () => {
    const res = await call(gateway.url, 'GET', '/r1/persons/38001010000', INSURANCE);
    expect([
      res.status,
      res.headers['content-type'],
      res.headers['x-road-error'],
      res.text,
    ]).toEqual([500, 'application/json', 'Server.ServerProxy.AccessDenied', DENIED]);
    expect(read(res)).toEqual(['xroad', 'Server.ServerProxy.AccessDenied', XROAD_ID]);
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]?.event).toMatchObject({ correlationId: XROAD_ID, passthrough: true });
  });
});

describe('the bridge in front of a problem+json service', () => {
  it('should forward its problem byte for byte to a problem+json caller', async () => {
    const res = await call(gateway.url, 'GET', '/orders/7');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      404,
      'application/problem+json',
      ORDER_NOT_FOUND,
    ]);
    expect(read(res)[0]).toBe('problem');
  });

  it('should translate its problem into the ESB convention', async () => {
    const res = await call(gateway.url, 'GET', '/esb/orders/7');
    expect([res.status, res.text]).toEqual([
      404,
      '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
    ]);
    expect(read(res)[0]).toBe('esb');
  });

  it.each([
    ['an empty 502', '/orders/down'],
    ['a garbage page', '/orders/crash'],
  ])('should answer %s as a bad gateway, with no word of it', async (_label, path) => {
    const problem = await call(gateway.url, 'GET', path);
    expect([problem.status, problem.text]).toEqual([502, BAD_GATEWAY]);
    expect(read(problem)).toEqual(['problem', 'BadGateway', GATEWAY_ID]);
    const esb = await call(gateway.url, 'GET', `/esb${path}`);
    expect([esb.status, esb.text]).toEqual([500, ESB_FAILED]);
    for (const text of [problem.text, esb.text, JSON.stringify(log.calls)]) {
      expect(text).not.toContain('hunter2');
    }
    expect(CRASH_PAGE).toContain('hunter2');
    expect(log.calls).toHaveLength(2);
  });
});
