/**
 * The DE4A connector example: a real connector and a real Data Owner on 127.0.0.1. Each failing
 * request must get the exact status and IEM body (XML, or JSON when Accept asks), and leave
 * exactly its lines in the DE4A log file: the INFO line of a received message, then one line
 * per fault, stamped by a fixed clock.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../examples/de4a-connector/src/app';
import type { AppOptions } from '../examples/de4a-connector/src/app';
import { DIPLOMA, closedPort, createDataOwner } from '../examples/de4a-connector/src/data-owner';
import { call, recorder } from './support/servers';
import { parseXml } from './support/xml';

const HOST = '127.0.0.1';
const IM = '/requestTransferEvidenceIM';
const USI = '/requestTransferEvidenceUSI';
const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
const CLOCK = new Date(Date.UTC(2021, 6, 26, 12, 41, 13, 657));

const REQUEST_ID = '2ecda60e-3824-4e92-a459-7c4a81258952';
const EVALUATOR = 'iso6523-actorid-upis::9920:ess2833002e';
const UNIVERSITY = 'iso6523-actorid-upis::9991:pt990000101';
const MAINTENANCE = 'iso6523-actorid-upis::9991:pt990000102';
const LEGACY = 'iso6523-actorid-upis::9991:pt990000103';
const DOWN = 'iso6523-actorid-upis::9991:pt990000104';
const CIVIL_REGISTRY = 'iso6523-actorid-upis::9991:pt990000105';
const MOVED = 'iso6523-actorid-upis::9991:pt990000106';
const UNREGISTERED = 'iso6523-actorid-upis::9991:pt990000999';
const BIRTH = 'urn:de4a-eu:CanonicalEvidenceType::BirthEvidence:2.0';
const UNKNOWN_TYPE = 'urn:de4a-eu:CanonicalEvidenceType::FishingLicence:1.0';

interface Fields {
  readonly owner?: string;
  readonly type?: string;
  readonly requestId?: string;
  readonly person?: string;
  readonly familyName?: string;
  readonly birth?: string;
}

function person({
  person = 'PT/ES/123456789',
  familyName = 'Conceição Silva',
  birth = '1995-04-12',
}: Fields): string {
  return (
    `<DataRequestSubject><DataSubjectPerson><PersonIdentifier>${person}</PersonIdentifier>` +
    `<FamilyName>${familyName}</FamilyName><GivenName>Ana</GivenName><DateOfBirth>${birth}</DateOfBirth>` +
    '</DataSubjectPerson></DataRequestSubject>'
  );
}

// The XML request, with a namespace prefix and a declaration, as IEM clients send them.
function xml(fields: Fields = {}, root = 'RequestTransferEvidenceIM'): string {
  const { owner = UNIVERSITY, type = DIPLOMA, requestId = REQUEST_ID } = fields;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><im:${root} xmlns:im="http://www.de4a.eu/2020/data/requestor/v2">` +
    `<im:RequestId>${requestId}</im:RequestId><im:DataEvaluator>${EVALUATOR}</im:DataEvaluator>` +
    `<im:DataOwner>${owner}</im:DataOwner><im:CanonicalEvidenceTypeId>${type}</im:CanonicalEvidenceTypeId>` +
    `${person(fields).replace(/<(\/?)/g, '<$1im:')}</im:${root}>`
  );
}

function json(fields: Fields = {}, extra: object = {}): string {
  const { owner = UNIVERSITY, type = DIPLOMA, requestId = REQUEST_ID } = fields;
  return JSON.stringify({
    RequestId: requestId,
    DataEvaluator: EVALUATOR,
    DataOwner: owner,
    CanonicalEvidenceTypeId: type,
    DataRequestSubject: {
      DataSubjectPerson: {
        PersonIdentifier: 'PT/ES/123456789',
        FamilyName: 'Conceição Silva',
        GivenName: 'Ana',
        DateOfBirth: '1995-04-12',
      },
    },
    ...extra,
  });
}

const XML_HEADERS = { 'content-type': 'application/xml' };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function iem(code: number, text: string): string {
  return (
    '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">' +
    `<ct:Ack>false</ct:Ack><ct:Error><ct:Code>${code}</ct:Code><ct:Text>${escapeXml(text)}</ct:Text></ct:Error></ResponseMessage>`
  );
}

function line(level: string, messageCode: string, text: string): string {
  return `[2021-07-26T12:41:13.657Z] [${level}] [${messageCode}] [CONNECTOR-XX] ${text}`;
}

function received(
  owner = UNIVERSITY,
  type = DIPLOMA,
  message = 'IM Request',
  messageCode = '0101',
): string {
  return line(
    'INFO',
    messageCode,
    `${message} message received - Request ID: ${REQUEST_ID}, Canonical Evidence Type: ${type}, Data Evaluator: ${EVALUATOR}, Data Owner: ${owner}`,
  );
}

interface Case {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly code: number;
  /** The fault's text: the body carries it, escaped, and so does its log line. */
  readonly text: string;
  /** The JSON encoding (Accept: application/json first) rather than the IEM XML. */
  readonly json?: true;
  /** The INFO line written before the fault, when the request itself was valid. */
  readonly received?: string;
  /** The fault's log line: level and message code. */
  readonly level: 'WARN' | 'ERROR';
  readonly messageCode: string;
}

