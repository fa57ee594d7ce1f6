/**
 * A small DE4A connector on Fastify 5. A Data Evaluator sends it an evidence request; the
 * connector validates it, checks the evidence type with the IDK, looks the Data Owner up in
 * the SMP, forwards the request to the Data Owner over HTTP and relays the answer. Every error
 * on that way is a DE4A fault: the IEM `ResponseErrorType` (XML, or JSON when Accept asks),
 * and one DE4A log line in the log file. Successful receptions are logged as INFO lines with
 * the seed's log messages.
 *
 * @module
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { de4a } from '@faultline/core';
import type { FaultEvent, FaultLogger, RequestInfo } from '@faultline/core';
import faultline, { frameworkErrors } from '@faultline/fastify';
import {
  ACK_XML,
  EVIDENCE_REQUEST_SCHEMA,
  missingArguments,
  prefersJson,
  readXml,
  writeXml,
} from './messages.js';
import type { EvidenceRequest } from './messages.js';

/** One SMP record: where a Data Owner receives requests, and for which evidence types. */
export interface SmpEntry {
  /** The Data Owner's base URL, `http:` or `https:`. */
  readonly endpoint: string;
  /** The canonical evidence types it serves. */
  readonly evidenceTypes: readonly string[];
}

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The SMP: Data Owner participant identifier → its endpoint and evidence types. */
  readonly smp: Readonly<Record<string, SmpEntry>>;
  /** The canonical evidence types the IDK knows. @default DEFAULT_EVIDENCE_TYPES */
  readonly idk?: readonly string[];
  /** The DE4A log file, appended to. @default './de4a-connector.log' */
  readonly logFile?: string;
  /** A DE4A metrics file, appended to; none by default. */
  readonly metricsFile?: string;
  /** The logging participant of every line, acronym-country. @default 'CONNECTOR-XX' */
  readonly participant?: string;
  /** How long to wait for a Data Owner, in milliseconds. @default 10000 */
  readonly dataOwnerTimeout?: number;
  /** The time written on log lines. @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * Where faultline logs faults as JSON; `false` turns that off (the DE4A log file is written
   * either way). Default: Fastify's own logger, writing to stderr.
   */
  readonly logger?: FaultLogger | false;
  /** Makes the correlation id of faultline's log events (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
}

/** The canonical evidence types the demo IDK knows. */
export const DEFAULT_EVIDENCE_TYPES: readonly string[] = Object.freeze([
  'urn:de4a-eu:CanonicalEvidenceType::HigherEducationDiploma:2.0',
  'urn:de4a-eu:CanonicalEvidenceType::BirthEvidence:2.0',
  'urn:de4a-eu:CanonicalEvidenceType::CompanyRegistration:2.0',
]);

const COMPONENT = 'DR';
const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';

/** A log message of the seed's Connector table (type Services, 01), with its metrics origin and destiny. */
interface LogMessage {
  /** The seed's log code, e.g. `0101`; the dialect knows its text. */
  readonly code: string;
  readonly origin: string;
  readonly destiny: string;
}

// The seed's Connector log messages 0101, 0102 and 0108.
const IM_REQUEST: LogMessage = { code: '0101', origin: 'DATA EVALUATOR', destiny: 'CONNECTOR DR' };
const USI_REQUEST: LogMessage = { code: '0102', origin: 'DATA EVALUATOR', destiny: 'CONNECTOR DR' };
const RESPONSE_EVIDENCE: LogMessage = {
  code: '0108',
  origin: 'DATA OWNER',
  destiny: 'CONNECTOR DR',
};

/** An evidence request pattern the connector serves. */
interface Pattern {
  readonly path: string;
  /** The message type, `{0}` of scheme validation faults and the XML root element. */
  readonly messageType: string;
  readonly received: LogMessage;
  /** The message forwarded to the Data Owner (the XML root element), and where, below its base URL. */
  readonly dataOwnerMessage: string;
  readonly dataOwnerPath: string;
}

