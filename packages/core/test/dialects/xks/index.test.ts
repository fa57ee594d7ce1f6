/**
 * The XKS proxy dialect: the seed table (seed 004) as a catalogue, the wire body, message
 * sanitising, path parsing, the applicability policies and the mapping of non-fault errors
 * (wire-formats.md Part 1 "XKS proxy", Part 2 §2).
 */
import { createFaultHandler, problem, routeNotFound, xroad } from '../../../src/index';
import type {
  Dialect,
  FaultHandlerOptions,
  FaultLogger,
  LogLevel,
  RequestInfo,
} from '../../../src/index';
import { Fault } from '../../../src/fault';
import {
  MAX_ERROR_MESSAGE,
  XKS_ENTRIES,
  XKS_FALLBACK,
  XKS_OPERATIONS,
  isUnderPrefix,
  operationOf,
  sanitizeErrorMessage,
  xks,
} from '../../../src/dialects/xks/index';
import type {
  XksErrorName,
  XksOperation,
  XksOptions,
  XksPolicy,
} from '../../../src/dialects/xks/index';
import { SEED_HEADER, SEED_ROWS } from '../../../../../test/fixtures/xks-seed';

type Options = FaultHandlerOptions & { readonly xks?: XksOptions };

interface LogCall {
  readonly level: LogLevel;
  readonly event: Record<string, unknown>;
  readonly msg: string | undefined;
}

function recorder(): { logger: FaultLogger; calls: LogCall[] } {
  const calls: LogCall[] = [];
  const logger = Object.fromEntries(
    (['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const).map((level) => [
      level,
      (event: object, msg?: string) =>
        calls.push({ level, event: event as Record<string, unknown>, msg }),
    ]),
  ) as FaultLogger;
  return { logger, calls };
}

function handler(options: Partial<Options> = {}) {
  const all: Options = { dialect: xks, logger: false, correlationId: () => 'id-1', ...options };
  return createFaultHandler(all);
}

const ALL_OPERATIONS: readonly XksOperation[] = [
  'GetKeyMetadata',
  'Encrypt',
  'Decrypt',
  'GetHealthStatus',
];
const SEGMENT: Readonly<Record<XksOperation, string>> = {
  GetKeyMetadata: 'metadata',
  Encrypt: 'encrypt',
  Decrypt: 'decrypt',
  GetHealthStatus: '',
};

function urlOf(operation: XksOperation, prefix = ''): string {
  return operation === 'GetHealthStatus'
    ? `${prefix}/kms/xks/v1/health`
    : `${prefix}/kms/xks/v1/keys/k1/${SEGMENT[operation]}`;
}

function post(operation: XksOperation, prefix = ''): RequestInfo {
  return {
    method: 'POST',
    url: urlOf(operation, prefix),
    headers: { 'content-type': 'application/json' },
  };
}

// The seed's "XKS Proxy APIs" column, read literally.
function operationsOf(apis: string): XksOperation[] {
  if (apis === 'ALL') return [...ALL_OPERATIONS];
  const except = /^ALL except (\w+)$/.exec(apis);
  if (except !== null) return ALL_OPERATIONS.filter((o) => o !== except[1]);
  return apis.split(', ').map((name) => {
    if (!ALL_OPERATIONS.includes(name as XksOperation))
      throw new Error(`unknown API ${name} in the seed`);
    return name as XksOperation;
  });
}

interface SeedRow {
  readonly status: number;
  readonly name: XksErrorName;
  readonly scenario: string;
  readonly apis: string;
  readonly operations: readonly XksOperation[];
}

const ROWS: readonly SeedRow[] = SEED_ROWS.map((row) => {
  expect(row.endsWith(' |')).toBe(true);
  const [status, name, scenario, apis, ...rest] = row.slice(0, -2).split(' | ');
  if (
    status === undefined ||
    name === undefined ||
    scenario === undefined ||
    apis === undefined ||
    rest.length > 0
  ) {
    throw new Error(`malformed seed row: ${row}`);
  }
  return {
    status: Number(status),
    name: name as XksErrorName,
    scenario,
    apis,
    operations: operationsOf(apis),
  };
});
const INTERNAL = ROWS.find((r) => r.name === 'InternalException')!;
const INTERNAL_BODY = `{"errorName":"InternalException","errorMessage":"${INTERNAL.scenario}"}`;

const byOperation = (a: XksOperation, b: XksOperation) =>
  ALL_OPERATIONS.indexOf(a) - ALL_OPERATIONS.indexOf(b);

// Every (name, operation) pair the seed does not allow.
const VIOLATIONS: ReadonlyArray<readonly [XksErrorName, XksOperation]> = ROWS.flatMap((row) =>
  ALL_OPERATIONS.filter((op) => !row.operations.includes(op)).map((op) => [row.name, op] as const),
);
const ALLOWED: ReadonlyArray<readonly [XksErrorName, XksOperation]> = ROWS.flatMap((row) =>
  row.operations.map((op) => [row.name, op] as const),
);

describe('the seed table (seed 004)', () => {
  it('should have the four columns the dialect reads', () => {
    expect(SEED_HEADER).toBe('Error Code | Error Name | Error Scenario | XKS Proxy APIs |');
  });

  it('should give twelve names, and the catalogue should hold exactly those, in the seed order', () => {
    expect(ROWS).toHaveLength(12);
    expect(xks.catalog.entries).toHaveLength(12);
    expect(xks.catalog.entries.map((e) => e.name)).toEqual(ROWS.map((r) => r.name));
    expect(xks.catalog.entries.map((e) => e.code)).toEqual(ROWS.map((r) => r.name));
  });

  describe.each(ROWS)('when the row is $name ($status, $apis)', (row) => {
    const entry = xks.catalog.get(row.name);

    it('should have the seed status', () => {
      expect(entry?.status).toBe(row.status);
    });

    it('should carry the scenario verbatim as message and description', () => {
      expect(entry?.message).toBe(row.scenario);
      expect(entry?.description).toBe(row.scenario);
    });

    it('should apply to exactly the seed operations', () => {
      expect([...(entry?.appliesTo ?? [])].sort(byOperation)).toEqual(
        [...row.operations].sort(byOperation),
      );
    });
  });

  it('should count eight (name, operation) pairs that the seed does not allow', () => {
    expect(VIOLATIONS).toEqual([
      ['ValidationException', 'GetHealthStatus'],
      ['InvalidCiphertextException', 'GetKeyMetadata'],
      ['InvalidCiphertextException', 'Encrypt'],
      ['InvalidCiphertextException', 'GetHealthStatus'],
      ['InvalidKeyUsageException', 'GetKeyMetadata'],
      ['InvalidKeyUsageException', 'GetHealthStatus'],
      ['AccessDeniedException', 'GetHealthStatus'],
      ['KeyNotFoundException', 'GetHealthStatus'],
    ]);
  });

  it('should freeze the catalogue entries and their operations', () => {
    const entry = xks.catalog.get('KeyNotFoundException')!;
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.appliesTo)).toBe(true);
  });
});