// The down Data Owner's address is known once the tests run: texts name it by this token.

const CASES: readonly Case[] = [
  // Scheme validation: 10007, with the message type as {0}
  {
    name: 'XML that is not well-formed',
    headers: XML_HEADERS,
    body: `<RequestTransferEvidenceIM><RequestId>${REQUEST_ID}</RequestTransferEvidenceIM>`,
    status: 400,
    code: 10007,
    text: "Scheme validation failed for RequestTransferEvidenceIM message - not well-formed XML: Expected closing tag 'RequestId' (opened in line 1, col 28) instead of closing tag 'RequestTransferEvidenceIM'. (line 1)",
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a USI message sent to the IM endpoint',
    headers: XML_HEADERS,
    body: xml({}, 'RequestTransferEvidenceUSI'),
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - the root element is RequestTransferEvidenceUSI, not RequestTransferEvidenceIM',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'XML with a DOCTYPE',
    headers: XML_HEADERS,
    body: '<!DOCTYPE r [<!ENTITY a "aaaa">]><RequestTransferEvidenceIM>&a;</RequestTransferEvidenceIM>',
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - DOCTYPE declarations are not allowed',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'XML with two root elements',
    headers: XML_HEADERS,
    body: '<RequestTransferEvidenceIM/><RequestTransferEvidenceIM/>',
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - expected one root element, found 2',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'an impossible date of birth in XML',
    headers: XML_HEADERS,
    body: xml({ birth: '1995-13-01' }),
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body/DataRequestSubject/DataSubjectPerson/DateOfBirth must match format "date"',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a repeated XML element',
    headers: XML_HEADERS,
    body: xml().replace('<im:DataOwner>', `<im:DataOwner>${LEGACY}</im:DataOwner><im:DataOwner>`),
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body/DataOwner must be string',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'invalid JSON',
    headers: JSON_HEADERS,
    body: '{"RequestId": ',
    status: 400,
    code: 10007,
    json: true,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - the body is not valid JSON',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'JSON with a field the IEM does not have',
    headers: JSON_HEADERS,
    body: json({}, { Nickname: 'Ana' }),
    status: 400,
    code: 10007,
    json: true,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body must NOT have additional properties: Nickname',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a request id that is not a UUID, answered in XML by default',
    headers: { 'content-type': 'application/json' },
    body: json({ requestId: 'req-1' }),
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body/RequestId must match format "uuid"',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a participant identifier without a scheme',
    headers: XML_HEADERS,
    body: xml({ owner: 'pt990000101' }),
    status: 400,
    code: 10007,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body/DataOwner must match pattern "^[A-Za-z0-9-]+::\\S+$"',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a JSON array',
    headers: JSON_HEADERS,
    body: '[]',
    status: 400,
    code: 10007,
    json: true,
    text: 'Scheme validation failed for RequestTransferEvidenceIM message - body must be object',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  {
    name: 'a content type the IEM does not use (the dialect maps Fastify 415)',
    headers: { 'content-type': 'text/plain' },
    body: 'RequestId=1',
    status: 415,
    code: 10007,
    text: 'Scheme validation failed for /requestTransferEvidenceIM message - The request content type or encoding is not supported',
    level: 'WARN',
    messageCode: 'DRW07',
  },
  // Missing arguments: 10102, every missing one named
  {
    name: 'XML without DataOwner and with an empty RequestId',
    headers: XML_HEADERS,
    body: xml({ requestId: '' }).replace(/<im:DataOwner>.*<\/im:DataOwner>/, ''),
    status: 400,
    code: 10102,
    text: 'Arguments missing or invalid at /requestTransferEvidenceIM - RequestId, DataOwner',
    level: 'WARN',
    messageCode: 'DRW05',
  },
  {
    name: 'a person without family name and date of birth, in JSON',
    headers: JSON_HEADERS,
    body: json(
      {},
      {
        DataRequestSubject: {
          DataSubjectPerson: { PersonIdentifier: 'PT/ES/123456789', GivenName: 'Ana' },
        },
      },
    ),
    status: 400,
    code: 10102,
    json: true,
    text: 'Arguments missing or invalid at /requestTransferEvidenceIM - DataRequestSubject/DataSubjectPerson/FamilyName, DataRequestSubject/DataSubjectPerson/DateOfBirth',
    level: 'WARN',
    messageCode: 'DRW05',
  },
  {
    name: 'an empty XML message',
    headers: XML_HEADERS,
    body: '<RequestTransferEvidenceIM/>',
    status: 400,
    code: 10102,
    text: 'Arguments missing or invalid at /requestTransferEvidenceIM - RequestId, DataEvaluator, DataOwner, CanonicalEvidenceTypeId, DataRequestSubject',
    level: 'WARN',
    messageCode: 'DRW05',
  },
  {
    name: 'a USI request without a body',
    path: USI,
    status: 400,
    code: 10102,
    text: 'Arguments missing or invalid at /requestTransferEvidenceUSI - RequestId, DataEvaluator, DataOwner, CanonicalEvidenceTypeId, DataRequestSubject',
    level: 'WARN',
    messageCode: 'DRW05',
  },
  // Lookups: the IDK (10101) and the SMP (10201)
  {
    name: 'an evidence type the IDK does not know',
    headers: XML_HEADERS,
    body: xml({ type: UNKNOWN_TYPE }),
    status: 400,
    code: 10101,
    text: `Service requested /idk/ial/${UNKNOWN_TYPE} not found`,
    received: received(UNIVERSITY, UNKNOWN_TYPE),
    level: 'WARN',
    messageCode: 'DRW06',
  },
  {
    name: 'a Data Owner the SMP does not know, in JSON',
    headers: JSON_HEADERS,
    body: json({ owner: UNREGISTERED }),
    status: 400,
    code: 10201,
    json: true,
    text: `Service requested /${UNREGISTERED}/services/${DIPLOMA} not found`,
    received: received(UNREGISTERED),
    level: 'WARN',
    messageCode: 'DRW06',
  },
  {
    name: 'a Data Owner registered for other evidence only',
    headers: XML_HEADERS,
    body: xml({ owner: CIVIL_REGISTRY }),
    status: 400,
    code: 10201,
    text: `Service requested /${CIVIL_REGISTRY}/services/${DIPLOMA} not found`,
    received: received(CIVIL_REGISTRY),
    level: 'WARN',
    messageCode: 'DRW06',
  },
  {
    name: 'a USI request to a Data Owner the SMP does not know',
    path: USI,
    headers: XML_HEADERS,
    body: xml({ owner: UNREGISTERED }, 'RequestTransferEvidenceUSI'),
    status: 400,
    code: 10201,
    text: `Service requested /${UNREGISTERED}/services/${DIPLOMA} not found`,
    received: received(UNREGISTERED, DIPLOMA, 'USI Request', '0102'),
    level: 'WARN',
    messageCode: 'DRW06',
  },
  // The Data Owner: down (10503), a failed answer (10504), an answer that cannot be read (20005)
  {
    name: 'a Data Owner that is down',
    headers: XML_HEADERS,
    body: xml({ owner: DOWN }),
    status: 400,
    code: 10503,
    text: `Connection error with Data Owner ${DOWN} - connection refused`,
    received: received(DOWN),
    level: 'WARN',
    messageCode: 'DRW01',
  },
  {
    name: 'a Data Owner that is down, in JSON',
    headers: JSON_HEADERS,
    body: json({ owner: DOWN }),
    status: 400,
    code: 10503,
    json: true,
    text: `Connection error with Data Owner ${DOWN} - connection refused`,
    received: received(DOWN),
    level: 'WARN',
    messageCode: 'DRW01',
  },
  {
    name: 'a Data Owner that answers 503 with an HTML page',
    headers: XML_HEADERS,
    body: xml({ owner: MAINTENANCE }),
    status: 400,
    code: 10504,
    text: `Error on response from Data Owner ${MAINTENANCE} - HTTP 503 Service Unavailable`,
    received: received(MAINTENANCE),
    level: 'WARN',
    messageCode: 'DRW02',
  },
  {
    name: 'an SMP endpoint where the Data Owner answers 404 with an IEM error',
    headers: XML_HEADERS,
    body: xml({ owner: MOVED }),
    status: 400,
    code: 10504,
    text: `Error on response from Data Owner ${MOVED} - HTTP 404 Not Found: 10001 Service requested /archive/requestExtractEvidenceIM not found`,
    received: received(MOVED),
    level: 'WARN',
    messageCode: 'DRW02',
  },
  {
    name: 'a Data Owner that answers JSON instead of XML',
    headers: XML_HEADERS,
    body: xml({ owner: LEGACY }),
    status: 500,
    code: 20005,
    text: `Object conversion error on Data Owner ${LEGACY} - not well-formed XML: char '{' is not expected. (line 1)`,
    received: received(LEGACY),
    level: 'ERROR',
    messageCode: 'DRE03',
  },
  // The Data Owner's Business faults, passed on
  {
    name: 'a diploma that is still being issued',
    headers: XML_HEADERS,
    body: xml({ person: 'PT/ES/987654321', familyName: 'Pereira', birth: '1998-10-03' }),
    status: 400,
    code: 40515,
    text: 'Evidence not available yet (delayed)',
    received: received(),
    level: 'ERROR',
    messageCode: 'DOE02',
  },
  {
    name: 'a subject the Data Owner cannot match, in JSON',
    headers: { ...XML_HEADERS, accept: 'application/json;q=0.9, application/xml;q=1' },
    body: xml({ familyName: 'Silva' }),
    status: 400,
    code: 40511,
    json: true,
    text: 'Error in identity matching',
    received: received(),
    level: 'ERROR',
    messageCode: 'DOE03',
  },
  {
    name: 'a USI request for a subject the Data Owner cannot match',
    path: USI,
    headers: XML_HEADERS,
    body: xml({ birth: '1995-04-13' }, 'RequestTransferEvidenceUSI'),
    status: 400,
    code: 40511,
    text: 'Error in identity matching',
    received: received(UNIVERSITY, DIPLOMA, 'USI Request', '0102'),
    level: 'ERROR',
    messageCode: 'DOE03',
  },
  // Routes
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/requestTransferEvidenceLU?token=secret',
    status: 404,
    code: 10001,
    text: 'Service requested /requestTransferEvidenceLU not found',
    level: 'WARN',
    messageCode: 'DRW06',
  },
];

