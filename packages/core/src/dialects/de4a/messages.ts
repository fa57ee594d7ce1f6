/**
 * Extra file: the log message tables log.ts numbers its message codes from.
 *
 * DE4A log messages and how their 5-character codes are numbered: per log message, as the
 * documentation's examples (`DRE05`, `DOE02`, `DTI07`) and the connector do. An error's code is the
 * module, the level letter and its family's number in the connector's iteration-2
 * `EFamilyErrorType` (de4a-eu/de4a `de4a-connector/.../error/model/EFamilyErrorType.java`,
 * `ErrorHelper.createCode`); every other message is numbered by de4a-commons'
 * `de4a-kafka-client/.../model/ELogMessage.java` (`getLogCode()` = module + level + number), its
 * text from the connector's `messages.properties`. DE4A's documented log-message tables (Connector
 * 0100–0302, Authority Agent 0101–0114 and 0201–0210) are here too.
 *
 * @module
 */
import type { De4aLevel } from './codes.js';

/**
 * The connector's error families (iteration 2), by name: their number in a message code
 * (`DRE05`), and DE4A's documented error type (template number) of the same error.
 *
 * @example
 * ```ts
 * FAMILIES.MISSING_REQUIRED_ARGUMENTS; // { number: 5, type: 2 }
 * ```
 */
export const FAMILIES = Object.freeze({
  CONNECTION_ERROR: Object.freeze({ number: 1, type: 3 }),
  ERROR_RESPONSE: Object.freeze({ number: 2, type: 4 }),
  CONVERSION_ERROR: Object.freeze({ number: 3, type: 5 }),
  SAVING_DATA_ERROR: Object.freeze({ number: 4, type: 6 }),
  MISSING_REQUIRED_ARGUMENTS: Object.freeze({ number: 5, type: 2 }),
  SERVICE_NOT_FOUND: Object.freeze({ number: 6, type: 1 }),
  SCHEMA_VALIDATION_FAILED: Object.freeze({ number: 7, type: 7 }),
  AS4_ERROR_COMMUNICATION: Object.freeze({ number: 8, type: 8 }),
} as const);

/**
 * A family name of the DE4A connector's `EFamilyErrorType`, such as `CONNECTION_ERROR`.
 *
 * @example
 * ```ts
 * const family: De4aFamily = 'CONNECTION_ERROR';
 * ```
 */
export type De4aFamily = keyof typeof FAMILIES;

const FAMILY_BY_TYPE = new Map<number, De4aFamily>(
  (Object.keys(FAMILIES) as De4aFamily[]).map((name) => [FAMILIES[name].type, name]),
);
const FAMILY_BY_NUMBER = new Map<number, De4aFamily>(
  (Object.keys(FAMILIES) as De4aFamily[]).map((name) => [FAMILIES[name].number, name]),
);

/**
 * The family of a documented error type (template number 1–8), or `undefined`.
 *
 * @param type - the documented error type, e.g. 2
 * @returns e.g. `'MISSING_REQUIRED_ARGUMENTS'`
 * @example
 * ```ts
 * familyOfType(2); // 'MISSING_REQUIRED_ARGUMENTS'
 * ```
 */
export function familyOfType(type: number): De4aFamily | undefined {
  return FAMILY_BY_TYPE.get(type);
}

/**
 * The family a message code's number stands for (1–8), or `undefined`.
 *
 * @param number - the two digits of a message code, e.g. 5
 * @returns e.g. `'MISSING_REQUIRED_ARGUMENTS'`
 * @example
 * ```ts
 * familyOfNumber(5); // 'MISSING_REQUIRED_ARGUMENTS'
 * ```
 */
export function familyOfNumber(number: number): De4aFamily | undefined {
  return FAMILY_BY_NUMBER.get(number);
}

/**
 * The table a log message comes from.
 *
 * @example
 * ```ts
 * const table: De4aLogTable = 'Authority Agent';
 * de4a.logMessages('0101').filter((m) => m.table === table); // the Authority Agent's 0101
 * ```
 */
export type De4aLogTable = 'ELogMessage' | 'Connector' | 'Authority Agent';

/**
 * One log message: its code, level and text template.
 *
 * @example
 * ```ts
 * const message: De4aLogMessage | undefined = de4a.logMessages('DTI07')[0];
 * message?.name; // 'LOG_RES_EVIDENCE_DO_DT'
 * ```
 */