describe('the xks dialect value', () => {
  it('should be frozen, with id xks and the four operations in spec order', () => {
    expect(Object.isFrozen(xks)).toBe(true);
    expect(xks.id).toBe('xks');
    expect(xks.OPERATIONS).toEqual(['GetKeyMetadata', 'Encrypt', 'Decrypt', 'GetHealthStatus']);
    expect(Object.isFrozen(xks.OPERATIONS)).toBe(true);
    expect(XKS_OPERATIONS).toBe(xks.OPERATIONS);
  });

  it('should build its catalogue from the exported entries', () => {
    expect(xks.catalog.entries).toEqual(XKS_ENTRIES);
    expect(Object.isFrozen(XKS_ENTRIES)).toBe(true);
  });

  it('should configure a runtime with the static JSON fallback and no options', () => {
    const runtime = xks.configure();
    expect(runtime.id).toBe('xks');
    expect(runtime.catalog).toBe(xks.catalog);
    expect(runtime.fallback).toBe(XKS_FALLBACK);
    expect(Object.isFrozen(XKS_FALLBACK)).toBe(true);
  });
});

describe('xks.fault', () => {
  describe.each(ROWS)('when the name is $name', (row) => {
    it('should build a fault with the seed status, the scenario as message and expose true', () => {
      const fault = xks.fault(row.name);
      expect(fault).toBeInstanceOf(Fault);
      expect(fault).toMatchObject({
        dialect: 'xks',
        code: row.name,
        name: row.name,
        status: row.status,
        message: row.scenario,
        description: row.scenario,
        expose: true,
      });
    });
  });

  describe('when a message and options are given', () => {
    it('should keep the message, exposure, headers and cause', () => {
      const cause = new Error('hsm');
      const fault = xks.fault('ThrottlingException', 'Slow down', {
        expose: false,
        headers: { 'retry-after': '1' },
        cause,
      });
      expect(fault).toMatchObject({
        message: 'Slow down',
        expose: false,
        headers: { 'retry-after': '1' },
        status: 429,
      });
      expect(fault.cause).toBe(cause);
    });

    it('should expose the message by default even for a 5xx name', () => {
      expect(xks.fault('InternalException', 'HSM offline').expose).toBe(true);
    });
  });

  describe.each([
    'NotAnError',
    'validationexception',
    'ValidationError',
    'Exception',
    '',
    'constructor',
    '__proto__',
    42,
    undefined,
    Symbol('x'),
  ])('when the name is %p', (name) => {
    it('should throw a TypeError naming it', () => {
      expect(() => xks.fault(name as never)).toThrow(TypeError);
      expect(() => xks.fault(name as never)).toThrow(/is not an XKS error name/);
    });
  });

  describe('when the message is not a string', () => {
    it.each([42, {}, null])('should reject %p with a TypeError', (message) => {
      expect(() => xks.fault('KeyNotFoundException', message as never)).toThrow(TypeError);
    });
  });
});

describe('rendering', () => {
  // The first operation each name applies to, so the default policy sends it as is.
  describe.each(ROWS)('when $name is thrown without a message', (row) => {
    it('should send the body byte for byte with the seed status and application/json', () => {
      const body = `{"errorName":"${row.name}","errorMessage":"${row.scenario}"}`;
      const response = handler().handle(xks.fault(row.name), post(row.operations[0]!));
      expect(response.status).toBe(row.status);
      expect(response.body).toBe(body);
      expect(response.headers).toEqual({
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'cache-control': 'no-store',
        vary: 'Accept',
        'x-content-type-options': 'nosniff',
      });
    });
  });

  describe('when a message is given', () => {
    it('should send it as errorMessage', () => {
      const response = handler().handle(
        xks.fault('InvalidCiphertextException', 'The authentication tag does not match'),
        post('Decrypt'),
      );
      expect(response.status).toBe(400);
      expect(response.body).toBe(
        '{"errorName":"InvalidCiphertextException","errorMessage":"The authentication tag does not match"}',
      );
    });

    it('should JSON-escape quotes and backslashes', () => {
      const response = handler().handle(
        xks.fault('ValidationException', 'field "plaintext" has a \\ in it'),
        post('Encrypt'),
      );
      expect(response.body).toBe(
        '{"errorName":"ValidationException","errorMessage":"field \\"plaintext\\" has a \\\\ in it"}',
      );
    });
  });

  describe('when the message is empty', () => {
    it('should leave errorMessage out', () => {
      const runtime = xks.configure();
      const rendered = runtime.render(xks.fault('KeyNotFoundException'), runtime.negotiate({}), {
        request: {},
        message: '',
      });
      expect(rendered).toEqual({
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: '{"errorName":"KeyNotFoundException"}',
      });
    });

    it('should send the seed scenario when a fault carries an empty message', () => {
      const response = handler().handle(xks.fault('KeyNotFoundException', ''), post('Encrypt'));
      expect(response.body).toBe(
        '{"errorName":"KeyNotFoundException","errorMessage":"The request was rejected because the specified external key is not found."}',
      );
    });
  });

  describe('when the fault hides its message', () => {
    const fault = () =>
      xks.fault('InternalException', 'HSM at 10.0.0.7 refused the session', { expose: false });

    it('should send the seed scenario instead', () => {
      expect(handler().handle(fault(), post('Encrypt')).body).toBe(INTERNAL_BODY);
    });

    it('should send the real message with debug, and still only the two members', () => {
      const response = handler({ debug: true }).handle(fault(), post('Encrypt'));
      expect(response.body).toBe(
        '{"errorName":"InternalException","errorMessage":"HSM at 10.0.0.7 refused the session"}',
      );
    });
  });

  describe.each([
    ['an XML Accept header', { accept: 'application/xml' }, undefined],
    ['a text/xml Accept header', { accept: 'text/xml, text/*' }, undefined],
    [
      'a SOAPAction header and a SOAP envelope',
      { soapaction: '""', 'content-type': 'text/xml' },
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body/></S:Envelope>',
    ],
    ['a problem+json Accept header', { accept: 'application/problem+json' }, undefined],
    ['no headers', undefined, undefined],
  ])('when the request has %s', (_label, headers, body) => {
    it('should answer JSON all the same', () => {
      const request: RequestInfo = {
        method: 'POST',
        url: '/kms/xks/v1/keys/k1/encrypt',
        headers,
        body,
      };
      const response = handler().handle(xks.fault('KeyNotFoundException', 'No key k1'), request);
      expect(xks.configure().negotiate(request)).toEqual({
        id: 'json',
        mediaType: 'application/json',
      });
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.body).toBe('{"errorName":"KeyNotFoundException","errorMessage":"No key k1"}');
    });
  });
});

