/**
 * Interop with SOAP clients nobody here wrote: the `soap` npm package and Python's zeep
 * (Debian's python3-zeep) call the SOAP endpoints of the example services (the X-Road
 * population register, Express and Fastify, and the ESB gateway) and must surface our faults —
 * code, string and detail — as their own.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as soap from 'soap';
import { createApp as createXRoadExpress } from '../examples/xroad-express/src/app';
import { createApp as createXRoadFastify } from '../examples/xroad-fastify/src/app';
import { createApp as createGateway } from '../examples/esb-gateway/src/app';
import { startBackend } from '../examples/esb-gateway/src/backend';
import type { RunningBackend } from '../examples/esb-gateway/src/backend';

const WSDL = join(__dirname, 'fixtures/interop/population.wsdl');
const ZEEP_CLIENT = join(__dirname, 'fixtures/interop/zeep_client.py');
const run = promisify(execFile);

interface ZeepOutcome {
  readonly result?: unknown;
  readonly fault?: { code: string; message: string; actor: string | null; detail: string | null };
}

/** Calls getPerson with zeep in a Python process (asynchronously: the server runs in this one). */
async function zeep(
  endpoint: string,
  personCode: string,
  subsystem?: string,
  service?: string,
): Promise<ZeepOutcome> {
  const args = [
    ZEEP_CLIENT,
    WSDL,
    endpoint,
    personCode,
    ...(subsystem === undefined ? [] : [subsystem]),
    ...(service === undefined ? [] : [service]),
  ];
  const { stdout } = await run('/usr/bin/python3', args, { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(stdout) as ZeepOutcome;
}
const ID = '6a1f0c3e-8d2b-4e5f-9a7c-1b2d3e4f5a6b';

interface SoapFault {
  readonly faultcode: string;
  readonly faultstring: string;
  readonly faultactor: unknown;
  readonly detail?: unknown;
}

interface SoapError extends Error {
  readonly root?: { Envelope?: { Body?: { Fault?: SoapFault } } };
  readonly response?: { status: number };
}

function xroadHeader(subsystem: string, service = 'getPerson'): string {
  const ns =
    'xmlns:xroad="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers"';
  const member =
    '<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000310</id:memberCode>';
  return (
    `<xroad:client ${ns} id:objectType="SUBSYSTEM">${member}<id:subsystemCode>${subsystem}</id:subsystemCode></xroad:client>` +
    `<xroad:service ${ns} id:objectType="SERVICE">${member}<id:subsystemCode>population</id:subsystemCode><id:serviceCode>${service}</id:serviceCode></xroad:service>`
  );
}

/** Calls getPerson and returns the fault the client raised (the call must fail). */
async function faultOf(
  endpoint: string,
  personCode: string,
  header?: string,
): Promise<{ fault: SoapFault | undefined; status: number | undefined; message: string }> {
  const client = await soap.createClientAsync(WSDL, { endpoint });
  if (header !== undefined) client.addSoapHeader(header);
  try {
    await client.getPersonAsync({ personCode });
  } catch (error) {
    const e = error as SoapError;
    return { fault: e.root?.Envelope?.Body?.Fault, status: e.response?.status, message: e.message };
  }
  throw new Error('the call succeeded');
}

/** Serves an Express app on 127.0.0.1 and a free port. */
async function serve(app: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  [
    'xroad-express',
    async () => serve(createXRoadExpress({ logger: false, correlationId: () => ID })),
  ],
  [
    'xroad-fastify',
    async () => {
      const app = await createXRoadFastify({ logger: false, correlationId: () => ID });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return {
        url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
        close: () => app.close(),
      };
    },
  ],
] as const)('SOAP clients against %s', (_name, start) => {
  let endpoint: string;
  let close: () => Promise<unknown> | void;

  beforeAll(async () => {
    const started = await start();
    endpoint = `${started.url}/soap`;
    close = started.close;
  });
  afterAll(async () => {
    await close();
  });

  it('soap gets the person when the call is allowed', async () => {
    const client = await soap.createClientAsync(WSDL, { endpoint });
    client.addSoapHeader(xroadHeader('passport-app'));
    const [result] = (await client.getPersonAsync({ personCode: '38001010000' })) as [unknown];
    expect(result).toEqual({ givenName: 'Jaan', familyName: 'Tamm', birthDate: '1980-01-01' });
  });

  it.each([
    [
      'an unknown person',
      '49900000000',
      xroadHeader('passport-app'),
      'Client.NotFound',
      "Person '49900000000' not found",
    ],
    [
      'an unknown client',
      '38001010000',
      xroadHeader('unknown-app'),
      'Server.ServerProxy.UnknownMember',
      "Client 'SUBSYSTEM:EE/GOV/70000310/unknown-app' not found",
    ],
    [
      'an unknown service',
      '38001010000',
      xroadHeader('passport-app', 'getPet'),
      'Server.ServerProxy.UnknownService',
      'Unknown service: SERVICE:EE/GOV/70000310/population/getPet',
    ],
    [
      'no X-Road header',
      '38001010000',
      undefined,
      'Client.BadRequest',
      'Malformed SOAP message: X-Road service header missing',
    ],
  ])(
    'soap surfaces our fault for %s: code, string and detail',
    async (_case, person, header, code, text) => {
      const { fault, status, message } = await faultOf(endpoint, person, header);
      expect(status).toBe(200);
      expect(fault).toEqual({
        faultcode: code,
        faultstring: text,
        faultactor: null,
        detail: { faultDetail: ID },
      });
      expect(message).toBe(`${code}: ${text}: {"faultDetail":"${ID}"}`);
    },
  );

  it('zeep gets the person when the call is allowed', async () => {
    expect(await zeep(endpoint, '38001010000', 'passport-app')).toEqual({
      result: { givenName: 'Jaan', familyName: 'Tamm', birthDate: '1980-01-01' },
    });
  });

  it.each([
    [
      'an unknown person',
      '49900000000',
      'passport-app',
      undefined,
      'Client.NotFound',
      "Person '49900000000' not found",
    ],
    [
      'an unknown client',
      '38001010000',
      'unknown-app',
      undefined,
      'Server.ServerProxy.UnknownMember',
      "Client 'SUBSYSTEM:EE/GOV/70000310/unknown-app' not found",
    ],
    [
      'an unknown service',
      '38001010000',
      'passport-app',
      'getPet',
      'Server.ServerProxy.UnknownService',
      'Unknown service: SERVICE:EE/GOV/70000310/population/getPet',
    ],
    [
      'no X-Road header',
      '38001010000',
      undefined,
      undefined,
      'Client.BadRequest',
      'Malformed SOAP message: X-Road service header missing',
    ],
  ])(
    'zeep raises zeep.exceptions.Fault with our code, message and detail for %s',
    async (_case, person, subsystem, service, code, text) => {
      expect(await zeep(endpoint, person, subsystem, service)).toEqual({
        fault: { code, message: text, actor: null, detail: ID },
      });
    },
  );
});

describe('SOAP clients against the ESB gateway', () => {
  let backend: RunningBackend;
  let gateway: { url: string; close: () => Promise<void> };
  let base: string;

  beforeAll(async () => {
    backend = await startBackend();
    gateway = await serve(createGateway({ backendUrl: backend.url, logger: false }));
    base = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await backend.close();
  });

  it("soap surfaces the gateway's SOAP fault for a call without credentials", async () => {
    const { fault, status } = await faultOf(`${base}/stockquote/1.0.0/quote`, '1');
    expect(status).toBe(401);
    // Axiom's fault: the soapenv prefix and no faultactor element.
    expect(fault).toEqual({
      faultcode: 'soapenv:Client',
      faultstring: 'Authentication Failure',
      detail: 'Missing Credentials',
    });
  });

  it("zeep raises the gateway's SOAP fault for a call without credentials", async () => {
    expect(await zeep(`${base}/stockquote/1.0.0/quote`, '1')).toEqual({
      fault: {
        code: 'soapenv:Client',
        message: 'Authentication Failure',
        actor: null,
        detail: 'Missing Credentials',
      },
    });
  });

  it("soap surfaces the gateway's SOAP fault for an unknown API", async () => {
    const { fault, status } = await faultOf(`${base}/stockquote/9.9.9/quote`, '1');
    expect(status).toBe(404);
    expect(fault).toEqual({
      faultcode: 'soapenv:Server',
      faultstring: 'The requested endpoint is not available.',
    });
  });
});