export interface De4aLogMessage {
  /** The code a log line carries: `DTI07` (ELogMessage) or the documented `0108`. */
  readonly code: string;
  /** Where it is defined: de4a-commons' `ELogMessage`, or DE4A's documented Connector or Authority Agent table. */
  readonly table: De4aLogTable;
  /** The `ELogMessage` constant, e.g. `LOG_RES_EVIDENCE_DO_DT`. */
  readonly name?: string;
  /** The connector's message bundle key, e.g. `log.response.do.dt.evidence`. */
  readonly key?: string;
  readonly level: Extract<De4aLevel, 'INFO' | 'ERROR'>;
  /** The text with `{0}`, `{1}` …; absent when the source gives none. */
  readonly template?: string;
  /** What each `{n}` stands for. */
  readonly params: readonly string[];
  /** The documented log type (Services, Client, AS4), for DE4A's documented tables. */
  readonly type?: 'Services' | 'Client' | 'AS4';
  /** The 5-digit error code of the same event (the Data Owner's and Data Evaluator's). */
  readonly faultCode?: number;
}

const RECEIVED = ['Message type', 'Request ID', 'Sender ID', 'Receiver ID', 'Metadata'] as const;
const RECEIVED_TEXT = ' message received: {0} - {1} - {2} - {3} - {4}';
const REQUEST_PARAMS = [
  'RequestId',
  'CanonicalEvidenceType',
  'DataEvaluator',
  'DataOwner',
] as const;
const REQUEST_TEXT =
  ' - Request ID: {0}, Canonical Evidence Type: {1}, Data Evaluator: {2}, Data Owner: {3}';

type Level = De4aLogMessage['level'];

// An ELogMessage constant: the code as getLogCode() builds it from the enum's own module.
function elog(
  name: string,
  key: string,
  module: string,
  level: Level,
  number: string,
  template?: string,
  params: readonly string[] = [],
  faultCode?: number,
): De4aLogMessage {
  return Object.freeze({
    code: `${module}${level === 'INFO' ? 'I' : 'E'}${number}`,
    table: 'ELogMessage',
    name,
    key,
    level,
    ...(template === undefined ? {} : { template }),
    params: Object.freeze([...params]),
    ...(faultCode === undefined ? {} : { faultCode }),
  });
}

// A row of DE4A's documented Connector or Authority Agent log-message tables.
function documented(
  table: 'Connector' | 'Authority Agent',
  code: string,
  type: 'Services' | 'Client' | 'AS4',
  template: string | undefined,
  params: readonly string[],
): De4aLogMessage {
  return Object.freeze({
    code,
    table,
    level: 'INFO',
    ...(template === undefined ? {} : { template }),
    params: Object.freeze([...params]),
    type,
  });
}

const received = (text: string) => `${text}${RECEIVED_TEXT}`;
const aa = (text: string) => `{0}: ${text}`;

/**
 * Every log message: `ELogMessage` in its declaration order (texts from the connector's
 * `messages.properties` without the leading `[code] [connector id]` argument; the Data Owner's
 * and Data Evaluator's from DE4A's documented business table), then its Connector table, then
 * the Authority Agent's. Some `ELogMessage` codes repeat (two constants share `DRI06`, `DRI07`,
 * `DTI10` and `DRE11`: the enum names the module it passes, not the one in its comment).
 *
 * @example
 * ```ts
 * LOG_MESSAGES.filter((m) => m.code === 'DOE02')[0]?.template; // 'Evidence not available yet (delayed)'
 * ```
 */