describe('sanitising errorMessage', () => {
  const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) =>
    String.fromCharCode(0x20 + i),
  ).join('');

  describe.each([
    [
      'C0 controls, tab, newline and DEL',
      'a\u0000b\u0007c\td\ne\rf\u001Fg\u007F',
      'a?b?c?d?e?f?g?',
    ],
    ['Latin-1, Cyrillic and CJK', 'Schlüssel ключ 鍵', 'Schl?ssel ???? ?'],
    ['C1 controls, NBSP, BOM and line separators', '\u0085\u00A0\uFEFF\u2028\u2029', '?????'],
    ['a surrogate pair (one code point)', 'key 🔑 ok', 'key ? ok'],
    ['lone high and low surrogates', 'a\uD800b\uDC00c\uDBFF', 'a?b?c?'],
    ['a reversed surrogate pair', '\uDC00\uD800', '??'],
    ['every printable ASCII character', PRINTABLE, PRINTABLE],
  ])('when the message has %s', (_label, input, expected) => {
    it('should replace every character outside 0x20-0x7E by one ?', () => {
      expect(sanitizeErrorMessage(input)).toBe(expected);
      expect(xks.sanitizeErrorMessage).toBe(sanitizeErrorMessage);
    });

    it('should send the sanitised text in the body', () => {
      const response = handler().handle(xks.fault('ValidationException', input), post('Encrypt'));
      expect(response.body).toBe(
        JSON.stringify({ errorName: 'ValidationException', errorMessage: expected }),
      );
      expect(JSON.parse(response.body)).toEqual({
        errorName: 'ValidationException',
        errorMessage: expected,
      });
    });
  });

  it('should send the printable ASCII characters with JSON escapes for " and \\ only', () => {
    const response = handler().handle(xks.fault('ValidationException', PRINTABLE), post('Encrypt'));
    const escaped = PRINTABLE.replace('\\', '\\\\').replace('"', '\\"');
    expect(response.body).toBe(`{"errorName":"ValidationException","errorMessage":"${escaped}"}`);
  });

  describe.each([
    ['ASCII', 'x'.repeat(10_000), 'x'.repeat(511)],
    ['BMP non-ASCII', '€'.repeat(10_000), '?'.repeat(511)],
    ['astral characters', '🔑'.repeat(10_000), '?'.repeat(511)],
    ['astral characters after one ASCII letter', `a${'🔑'.repeat(10_000)}`, `a${'?'.repeat(510)}`],
    ['lone surrogates', '\uD800'.repeat(10_000), '?'.repeat(511)],
    ['controls', '\n'.repeat(10_000), '?'.repeat(511)],
  ])('when a 10 000-character message is %s', (_label, input, expected) => {
    it('should cut it to 511 printable characters', () => {
      const response = handler().handle(xks.fault('InternalException', input), post('Encrypt'));
      const { errorMessage } = JSON.parse(response.body) as { errorMessage: string };
      expect(errorMessage).toBe(expected);
      expect(errorMessage.length).toBe(MAX_ERROR_MESSAGE);
      expect(errorMessage).toMatch(/^[\x20-\x7E]*$/);
    });
  });

  describe.each([
    [510, 510],
    [511, 511],
    [512, 511],
  ])('when the message has %i characters', (length, sent) => {
    it(`should send ${sent}`, () => {
      expect(sanitizeErrorMessage('y'.repeat(length))).toBe('y'.repeat(sent));
    });
  });

  describe('when a non-fault error carries a 10 000-character exposed message', () => {
    it('should send at most 511 printable characters', () => {
      const error = Object.assign(new Error('z'.repeat(10_000)), { status: 400 });
      const response = handler().handle(error, post('Encrypt'));
      expect(response.body).toBe(
        `{"errorName":"ValidationException","errorMessage":"${'z'.repeat(511)}"}`,
      );
    });
  });

  describe('when messages are random UTF-16', () => {
    it('should always send printable ASCII under 512 characters', () => {
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let round = 0; round < 200; round++) {
        const units = Array.from({ length: next() % 1200 }, () => next() % 0x10000);
        const text = String.fromCharCode(...units);
        const sent = sanitizeErrorMessage(text);
        expect(sent).toMatch(/^[\x20-\x7E]*$/);
        expect(sent.length).toBeLessThanOrEqual(511);
        expect(sent.length).toBe(Math.min(511, [...text].length));
      }
    });
  });
});

