// The performance targets, as ratios measured in the same run, and why a target may be missed.
// `pair` targets are judged on the in-process driver: how many requests the first variant answers
// per CPU second relative to the second (the second's CPU µs per request over the first's).
// `micro` targets compare median ns/op of two micro-benchmark tasks.

/** The rows of the micro-benchmark each held to X-Road JSON's cost. */
const DIALECT_ROWS = [
  'xroad SOAP',
  'xroad XML',
  'xks JSON',
  'esb JSON',
  'esb XML',
  'esb SOAP',
  'de4a XML',
  'de4a JSON',
  'ast JSON',
  'problem JSON',
];

/** @type {readonly { name: string, kind: 'atLeast' | 'atMost', threshold: number, pair?: [string, string], micro?: [string, string] }[]} */
export const TARGETS = [
  {
    name: "Fastify: faultline xroad JSON, route throwing xroad.fault(), vs Fastify's default handler, route throwing an Error",
    kind: 'atLeast',
    threshold: 1.1,
    pair: ['fastify-faultline-xroad-json-factory', 'fastify-default'],
  },
  {
    name: 'Fastify: faultline xroad JSON vs hand-written JSON handler',
    kind: 'atLeast',
    threshold: 0.95,
    pair: ['fastify-faultline-xroad-json', 'fastify-hand-json'],
  },
  {
    name: 'Fastify: faultline xroad SOAP vs hand-written SOAP template',
    kind: 'atLeast',
    threshold: 0.95,
    pair: ['fastify-faultline-xroad-soap', 'fastify-hand-soap'],
  },
  {
    name: 'Express: faultline xroad JSON vs hand-written JSON middleware',
    kind: 'atLeast',
    threshold: 0.95,
    pair: ['express-faultline-xroad-json', 'express-hand-json'],
  },
  {
    name: 'Express: faultline xroad SOAP vs hand-written SOAP middleware',
    kind: 'atLeast',
    threshold: 0.95,
    pair: ['express-faultline-xroad-soap', 'express-hand-soap'],
  },
  {
    name: 'Express: faultline xroad JSON vs strong-error-handler JSON',
    kind: 'atLeast',
    threshold: 1.1,
    pair: ['express-faultline-xroad-json', 'express-strong-json'],
  },
  {
    name: 'Express: faultline xroad XML vs strong-error-handler XML',
    kind: 'atLeast',
    threshold: 1.1,
    pair: ['express-faultline-xroad-xml', 'express-strong-xml'],
  },
  {
    name: 'Logging: pino to a file (async) vs pino to a discarded stream',
    kind: 'atLeast',
    threshold: 0.9,
    pair: ['fastify-faultline-log-file', 'fastify-faultline-log-discard'],
  },
  {
    name: 'handle() xroad JSON vs JSON.stringify + randomUUID() (ns/op, lower is better)',
    kind: 'atMost',
    threshold: 3,
    micro: ['handle(), xroad JSON', 'JSON.stringify(X-Road body) + randomUUID()'],
  },
  ...DIALECT_ROWS.map((row) => ({
    name: `handle() ${row} vs handle() xroad JSON (ns/op)`,
    kind: /** @type {const} */ ('atMost'),
    threshold: 1.2,
    micro: /** @type {[string, string]} */ ([
      `handle(), ${row}`,
      `handle(), xroad JSON, beside ${row}`,
    ]),
  })),
  {
    name: 'Resolution: 10 000 class rules vs 10 rules (ns/op)',
    kind: 'atMost',
    threshold: 1.1,
    micro: ['resolution, 10000 rules, class match', 'resolution, 10 rules, class match'],
  },
  {
    name: 'Resolution: 10 000 code rules vs 10 rules (ns/op)',
    kind: 'atMost',
    threshold: 1.1,
    micro: ['resolution, 10000 rules, code match', 'resolution, 10 rules, code match'],
  },
];

/**
 * Why a target is missed on the reference machine (see the README's Performance section), by
 * target name. Each is a function of this run's in-process figures — `ratio(a, b)`, how many
 * requests `a` answers per CPU second relative to `b`, and `cpu(id)`, a variant's median CPU µs
 * per request — so that the reason carries them. A miss without an entry is printed as
 * unexplained.
 * @type {Readonly<Record<string, (figures: { ratio: (a: string, b: string) => number, cpu: (id: string) => number }) => string>>}
 */
