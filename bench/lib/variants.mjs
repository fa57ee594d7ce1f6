// The servers `pnpm bench` measures: what each one is, the request it is driven with and the
// variant it is compared with. Plain data, so the orchestrator loads no framework; the
// servers themselves are built in ./apps.mjs.

/** The route every variant serves; its handler throws (or, for the floors, answers) a 404. */
export const PATH = '/r1/EE/GOV/70000310/population/persons/42';

const SOAP = { soapaction: '""' };
// text/xml: the XML type strong-error-handler negotiates, and one every XML dialect answers.
const XML = { accept: 'text/xml' };

/**
 * @typedef {object} Variant
 * @property {string} id - short name, also the server's argument
 * @property {'fastify' | 'express'} framework
 * @property {string} label - what the table shows
 * @property {Record<string, string>} [headers] - request headers autocannon sends
 * @property {string} [ref] - the variant this one's ratio is taken against (default: the framework's floor)
 * @property {string} [sameBytesAs] - a variant that must answer with exactly the same status, headers and body
 * @property {'xroad' | 'xks' | 'esb' | 'de4a' | 'problem'} [factory] - the route throws this
 *   dialect's catalogue factory fault (`xroad.fault('Client.NotFound', …)`, …) instead of a plain `Error`
 */

/**
 * In the order they are measured (reversed every other round): variants that are compared
 * with each other are neighbours, so that their runs are moments apart.
 * @type {readonly Variant[]}
 */