describe('operationOf', () => {
  const KEY_128 = 'k'.repeat(128);
  describe.each([
    ['/kms/xks/v1/health', undefined, { operation: 'GetHealthStatus' }],
    ['/kms/xks/v1/keys/k1/metadata', undefined, { operation: 'GetKeyMetadata', keyId: 'k1' }],
    ['/kms/xks/v1/keys/k1/encrypt', undefined, { operation: 'Encrypt', keyId: 'k1' }],
    ['/kms/xks/v1/keys/k1/decrypt', undefined, { operation: 'Decrypt', keyId: 'k1' }],
    ['/kms/xks/v1/keys/A.b_c-9/decrypt', undefined, { operation: 'Decrypt', keyId: 'A.b_c-9' }],
    [`/kms/xks/v1/keys/${KEY_128}/encrypt`, undefined, { operation: 'Encrypt', keyId: KEY_128 }],
    [
      '/kms/xks/v1/keys/k1/encrypt?x=1&next=/kms/xks/v1/health',
      undefined,
      { operation: 'Encrypt', keyId: 'k1' },
    ],
    ['/kms/xks/v1/health?', undefined, { operation: 'GetHealthStatus' }],
    ['/kms/xks/v1/health#top', undefined, { operation: 'GetHealthStatus' }],
    [
      '/tenant-a/kms/xks/v1/keys/k1/metadata',
      undefined,
      { operation: 'GetKeyMetadata', keyId: 'k1' },
    ],
    ['/a/b_c/D-9/kms/xks/v1/health', undefined, { operation: 'GetHealthStatus' }],
    ['/kms/xks/v10/kms/xks/v1/health', undefined, { operation: 'GetHealthStatus' }],
    [`/${'a'.repeat(116)}/kms/xks/v1/health`, undefined, { operation: 'GetHealthStatus' }],
    ['/tenant-a/kms/xks/v1/health', '/tenant-a', { operation: 'GetHealthStatus' }],
    ['/tenant-a/kms/xks/v1/keys/k1/encrypt?q', '/tenant-a', { operation: 'Encrypt', keyId: 'k1' }],
    ['/a/b/kms/xks/v1/keys/k1/decrypt', '/a/b', { operation: 'Decrypt', keyId: 'k1' }],
    ['/kms/xks/v1/health', '', { operation: 'GetHealthStatus' }],
  ])('when the path is %s (prefix %p)', (path, prefix, expected) => {
    it(`should find ${expected.operation}`, () => {
      expect(operationOf(path, prefix)).toEqual(expected);
      expect(xks.operationOf(path, prefix)).toEqual(expected);
    });
  });

  describe.each([
    ['/kms/xks/v1/health', '/tenant-a', 'a prefix is configured and missing'],
    ['/other/kms/xks/v1/health', '/tenant-a', 'the prefix differs'],
    ['/tenant-ab/kms/xks/v1/health', '/tenant-a', 'the prefix only starts the same'],
    ['/x/tenant-a/kms/xks/v1/health', '/tenant-a', 'something precedes the prefix'],
    ['/kms/xks/v1/keys//encrypt', undefined, 'the key id is empty'],
    [`/kms/xks/v1/keys/${'k'.repeat(129)}/encrypt`, undefined, 'the key id has 129 characters'],
    ['/kms/xks/v1/keys/a/b/encrypt', undefined, 'the key id has a slash'],
    ['/kms/xks/v1/keys/a%2Fb/encrypt', undefined, 'the key id is percent-encoded'],
    ['/kms/xks/v1/keys/k~1/encrypt', undefined, 'the key id has a tilde'],
    ['/kms/xks/v1/keys/k:1/decrypt', undefined, 'the key id has a colon'],
    ['/kms/xks/v1/keys/ключ/decrypt', undefined, 'the key id is not ASCII'],
    ['/kms/xks/v1/keys/k1', undefined, 'the operation segment is missing'],
    ['/kms/xks/v1/keys/k1/sign', undefined, 'the operation is unknown'],
    ['/kms/xks/v1/keys/k1/ENCRYPT', undefined, 'the operation is upper-case'],
    ['/kms/xks/v1/keys/k1/encrypt/', undefined, 'a trailing slash follows'],
    ['/kms/xks/v1/health/', undefined, 'health has a trailing slash'],
    ['/kms/xks/v1/Health', undefined, 'health is capitalised'],
    ['/kms/xks/v1/keys/health', undefined, 'health is under keys'],
    ['/kms/xks/v1', undefined, 'it is the base path'],
    ['/kms/xks/v2/health', undefined, 'the version is v2'],
    ['/kms/xks/v10/health', undefined, 'the version is v10'],
    ['/KMS/xks/v1/health', undefined, 'the base is capitalised'],
    ['kms/xks/v1/health', undefined, 'the leading slash is missing'],
    ['//kms/xks/v1/health', undefined, 'the inferred prefix is an empty segment'],
    ['/a.b/kms/xks/v1/health', undefined, 'the inferred prefix has a dot'],
    [`/${'a'.repeat(117)}/kms/xks/v1/health`, undefined, 'the inferred prefix has 118 characters'],
    ['', undefined, 'it is empty'],
    ['/', undefined, 'it is the root'],
  ])('when the path is %s (prefix %p) because %s', (path, prefix, _reason) => {
    it('should find no operation', () => {
      expect(operationOf(path, prefix)).toBeUndefined();
    });
  });

  describe('when the path is not a string', () => {
    it.each([undefined, null, 42])('should find no operation for %p', (path) => {
      expect(operationOf(path as never)).toBeUndefined();
      expect(isUnderPrefix(path as never)).toBe(false);
    });
  });

  describe.each(['tenant', '/tenant/', '/a//b', '/a.b', '/a b', `/${'a'.repeat(117)}`, 5, null])(
    'when the prefix is %p',
    (prefix) => {
      it('should throw a TypeError', () => {
        expect(() => operationOf('/kms/xks/v1/health', prefix as never)).toThrow(TypeError);
        expect(() => isUnderPrefix('/kms/xks/v1/health', prefix as never)).toThrow(TypeError);
      });
    },
  );
});

