/**
 * An X-Road provider service on Fastify 5: a small population register behind the
 * provider-side Security Server, offered over REST (`/r1/...`) and SOAP (`/soap`). Every error
 * it throws, and every error Fastify raises, is answered as the fault the Security Server's
 * server proxy would send: REST JSON, REST XML (by `Accept`) or a SOAP 1.1 fault.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { xroad } from '@faultline/core';
import type { FaultLogger, RequestInfo } from '@faultline/core';
import faultline from '@faultline/fastify';

/** Options of {@link createApp}. */
export interface AppOptions {
  /**
   * Where faults are logged; `false` turns logging off. Default: Fastify's own logger
   * (`request.log`), writing to stderr.
   */
  readonly logger?: FaultLogger | false;
  /** Makes the id sent as `detail`/`faultDetail` and logged (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
}

// This service: SUBSYSTEM:EE/GOV/70000310/population.
const PROVIDER = 'EE/GOV/70000310/population';
const PASSPORT_APP = 'EE/GOV/70000310/passport-app';
const INSURANCE_APP = 'EE/COM/12345678/insurance-app';

// The clients the Security Server knows, and which of them may call each service.
const MEMBERS = new Set([PASSPORT_APP, INSURANCE_APP]);
const ACCESS = new Map<string, readonly string[]>([
  [`${PROVIDER}/persons`, [PASSPORT_APP]],
  [`${PROVIDER}/archive`, [PASSPORT_APP]],
  [`${PROVIDER}/registry-status`, [PASSPORT_APP, INSURANCE_APP]],
  [`${PROVIDER}/getPerson`, [PASSPORT_APP]],
]);

const PEOPLE = new Map([
  [
    '38001010000',
    { id: '38001010000', givenName: 'Jaan', familyName: 'Tamm', birthDate: '1980-01-01' },
  ],
  [
    '49002020000',
    { id: '49002020000', givenName: 'Mari', familyName: 'Maasikas', birthDate: '1990-02-02' },
  ],
]);

// The server proxy's checks, in its order: known client, known service, access rights.
function authorize(client: string | undefined, service: string): void {
  if (client === undefined || client === '') {
    throw xroad.fault('UnknownMember', 'Client not specified: the X-Road-Client header is missing');
  }
  if (!MEMBERS.has(client))
    throw xroad.fault('UnknownMember', `Client 'SUBSYSTEM:${client}' not found`);
  const allowed = ACCESS.get(service);
  if (allowed === undefined)
    throw xroad.fault('UnknownService', `Unknown service: SERVICE:${service}`);
  if (!allowed.includes(client))
    throw xroad.fault('AccessDenied', `Request is not allowed: SERVICE:${service}`);
}

function findPerson(id: string) {
  const person = PEOPLE.get(id);
  if (person === undefined) throw xroad.fault('Client.NotFound', `Person '${id}' not found`);
  return person;
}

// A loose read of an X-Road SOAP header identifier (`<xroad:client>`, `<xroad:service>`):
// its id elements joined with `/`, e.g. `EE/GOV/70000310/population/getPerson`.
function xroadId(xml: string, element: 'client' | 'service'): string | undefined {
  const block = new RegExp(
    `<(?:[\\w-]+:)?${element}\\b[^>]*>([\\s\\S]*?)</(?:[\\w-]+:)?${element}>`,
  ).exec(xml)?.[1];
  if (block === undefined) return undefined;
  const parts = block.matchAll(
    /<(?:[\w-]+:)?(?:xRoadInstance|memberClass|memberCode|subsystemCode|serviceCode)>([^<]*)</g,
  );
  return [...parts].map((m) => (m[1] ?? '').trim()).join('/');
}

// The registry's backend is down in this demo: a port that was free a moment ago.
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function soapResponse(person: {
  givenName: string;
  familyName: string;
  birthDate: string;
}): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:prod="http://population.example.ee/producer">' +
    `<SOAP-ENV:Body><prod:getPersonResponse><prod:givenName>${person.givenName}</prod:givenName>` +
    `<prod:familyName>${person.familyName}</prod:familyName><prod:birthDate>${person.birthDate}</prod:birthDate>` +
    '</prod:getPersonResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

/**
 * Builds the population register service, not yet listening.
 *
 * @param options - the fault logger and the correlation id generator
 * @returns the Fastify instance, with faultline registered
 * @example
 * ```ts
 * const app = await createApp();
 * await app.listen({ port: 8081, host: '127.0.0.1' });
 * ```
 */
export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  // Fastify's logger logs the faults (through request.log) unless a logger is given.
  const app = Fastify({
    logger: options.logger === undefined ? { stream: process.stderr } : false,
  });
  app.addContentTypeParser(
    ['text/xml', 'application/soap+xml'],
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, body);
    },
  );
  await app.register(faultline, {
    dialect: 'xroad',
    xroad: { side: 'server', soap: ['/soap'] },
    logger: options.logger,
    correlationId: options.correlationId,
  });

  // REST: /r1/{service id}/... with the caller in the X-Road-Client header. A root hook, so
  // it runs for unknown service codes too, which no route matches.
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (!path.startsWith(`/r1/${PROVIDER}/`)) return;
    const serviceCode = path.slice(`/r1/${PROVIDER}/`.length).split('/', 1)[0] ?? '';
    const client = request.headers['x-road-client'];
    if (serviceCode !== '')
      authorize(typeof client === 'string' ? client : undefined, `${PROVIDER}/${serviceCode}`);
  });
  app.get<{ Params: { id: string } }>(`/r1/${PROVIDER}/persons/:id`, async (request) =>
    findPerson(request.params.id),
  );
  app.get(`/r1/${PROVIDER}/archive/:id`, async () => {
    // The archive's information system moved; the provider reports it as X-Road does.
    throw xroad.fault(
      'ServiceFailed.HttpError',
      'Server responded with error 301: Moved Permanently',
    );
  });
  app.get(`/r1/${PROVIDER}/registry-status`, async () => {
    const url = `http://127.0.0.1:${await closedPort()}/status`;
    try {
      const status = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { registry: status.ok ? 'up' : 'degraded' };
    } catch (error) {
      // The fetch failed to connect: the client gets X-Road's NetworkError with its generic text,
      // the log gets this error and its causes.
      throw new Error(`registry backend ${url} is unreachable`, { cause: error });
    }
  });

  // SOAP: the X-Road header names the caller and the service.
  app.post('/soap', async (request, reply) => {
    const xml = typeof request.body === 'string' ? request.body : '';
    const service = xroadId(xml, 'service');
    if (service === undefined) {
      throw xroad.fault(
        'Client.BadRequest',
        'Malformed SOAP message: X-Road service header missing',
      );
    }
    authorize(xroadId(xml, 'client'), service);
    const id = /<(?:[\w-]+:)?personCode>\s*([^<\s]*)\s*</.exec(xml)?.[1] ?? '';
    return reply.type('text/xml; charset=utf-8').send(soapResponse(findPerson(id)));
  });
  return app;
}