export const LOG_MESSAGES: readonly De4aLogMessage[] = Object.freeze([
  elog(
    'LOG_REQ_IM_LEGACY_DE_DR',
    'log.request.de.dr.legacy',
    'DR',
    'INFO',
    '01',
    received('Legacy IM Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_IM_DE_DR',
    'log.request.de.dr.im',
    'DR',
    'INFO',
    '02',
    received('IM Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_USI_DE_DR',
    'log.request.de.dr.usi',
    'DR',
    'INFO',
    '03',
    received('USI Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_SUBSC_DE_DR',
    'log.request.de.dr.subs',
    'DR',
    'INFO',
    '04',
    received('Subscription Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_LU_DE_DR',
    'log.request.de.dr.lu',
    'DR',
    'INFO',
    '05',
    received('LU Request'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_IM_LEGACY_DT_DR',
    'log.response.dt.dr.legacy',
    'DR',
    'INFO',
    '06',
    received('Legacy IM Response'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_EVIDENCE_DT_DR',
    'log.response.dt.dr.evidence',
    'DR',
    'INFO',
    '07',
    received('Evidence Response'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_REDIRECT_DT_DR',
    'log.response.dt.dr.redirect',
    'DR',
    'INFO',
    '08',
    received('Redirect User Response'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_SUBSC_DT_DR',
    'log.response.dt.dr.subs',
    'DR',
    'INFO',
    '09',
    received('Subscription Response'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_IM_LEGACY_DR_DT',
    'log.request.dr.dt.legacy',
    'DT',
    'INFO',
    '01',
    received('Legacy IM Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_IM_DR_DT',
    'log.request.dr.dt.im',
    'DT',
    'INFO',
    '02',
    received('IM Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_USI_DR_DT',
    'log.request.dr.dt.usi',
    'DT',
    'INFO',
    '03',
    received('USI Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_LU_DR_DT',
    'log.request.dr.dt.lu',
    'DT',
    'INFO',
    '04',
    received('LU Request'),
    RECEIVED,
  ),
  elog(
    'LOG_REQ_SUBSC_DR_DT',
    'log.request.dr.dt.subs',
    'DT',
    'INFO',
    '05',
    received('Subscription Request'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_IM_LEGACY_DO_DT',
    'log.response.do.dt.legacy',
    'DR',
    'INFO',
    '06',
    received('Legacy IM Response'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_EVIDENCE_DO_DT',
    'log.response.do.dt.evidence',
    'DT',
    'INFO',
    '07',
    received('Evidence Response'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_REDIRECT_DO_DT',
    'log.response.do.dt.redirect',
    'DT',
    'INFO',
    '08',
    received('Redirect User'),
    RECEIVED,
  ),
  elog(
    'LOG_RES_SUBSC_DO_DT',
    'log.response.do.dt.subs',
    'DT',
    'INFO',
    '09',
    received('Subscription Response'),
    RECEIVED,
  ),
  elog(
    'LOG_EVENT_NOTIF_DO_DT',
    'log.event.notification.dt',
    'DT',
    'INFO',
    '10',
    received('Event Notification'),
    RECEIVED,
  ),
  elog(
    'LOG_EVENT_NOTIF_DT_DR',
    'log.event.notification.dr',
    'DR',
    'INFO',
    '10',
    received('Event Notification'),
    RECEIVED,
  ),
  // The bundle has this key commented out: the connector logs no text for it.
  elog('LOG_NOTIF_REQ_RECEIPT', 'log.request.receipt', 'DT', 'INFO', '10'),
  elog(
    'LOG_REQ_DR_SMP',
    'log.request.sent.smp',
    'DR',
    'INFO',
    '11',
    'Requesting to SMP - ParticipantId: {0}, DocumentTypeId: {1}, MessageType: {2}',
    ['ParticipantId', 'DocumentTypeId', 'MessageType'],
  ),
  // `log.request.sent.sml` is in no bundle.
  elog('LOG_REQ_DR_SML', 'log.request.sent.sml', 'DR', 'INFO', '12'),
  elog(
    'LOG_REQ_DR_IAL',
    'log.request.sent.idk',
    'DR',
    'INFO',
    '13',
    'Sending request to IDK - URL: {0}',
    ['URL'],
  ),
  elog(
    'LOG_REQ_DT_SMP',
    'log.request.sent.smp',
    'DT',
    'INFO',
    '11',
    'Requesting to SMP - ParticipantId: {0}, DocumentTypeId: {1}, MessageType: {2}',
    ['ParticipantId', 'DocumentTypeId', 'MessageType'],
  ),
  elog('LOG_REQ_DT_SML', 'log.request.sent.sml', 'DT', 'INFO', '12'),
  elog(
    'LOG_DR_PARTICIPANT_LOOKUP',
    'log.participant.lookup',
    'DR',
    'INFO',
    '14',
    'Looking for participant address - Participant Identifier: {0}, Endpoint type: {1}',
    ['Participant Identifier', 'Endpoint type'],
  ),
  elog(
    'LOG_DT_PARTICIPANT_LOOKUP',
    'log.participant.lookup',
    'DT',
    'INFO',
    '14',
    'Looking for participant address - Participant Identifier: {0}, Endpoint type: {1}',
    ['Participant Identifier', 'Endpoint type'],
  ),
  elog(
    'LOG_ERROR_DR_PARTICIPANT_LOOKUP',
    'log.error.participant.lookup',
    'DR',
    'ERROR',
    '11',
    'Participant address not found - Participant Identifier: {0}, Endpoint type: {1}',
    ['Participant Identifier', 'Endpoint type'],
  ),
  elog(
    'LOG_ERROR_DT_PARTICIPANT_LOOKUP',
    'log.error.participant.lookup',
    'DR',
    'ERROR',
    '11',
    'Participant address not found - Participant Identifier: {0}, Endpoint type: {1}',
    ['Participant Identifier', 'Endpoint type'],
  ),
  elog(
    'LOG_REQ_DE',
    'log.request.sent.de',
    'DR',
    'INFO',
    '07',
    'Sending {0} to the Data Evaluator - RequestId: {1}, DataEvaluatorId: {2}, DataOwnerId: {3}, Endpoint: {4}',
    ['Response type', 'RequestId', 'DataEvaluatorId', 'DataOwnerId', 'Endpoint'],
  ),
  elog(
    'LOG_DO_ERROR_EXTRACT_EVIDENCE',
    'log.do.error.extract.evidence',
    'DO',
    'ERROR',
    '01',
    'Error extracting evidence',
    [],
    40510,
  ),
  elog(
    'LOG_DO_ERROR_EVIDENCE_NOT_AVAILABLE',
    'log.do.error.evidence.not.available',
    'DO',
    'ERROR',
    '02',
    'Evidence not available yet (delayed)',
    [],
    40515,
  ),
  elog(
    'LOG_DO_ERROR_IDENTITY_MATCHING',
    'log.do.error.identity.matching',
    'DO',
    'ERROR',
    '03',
    'Error in identity matching',
    [],
    40511,
  ),
  elog(
    'LOG_DO_ERROR_PREVIEW_UNSUCCESSFUL',
    'log.do.error.preview.unsuccessful',
    'DO',
    'ERROR',
    '04',
    'Unsuccessful completion of preview',
    [],
    40512,
  ),
  elog(
    'LOG_DO_ERROR_USER_IDENTITY',
    'log.do.error.user.identity',
    'DO',
    'ERROR',
    '05',
    'Failed to re-establish user identity',
    [],
    40514,
  ),
  elog(
    'LOG_DO_ERROR_PREVIEW_REJECTED',
    'log.do.error.preview.rejected',
    'DO',
    'ERROR',
    '06',
    'Preview rejected by user',
    [],
    40513,
  ),
  elog(
    'LOG_DO_ERROR_EVIDENCE_GENERATION',
    'log.do.error.evidence.generation',
    'DO',
    'ERROR',
    '07',
    'Unsuccessful generation of the canonical evidence',
    [],
    40516,
  ),
  elog(
    'LOG_DE_PROCESS_STARTED',
    'log.de.process.started',
    'DE',
    'INFO',
    '01',
    'DE4A pilot process started',
    [],
    40617,
  ),
  elog(
    'LOG_DE_PROCESS_FINISHED',
    'log.de.process.finished',
    'DE',
    'INFO',
    '02',
    'DE4A pilot process finished',
    [],
    40618,
  ),
  elog(
    'LOG_DE_ERROR_USER_IDENTITY',
    'log.de.error.user.identity',
    'DE',
    'ERROR',
    '03',
    'Failed to establish user identity',
    [],
    40609,
  ),
  elog(
    'LOG_DE_ERROR_PREVIEW_REJECTED',
    'log.de.error.preview.rejected',
    'DE',
    'ERROR',
    '04',
    'Preview rejected by user',
    [],
    40613,
  ),

  // DE4A's documented Connector "Log messages" table.
  documented(
    'Connector',
    '0100',
    'Services',
    `Legacy IM Request message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0101',
    'Services',
    `IM Request message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0102',
    'Services',
    `USI Request message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  // The documented row has no text; the connector's `log.request.receipt.idk` takes exactly its parameters.
  documented(
    'Connector',
    '0103',
    'Services',
    'RequestLookupRoutingInformation message received - CanonicalEvidenceType: {0}, CountryCode: {1}, DataOwnerId: {2}',
    ['CanonicalEvidenceType', 'CountryCode', 'DataOwnerId'],
  ),
  documented(
    'Connector',
    '0104',
    'Services',
    `Subscription Request message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0105',
    'Services',
    `Event Notification message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0106',
    'Services',
    `Legacy IM Response Evidence message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0107',
    'Services',
    `Redirect User message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0108',
    'Services',
    `Response Evidence message received${REQUEST_TEXT}`,
    REQUEST_PARAMS,
  ),
  documented(
    'Connector',
    '0201',
    'Client',
    'Looking for participant address - Participant Identifier: {0}, Endpoint type: {1}',
    ['ParticipantId', 'Endpoint type'],
  ),
  documented(
    'Connector',
    '0202',
    'Client',
    'Sending {0} to the Data Evaluator - RequestId: {1}, DataEvaluatorId: {2}, DataOwnerId: {3}, Endpoint: {4}',
    ['Response Type', 'RequestId', 'DataEvaluatorId', 'DataOwnerId', 'Endpoint'],
  ),
  documented(
    'Connector',
    '0203',
    'Client',
    'Sending {0} to the Data Owner - RequestId: {1}, DataEvaluatorId: {2}, DataOwnerId: {3}, Endpoint: {4}',
    ['Request Type', 'RequestId', 'DataEvaluatorId', 'DataOwnerId', 'Endpoint'],
  ),
  documented('Connector', '0204', 'Client', 'Sending request to IDK - URL: {0}', ['URL']),
  documented('Connector', '0205', 'Client', 'Looking for Data Owner address - Data Owner: {0}', [
    'DataOwnerId',
  ]),
  documented('Connector', '0206', 'Client', 'Data Owner address not found - Data Owner: {0}', [
    'DataOwnerId',
  ]),
  documented(
    'Connector',
    '0301',
    'AS4',
    'Sending message via AS4 gateway - SenderId: {0}, ReceivedId: {1}, Canonical Evidence Type: {2}, MessageType: {3}',
    ['DataEvaluatorId', 'DataOwnerId', 'CanonicalEvidenceType', 'MessageType'],
  ),
  documented('Connector', '0302', 'AS4', 'Processing the request received via AS4 gateway', []),

  // DE4A's documented SSI Authority Agent "Services - (Info level)" table, in its order.
  documented('Authority Agent', '0201', 'Client', aa('Received input eIDAS user data.'), [
    'APIMethod',
  ]),
  documented('Authority Agent', '0202', 'Client', aa('Received input userId data.'), ['APIMethod']),
  documented('Authority Agent', '0203', 'Client', aa('Generated DID invitation for edge agent.'), [
    'APIMethod',
  ]),
  documented('Authority Agent', '0204', 'Client', aa('Received input evidence data.'), [
    'APIMethod',
  ]),
  documented('Authority Agent', '0205', 'Client', aa('Signed a Verifiable Credential.'), [
    'APIMethod',
  ]),
  documented(
    'Authority Agent',
    '0206',
    'Client',
    aa('Sent a Verifiable Credential to the edge agent.'),
    ['APIMethod'],
  ),
  documented(
    'Authority Agent',
    '0207',
    'Client',
    aa('Accepted a submitted Verifiable Presentation.'),
    ['APIMethod'],
  ),
  documented('Authority Agent', '0208', 'Client', aa('Decoded input eIDAS user data.'), [
    'APIMethod',
  ]),
  documented(
    'Authority Agent',
    '0209',
    'Client',
    aa('Validated the digital signature of the submitted VP.'),
    ['APIMethod'],
  ),
  documented(
    'Authority Agent',
    '0210',
    'Client',
    aa('Validated the subject of the submitted VP.'),
    ['APIMethod'],
  ),
  documented(
    'Authority Agent',
    '0101',
    'Services',
    aa('Received HTTP response code: {1} from endpoint: {2}.'),
    ['APIMethod', 'ResponseCode', 'Endpoint'],
  ),
  documented(
    'Authority Agent',
    '0102',
    'Services',
    aa('Processing the JSON response received from /{1}.'),
    ['APIMethod', 'AriesAPIMethod'],
  ),
  documented(
    'Authority Agent',
    '0103',
    'Services',
    aa('Stored current state in {1} internal database.'),
    ['APIMethod', 'Component'],
  ),
  documented('Authority Agent', '0104', 'Services', aa('Received user {1} status data.'), [
    'APIMethod',
    'DataObject',
  ]),
  documented(
    'Authority Agent',
    '0105',
    'Services',
    aa('Converted input evidence in format: {1} to format: {2}.'),
    ['APIMethod', 'Format', 'Format'],
  ),
  documented('Authority Agent', '0106', 'Services', aa('Received response data PIID: {1}.'), [
    'APIMethod',
    'PIID',
  ]),
  documented(
    'Authority Agent',
    '0107',
    'Services',
    aa('Found a {1} action match with PIID: {2}.'),
    ['APIMethod', 'DataObject', 'PIID'],
  ),
  documented(
    'Authority Agent',
    '0108',
    'Services',
    aa('Found a Verifiable Presentation with name: {1}.'),
    ['APIMethod', 'VPName'],
  ),
  documented(
    'Authority Agent',
    '0109',
    'Services',
    aa('Found a Verifiable Presentation with ID: {1}.'),
    ['APIMethod', 'VPID'],
  ),
  documented(
    'Authority Agent',
    '0110',
    'Services',
    aa('Issuer DID has already been generated and registered in EBSI.'),
    ['Component'],
  ),
  documented(
    'Authority Agent',
    '0111',
    'Services',
    aa('Successfully created files for EBSI integration.'),
    ['Component'],
  ),
  documented(
    'Authority Agent',
    '0112',
    'Services',
    aa('Successfully generated key: {1}, value: {2}.'),
    ['Component', 'KeyType', 'Value'],
  ),
  documented('Authority Agent', '0113', 'Services', aa('Successfully exported JWK private key.'), [
    'Component',
  ]),
  documented(
    'Authority Agent',
    '0114',
    'Services',
    aa('Successfully imported DID document into Aries.'),
    ['Component'],
  ),
]);

/**
 * Every log message with this code (several where the sources reuse one), in table order.
 *
 * @param code - e.g. `DTI07`, `0108`
 * @returns the messages, possibly none
 * @example
 * ```ts
 * logMessages('0101').map((m) => m.table); // ['Connector', 'Authority Agent']
 * ```
 */
export function logMessages(code: string): readonly De4aLogMessage[] {
  return LOG_MESSAGES.filter((m) => m.code === code);
}

// The ELogMessage of each Data Owner / Data Evaluator business code.
const BY_FAULT_CODE = new Map<number, De4aLogMessage>(
  LOG_MESSAGES.flatMap((m) => (m.faultCode === undefined ? [] : [[m.faultCode, m] as const])),
);

/**
 * The `ELogMessage` of a Data Owner's or Data Evaluator's business code, or `undefined`.
 *
 * @param code - a 5-digit code, e.g. 40515
 * @returns e.g. `LOG_DO_ERROR_EVIDENCE_NOT_AVAILABLE` (`DOE02`)
 * @example
 * ```ts
 * faultLogMessage(40515)?.code; // 'DOE02'
 * ```
 */
export function faultLogMessage(code: number): De4aLogMessage | undefined {
  return BY_FAULT_CODE.get(code);
}

/**
 * The component and number of a fault's log line: a business code's `ELogMessage`
 * (`40515` → `DO`, 2), or the given component and the family number of the code's error
 * type (`10102` → 5, `MISSING_REQUIRED_ARGUMENTS`); the documented type number for a type that
 * belongs to no family (the Authority Agent's 17–20), and 0 for a code of neither kind (99999).
 *
 * @param code - a fault's code, e.g. `10102`
 * @param component - the logging component, e.g. `DR`
 * @returns the component and number to write
 * @example
 * ```ts
 * faultLogNumber(10102, 'DR'); // { component: 'DR', number: 5 }
 * faultLogNumber(40515, 'DR'); // { component: 'DO', number: 2 }
 * ```
 */
export function faultLogNumber(
  code: string | number,
  component: string,
): { component: string; number: number } {
  const text = String(code);
  const own = /^\d{5}$/.test(text) ? BY_FAULT_CODE.get(Number(text)) : undefined;
  if (own !== undefined)
    return { component: own.code.slice(0, 2), number: Number(own.code.slice(3)) };
  if (!/^[1-4]\d{4}$/.test(text)) return { component, number: 0 };
  const type = Number(text.slice(3));
  const family = familyOfType(type);
  return { component, number: family === undefined ? type : FAMILIES[family].number };
}
