/**
 * Starts the DE4A connector on 127.0.0.1 (`PORT`, default 8083) with a demo Data Owner on a
 * free port, and prints curl commands that show each kind of DE4A fault and where the log
 * file is. Stops on Ctrl-C.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createApp } from './app.js';
import { DIPLOMA, closedPort, createDataOwner } from './data-owner.js';
import { writeXml } from './messages.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8083);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

const owner = await createDataOwner();
await owner.listen({ port: 0, host: HOST });
const ownerUrl = `http://${HOST}:${(owner.server.address() as AddressInfo).port}`;

const DATA_EVALUATOR = 'iso6523-actorid-upis::9920:ess2833002e';
const UNIVERSITY = 'iso6523-actorid-upis::9991:pt990000101';
const MAINTENANCE = 'iso6523-actorid-upis::9991:pt990000102';
const LEGACY = 'iso6523-actorid-upis::9991:pt990000103';
const DOWN = 'iso6523-actorid-upis::9991:pt990000104';
const UNREGISTERED = 'iso6523-actorid-upis::9991:pt990000999';

const logFile = resolve('de4a-connector.log');
const app = await createApp({
  logFile,
  smp: {
    [UNIVERSITY]: { endpoint: `${ownerUrl}/university`, evidenceTypes: [DIPLOMA] },
    [MAINTENANCE]: { endpoint: `${ownerUrl}/maintenance`, evidenceTypes: [DIPLOMA] },
    [LEGACY]: { endpoint: `${ownerUrl}/legacy`, evidenceTypes: [DIPLOMA] },
    [DOWN]: { endpoint: `http://${HOST}:${await closedPort()}/registry`, evidenceTypes: [DIPLOMA] },
  },
});

try {
  await app.listen({ port: wanted, host: HOST });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  await app.listen({ port: 0, host: HOST });
  const free = (app.server.address() as AddressInfo).port;
  console.log(`Port ${wanted} is in use, so the example listens on the free port ${free} instead.`);
}
const base = `http://${HOST}:${(app.server.address() as AddressInfo).port}`;

interface Request {
  readonly owner?: string;
  readonly evidenceType?: string;
  readonly person?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
}

function request({
  owner = UNIVERSITY,
  evidenceType = DIPLOMA,
  person = 'PT/ES/123456789',
  familyName = 'Conceição Silva',
  dateOfBirth = '1995-04-12',
}: Request) {
  return {
    RequestId: '6f2b5c1e-8a4d-4f3b-9c2e-1d7a8b9c0e1f',
    DataEvaluator: DATA_EVALUATOR,
    DataOwner: owner,
    CanonicalEvidenceTypeId: evidenceType,
    DataRequestSubject: {
      DataSubjectPerson: {
        PersonIdentifier: person,
        FamilyName: familyName,
        GivenName: 'Ana',
        DateOfBirth: dateOfBirth,
      },
    },
  };
}

const im = `${base}/requestTransferEvidenceIM`;
const xml = (r: Request) =>
  `-H 'Content-Type: application/xml' --data '${writeXml('RequestTransferEvidenceIM', request(r))}'`;
const json = (r: Request) =>
  `-H 'Content-Type: application/json' -H 'Accept: application/json' --data '${JSON.stringify(request(r))}'`;
const withoutOwner = writeXml('RequestTransferEvidenceIM', {
  ...request({}),
  DataOwner: undefined,
  RequestId: '',
});

console.log(`faultline DE4A connector example listening on ${base}
Demo Data Owner: ${ownerUrl} (university, maintenance and legacy registries)

A diploma, IM pattern (200 ResponseTransferEvidence):
  curl -i ${im} ${xml({})}

The same in JSON (200):
  curl -i ${im} ${json({})}

An accepted USI request (200, Ack true):
  curl -i ${base}/requestTransferEvidenceUSI -H 'Content-Type: application/xml' --data '${writeXml('RequestTransferEvidenceUSI', request({}))}'

Scheme validation, an impossible date of birth in the XML (400, 10007):
  curl -i ${im} ${xml({ dateOfBirth: '1995-13-01' })}

Missing arguments, no DataOwner and an empty RequestId (400, 10102):
  curl -i ${im} -H 'Content-Type: application/xml' --data '${withoutOwner}'

An evidence type the IDK does not know (400, 10101):
  curl -i ${im} ${xml({ evidenceType: 'urn:de4a-eu:CanonicalEvidenceType::FishingLicence:1.0' })}

A Data Owner the SMP does not know, answered in JSON (400, 10201):
  curl -i ${im} ${json({ owner: UNREGISTERED })}

A Data Owner that is down (400, 10503):
  curl -i ${im} ${xml({ owner: DOWN })}

A Data Owner that answers 503 (400, 10504):
  curl -i ${im} ${xml({ owner: MAINTENANCE })}

A Data Owner that answers JSON instead of the IEM's XML (500, 20005):
  curl -i ${im} ${xml({ owner: LEGACY })}

A diploma still being issued, the Data Owner's Business fault passed on (400, 40515):
  curl -i ${im} ${xml({ person: 'PT/ES/987654321', familyName: 'Pereira', dateOfBirth: '1998-10-03' })}

A subject the Data Owner cannot match (400, 40511):
  curl -i ${im} ${xml({ familyName: 'Silva' })}

An unknown route (404, 10001):
  curl -i ${base}/requestTransferEvidenceLU

DE4A log lines (one per fault, INFO lines for received messages) are appended to
  ${logFile}
Follow them with: tail -f '${logFile}'
Fastify logs each request and each fault as JSON lines on stderr. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.server.closeAllConnections();
    owner.server.closeAllConnections();
    void Promise.all([app.close(), owner.close()]).then(() => process.exit(0));
  });
}
