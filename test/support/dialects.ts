/**
 * Every built-in dialect as the reliability suites run it: its options, the encodings it
 * answers in (and the request headers that select each), a fault whose message the client is
 * shown, and whether its body carries the correlation id.
 */
import { ast, de4a, esb, problem, xks, xroad } from '@faultline/core';
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

export const JSON_ACCEPT: DialectEncoding = { name: 'JSON', headers: { accept: 'application/json' } };
export const DIALECT_SETUPS: readonly DialectSetup[] = [
  {
    dialect: 'xroad',
    encodings: [{ name: 'JSON', headers: {} }, { name: 'XML', headers: { accept: 'application/xml' } }, { name: 'SOAP', headers: { soapaction: '""' }, fixedStatus: 200 }],
    exposed: (m) => xroad.fault('Client.BadRequest', m),
    carriesId: true,
  },
  {
    dialect: 'esb',
    encodings: [JSON_ACCEPT, { name: 'XML', headers: { accept: 'application/xml' } }, { name: 'SOAP', headers: { soapaction: '""' } }],
    exposed: (m) => esb.fault(900902, { message: m }),
    carriesId: false,
  },
  {
    dialect: 'de4a',
    options: { de4a: { json: true } },
    encodings: [{ name: 'XML', headers: {} }, JSON_ACCEPT],
    exposed: (m) => de4a.fault(10102, [m, 'id']),
    carriesId: false,
  },
  { dialect: 'xks', encodings: [{ name: 'JSON', headers: {} }], exposed: (m) => xks.fault('ValidationException', m), carriesId: false },
  { dialect: 'ast', options: { ast: { correlationId: true } }, encodings: [{ name: 'JSON', headers: {} }], exposed: (m) => ast.fault('BadRequest', m), carriesId: true },
  { dialect: 'problem', encodings: [{ name: 'JSON', headers: {} }], exposed: (m) => problem.fault(400, m), carriesId: true },
];