let dir: string;
let downPort = 0;
let owner: FastifyInstance;
let connector: FastifyInstance;
let url: string;
const faults = recorder();
const seen = { log: 0, metrics: 0 };

// The lines appended to a file since the last call.
function newLines(file: 'log' | 'metrics'): string[] {
  const lines = readFileSync(
    join(dir, file === 'log' ? 'de4a-connector.log' : 'de4a-metrics.log'),
    'utf8',
  )
    .split('\n')
    .filter((l) => l !== '');
  const fresh = lines.slice(seen[file]);
  seen[file] = lines.length;
  return fresh;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-de4a-connector-'));
  downPort = await closedPort();
  owner = await createDataOwner();
  await owner.listen({ port: 0, host: HOST });
  const ownerUrl = `http://${HOST}:${(owner.server.address() as AddressInfo).port}`;
  connector = await createApp({
    smp: {
      [UNIVERSITY]: { endpoint: `${ownerUrl}/university`, evidenceTypes: [DIPLOMA] },
      [MAINTENANCE]: { endpoint: `${ownerUrl}/maintenance`, evidenceTypes: [DIPLOMA] },
      [LEGACY]: { endpoint: `${ownerUrl}/legacy/`, evidenceTypes: [DIPLOMA] },
      [DOWN]: { endpoint: `http://${HOST}:${downPort}/registry`, evidenceTypes: [DIPLOMA] },
      [CIVIL_REGISTRY]: { endpoint: `${ownerUrl}/university`, evidenceTypes: [BIRTH] },
      [MOVED]: { endpoint: `${ownerUrl}/archive`, evidenceTypes: [DIPLOMA] },
    },
    logFile: join(dir, 'de4a-connector.log'),
    metricsFile: join(dir, 'de4a-metrics.log'),
    clock: () => CLOCK,
    logger: faults.logger,
    correlationId: () => 'fixed-id',
  });
  await connector.listen({ port: 0, host: HOST });
  url = `http://${HOST}:${(connector.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const app of [connector, owner]) {
    app.server.closeAllConnections();
    await app.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function send(c: Pick<Case, 'method' | 'path' | 'headers' | 'body'>) {
  faults.calls.length = 0;
  return call(url, c.method ?? 'POST', c.path ?? IM, c.headers, c.body);
}

describe('the DE4A connector example', () => {
  describe.each(CASES)('when it receives $name', (c) => {
    it('should answer the exact fault and append its log lines', async () => {
      const text = c.text;
      const res = await send(c);
      const lines = newLines('log');
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toBe(c.json ? JSON_TYPE : XML_TYPE);
      expect(res.text).toBe(
        c.json
          ? JSON.stringify({ ack: false, errors: [{ code: String(c.code), text }] })
          : iem(c.code, text),
      );
      expect(lines).toEqual([
        ...(c.received === undefined ? [] : [c.received]),
        line(c.level, c.messageCode, text),
      ]);
      expect(faults.calls).toHaveLength(1);
      expect(faults.calls[0]?.event).toMatchObject({
        correlationId: 'fixed-id',
        dialect: 'de4a',
        code: c.code,
        status: c.status,
      });
    });
  });

  describe('when a diploma is requested in XML', () => {
    it('should relay the evidence and log the request and the response', async () => {
      const res = await send({ headers: XML_HEADERS, body: xml() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(XML_TYPE);
      expect(res.text).toBe(
        `<ResponseTransferEvidence><RequestId>${REQUEST_ID}</RequestId><DataEvaluator>${EVALUATOR}</DataEvaluator>` +
          `<DataOwner>${UNIVERSITY}</DataOwner><CanonicalEvidenceTypeId>${DIPLOMA}</CanonicalEvidenceTypeId>` +
          '<CanonicalEvidence><HigherEducationDiploma><Title>Licenciatura em Engenharia Informática</Title>' +
          '<AwardingInstitution>Universidade Demo de Lisboa</AwardingInstitution><DateOfAward>2017-07-14</DateOfAward>' +
          '</HigherEducationDiploma></CanonicalEvidence></ResponseTransferEvidence>',
      );
      expect(() => parseXml(res.text)).not.toThrow();
      expect(newLines('log')).toEqual([
        received(),
        received(UNIVERSITY, DIPLOMA, 'Response Evidence', '0108'),
      ]);
      expect(faults.calls).toHaveLength(0);
    });
  });

  describe('when a diploma is requested in JSON', () => {
    it('should relay the evidence in JSON', async () => {
      const res = await send({ headers: JSON_HEADERS, body: json() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(JSON.parse(res.text)).toEqual({
        RequestId: REQUEST_ID,
        DataEvaluator: EVALUATOR,
        DataOwner: UNIVERSITY,
        CanonicalEvidenceTypeId: DIPLOMA,
        CanonicalEvidence: {
          HigherEducationDiploma: {
            Title: 'Licenciatura em Engenharia Informática',
            AwardingInstitution: 'Universidade Demo de Lisboa',
            DateOfAward: '2017-07-14',
          },
        },
      });
      expect(newLines('log')).toEqual([
        received(),
        received(UNIVERSITY, DIPLOMA, 'Response Evidence', '0108'),
      ]);
    });
  });

  describe('when a USI request is accepted', () => {
    it('should answer the IEM Ack and log the request', async () => {
      const res = await send({
        path: USI,
        headers: XML_HEADERS,
        body: xml({}, 'RequestTransferEvidenceUSI'),
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe(
        '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">' +
          '<ct:Ack>true</ct:Ack></ResponseMessage>',
      );
      expect(newLines('log')).toEqual([received(UNIVERSITY, DIPLOMA, 'USI Request', '0102')]);
    });
  });

  describe('when a metrics file is configured', () => {
    it('should write a metrics line for each received message and each fault', async () => {
      newLines('metrics');
      await send({ headers: XML_HEADERS, body: xml() });
      await send({ headers: XML_HEADERS, body: xml({ owner: MAINTENANCE }) });
      await send({ headers: XML_HEADERS, body: '<RequestTransferEvidenceIM/>' });
      const request = (o: string) =>
        `Request ID: ${REQUEST_ID}, Canonical Evidence Type: ${DIPLOMA}, Data Evaluator: ${EVALUATOR}, Data Owner: ${o}`;
      expect(newLines('metrics')).toEqual([
        `DE4A METRICS - [2021-07-26 12:41:13:657] [INFO] [0101] [ ] [DATA EVALUATOR] [CONNECTOR DR] IM Request message received - ${request(UNIVERSITY)}`,
        `DE4A METRICS - [2021-07-26 12:41:13:657] [INFO] [0108] [ ] [DATA OWNER] [CONNECTOR DR] Response Evidence message received - ${request(UNIVERSITY)}`,
        `DE4A METRICS - [2021-07-26 12:41:13:657] [INFO] [0101] [ ] [DATA EVALUATOR] [CONNECTOR DR] IM Request message received - ${request(MAINTENANCE)}`,
        `DE4A METRICS - [2021-07-26 12:41:13:657] [WARNING] [10504] [ ] [CONNECTOR DR] [DATA OWNER] Error on response from Data Owner ${MAINTENANCE} - HTTP 503 Service Unavailable`,
        'DE4A METRICS - [2021-07-26 12:41:13:657] [WARNING] [10102] [ ] [CONNECTOR DR] [IDK] Arguments missing or invalid at /requestTransferEvidenceIM - RequestId, DataEvaluator, DataOwner, CanonicalEvidenceTypeId, DataRequestSubject',
      ]);
      newLines('log');
    });
  });
});

describe('createApp', () => {
  describe.each([
    ['no options', undefined],
    [
      'an smp entry without an http(s) endpoint',
      { smp: { [UNIVERSITY]: { endpoint: 'ftp://127.0.0.1/x', evidenceTypes: [DIPLOMA] } } },
    ],
    [
      'evidence types that are not an array',
      { smp: { [UNIVERSITY]: { endpoint: 'http://127.0.0.1/x', evidenceTypes: DIPLOMA } } },
    ],
    ['an idk that is not an array', { smp: {}, idk: DIPLOMA }],
    ['a timeout of 0', { smp: {}, dataOwnerTimeout: 0 }],
    ['a clock that is not a function', { smp: {}, clock: CLOCK }],
  ])('when it is given %s', (_name, options) => {
    it('should reject with a TypeError before opening anything', async () => {
      await expect(createApp(options as unknown as AppOptions)).rejects.toThrow(TypeError);
    });
  });

  describe('when the log file cannot be opened', () => {
    it('should reject with the file system error', async () => {
      await expect(
        createApp({ smp: {}, logFile: join(dir, 'missing', 'de4a.log') }),
      ).rejects.toThrow(/ENOENT/);
    });
  });
});