export const KNOWN_MISSES = {
  "Fastify: faultline xroad JSON, route throwing xroad.fault(), vs Fastify's default handler, route throwing an Error":
    ({ ratio, cpu }) =>
      `In-process, Fastify's default handler used ${fmt(cpu('fastify-default'), 1)} µs of CPU per request, ` +
      `its route's new Error() and the frames it captures included; faultline ${fmt(cpu('fastify-faultline-xroad-json-factory'), 1)} µs ` +
      'with a route throwing xroad.fault(), which captures none. The default handler answers with a 70-byte ' +
      'body from a precompiled serializer, two headers and no correlation id; the X-Road answer is 106 bytes ' +
      'with a fresh UUID and six headers. The hand-written X-Road handler, which sends the same bytes as ' +
      `faultline, measures ${fmt(ratio('fastify-hand-json', 'fastify-default'))}× Fastify's default with the same ` +
      `plain Error, and faultline with the factory fault ${fmt(ratio('fastify-faultline-xroad-json-factory', 'fastify-faultline-xroad-json'))}× ` +
      'faultline with the plain Error: the frames saved are worth less than the difference between the two answers.',
  'Express: faultline xroad JSON vs strong-error-handler JSON': express(
    'express-faultline-xroad-json',
    'express-strong-json',
  ),
  'Express: faultline xroad XML vs strong-error-handler XML': express(
    'express-faultline-xroad-xml',
    'express-strong-xml',
  ),
  'Fastify: faultline xroad JSON vs hand-written JSON handler': pipeline(
    'fastify-faultline-xroad-json',
    'fastify-hand-json',
  ),
  'Fastify: faultline xroad SOAP vs hand-written SOAP template': pipeline(
    'fastify-faultline-xroad-soap',
    'fastify-hand-soap',
  ),
  'Express: faultline xroad JSON vs hand-written JSON middleware': pipeline(
    'express-faultline-xroad-json',
    'express-hand-json',
  ),
  'Express: faultline xroad SOAP vs hand-written SOAP middleware': pipeline(
    'express-faultline-xroad-soap',
    'express-hand-soap',
  ),
};

// Express's own work dwarfs both error handlers.
function express(faultline, strong) {
  return ({ cpu }) =>
    `In-process, faultline's server used ${fmt(cpu(faultline), 1)} µs of CPU per request against ` +
    `strong-error-handler's ${fmt(cpu(strong), 1)} µs (medians). Most of either is Express and the ` +
    `driver (Express's floor, which throws nothing, used ${fmt(cpu('express-floor'), 1)} µs), so 10 % is ` +
    `${fmt(cpu(strong) * 0.1, 1)} µs per request, more than the whole error handler costs.`;
}

// The part of a fault's cost that a hand-written handler does not pay.
function pipeline(faultline, hand) {
  return ({ cpu }) => {
    const extra = cpu(faultline) - cpu(hand);
    if (extra <= 0) {
      return (
        `faultline's server used ${fmt(-extra, 1)} µs less CPU per request than the hand-written one ` +
        `(${fmt(cpu(faultline), 1)} vs ${fmt(cpu(hand), 1)} µs, medians), so the ratio missed on the noise ` +
        'of a shared machine, not on cost (see the per-round range).'
      );
    }
    return (
      `faultline's server used ${fmt(extra, 1)} µs more CPU per request than the hand-written one ` +
      `(${fmt(cpu(faultline), 1)} vs ${fmt(cpu(hand), 1)} µs, medians). faultline reads the request headers to ` +
      'negotiate (Node builds the header object on first read; the hand-written handler never reads it), reads ' +
      'the thrown value through guarded reads, builds the immutable resolved fault and checks every header it ' +
      'sends; `pnpm bench:profile` shows where the time goes.'
    );
  };
}

function fmt(value, decimals = 2) {
  return Number.isFinite(value) ? value.toFixed(decimals) : '–';
}
