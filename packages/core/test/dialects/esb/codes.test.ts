/**
 * ESB transport codes: the arithmetic `code = base + protocolState` for the pairs Synapse's
 * PassThrough transport sends (wso2/wso2-synapse f30492dc: TargetHandler, DeliveryAgent,
 * TimeoutHandler), decoding (the 101507 collision, 102511), transport faults with Synapse's
 * ERROR_MESSAGE texts, and Node/undici network errors (real `fetch` failures against
 * 127.0.0.1 and the codes undici and Node use).
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createFaultHandler } from '../../../src/index';
import type { FaultHandlerOptions } from '../../../src/index';
import { esb } from '../../../src/dialects/esb/index';
import type { ProtocolState, TransportBase } from '../../../src/dialects/esb/index';
import {
  PROTOCOL_STATES,
  TRANSPORT_CODES,
  TRANSPORT_EXAMPLE,
} from '../../../../../test/fixtures/esb-seed';
import { proxyThrowingOn } from '../../support/hostile';

const CONNECT_PHASE: readonly TransportBase[] = [
  'CONNECTION_FAILED',
  'CONNECT_CANCEL',
  'CONNECT_TIMEOUT',
];
// The NHTTP transport's codes: PassThrough never sends them; they carry no state.
const NHTTP: readonly TransportBase[] = [
  'RCV_IO_ERROR_SENDING',
  'RCV_IO_ERROR_RECEIVING',
  'SND_IO_ERROR_RECEIVING',
  'SEND_ABORT',
  'RESPONSE_PROCESSING_FAILURE',
];
const BASE_NAMES = Object.keys(esb.BASES) as TransportBase[];
const STATE_NAMES = Object.keys(esb.STATES) as ProtocolState[];
const PAIRS = BASE_NAMES.flatMap((base) => STATE_NAMES.map((state) => [base, state] as const));
const ALL_BUT_DONE: readonly ProtocolState[] = [
  'REQUEST_READY',
  'REQUEST_HEAD',
  'REQUEST_BODY',
  'REQUEST_DONE',
  'RESPONSE_HEAD',
  'RESPONSE_BODY',
  'CLOSING',
  'CLOSED',
];
// The states PassThrough adds to each base, read from the Synapse source and written out here.
const SENT: Readonly<Partial<Record<TransportBase, readonly ProtocolState[]>>> = {
  SND_IO_ERROR_SENDING: ALL_BUT_DONE, // TargetHandler.exception: every state but RESPONSE_DONE
  CONNECTION_FAILED: ['REQUEST_READY'], // DeliveryAgent.errorConnecting
  CONNECTION_TIMEOUT: ['REQUEST_READY', 'REQUEST_HEAD', 'REQUEST_BODY', 'REQUEST_DONE'], // TimeoutHandler, TargetHandler.timeout
  CONNECTION_CLOSED: [
    'REQUEST_HEAD',
    'REQUEST_BODY',
    'REQUEST_DONE',
    'RESPONSE_HEAD',
    'RESPONSE_BODY',
  ], // TargetHandler.closed
  PROTOCOL_VIOLATION: ALL_BUT_DONE, // TargetHandler.exception
  CONNECT_CANCEL: ['REQUEST_READY'],
  CONNECT_TIMEOUT: ['REQUEST_READY'],
  SND_HTTP_ERROR: [...ALL_BUT_DONE.slice(0, 6), 'RESPONSE_DONE', 'CLOSING', 'CLOSED'], // handleInvalidState: any state
};
const isSent = (base: TransportBase, state: ProtocolState) => (SENT[base] ?? []).includes(state);

function handler() {
  const options: FaultHandlerOptions = { dialect: esb, logger: false, correlationId: () => 'id-1' };
  return createFaultHandler(options);
}

function coded(code: string, extra: object = {}): Error {
  return Object.assign(new Error(`${code} happened at 10.1.2.3:8080`), { code, ...extra });
}

describe('esb.BASES and esb.STATES', () => {
  it("should hold the seed's transport table, in order, then PassThrough's SND_HTTP_ERROR", () => {
    expect(Object.values(esb.BASES)).toEqual([...TRANSPORT_CODES.map(([code]) => code), 102510]);
    expect(esb.BASES.SND_HTTP_ERROR).toBe(102510);
  });

  it("should hold the seed's protocol states with their ordinals", () => {
    expect(Object.entries(esb.STATES).map(([name, ordinal]) => `${name}(${ordinal})`)).toEqual(
      PROTOCOL_STATES.map(([state]) => state.replace(' ', '')),
    );
  });

  it('should be frozen', () => {
    expect(Object.isFrozen(esb.BASES) && Object.isFrozen(esb.STATES)).toBe(true);
  });
});

describe('esb.transportCode', () => {
  describe.each(PAIRS)('when the base is %s and the state %s', (base, state) => {
    if (isSent(base, state) || (NHTTP.includes(base) && state === 'REQUEST_READY')) {
      it('should be the base plus the state ordinal, by name and by number', () => {
        const expected = esb.BASES[base] + esb.STATES[state];
        expect(esb.transportCode(base, state)).toBe(expected);
        expect(esb.transportCode(esb.BASES[base], esb.STATES[state])).toBe(expected);
      });
    } else if (CONNECT_PHASE.includes(base)) {
      it('should throw a TypeError: connect-phase codes only exist with REQUEST_READY', () => {
        expect(() => esb.transportCode(base, state)).toThrow(
          /connect-phase code; its state is always REQUEST_READY/,
        );
        expect(() => esb.transportCode(esb.BASES[base], esb.STATES[state])).toThrow(TypeError);
      });
    } else if (NHTTP.includes(base)) {
      it("should throw a TypeError: the NHTTP transport's codes carry no state", () => {
        expect(() => esb.transportCode(base, state)).toThrow(
          `faultline: ${base} is the NHTTP transport's code and carries no state; its state is always REQUEST_READY, not ${state}`,
        );
      });
    } else {
      it('should throw a TypeError: PassThrough never sends this pair', () => {
        expect(() => esb.transportCode(base, state)).toThrow(
          `faultline: PassThrough sends ${base} only in ${(SENT[base] ?? []).join(', ')}, not in ${state}`,
        );
      });
    }
  });

  it("should reproduce the seed's worked example", () => {
    expect(esb.transportCode('CONNECTION_TIMEOUT', 'REQUEST_DONE')).toBe(TRANSPORT_EXAMPLE.code);
  });

  it('should default the state to REQUEST_READY', () => {
    expect(esb.transportCode('CONNECT_TIMEOUT')).toBe(101508);
  });

  it.each([
    ['an unknown base name', 'CONNECTION_LOST', 'REQUEST_DONE', /is not a transport base code/],
    ['an unknown base number', 101502, 'REQUEST_DONE', /is not a transport base code/],
    ['an unknown state', 'CONNECTION_TIMEOUT', 'WSDL_RESPONSE_DONE', /is not a protocol state/],
    ['an ordinal out of range', 'CONNECTION_TIMEOUT', 9, /is not a protocol state/],
    ['a fractional ordinal', 'CONNECTION_TIMEOUT', 1.5, /is not a protocol state/],
    ['a lower-case name', 'connection_timeout', 3, /is not a transport base code/],
  ])('should reject %s', (_label, base, state, message) => {
    expect(() => esb.transportCode(base as never, state as never)).toThrow(message);
  });
});

describe('esb.decodeTransportCode', () => {
  describe.each(PAIRS)('when the code is %s + %s', (base, state) => {
    const code = esb.BASES[base] + esb.STATES[state];
    const pair = { base, baseCode: esb.BASES[base], state, stateOrdinal: esb.STATES[state] };
    if (isSent(base, state)) {
      it('should list that pair among the candidates', () => {
        expect(esb.decodeTransportCode(code)).toContainEqual(pair);
      });
    } else {
      it('should not list that pair: PassThrough never sends it', () => {
        expect(esb.decodeTransportCode(code)).not.toContainEqual(pair);
      });
    }
  });

  describe('when the code is 101507', () => {
    it("should list every pair PassThrough sends that sums to it, the documentation's example and CONNECT_CANCEL among them", () => {
      expect(esb.decodeTransportCode(101507).map((c) => `${c.base}+${c.state}`)).toEqual([
        'SND_IO_ERROR_SENDING+CLOSING',
        'CONNECTION_TIMEOUT+REQUEST_DONE',
        'CONNECTION_CLOSED+REQUEST_BODY',
        'PROTOCOL_VIOLATION+REQUEST_HEAD',
        'CONNECT_CANCEL+REQUEST_READY',
      ]);
    });

    it('should read the same from the string a JSON body carries', () => {
      expect(esb.decodeTransportCode('101507')).toEqual(esb.decodeTransportCode(101507));
    });
  });

  describe("when the code is the documentation's 102511 (Incomplete payload)", () => {
    it('should decode as SND_HTTP_ERROR + REQUEST_HEAD', () => {
      expect(esb.decodeTransportCode(102511)).toEqual([
        { base: 'SND_HTTP_ERROR', baseCode: 102510, state: 'REQUEST_HEAD', stateOrdinal: 1 },
      ]);
    });
  });

  describe.each([
    [101501, ['SND_IO_ERROR_SENDING+REQUEST_HEAD']],
    [101509, ['CONNECTION_CLOSED+RESPONSE_HEAD', 'PROTOCOL_VIOLATION+REQUEST_DONE']],
    [101510, ['CONNECTION_CLOSED+RESPONSE_BODY', 'PROTOCOL_VIOLATION+RESPONSE_HEAD']],
    [101505, ['SND_IO_ERROR_SENDING+RESPONSE_BODY', 'CONNECTION_TIMEOUT+REQUEST_HEAD']],
    [101000, []],
    [101001, []],
  ] as Array<[number, string[]]>)("when the code is the NHTTP transport's %p", (code, pairs) => {
    it('should list only the PassThrough pairs that sum to it', () => {
      expect(esb.decodeTransportCode(code).map((c) => `${c.base}+${c.state}`)).toEqual(pairs);
    });
  });

  describe('when walking every code from 100990 to 102530', () => {
    it('should only list pairs that sum to the code and that PassThrough sends', () => {
      for (let code = 100990; code <= 102530; code++) {
        for (const c of esb.decodeTransportCode(code)) {
          expect(c.baseCode + c.stateOrdinal).toBe(code);
          expect(isSent(c.base, c.state)).toBe(true);
        }
      }
    });
  });

  it.each([1, 0, 101520, 102519, 900901])('should find nothing for %p', (code) => {
    expect(esb.decodeTransportCode(code)).toEqual([]);
  });

  it.each([1.5, NaN, 'abc', '', '101507 ', null])('should reject %p with a TypeError', (code) => {
    expect(() => esb.decodeTransportCode(code as never)).toThrow(/is not a transport code/);
  });

  it('should freeze its answer', () => {
    const candidates = esb.decodeTransportCode(101504);
    expect(Object.isFrozen(candidates) && candidates.every((c) => Object.isFrozen(c))).toBe(true);
  });
});

describe('esb.transportFault', () => {
  it("should build the fault of the summed code with TargetHandler's message, answered with 500 by the fault sequence", () => {
    const f = esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE');
    expect(f).toMatchObject({
      dialect: 'esb',
      code: 101507,
      status: 500,
      name: 'CONNECTION_TIMEOUT+REQUEST_DONE',
      expose: true,
    });
    expect(f.message).toBe('Error in Sender');
    expect(f.params).toEqual({ sequence: 'fault', baseCode: 101504, stateOrdinal: 3 });
    const response = handler().handle(f);
    expect([response.status, response.body]).toEqual([
      500,
      '{"code":"101507","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
    ]);
  });

  describe.each([
    ['CONNECTION_FAILED', 'REQUEST_READY', 101503, 'Error connecting to the back end'],
    ['CONNECT_CANCEL', 'REQUEST_READY', 101507, 'Error connecting to the back end'],
    ['CONNECT_TIMEOUT', 'REQUEST_READY', 101508, 'Error connecting to the back end'],
    ['CONNECTION_TIMEOUT', 'REQUEST_READY', 101504, 'Send timeout'],
    ['CONNECTION_TIMEOUT', 'REQUEST_BODY', 101506, 'Error in Sender'],
    ['CONNECTION_CLOSED', 'RESPONSE_HEAD', 101509, 'Error in Sender'],
    ['SND_IO_ERROR_SENDING', 'CLOSED', 101508, 'Error in Sender'],
    ['PROTOCOL_VIOLATION', 'RESPONSE_BODY', 101511, 'Error in Sender'],
    ['SND_HTTP_ERROR', 'RESPONSE_DONE', 102516, 'Error in Sender'],
    ['SEND_ABORT', 'REQUEST_READY', 101509, 'Send abort'],
  ] as Array<[TransportBase, ProtocolState, number, string]>)(
    'when the base is %s in %s',
    (base, state, code, message) => {
      it(`should be ${code} with the message "${message}"`, () => {
        const f = esb.transportFault(base, state);
        expect([f.code, f.status, f.message]).toEqual([code, 500, message]);
        expect(handler().handle(f).body).toBe(
          `{"code":"${code}","type":"Status report","message":"Runtime Error","description":"${message}"}`,
        );
      });
    },
  );

  describe("when the pair is the documentation's 102511", () => {
    it("should keep the documentation's status 400", () => {
      const response = handler().handle(esb.transportFault('SND_HTTP_ERROR', 'REQUEST_HEAD'));
      expect([response.status, response.body]).toEqual([
        400,
        '{"code":"102511","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
      ]);
    });
  });

  it('should default the state to REQUEST_READY', () => {
    expect(esb.transportFault('CONNECTION_FAILED').code).toBe(101503);
  });

  it('should take a message, a status, headers and a cause', () => {
    const cause = new Error('x');
    const f = esb.transportFault(101505, 4, 'Backend closed the connection', {
      status: 502,
      headers: { 'x-a': '1' },
      cause,
    });
    expect(f).toMatchObject({
      code: 101509,
      status: 502,
      message: 'Backend closed the connection',
      headers: { 'x-a': '1' },
    });
    expect(f.cause).toBe(cause);
  });

  it.each([
    [['CONNECT_CANCEL', 'REQUEST_DONE'], /connect-phase/],
    [
      ['CONNECTION_CLOSED', 'REQUEST_READY'],
      /PassThrough sends CONNECTION_CLOSED only in REQUEST_HEAD/,
    ],
    [['NOPE', 0], /not a transport base code/],
    [['CONNECTION_CLOSED', 1, 42], /message must be a string/],
    [['CONNECTION_CLOSED', 1, undefined, { status: 200 }], /option status must be/],
  ] as Array<[unknown[], RegExp]>)('should reject %p', (args, message) => {
    expect(() => (esb.transportFault as (...a: unknown[]) => unknown)(...args)).toThrow(message);
  });
});

describe('esb.fromNetworkError', () => {
  describe.each([
    ['ECONNREFUSED', coded('ECONNREFUSED', { syscall: 'connect' }), 101503],
    ['ENOTFOUND', coded('ENOTFOUND', { syscall: 'getaddrinfo' }), 101503],
    ['EAI_AGAIN', coded('EAI_AGAIN'), 101503],
    ['EHOSTUNREACH', coded('EHOSTUNREACH'), 101503],
    ['ENETUNREACH', coded('ENETUNREACH'), 101503],
    ['UND_ERR_CONNECT_TIMEOUT', coded('UND_ERR_CONNECT_TIMEOUT'), 101508],
    ['ETIMEDOUT in connect()', coded('ETIMEDOUT', { syscall: 'connect' }), 101508],
    ['ETIMEDOUT after sending', coded('ETIMEDOUT', { syscall: 'read' }), 101507],
    ['UND_ERR_HEADERS_TIMEOUT', coded('UND_ERR_HEADERS_TIMEOUT'), 101507],
    ['UND_ERR_BODY_TIMEOUT', coded('UND_ERR_BODY_TIMEOUT'), 101505],
    ['ECONNRESET', coded('ECONNRESET', { syscall: 'read' }), 101508],
    ['UND_ERR_SOCKET', coded('UND_ERR_SOCKET'), 101508],
    ['EPIPE', coded('EPIPE', { syscall: 'write' }), 101507],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 101511],
    ['HPE_INVALID_STATUS', coded('HPE_INVALID_STATUS'), 101510],
    ['UND_ERR_ABORTED', coded('UND_ERR_ABORTED'), 101507],
    [
      'ABORT_ERR',
      Object.assign(new Error('The operation was aborted'), {
        code: 'ABORT_ERR',
        name: 'AbortError',
      }),
      101507,
    ],
    [
      'an AbortError DOMException',
      new DOMException('This operation was aborted', 'AbortError'),
      101507,
    ],
    [
      'a TimeoutError DOMException',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      101507,
    ],
    [
      'fetch failed caused by ECONNRESET',
      new TypeError('fetch failed', { cause: coded('ECONNRESET') }),
      101508,
    ],
  ])('when the error is %s', (_label, error, code) => {
    it(`should be transport code ${code}`, () => {
      expect(esb.fromNetworkError(error)?.code).toBe(code);
    });
  });

  describe('when the caller tracked the state', () => {
    it.each([
      ['ECONNRESET', 'RESPONSE_HEAD', 101509],
      ['ECONNRESET', 5, 101510],
      ['UND_ERR_HEADERS_TIMEOUT', 'REQUEST_BODY', 101506],
      ['ECONNREFUSED', 'RESPONSE_BODY', 101503],
      ['UND_ERR_CONNECT_TIMEOUT', 'CLOSED', 101508],
    ] as Array<[string, ProtocolState | number, number]>)(
      'should read %s in %p as %p (connect-phase codes ignore it)',
      (code, state, expected) => {
        expect(esb.fromNetworkError(coded(code), state)?.code).toBe(expected);
      },
    );

    it('should reject a state that is not one', () => {
      expect(() => esb.fromNetworkError(coded('ECONNRESET'), 'HALF_OPEN' as never)).toThrow(
        /is not a protocol state/,
      );
    });
  });

  describe('when the error carries esbProtocolState', () => {
    it.each([
      ['RESPONSE_BODY', 101510],
      [6, 101508],
      ['HALF_OPEN', 101508],
      [42, 101508],
      [{}, 101508],
    ])(
      'should read %p (invalid values, and RESPONSE_DONE where PassThrough reports no close, ignored)',
      (state, expected) => {
        const error = new TypeError('fetch failed', {
          cause: coded('ECONNRESET', { esbProtocolState: state }),
        });
        expect(esb.fromNetworkError(error)?.code).toBe(expected);
      },
    );

    it("should yield to the caller's state", () => {
      expect(
        esb.fromNetworkError(
          coded('ECONNRESET', { esbProtocolState: 'RESPONSE_BODY' }),
          'REQUEST_HEAD',
        )?.code,
      ).toBe(101506);
    });
  });

  describe('when the network error sits deep in the cause chain', () => {
    const chain = (depth: number) => {
      let error: Error = coded('ECONNREFUSED');
      for (let i = 0; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };

    it('should find it up to 8 links down', () => {
      expect(esb.fromNetworkError(chain(7))?.code).toBe(101503);
    });

    it('should stop looking after 8 links', () => {
      expect(esb.fromNetworkError(chain(8))).toBeUndefined();
    });

    it('should take the first known code from the top', () => {
      expect(
        esb.fromNetworkError(coded('UND_ERR_HEADERS_TIMEOUT', { cause: coded('ECONNRESET') }))
          ?.code,
      ).toBe(101507);
    });
  });

  describe.each([
    ['a plain Error', new Error('boom')],
    ['an unknown code', coded('ERR_SOMETHING_ELSE')],
    ['a numeric code', Object.assign(new Error('x'), { code: 23 })],
    ['a code named like a prototype key', coded('constructor')],
    [
      'a circular cause',
      (() => {
        const e: Error & { cause?: unknown } = new Error('loop');
        e.cause = e;
        return e;
      })(),
    ],
    ['a Proxy whose traps throw', proxyThrowingOn('get', 'getPrototypeOf', 'ownKeys')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('when the error is %s', (_label, error) => {
    it('should not be a network error, and should not throw', () => {
      expect(esb.fromNetworkError(error)).toBeUndefined();
    });
  });

  it("should keep the error as the cause and send only Synapse's text", () => {
    const error = coded('ECONNREFUSED');
    const f = esb.fromNetworkError(error);
    expect(f?.cause).toBe(error);
    expect(f?.message).toBe('Error connecting to the back end');
    expect(f?.params).toEqual({ sequence: 'fault', baseCode: 101503, stateOrdinal: 0 });
  });
});

describe('real fetch failures', () => {
  let closedPort: number;
  let silent: Server;
  let resetting: Server;
  let malformed: Server;
  const sockets: Socket[] = [];
  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };
  const failure = async (url: string, init?: RequestInit): Promise<unknown> => {
    try {
      await fetch(url, init);
    } catch (error) {
      return error;
    }
    throw new Error('fetch should have failed');
  };

  beforeAll(async () => {
    const probe = createServer();
    await listen(probe);
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    silent = createServer((socket) => sockets.push(socket));
    resetting = createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
    malformed = createServer((socket) =>
      socket.on('data', () => socket.end('HTTP/1.1 abc\r\n\r\n')),
    );
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(
      [silent, resetting, malformed].map((s) => new Promise((resolve) => s.close(resolve))),
    );
  });

  it('should read a refused connection as CONNECTION_FAILED (101503)', async () => {
    const error = await failure(`http://127.0.0.1:${closedPort}/`);
    // undici's TypeError comes from Node's realm, not jest's: compare by name.
    expect([(error as Error).name, (error as Error).message]).toEqual([
      'TypeError',
      'fetch failed',
    ]);
    const response = handler().handle(error);
    expect([response.status, response.body]).toEqual([
      500,
      '{"code":"101503","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
    ]);
  });

  it('should read AbortSignal.timeout on a server that never answers as CONNECT_CANCEL (101507)', async () => {
    const error = await failure(await listen(silent), { signal: AbortSignal.timeout(100) });
    expect((error as Error).name).toBe('TimeoutError');
    const response = handler().handle(error);
    expect(response.body).toBe(
      '{"code":"101507","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
    );
  });

  it('should read a reset after the request as CONNECTION_CLOSED + REQUEST_DONE (101508)', async () => {
    expect(esb.fromNetworkError(await failure(await listen(resetting)))?.code).toBe(101508);
  });

  it('should read a malformed status line as PROTOCOL_VIOLATION + RESPONSE_HEAD (101510)', async () => {
    expect(esb.fromNetworkError(await failure(await listen(malformed)))?.code).toBe(101510);
  });
});