describe('isUnderPrefix', () => {
  describe.each([
    ['/kms/xks/v1', undefined, true],
    ['/kms/xks/v1/', undefined, true],
    ['/kms/xks/v1?x=1', undefined, true],
    ['/kms/xks/v1/nope', undefined, true],
    ['/kms/xks/v1/keys/k1/sign', undefined, true],
    ['/p/q/kms/xks/v1/health', undefined, true],
    ['/p/kms/xks/v1/x', '/p', true],
    ['/kms/xks/v10', undefined, false],
    ['/kms/xks', undefined, false],
    ['/kms/xks/v1x/health', undefined, false],
    ['/', undefined, false],
    ['/kms/xks/v1/x', '/p', false],
    ['/p/kms/xks/v10', '/p', false],
  ])('when the path is %s (prefix %p)', (path, prefix, expected) => {
    it(`should answer ${String(expected)}`, () => {
      expect(isUnderPrefix(path, prefix)).toBe(expected);
      expect(xks.isUnderPrefix(path, prefix)).toBe(expected);
    });
  });
});

describe('options', () => {
  describe.each(['tenant', '/tenant/', '/a//b', '/a.b', `/${'a'.repeat(117)}`, 5, null])(
    'when pathPrefix is %p',
    (pathPrefix) => {
      it('should throw a TypeError naming xks.pathPrefix', () => {
        expect(() => handler({ xks: { pathPrefix: pathPrefix as never } })).toThrow(TypeError);
        expect(() => handler({ xks: { pathPrefix: pathPrefix as never } })).toThrow(
          /xks\.pathPrefix/,
        );
      });
    },
  );

  describe.each(['', '/a', '/a/b_c-D9', `/${'a'.repeat(116)}`])(
    'when pathPrefix is %p',
    (pathPrefix) => {
      it('should be accepted', () => {
        expect(handler({ xks: { pathPrefix } }).dialect).toBe('xks');
      });
    },
  );

  describe.each(['loud', 'WARN', 1, '', null])('when policy is %p', (policy) => {
    it('should throw a TypeError naming xks.policy', () => {
      expect(() => handler({ xks: { policy: policy as never } })).toThrow(/xks\.policy/);
    });
  });

  describe('when the options object is frozen', () => {
    it('should read it without changing it', () => {
      const options = Object.freeze({ pathPrefix: '/p', policy: 'strict' as const });
      expect(() => handler({ xks: options })).not.toThrow();
      expect(options).toEqual({ pathPrefix: '/p', policy: 'strict' });
    });
  });
});

describe('applicability', () => {
  describe.each(VIOLATIONS)('when %s is thrown on %s', (name, operation) => {
    describe('and the policy is warn (the default)', () => {
      const log = recorder();
      const cause = xks.fault(name, 'Key k1 is not here');
      const response = handler({ logger: log.logger }).handle(cause, post(operation));

      it('should send InternalException 500 with the generic message', () => {
        expect(response.status).toBe(500);
        expect(response.body).toBe(INTERNAL_BODY);
        expect(response.headers['content-type']).toBe('application/json');
      });

      it('should keep the thrown fault as the cause and record what it replaced', () => {
        expect(response.fault).toMatchObject({
          code: 'InternalException',
          correlationId: 'id-1',
          params: { replaced: name, operation },
        });
        expect(response.fault.cause).toBe(cause);
      });

      it('should log one warning naming the error and the operation, then the fault', () => {
        const warnings = log.calls.filter((c) => c.level === 'warn');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]?.event).toEqual({
          correlationId: 'id-1',
          dialect: 'xks',
          errorName: name,
          operation,
        });
        expect(warnings[0]?.msg).toContain(`${name} does not apply to ${operation}`);
        expect(log.calls.map((c) => c.level)).toEqual(['warn', 'error']);
        expect(log.calls[1]?.event.code).toBe('InternalException');
      });
    });

    describe('and the policy is strict', () => {
      const log = recorder();
      const response = handler({ logger: log.logger, xks: { policy: 'strict' } }).handle(
        xks.fault(name),
        post(operation),
      );

      it('should answer the JSON fallback', () => {
        expect(response.status).toBe(500);
        expect(response.body).toBe(XKS_FALLBACK.body);
        expect(response.headers['content-type']).toBe('application/json');
      });

      it('should log the violation as the reason the fault could not be rendered', () => {
        expect(log.calls).toHaveLength(1);
        expect(log.calls[0]?.level).toBe('error');
        const failure = log.calls[0]?.event.formatterError as { type: string; message: string };
        expect(failure.type).toBe('TypeError');
        expect(failure.message).toContain(`${name} does not apply to ${operation}`);
      });
    });

    describe('and the policy is lenient', () => {
      it('should send the fault as is', () => {
        const row = ROWS.find((r) => r.name === name)!;
        const response = handler({ xks: { policy: 'lenient' } }).handle(
          xks.fault(name, 'As thrown'),
          post(operation),
        );
        expect(response.status).toBe(row.status);
        expect(response.body).toBe(`{"errorName":"${name}","errorMessage":"As thrown"}`);
      });
    });
  });

  describe.each(ALLOWED)('when %s is thrown on %s, where it applies', (name, operation) => {
    it('should be sent as is even under strict', () => {
      const row = ROWS.find((r) => r.name === name)!;
      const response = handler({ xks: { policy: 'strict' } }).handle(
        xks.fault(name, 'm'),
        post(operation),
      );
      expect(response.status).toBe(row.status);
      expect(response.body).toBe(`{"errorName":"${name}","errorMessage":"m"}`);
    });
  });

  describe.each([
    ['an unknown path under the prefix', { method: 'POST', url: '/kms/xks/v1/nope' }],
    ['a path outside the prefix', { method: 'POST', url: '/status' }],
    ['a request without a URL', {}],
    ['the health path of another prefix', { method: 'POST', url: '/other/kms/xks/v1/health' }],
  ])('when a non-applicable fault is thrown on %s', (_label, request: RequestInfo) => {
    it('should be sent as is under strict', () => {
      const response = handler({ xks: { policy: 'strict', pathPrefix: '/p' } }).handle(
        xks.fault('KeyNotFoundException', 'k'),
        request,
      );
      expect(response.status).toBe(404);
      expect(response.body).toBe('{"errorName":"KeyNotFoundException","errorMessage":"k"}');
    });
  });

  describe('when a prefix is configured and the request uses it', () => {
    it('should enforce the seed on that operation', () => {
      const response = handler({ xks: { pathPrefix: '/p' } }).handle(
        xks.fault('KeyNotFoundException'),
        post('GetHealthStatus', '/p'),
      );
      expect(response.body).toBe(INTERNAL_BODY);
    });
  });

  describe('when the response already started (report)', () => {
    it('should still resolve the violation to InternalException with one warning', () => {
      const log = recorder();
      const fault = handler({ logger: log.logger }).report(
        xks.fault('KeyNotFoundException'),
        post('GetHealthStatus'),
      );
      expect(fault.code).toBe('InternalException');
      expect(log.calls.map((c) => c.level)).toEqual(['warn', 'error']);
    });
  });
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const TIMEOUT_MESSAGE = ROWS.find((r) => r.name === 'DependencyTimeoutException')!.scenario;
const TIMEOUT_BODY = `{"errorName":"DependencyTimeoutException","errorMessage":"${TIMEOUT_MESSAGE}"}`;

