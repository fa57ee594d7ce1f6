/**
 * Every built-in dialect as the reliability suites run it: its options, the encodings it
 * answers in (and the request headers that select each), a fault whose message the client is
 * shown, and whether its body carries the correlation id.
 */
import { DIALECTS, ast, de4a, esb, problem, xks, xroad } from '@faultline/core';
import type { DialectName, Fault, FaultHandlerOptions } from '@faultline/core';

/** One encoding of a dialect and the request headers that select it. */
export interface DialectEncoding {
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The status every fault of the encoding is sent with, when the convention fixes one. */
  readonly fixedStatus?: number;
}

export interface DialectSetup {
  readonly dialect: DialectName;
  readonly options?: Partial<FaultHandlerOptions>;
  readonly encodings: readonly DialectEncoding[];
  /** A fault of the dialect whose message is shown, for the text rows. */
  readonly exposed: (message: string) => Fault;
  /** Whether the body carries the correlation id. */
  readonly carriesId: boolean;
}

export const JSON_ACCEPT: DialectEncoding = {
  name: 'JSON',
  headers: { accept: 'application/json' },
};

// The status every SOAP fault of X-Road is sent with (its default `soapStatus`).
const FIXED_STATUS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  xroad: { soap: 200 },
};

/**
 * The encodings a dialect lists (`dialect.encodings`) that its options turn on, one per
 * encoding id, each with the headers of the request that selects it.
 */
export function encodingsOf(
  dialect: DialectName,
  options: Partial<FaultHandlerOptions> = {},
): DialectEncoding[] {
  const own = (options as Record<string, Record<string, unknown> | undefined>)[dialect] ?? {};
  const seen = new Set<string>();
  const found: DialectEncoding[] = [];
  for (const { encoding, request, options: needed } of DIALECTS[dialect].encodings) {
    if (
      seen.has(encoding.id) ||
      !Object.entries(needed ?? {}).every(([key, value]) => own[key] === value)
    )
      continue;
    seen.add(encoding.id);
    const fixedStatus = FIXED_STATUS[dialect]?.[encoding.id];
    found.push({
      name: encoding.id.toUpperCase(),
      headers: { ...(request.headers as Record<string, string>) },
      ...(fixedStatus === undefined ? {} : { fixedStatus }),
    });
  }
  return found;
}

const setup = (
  dialect: DialectName,
  rest: Omit<DialectSetup, 'dialect' | 'encodings'>,
  extra: readonly DialectEncoding[] = [],
): DialectSetup => ({
  dialect,
  ...rest,
  encodings: [...encodingsOf(dialect, rest.options), ...extra],
});

export const DIALECT_SETUPS: readonly DialectSetup[] = [
  setup('xroad', { exposed: (m) => xroad.fault('Client.BadRequest', m), carriesId: true }),
  // API Manager 4.x answers an XML Accept in JSON: that request is kept as a row of its own.
  setup('esb', { exposed: (m) => esb.fault(900902, { message: m }), carriesId: false }, [
    { name: 'XML', headers: { accept: 'application/xml' } },
  ]),
  setup('de4a', {
    options: { de4a: { json: true } },
    exposed: (m) => de4a.fault(10102, [m, 'id']),
    carriesId: false,
  }),
  setup('xks', { exposed: (m) => xks.fault('ValidationException', m), carriesId: false }),
  setup('ast', {
    options: { ast: { correlationId: true } },
    exposed: (m) => ast.fault('BadRequest', m),
    carriesId: true,
  }),
  setup('problem', { exposed: (m) => problem.fault(400, m), carriesId: true }),
];