const IM: Pattern = {
  path: '/requestTransferEvidenceIM',
  messageType: 'RequestTransferEvidenceIM',
  received: IM_REQUEST,
  dataOwnerMessage: 'RequestExtractEvidenceIM',
  dataOwnerPath: '/requestExtractEvidenceIM',
};
const USI: Pattern = {
  path: '/requestTransferEvidenceUSI',
  messageType: 'RequestTransferEvidenceUSI',
  received: USI_REQUEST,
  dataOwnerMessage: 'RequestExtractEvidenceUSI',
  dataOwnerPath: '/requestExtractEvidenceUSI',
};
const PATTERN_BY_PATH = new Map([IM, USI].map((p) => [p.path, p]));

// An append-only line file whose writes can be awaited: the onSend hook waits for them, so a
// request's lines are on disk before its answer leaves. Writes finish in order, so waiting
// for the last one is enough.
class LineFile {
  #last: Promise<void> = Promise.resolve();

  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string, onError: (error: Error) => void): Promise<LineFile> {
    const stream = createWriteStream(path, { flags: 'a' });
    await once(stream, 'open'); // a file that cannot be opened fails createApp
    stream.on('error', onError);
    return new LineFile(stream);
  }

  write(chunk: string): boolean {
    if (this.stream.destroyed || this.stream.writableEnded) return false;
    this.#last = new Promise((resolve) => this.stream.write(chunk, () => resolve()));
    return true;
  }

  flushed(): Promise<void> {
    return this.#last;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}

function checkOptions(options: AppOptions): void {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.smp !== 'object' ||
    options.smp === null
  ) {
    throw new TypeError(
      'createApp: options.smp must be an object of Data Owner participant id → { endpoint, evidenceTypes }',
    );
  }
  for (const [id, entry] of Object.entries(options.smp)) {
    const url = URL.canParse(entry?.endpoint) ? new URL(entry.endpoint) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError(`createApp: options.smp['${id}'].endpoint must be an http(s) URL`);
    }
    if (
      !Array.isArray(entry.evidenceTypes) ||
      !entry.evidenceTypes.every((t) => typeof t === 'string')
    ) {
      throw new TypeError(
        `createApp: options.smp['${id}'].evidenceTypes must be an array of strings`,
      );
    }
  }
  if (
    options.idk !== undefined &&
    (!Array.isArray(options.idk) || !options.idk.every((t) => typeof t === 'string'))
  ) {
    throw new TypeError('createApp: options.idk must be an array of canonical evidence types');
  }
  const timeout = options.dataOwnerTimeout;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw new TypeError(
      'createApp: options.dataOwnerTimeout must be a positive integer (milliseconds)',
    );
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new TypeError('createApp: options.clock must be a function returning a Date');
  }
}

// The message a failed call inherited: the network error under fetch's 'fetch failed'. Read
// by shape, not `instanceof`: fetch's errors may come from another realm.
// `{1}` of a connection error: what went wrong, in words a partner may see. The socket's own
// message names internal addresses (`connect ECONNREFUSED 10.0.0.7:8080`); it stays in the log,
// with the error as the fault's cause.
function connectionReason(error: unknown): string {
  const cause =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  for (const candidate of [error, cause]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const { name, code } = candidate as { name?: unknown; code?: unknown };
    if (
      name === 'TimeoutError' ||
      name === 'AbortError' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'ETIMEDOUT'
    )
      return 'no answer in time';
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'address not found';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  }
  return 'not reachable';
}