function withCode(code: unknown, message = 'dependency failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('non-fault errors', () => {
  describe.each([
    ['GET', '/kms/xks/v1/keys/k1/encrypt'],
    ['GET', '/kms/xks/v1/health'],
    ['PUT', '/kms/xks/v1/keys/k1/decrypt'],
    ['DELETE', '/kms/xks/v1/keys/k1/metadata'],
    ['get', '/kms/xks/v1/keys/k1/metadata?x=1'],
    ['OPTIONS', '/tenant/kms/xks/v1/health'],
  ])('when no route matches %s %s (an API path)', (method, url) => {
    it('should answer 405 with Allow: POST and no body', () => {
      const response = handler().handle(routeNotFound(method, url), { method, url });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.headers['content-type']).toBeUndefined();
      expect(response.headers['content-length']).toBe('0');
      expect(response.body).toBe('');
      expect(response.fault.code).toBe('InvalidUriPathException');
    });
  });

  describe('when Fastify reports no route for GET on an API path', () => {
    it('should answer the same 405', () => {
      const error = Object.assign(new Error('Route GET:/kms/xks/v1/health not found'), {
        statusCode: 404,
        code: 'FST_ERR_NOT_FOUND',
      });
      const response = handler().handle(error, { method: 'GET', url: '/kms/xks/v1/health' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });
  });

  describe.each([
    ['POST', '/kms/xks/v1/nope'],
    ['GET', '/kms/xks/v1/nope'],
    ['POST', '/kms/xks/v1'],
    ['POST', '/kms/xks/v1/keys/k1/decrypt'],
    ['GET', '/elsewhere'],
  ])('when no route matches %s %s', (method, url) => {
    it('should answer 404 InvalidUriPathException without Allow', () => {
      const response = handler().handle(routeNotFound(method, url), { method, url });
      expect(response.status).toBe(404);
      expect(response.headers.allow).toBeUndefined();
      expect(response.body).toBe(
        `{"errorName":"InvalidUriPathException","errorMessage":"No route for ${method} ${url}"}`,
      );
    });
  });

  describe('when a route reports 405 on an API path with its own Allow', () => {
    it('should answer Allow: POST', () => {
      const response = handler().handle(new HttpError(405, 'nope', { allow: 'GET, POST' }), {
        method: 'GET',
        url: '/kms/xks/v1/health',
      });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.body).toBe('');
      expect(response.fault.message).toBe('GET is not allowed: XKS proxy APIs accept POST only');
    });
  });

  describe('when a route reports 405 without a request method', () => {
    it('should still answer Allow: POST', () => {
      const response = handler().handle(new HttpError(405, 'nope'), { url: '/kms/xks/v1/health' });
      expect([response.status, response.headers.allow, response.body]).toEqual([405, 'POST', '']);
      expect(response.fault.message).toBe(
        'The method is not allowed: XKS proxy APIs accept POST only',
      );
    });
  });

  describe('when a route reports 405 outside the XKS prefix', () => {
    it("should keep the thrower's Allow, its message in the fault, and send no body", () => {
      const response = handler().handle(new HttpError(405, 'Use GET', { allow: 'GET' }), {
        method: 'POST',
        url: '/status',
      });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET');
      expect(response.body).toBe('');
      expect(response.fault.message).toBe('Use GET');
    });
  });

  describe('when no route matches and the request has no method', () => {
    it('should answer 404', () => {
      const response = handler().handle(routeNotFound(undefined, '/kms/xks/v1/health'), {
        url: '/kms/xks/v1/health',
      });
      expect(response.status).toBe(404);
    });
  });

  describe.each([
    [
      'body-parser invalid JSON',
      Object.assign(new Error('Unexpected token } in JSON'), {
        status: 400,
        type: 'entity.parse.failed',
      }),
      'The request body could not be parsed',
    ],
    [
      'Fastify invalid JSON',
      Object.assign(
        new Error("Body is not valid JSON but content-type is set to 'application/json'"),
        { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' },
      ),
      'The request body could not be parsed',
    ],
    [
      'Fastify empty JSON',
      Object.assign(new Error('Body cannot be empty'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
      }),
      'The request body could not be parsed',
    ],
    [
      'Fastify schema validation',
      Object.assign(new Error("body must have required property 'plaintext'"), {
        statusCode: 400,
        code: 'FST_ERR_VALIDATION',
        validation: [
          {
            instancePath: '',
            keyword: 'required',
            params: { missingProperty: 'plaintext' },
            message: "must have required property 'plaintext'",
          },
        ],
        validationContext: 'body',
      }),
      "body must have required property 'plaintext'",
    ],
    [
      'an http 400',
      new HttpError(400, 'requestMetadata is required'),
      'requestMetadata is required',
    ],
    [
      'an http 422',
      new HttpError(422, 'encryptionAlgorithm must be AES_GCM'),
      'encryptionAlgorithm must be AES_GCM',
    ],
    ['an http 409', new HttpError(409, 'conflict'), 'conflict'],
    [
      'an unsupported content type',
      Object.assign(new Error('unsupported charset "X"'), {
        status: 415,
        type: 'charset.unsupported',
      }),
      'The request content type or encoding is not supported',
    ],
  ])('when the error is %s on Encrypt', (_label, error, message) => {
    it('should answer 400 ValidationException', () => {
      const response = handler().handle(error, post('Encrypt'));
      expect(response.status).toBe(400);
      expect(response.body).toBe(
        JSON.stringify({ errorName: 'ValidationException', errorMessage: message }),
      );
    });
  });

  describe.each([
    [
      'an http 401',
      new HttpError(401, 'Signature expired'),
      401,
      'AuthenticationFailedException',
      'Signature expired',
      'Encrypt',
    ],
    [
      'an http 401 on health',
      new HttpError(401, 'Bad signature'),
      401,
      'AuthenticationFailedException',
      'Bad signature',
      'GetHealthStatus',
    ],
    [
      'an http 403',
      new HttpError(403, 'Not for this principal'),
      403,
      'AccessDeniedException',
      'Not for this principal',
      'Decrypt',
    ],
    [
      'an http 429',
      new HttpError(429, 'Slow down'),
      429,
      'ThrottlingException',
      'Slow down',
      'GetHealthStatus',
    ],
    [
      'a body that is too large',
      Object.assign(new Error('request entity too large'), {
        status: 413,
        type: 'entity.too.large',
      }),
      501,
      'UnsupportedOperationException',
      'The request body is too large',
      'Encrypt',
    ],
    [
      'an http 501',
      new HttpError(501, 'AES_CBC is not implemented'),
      501,
      'UnsupportedOperationException',
      ROWS.find((r) => r.name === 'UnsupportedOperationException')!.scenario,
      'Encrypt',
    ],
    [
      'an http 504',
      new HttpError(504, 'upstream timed out'),
      503,
      'DependencyTimeoutException',
      TIMEOUT_MESSAGE,
      'Decrypt',
    ],
    [
      'an http 503',
      new HttpError(503, 'db down at 10.0.0.9'),
      500,
      'InternalException',
      INTERNAL.scenario,
      'Decrypt',
    ],
    [
      'an http 500 that exposes its message',
      Object.assign(new HttpError(500, 'HSM busy'), { expose: true }),
      500,
      'InternalException',
      'HSM busy',
      'Decrypt',
    ],
    [
      'a TypeError',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      500,
      'InternalException',
      INTERNAL.scenario,
      'Encrypt',
    ],
    ['a thrown string', 'boom', 500, 'InternalException', INTERNAL.scenario, 'Encrypt'],
    [
      'ECONNREFUSED',
      withCode('ECONNREFUSED'),
      500,
      'InternalException',
      INTERNAL.scenario,
      'Encrypt',
    ],
  ])('when the error is %s', (_label, error, status, errorName, message, operation) => {
    it(`should answer ${status} ${errorName}`, () => {
      const response = handler().handle(error, post(operation as XksOperation));
      expect(response.status).toBe(status);
      expect(response.body).toBe(JSON.stringify({ errorName, errorMessage: message }));
    });
  });

  describe('when a 429 carries Retry-After', () => {
    it('should keep the header', () => {
      const response = handler().handle(
        new HttpError(429, 'Slow down', { 'retry-after': '2' }),
        post('Encrypt'),
      );
      expect(response.headers['retry-after']).toBe('2');
    });
  });

  describe.each([
    ['a TimeoutError DOMException', new DOMException('The operation timed out.', 'TimeoutError')],
    ['an AbortError DOMException', new DOMException('This operation was aborted', 'AbortError')],
    [
      "Node's AbortError",
      Object.assign(new Error('The operation was aborted'), {
        name: 'AbortError',
        code: 'ABORT_ERR',
      }),
    ],
    ['ABORT_ERR alone', withCode('ABORT_ERR')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['UND_ERR_CONNECT_TIMEOUT', withCode('UND_ERR_CONNECT_TIMEOUT')],
    ['UND_ERR_HEADERS_TIMEOUT', withCode('UND_ERR_HEADERS_TIMEOUT')],
    ['UND_ERR_BODY_TIMEOUT', withCode('UND_ERR_BODY_TIMEOUT')],
    [
      'fetch failed caused by a connect timeout',
      new TypeError('fetch failed', { cause: withCode('UND_ERR_CONNECT_TIMEOUT') }),
    ],
    [
      'an error caused by a TimeoutError two levels down',
      new Error('hsm', {
        cause: new Error('pool', { cause: new DOMException('t', 'TimeoutError') }),
      }),
    ],
    [
      'a 500 caused by ETIMEDOUT',
      Object.assign(new Error('upstream', { cause: withCode('ETIMEDOUT') }), { status: 500 }),
    ],
  ])('when the error is %s', (_label, error) => {
    it('should answer 503 DependencyTimeoutException with the generic message', () => {
      const response = handler().handle(error, post('Decrypt'));
      expect(response.status).toBe(503);
      expect(response.body).toBe(TIMEOUT_BODY);
    });
  });

  describe.each([
    [
      'a timeout six causes down',
      (() => {
        let error: Error = withCode('ETIMEDOUT');
        for (let i = 0; i < 5; i++) error = new Error(`level ${i}`, { cause: error });
        return new Error('top', { cause: error });
      })(),
    ],
    ['a numeric code', withCode(110)],
    ['a cause that is a string', new Error('x', { cause: 'ETIMEDOUT' })],
    [
      'a cause cycle',
      (() => {
        const error = new Error('loop') as Error & { cause?: unknown };
        error.cause = error;
        return error;
      })(),
    ],
    [
      'a cause whose getters throw',
      new Error('x', {
        cause: new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        ),
      }),
    ],
    [
      'a 400 named TimeoutError',
      Object.assign(new HttpError(400, 'bad'), { name: 'TimeoutError' }),
    ],
  ])('when the error is %s', (_label, error) => {
    it('should not answer DependencyTimeoutException', () => {
      const response = handler().handle(error, post('Decrypt'));
      expect(JSON.parse(response.body)).not.toMatchObject({
        errorName: 'DependencyTimeoutException',
      });
      expect(response.headers['content-type']).toBe('application/json');
    });
  });

  describe.each([
    ['a validation error', new HttpError(400, 'bad input'), 'ValidationException', 400],
    ['a 403', new HttpError(403, 'denied'), 'AccessDeniedException', 403],
  ])('when %s happens on GetHealthStatus', (_label, error, errorName, status) => {
    it.each([
      ['warn', 500, INTERNAL_BODY],
      ['lenient', status, JSON.stringify({ errorName, errorMessage: error.message })],
      ['strict', 500, XKS_FALLBACK.body],
    ] as Array<[XksPolicy, number, string]>)(
      'should follow the %s policy',
      (policy, expectedStatus, body) => {
        const log = recorder();
        const response = handler({ logger: log.logger, xks: { policy } }).handle(
          error,
          post('GetHealthStatus'),
        );
        expect(response.status).toBe(expectedStatus);
        expect(response.body).toBe(body);
        expect(log.calls.filter((c) => c.level === 'warn')).toHaveLength(policy === 'warn' ? 1 : 0);
      },
    );
  });
});