export const VARIANTS = [
  {
    id: 'fastify-floor',
    framework: 'fastify',
    label: 'reply.code(404).send(obj), no throw (floor)',
  },
  { id: 'fastify-default', framework: 'fastify', label: "throw → Fastify's default error handler" },
  {
    id: 'fastify-faultline-xroad-json-factory',
    framework: 'fastify',
    label: 'throw xroad.fault(…) → faultline xroad JSON',
    factory: 'xroad',
    ref: 'fastify-faultline-xroad-json',
    sameBytesAs: 'fastify-faultline-xroad-json',
  },
  {
    id: 'fastify-faultline-xroad-json',
    framework: 'fastify',
    label: 'throw → faultline xroad JSON',
    ref: 'fastify-hand-json',
    sameBytesAs: 'fastify-hand-json',
  },
  {
    id: 'fastify-hand-json',
    framework: 'fastify',
    label: 'throw → hand-written setErrorHandler, X-Road JSON',
  },
  {
    id: 'fastify-hand-soap',
    framework: 'fastify',
    label: 'throw → hand-written setErrorHandler, X-Road SOAP template',
    headers: SOAP,
  },
  {
    id: 'fastify-faultline-xroad-soap',
    framework: 'fastify',
    label: 'throw → faultline xroad SOAP',
    headers: SOAP,
    ref: 'fastify-hand-soap',
    sameBytesAs: 'fastify-hand-soap',
  },
  {
    id: 'fastify-faultline-xroad-soap-factory',
    framework: 'fastify',
    label: 'throw xroad.fault(…) → faultline xroad SOAP',
    headers: SOAP,
    factory: 'xroad',
    ref: 'fastify-faultline-xroad-soap',
    sameBytesAs: 'fastify-faultline-xroad-soap',
  },
  {
    id: 'fastify-faultline-xks',
    framework: 'fastify',
    label: 'throw → faultline xks',
    ref: 'fastify-default',
  },
  {
    id: 'fastify-faultline-xks-factory',
    framework: 'fastify',
    label: 'throw xks.fault(…) → faultline xks',
    factory: 'xks',
    ref: 'fastify-faultline-xks',
    sameBytesAs: 'fastify-faultline-xks',
  },
  {
    id: 'fastify-faultline-esb-xml',
    framework: 'fastify',
    label: 'throw → faultline esb XML',
    headers: XML,
    ref: 'fastify-default',
  },
  {
    id: 'fastify-faultline-esb-xml-factory',
    framework: 'fastify',
    label: 'throw esb.fault(404) → faultline esb XML',
    headers: XML,
    factory: 'esb',
    ref: 'fastify-faultline-esb-xml',
    sameBytesAs: 'fastify-faultline-esb-xml',
  },
  {
    id: 'fastify-faultline-de4a-xml',
    framework: 'fastify',
    label: 'throw → faultline de4a XML',
    ref: 'fastify-default',
  },
  {
    id: 'fastify-faultline-de4a-xml-factory',
    framework: 'fastify',
    label: 'throw de4a.fault(10001, …) → faultline de4a XML',
    factory: 'de4a',
    ref: 'fastify-faultline-de4a-xml',
    sameBytesAs: 'fastify-faultline-de4a-xml',
  },
  {
    id: 'fastify-faultline-problem',
    framework: 'fastify',
    label: 'throw → faultline problem+json',
    ref: 'fastify-default',
  },
  {
    id: 'fastify-faultline-problem-factory',
    framework: 'fastify',
    label: 'throw problem.fault(404, …) → faultline problem+json',
    factory: 'problem',
    ref: 'fastify-faultline-problem',
    sameBytesAs: 'fastify-faultline-problem',
  },
  {
    id: 'fastify-faultline-log-discard',
    framework: 'fastify',
    label: 'faultline xroad JSON, pino to a discarded stream',
    ref: 'fastify-faultline-xroad-json',
  },
  {
    id: 'fastify-faultline-log-file',
    framework: 'fastify',
    label: 'faultline xroad JSON, pino to a file (async)',
    ref: 'fastify-faultline-log-discard',
  },
  {
    id: 'fastify-otel-off',
    framework: 'fastify',
    label: 'faultline xroad JSON under the OpenTelemetry SDK, telemetry off',
    ref: 'fastify-faultline-xroad-json',
  },
  {
    id: 'fastify-otel-on',
    framework: 'fastify',
    label: 'faultline xroad JSON under the OpenTelemetry SDK, telemetry: openTelemetry()',
    ref: 'fastify-otel-off',
  },
  {
    id: 'express-floor',
    framework: 'express',
    label: 'res.status(404).json(obj), no throw (floor)',
  },
  { id: 'express-default', framework: 'express', label: "throw → Express's default final handler" },
  { id: 'express-strong-json', framework: 'express', label: 'throw → strong-error-handler JSON' },
  {
    id: 'express-faultline-xroad-json',
    framework: 'express',
    label: 'throw → faultline xroad JSON',
    ref: 'express-hand-json',
    sameBytesAs: 'express-hand-json',
  },
  {
    id: 'express-faultline-xroad-json-factory',
    framework: 'express',
    label: 'throw xroad.fault(…) → faultline xroad JSON',
    factory: 'xroad',
    ref: 'express-faultline-xroad-json',
    sameBytesAs: 'express-faultline-xroad-json',
  },
  {
    id: 'express-hand-json',
    framework: 'express',
    label: 'throw → hand-written middleware, X-Road JSON',
  },
  {
    id: 'express-hand-soap',
    framework: 'express',
    label: 'throw → hand-written middleware, X-Road SOAP template',
    headers: SOAP,
  },
  {
    id: 'express-faultline-xroad-soap',
    framework: 'express',
    label: 'throw → faultline xroad SOAP',
    headers: SOAP,
    ref: 'express-hand-soap',
    sameBytesAs: 'express-hand-soap',
  },
  {
    id: 'express-faultline-xroad-soap-factory',
    framework: 'express',
    label: 'throw xroad.fault(…) → faultline xroad SOAP',
    headers: SOAP,
    factory: 'xroad',
    ref: 'express-faultline-xroad-soap',
    sameBytesAs: 'express-faultline-xroad-soap',
  },
  {
    id: 'express-faultline-xroad-xml',
    framework: 'express',
    label: 'throw → faultline xroad XML',
    headers: XML,
    ref: 'express-strong-xml',
  },
  {
    id: 'express-strong-xml',
    framework: 'express',
    label: 'throw → strong-error-handler XML',
    headers: XML,
  },
  {
    id: 'express-faultline-xks',
    framework: 'express',
    label: 'throw → faultline xks',
    ref: 'express-strong-json',
  },
  {
    id: 'express-faultline-esb-xml',
    framework: 'express',
    label: 'throw → faultline esb XML',
    headers: XML,
    ref: 'express-strong-xml',
  },
  {
    id: 'express-faultline-de4a-xml',
    framework: 'express',
    label: 'throw → faultline de4a XML',
    ref: 'express-strong-xml',
  },
  {
    id: 'express-faultline-problem',
    framework: 'express',
    label: 'throw → faultline problem+json',
    ref: 'express-strong-json',
  },
  {
    id: 'express-otel-off',
    framework: 'express',
    label: 'faultline xroad JSON under the OpenTelemetry SDK, telemetry off',
    ref: 'express-faultline-xroad-json',
  },
  {
    id: 'express-otel-on',
    framework: 'express',
    label: 'faultline xroad JSON under the OpenTelemetry SDK, telemetry: openTelemetry()',
    ref: 'express-otel-off',
  },
];

/** The variant of an id; throws for an unknown one. */
export function variant(id) {
  const found = VARIANTS.find((v) => v.id === id);
  if (found === undefined)
    throw new Error(`unknown variant '${id}' (one of: ${VARIANTS.map((v) => v.id).join(', ')})`);
  return found;
}

/** The id of the floor of a variant's framework. */
export function floorOf(v) {
  return `${v.framework}-floor`;
}