// `{0}` of the Data Owner faults: the seed's module name, and which Data Owner.
function dataOwner(request: EvidenceRequest): string {
  return `Data Owner ${request.DataOwner}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The request's evidence request, or the fault its validation earned: missing arguments are
// 10102 (all of them named), anything else the schema rejects is 10007.
function evidenceRequest(pattern: Pattern, request: FastifyRequest): EvidenceRequest {
  const error = request.validationError;
  if (error === undefined) return request.body as EvidenceRequest;
  const missing = missingArguments(EVIDENCE_REQUEST_SCHEMA, request.body);
  if (missing.length > 0) throw de4a.fault(10102, [pattern.path, missing.join(', ')]);
  const first = (
    error.validation as ReadonlyArray<{ keyword?: string; params?: Record<string, unknown> }>
  )[0];
  const extra =
    first?.keyword === 'additionalProperties' ? first.params?.additionalProperty : undefined;
  throw de4a.fault(10007, [
    pattern.messageType,
    typeof extra === 'string' ? `${error.message}: ${extra}` : error.message,
  ]);
}

/**
 * Builds the connector, not yet listening. The log file is open when the promise resolves.
 *
 * @param options - the SMP registry (with the Data Owners' base URLs), the IDK, the log files,
 *   the clock, the fault logger and the correlation id generator
 * @returns the Fastify instance, with faultline registered in the de4a dialect
 * @throws TypeError on an invalid option; the file system's error when a log file cannot be opened
 * @example
 * ```ts
 * const app = await createApp({
 *   smp: { 'iso6523-actorid-upis::9991:pt990000101': { endpoint: 'http://127.0.0.1:8084/university', evidenceTypes: [DIPLOMA] } },
 * });
 * await app.listen({ port: 8083, host: '127.0.0.1' });
 * ```
 */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  checkOptions(options);
  const smp = new Map(Object.entries(options.smp));
  const idk = new Set(options.idk ?? DEFAULT_EVIDENCE_TYPES);
  const participant = options.participant ?? 'CONNECTOR-XX';
  const timeout = options.dataOwnerTimeout ?? 10_000;
  const clock = options.clock ?? (() => new Date());

  const app = Fastify({
    logger: options.logger === undefined ? { stream: process.stderr } : false,
    frameworkErrors,
    // The schema is the IEM contract: no coercion, and unknown fields are errors, not dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  const reportFileError = (error: Error) => app.log.error({ err: error }, 'a DE4A log file failed');
  const log = await LineFile.open(options.logFile ?? './de4a-connector.log', reportFileError);
  const metricsFile = options.metricsFile;
  const metrics =
    metricsFile === undefined
      ? undefined
      : await LineFile.open(metricsFile, reportFileError).catch(async (error: unknown) => {
          await log.close();
          throw error;
        });
  app.addHook('onSend', async (_request, _reply, payload) => {
    await Promise.all([log.flushed(), metrics?.flushed()]);
    return payload;
  });
  app.addHook('onClose', async () => {
    await Promise.all([log.close(), metrics?.close()]);
  });

  const faultLines = [
    de4a.logTo(log, { participant, component: COMPONENT, clock }),
    ...(metrics === undefined
      ? []
      : [de4a.logTo(metrics, { participant, format: 'metrics', origin: 'CONNECTOR DR', clock })]),
  ];
  await app.register(faultline, {
    dialect: 'de4a',
    logger: options.logger,
    correlationId: options.correlationId,
    onFault: (event: FaultEvent) => faultLines.forEach((write) => write(event)),
  });

  // The same hooks write the seed's log messages, with the seed's log code on both lines.
  const logReceived = (message: LogMessage, request: EvidenceRequest) => {
    const params = [
      request.RequestId,
      request.CanonicalEvidenceTypeId,
      request.DataEvaluator,
      request.DataOwner,
    ];
    for (const hook of faultLines)
      hook.message(message.code, params, { origin: message.origin, destiny: message.destiny });
  };

  // The evidence route a body is for; off those routes a body is left unread (an unknown
  // route gets its 404, not a scheme fault).
  const patternOf = (request: FastifyRequest) =>
    PATTERN_BY_PATH.get(request.routeOptions.url ?? '');

  // Only the IEM's encodings: anything else is answered 415 by Fastify, 10007 by faultline.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const pattern = patternOf(request);
    if (pattern === undefined) return done(null, body);
    void parseJson(request, body as string, (error, value) =>
      error === null
        ? done(null, value)
        : done(de4a.fault(10007, [pattern.messageType, 'the body is not valid JSON'])),
    );
  });
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string' },
    (request, body, done) => {
      const pattern = patternOf(request);
      if (pattern === undefined) return done(null, body);
      const reading = readXml(body as string);
      if (!reading.ok) return done(de4a.fault(10007, [pattern.messageType, reading.reason]));
      if (reading.root !== pattern.messageType) {
        return done(
          de4a.fault(10007, [
            pattern.messageType,
            `the root element is ${reading.root}, not ${pattern.messageType}`,
          ]),
        );
      }
      // `<RequestTransferEvidenceIM/>` lacks every argument, like `{}`.
      done(null, reading.value === '' ? {} : reading.value);
    },
  );

  // Sends the evidence request to the Data Owner and reads its answer; the faults say which
  // step failed: the connection (10503), the Data Owner's answer (10504, or its Business
  // fault), or the conversion of a success that is not the expected message (20005).
  const forward = async (pattern: Pattern, endpoint: string, request: EvidenceRequest) => {
    const owner = dataOwner(request);
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${endpoint.replace(/\/+$/, '')}${pattern.dataOwnerPath}`, {
        method: 'POST',
        headers: { 'content-type': XML_TYPE, accept: 'application/xml' },
        body: writeXml(pattern.dataOwnerMessage, request),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw de4a.fault(10503, [owner, connectionReason(error)], { cause: error });
    }
    const reading = readXml(text);
    const answer = reading.ok && isRecord(reading.value) ? reading.value : undefined;
    if (reading.ok && reading.root === 'ResponseMessage' && answer?.Ack === 'false') {
      const error = Array.isArray(answer.Error) ? answer.Error[0] : answer.Error;
      const code = isRecord(error) ? String(error.Code) : '';
      // The Data Owner's Business faults are the evaluator's to see: pass them on.
      if (de4a.catalog.get(code)?.layer === 'Business') throw de4a.fault(code);
      const said = isRecord(error) ? `: ${code} ${String(error.Text)}` : '';
      throw de4a.fault(10504, [owner, `HTTP ${status} ${STATUS_CODES[status] ?? ''}${said}`]);
    }
    if (status < 200 || status > 299)
      throw de4a.fault(10504, [owner, `HTTP ${status} ${STATUS_CODES[status] ?? ''}`]);
    if (!reading.ok) throw de4a.fault(20005, [owner, reading.reason]);
    return { root: reading.root, answer };
  };

  // The steps both patterns share: validation, the IDK, the SMP and the Data Owner's answer.
  const askDataOwner = async (pattern: Pattern, request: FastifyRequest) => {
    const message = evidenceRequest(pattern, request);
    logReceived(pattern.received, message);
    const type = message.CanonicalEvidenceTypeId;
    if (!idk.has(type)) throw de4a.fault(10101, [`/idk/ial/${type}`]);
    const entry = smp.get(message.DataOwner);
    if (entry === undefined || !entry.evidenceTypes.includes(type)) {
      throw de4a.fault(10201, [`/${message.DataOwner}/services/${type}`]);
    }
    return { message, ...(await forward(pattern, entry.endpoint, message)) };
  };
  const route = { schema: { body: EVIDENCE_REQUEST_SCHEMA }, attachValidation: true };

  app.post(IM.path, route, async (request, reply) => {
    const { message, root, answer } = await askDataOwner(IM, request);
    const evidence = answer?.CanonicalEvidence;
    if (
      root !== 'ResponseExtractEvidence' ||
      answer?.RequestId !== message.RequestId ||
      !isRecord(evidence)
    ) {
      throw de4a.fault(20005, [
        dataOwner(message),
        `expected ResponseExtractEvidence with the CanonicalEvidence of request ${message.RequestId}, got ${root}`,
      ]);
    }
    logReceived(RESPONSE_EVIDENCE, message);
    const { RequestId, DataEvaluator, DataOwner, CanonicalEvidenceTypeId } = message;
    const transfer = {
      RequestId,
      DataEvaluator,
      DataOwner,
      CanonicalEvidenceTypeId,
      CanonicalEvidence: evidence,
    };
    return prefersJson(request.headers.accept)
      ? reply.type(JSON_TYPE).send(JSON.stringify(transfer))
      : reply.type(XML_TYPE).send(writeXml('ResponseTransferEvidence', transfer));
  });

  // USI: the Data Owner acknowledges; the evidence follows once the user has previewed it.
  app.post(USI.path, route, async (request, reply) => {
    const { message, root, answer } = await askDataOwner(USI, request);
    if (root !== 'ResponseMessage' || answer?.Ack !== 'true') {
      throw de4a.fault(20005, [dataOwner(message), `expected an Ack, got ${root}`]);
    }
    return prefersJson(request.headers.accept)
      ? reply.type(JSON_TYPE).send('{"ack":true}')
      : reply.type(XML_TYPE).send(ACK_XML);
  });
  return app;
}