describe('faults of other dialects', () => {
  describe.each([
    [
      'problem 404 on POST Encrypt',
      problem.fault(404, 'Nothing here'),
      post('Encrypt'),
      404,
      '{"errorName":"InvalidUriPathException","errorMessage":"Nothing here"}',
    ],
    [
      'problem 404 on GET Encrypt',
      problem.fault(404, 'Nothing here'),
      { method: 'GET', url: '/kms/xks/v1/keys/k1/encrypt' },
      405,
      '',
    ],
    [
      'xroad Client.BadRequest',
      xroad.fault('Client.BadRequest', 'bad'),
      post('Decrypt'),
      400,
      '{"errorName":"ValidationException","errorMessage":"bad"}',
    ],
    [
      'problem 503 hidden',
      problem.fault(503, 'db down', { expose: false }),
      post('Decrypt'),
      500,
      INTERNAL_BODY,
    ],
    [
      'problem 400 on health',
      problem.fault(400, 'bad'),
      post('GetHealthStatus'),
      500,
      INTERNAL_BODY,
    ],
    [
      'an xks fault with a name outside the seed',
      new Fault({
        dialect: 'xks',
        code: 'TeapotException',
        status: 418,
        message: 'short and stout',
      }),
      post('Encrypt'),
      400,
      '{"errorName":"ValidationException","errorMessage":"short and stout"}',
    ],
  ])('when the fault is %s', (_label, fault, request: RequestInfo, status, body) => {
    it(`should answer ${status} in XKS form`, () => {
      const response = handler().handle(fault, request);
      expect(response.status).toBe(status);
      expect(response.body).toBe(body);
      expect(response.fault.dialect).toBe('xks');
    });
  });
});

