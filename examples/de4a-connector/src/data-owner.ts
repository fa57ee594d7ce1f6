/**
 * A demo Data Owner: a Fastify server holding several registries under their own base paths,
 * the endpoints an SMP would publish. `/university` answers the connector's evidence requests
 * and raises DE4A Business faults through faultline; `/maintenance` and `/legacy` misbehave
 * the way real back ends do. The demo (`main.ts`) and the tests run it on 127.0.0.1.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { de4a } from '@faultline/core';
import faultline from '@faultline/fastify';
import { ACK_XML, readXml, writeXml } from './messages.js';
import type { EvidenceRequest } from './messages.js';

/** The canonical evidence type of the seed's examples, the one the demo university issues. */
export const DIPLOMA = 'urn:de4a-eu:CanonicalEvidenceType::HigherEducationDiploma:2.0';

const XML_TYPE = 'application/xml;charset=UTF-8';

interface Graduate {
  readonly familyName: string;
  readonly dateOfBirth: string;
  /** Absent while the diploma is still being issued. */
  readonly diploma?: Readonly<Record<string, string>>;
}

// The university's register, by eIDAS person identifier (nationality/destination/number).
const GRADUATES = new Map<string, Graduate>([
  [
    'PT/ES/123456789',
    {
      familyName: 'Conceição Silva',
      dateOfBirth: '1995-04-12',
      diploma: {
        Title: 'Licenciatura em Engenharia Informática',
        AwardingInstitution: 'Universidade Demo de Lisboa',
        DateOfAward: '2017-07-14',
      },
    },
  ],
  ['PT/ES/987654321', { familyName: 'Pereira', dateOfBirth: '1998-10-03' }],
]);

// The request the connector forwards; the connector validated it, the stub still checks the frame.
function forwarded(body: unknown, root: string): EvidenceRequest {
  const reading = readXml(typeof body === 'string' ? body : '');
  if (!reading.ok) throw de4a.fault(10007, [root, reading.reason]);
  if (reading.root !== root || typeof reading.value !== 'object' || reading.value === null) {
    throw de4a.fault(10007, [root, `the root element is ${reading.root}`]);
  }
  return reading.value as EvidenceRequest;
}

// Identity matching: the identifier, the family name and the date of birth must all agree.
function graduateOf(request: EvidenceRequest): Graduate {
  const person = request.DataRequestSubject?.DataSubjectPerson;
  const graduate = GRADUATES.get(person?.PersonIdentifier ?? '');
  if (
    graduate === undefined ||
    graduate.familyName !== person?.FamilyName ||
    graduate.dateOfBirth !== person.DateOfBirth
  ) {
    throw de4a.fault(40511); // Error in identity matching
  }
  return graduate;
}

/**
 * Builds the demo Data Owner server, not yet listening.
 *
 * @returns the Fastify instance; `/university`, `/maintenance` and `/legacy` are its registries
 * @example
 * ```ts
 * const owner = await createDataOwner();
 * await owner.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export async function createDataOwner(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, body);
    },
  );
  await app.register(faultline, { dialect: 'de4a', logger: false });

  app.post('/university/requestExtractEvidenceIM', async (request, reply) => {
    const message = forwarded(request.body, 'RequestExtractEvidenceIM');
    const { diploma } = graduateOf(message);
    if (diploma === undefined) throw de4a.fault(40515); // Evidence not available yet (delayed)
    const evidence = writeXml('ResponseExtractEvidence', {
      RequestId: message.RequestId,
      CanonicalEvidenceTypeId: message.CanonicalEvidenceTypeId,
      CanonicalEvidence: { HigherEducationDiploma: diploma },
    });
    return reply.type(XML_TYPE).send(evidence);
  });
  // USI: the request is accepted; the evidence follows once the user has previewed it.
  app.post('/university/requestExtractEvidenceUSI', async (request, reply) => {
    graduateOf(forwarded(request.body, 'RequestExtractEvidenceUSI'));
    return reply.type(XML_TYPE).send(ACK_XML);
  });
  // A registry down for maintenance: its web server answers for it.
  app.post('/maintenance/*', async (_request, reply) =>
    reply
      .code(503)
      .type('text/html')
      .send('<html><body><h1>503 Service Unavailable</h1></body></html>'),
  );
  // A legacy registry that answers JSON where the connector expects the IEM's XML.
  app.post('/legacy/*', async (_request, reply) =>
    reply.type('application/json').send('{"diploma":"Licenciatura em Direito","year":2012}'),
  );
  return app;
}

/**
 * A port on 127.0.0.1 that was free a moment ago: the address of a Data Owner that is down.
 *
 * @returns the port
 * @example
 * ```ts
 * const endpoint = `http://127.0.0.1:${await closedPort()}/registry`;
 * ```
 */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