describe('the fallback', () => {
  describe('when render fails', () => {
    // The real runtime with a render that throws.
    const broken: Dialect<XksOptions> = {
      id: 'xks',
      catalog: xks.catalog,
      configure: (options) => ({
        ...xks.configure(options),
        render() {
          throw new Error('render failed');
        },
      }),
    };

    it('should answer the static XKS JSON InternalException, byte for byte', () => {
      const log = recorder();
      const response = handler({ dialect: broken, logger: log.logger }).handle(
        xks.fault('KeyNotFoundException'),
        post('Encrypt'),
      );
      expect(XKS_FALLBACK.body).toBe(INTERNAL_BODY);
      expect(response.status).toBe(500);
      expect(response.body).toBe(INTERNAL_BODY);
      expect(response.headers).toEqual({
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(INTERNAL_BODY)),
        'x-content-type-options': 'nosniff',
      });
      expect(JSON.parse(response.body)).toEqual({
        errorName: 'InternalException',
        errorMessage: INTERNAL.scenario,
      });
      expect((log.calls[0]?.event.formatterError as { message: string }).message).toBe(
        'render failed',
      );
    });
  });
});

describe('the allow option', () => {
  const HEALTH = '/kms/xks/v1/health';
  const handle = (options: object) =>
    createFaultHandler({
      dialect: xks,
      xks: options,
      logger: false,
      correlationId: () => 'id-1',
    } as FaultHandlerOptions).handle(
      xks.fault('ValidationException', 'requestMetadata is missing'),
      { method: 'POST', url: HEALTH },
    );

  it('should accept a listed name on a listed operation', () => {
    const res = handle({ allow: { GetHealthStatus: ['ValidationException'] } });
    expect(res.status).toBe(400);
    expect(res.body).toBe(
      '{"errorName":"ValidationException","errorMessage":"requestMetadata is missing"}',
    );
  });

  it('should keep the policy for names it does not list', () => {
    expect(handle({ allow: { GetHealthStatus: ['ThrottlingException'] } }).status).toBe(500);
  });

  it.each([
    [{ allow: [] }],
    [{ allow: { Sign: ['ValidationException'] } }],
    [{ allow: { GetHealthStatus: ['NoSuchException'] } }],
    [{ allow: { GetHealthStatus: 'ValidationException' } }],
  ])('should reject %j with a TypeError', (options) => {
    expect(() => handle(options)).toThrow(TypeError);
  });
});

describe('a 405 off the XKS API', () => {
  const handle = (headers?: Record<string, string>) =>
    createFaultHandler({
      dialect: xks,
      logger: false,
      correlationId: () => 'id-1',
    } as FaultHandlerOptions).handle(
      Object.assign(new Error('Method Not Allowed'), {
        status: 405,
        ...(headers === undefined ? {} : { headers }),
      }),
      { method: 'PUT', url: '/status' },
    );

  it('should keep 405 with the Allow header the error carries', () => {
    const res = handle({ Allow: 'GET' });
    expect([res.status, res.headers['allow']]).toEqual([405, 'GET']);
  });

  it('should answer 404 InvalidUriPathException when the error carries no Allow header', () => {
    const res = handle();
    expect([res.status, res.headers['allow'], JSON.parse(res.body).errorName]).toEqual([
      404,
      undefined,
      'InvalidUriPathException',
    ]);
  });
});
