/**
 * The AST dialect: the catalogue against the seed table (seed `001`, copied in
 * `test/fixtures/ast-seed.ts`), code arithmetic, fault construction, the JSON body and the
 * mapping of errors that are not AST faults (wire-formats.md Part 1 "AST certificate authority").
 */
import { createFaultHandler, problem, routeNotFound, xroad } from '../../../src/index';
import type { FaultHandlerOptions, RequestInfo } from '../../../src/index';
import {
  AST_ENTRIES,
  AST_SUBSYSTEM,
  AST_UNAUTHORIZED_CASES,
  ast,
} from '../../../src/dialects/ast/index';
import type { AstFaultOptions, AstOptions } from '../../../src/dialects/ast/index';
import { Fault } from '../../../src/fault';
import {
  SEED_GROUPS,
  SEED_ROWS,
  SEED_UNAUTHORIZED_CASES,
} from '../../../../../test/fixtures/ast-seed';

const ID = 'id-1';
const CSR = "The provided CSR's signature wasn't valid";
// wire-formats.md Part 1 "AST certificate authority", byte for byte.
const WIRE_FORMATS_BODY = `{"code":51010,"name":"InvalidCsrSignature","message":"${CSR}"}`;

function handler(astOptions?: AstOptions, extra: Partial<FaultHandlerOptions> = {}) {
  const options: FaultHandlerOptions & { ast?: AstOptions } = {
    dialect: ast,
    logger: false,
    correlationId: () => ID,
    ...(astOptions === undefined ? {} : { ast: astOptions }),
    ...extra,
  };
  return createFaultHandler(options);
}

// The body the dialect sends for a code, name and message, by default (no correlationId).
function body(code: number, name: string, message: string, rest = ''): string {
  return `{"code":${code},"name":"${name}","message":${JSON.stringify(message)}${rest}}`;
}

function withStatus(message: string, status: number, extra: object = {}): Error {
  return Object.assign(new Error(message), { status, statusCode: status }, extra);
}

describe('the seed fixture', () => {
  it('should concatenate every parsed row back to the line the seed prints', () => {
    const lines = SEED_GROUPS.flatMap((g) => g.rows);
    expect(lines.length).toBeGreaterThan(0);
    for (const [raw, row] of lines) expect(row.join('')).toBe(raw);
  });
});

describe('the catalogue', () => {
  it('should hold as many entries as the seed has rows, in the seed order', () => {
    expect(ast.catalog.entries).toHaveLength(SEED_ROWS.length);
    expect(AST_ENTRIES).toHaveLength(SEED_ROWS.length);
    expect(ast.catalog.entries.map((e) => e.code)).toEqual(
      SEED_ROWS.map(([[s, e]]) => Number(`${s}${e}`)),
    );
  });

  describe.each(
    SEED_ROWS.map(([row, heading]) => [`${row[0]}-${row[1]} ${row[3]}`, row, heading] as const),
  )('when the seed row is %s', (_label, [subsystem, error, status, name, details], heading) => {
    it('should be in the catalogue with its code, status, name, details and heading', () => {
      expect(subsystem).toBe(AST_SUBSYSTEM);
      const code = ast.code(subsystem, error);
      expect(ast.catalog.get(code)).toEqual({
        code,
        error,
        status,
        name,
        message: details,
        description: heading,
      });
    });
  });

  it('should keep the cases the seed lists under "Details about 510-401 Unauthorized"', () => {
    expect(AST_UNAUTHORIZED_CASES).toEqual(SEED_UNAUTHORIZED_CASES.map(([, text]) => text));
  });

  it('should have unique names', () => {
    expect(new Set(AST_ENTRIES.map((e) => e.name)).size).toBe(AST_ENTRIES.length);
  });
});

describe('code arithmetic', () => {
  it('should be exposed on the dialect for subsystem 510', () => {
    expect(ast.subsystem).toBe(510);
    expect(ast.SUBSYSTEM).toBe(510);
    expect(AST_SUBSYSTEM).toBe(510);
  });

  it.each([
    [510, 10, 51010],
    [510, 4001, 5104001],
    [510, 50021, 51050021],
    [516, 10, 51610],
    [580, 1, 5801],
  ])('should join subsystem %d and error %d into %d', (subsystem, error, full) => {
    expect(ast.code(subsystem, error)).toBe(full);
    expect(ast.decode(full, subsystem)).toEqual({ subsystem, error });
  });

  describe.each(AST_ENTRIES.map((e) => [e.code, e.error] as const))(
    'when the catalogue code is %d',
    (full, error) => {
      it('should be code(510, error) and decode back to its parts', () => {
        expect(ast.code(510, error)).toBe(full);
        expect(ast.decode(full)).toEqual({ subsystem: 510, error });
        expect(ast.decode(ast.code(510, error))).toEqual({ subsystem: 510, error });
      });
    },
  );

  it.each([
    ['another subsystem', 51610],
    ['the subsystem alone', 510],
    ['a leading zero after the subsystem', 51005],
    ['zero', 0],
    ['a negative code', -51010],
    ['a fraction', 51010.5],
    ['NaN', Number.NaN],
    ['an unsafe integer', 2 ** 60],
    ['a string', '51010' as unknown as number],
  ])('should decode %s to undefined', (_label, value) => {
    expect(ast.decode(value)).toBeUndefined();
  });

  it.each([
    ['a zero subsystem', 0, 10],
    ['a zero error code', 510, 0],
    ['a negative subsystem', -510, 10],
    ['a fractional error code', 510, 1.5],
    ['NaN', 510, Number.NaN],
    ['a string', '510' as unknown as number, 10],
    ['a result beyond a safe integer', 510, 2 ** 50],
  ])('should reject %s with a TypeError', (_label, subsystem, error) => {
    expect(() => ast.code(subsystem, error)).toThrow(TypeError);
  });

  it.each([0, -1, 5.1, Number.NaN])(
    'should reject decoding with subsystem %d with a TypeError',
    (subsystem) => {
      expect(() => ast.decode(51010, subsystem)).toThrow(TypeError);
    },
  );
});

describe('ast.fault', () => {
  describe.each(AST_ENTRIES.map((e) => [e.name, e] as const))(
    'when built from the name %s or its code',
    (_name, entry) => {
      it('should carry the catalogue code, status, name, message and description, exposed', () => {
        const expected = {
          dialect: 'ast',
          code: entry.code,
          status: entry.status,
          name: entry.name,
          message: entry.message,
          description: entry.description,
          expose: true,
        };
        expect(ast.fault(entry.name)).toMatchObject(expected);
        expect(ast.fault(entry.code)).toMatchObject(expected);
      });
    },
  );

  describe('when given a message and options', () => {
    const cause = new Error('ASN.1 parse error');
    const details = [{ pointer: '/body/csr', message: 'is not PEM', keyword: 'format' }];
    const fault = ast.fault(
      'InvalidCsrSignature',
      'The CSR for device 7 was signed with another key',
      {
        details,
        headers: { 'x-ast-hint': 'resign' },
        cause,
        expose: false,
      },
    );

    it('should keep them', () => {
      expect(fault).toBeInstanceOf(Fault);
      expect(fault).toMatchObject({
        message: 'The CSR for device 7 was signed with another key',
        details,
        headers: { 'x-ast-hint': 'resign' },
        expose: false,
        status: 403,
      });
      expect(fault.cause).toBe(cause);
    });
  });

  describe("when the code is of a team's own subsystem and a status is given", () => {
    it('should take the status and name', () => {
      expect(
        ast.fault(51610, 'The TMS is locked by a different client', {
          status: 409,
          name: 'Locked',
        }),
      ).toMatchObject({
        code: 51610,
        status: 409,
        name: 'Locked',
        message: 'The TMS is locked by a different client',
        description: undefined,
      });
    });

    it('should default the name to the code and the message to the reason phrase', () => {
      expect(ast.fault(51610, undefined, { status: 409 })).toMatchObject({
        code: 51610,
        name: '51610',
        message: 'Conflict',
      });
    });
  });

  it.each([
    ['an unknown name', 'NoSuchError', undefined, {}],
    ['a numeric string', '51010', undefined, {}],
    ['a code outside the catalogue without a status', 51610, undefined, {}],
    ['a subsystem-510 code outside the catalogue', 51099, undefined, { status: 400 }],
    ['zero', 0, undefined, {}],
    ['a negative code', -51010, undefined, {}],
    ['a fractional code', 51010.5, undefined, {}],
    ['null', null, undefined, {}],
    ['a message that is not a string', 'BadKey', 42, {}],
    ['a status outside 400-599', 51610, undefined, { status: 200 }],
    ['another status for a catalogue code', 'InvalidCsrSignature', undefined, { status: 400 }],
    ['another name for a catalogue code', 51010, undefined, { name: 'CsrBroken' }],
    ['an empty name', 51610, undefined, { status: 409, name: '' }],
    ['a non-boolean expose', 'BadKey', undefined, { expose: 'yes' }],
    [
      'details that are not an array',
      'BadRequest',
      undefined,
      { details: { pointer: '', message: 'x' } },
    ],
    ['a detail without a pointer', 'BadRequest', undefined, { details: [{ message: 'x' }] }],
    [
      'a detail with a numeric keyword',
      'BadRequest',
      undefined,
      { details: [{ pointer: '', message: 'x', keyword: 1 }] },
    ],
    ['headers that are an array', 'BadKey', undefined, { headers: [] }],
    ['options that are null', 'BadKey', undefined, null],
  ])('should reject %s with a TypeError', (_label, nameOrCode, message, options) => {
    expect(() =>
      ast.fault(nameOrCode as never, message as never, options as unknown as AstFaultOptions),
    ).toThrow(TypeError);
  });

  it('should accept the same status and name a catalogue code has', () => {
    expect(ast.fault(51010, undefined, { status: 403, name: 'InvalidCsrSignature' }).status).toBe(
      403,
    );
  });
});

describe('the response', () => {
  describe('when a catalogue fault is thrown', () => {
    const response = handler().handle(ast.fault('InvalidCsrSignature'));

    it('should send the catalogue status and the wire-formats body byte for byte', () => {
      expect(response.status).toBe(403);
      expect(response.body).toBe(WIRE_FORMATS_BODY);
      expect(response.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)));
    });
  });

  describe('when the correlationId member is turned on', () => {
    it('should send the correlation id after message', () => {
      expect(handler({ correlationId: true }).handle(ast.fault('InvalidCsrSignature')).body).toBe(
        `{"code":51010,"name":"InvalidCsrSignature","message":"${CSR}","correlationId":"${ID}"}`,
      );
    });
  });

  describe.each(AST_ENTRIES.map((e) => [e.code, e] as const))(
    'when the fault is %d',
    (_code, entry) => {
      it('should send its status and its catalogue body', () => {
        const response = handler().handle(ast.fault(entry.name));
        expect(response.status).toBe(entry.status);
        expect(response.body).toBe(body(entry.code, entry.name, entry.message));
      });
    },
  );

  describe('when the fault carries validation details', () => {
    it('should send them after the correlation id, without absent keywords', () => {
      const fault = ast.fault('MissingField', 'subject and csr are required', {
        details: [
          { pointer: '/body/subject', message: 'is required', keyword: 'required' },
          { pointer: '/body/csr', message: 'must be PEM' },
        ],
      });
      expect(handler().handle(fault).body).toBe(
        body(
          5104001,
          'MissingField',
          'subject and csr are required',
          ',"details":[{"pointer":"/body/subject","message":"is required","keyword":"required"},{"pointer":"/body/csr","message":"must be PEM"}]',
        ),
      );
    });
  });

  describe('when the message holds characters JSON must escape', () => {
    it('should send valid JSON carrying the message unchanged', () => {
      const message = 'line "1"\nline \\2\u2028\u0000';
      const response = handler().handle(ast.fault('BadFilter', message));
      expect(JSON.parse(response.body)).toEqual({ code: 5104004, name: 'BadFilter', message });
    });
  });

  describe('when the fault hides its message', () => {
    const fault = ast.fault('DbError', 'connection to db-1:5432 refused', { expose: false });

    it('should send the catalogue message', () => {
      expect(handler().handle(fault).body).toBe(
        body(5105001, 'DbError', 'An unexpected error occurred during a database operation'),
      );
    });

    it('should send the real message and a debug member with debug: true', () => {
      const sent = JSON.parse(handler(undefined, { debug: true }).handle(fault).body) as Record<
        string,
        unknown
      >;
      expect(sent).toMatchObject({ code: 5105001, message: 'connection to db-1:5432 refused' });
      expect(Object.keys(sent)).toEqual(['code', 'name', 'message', 'debug']);
    });
  });

  describe("when the fault has a team's own code", () => {
    it('should send that code, its name and status', () => {
      const response = handler().handle(
        ast.fault(51610, 'The TMS is locked by a different client', {
          status: 409,
          name: 'Locked',
        }),
      );
      expect(response.status).toBe(409);
      expect(response.body).toBe(body(51610, 'Locked', 'The TMS is locked by a different client'));
    });
  });

  describe('when the client asks for XML', () => {
    it('should still answer JSON, the only encoding', () => {
      const request: RequestInfo = {
        method: 'GET',
        url: '/x',
        headers: { accept: 'application/xml' },
      };
      const response = handler().handle(ast.fault('BadKey'), request);
      expect(response.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(response.body).toBe(
        body(51012, 'BadKey', "The provided CSR's key doesn't meet requirements"),
      );
    });
  });

  describe('when the fault cannot be rendered', () => {
    it('should send the JSON InternalError fallback, not text/plain', () => {
      const details = [
        {
          get pointer(): string {
            throw new Error('hostile getter');
          },
          message: 'x',
        },
      ];
      const fault = new Fault({ dialect: 'ast', code: 510400, status: 400, message: 'm', details });
      const response = handler().handle(fault);
      expect(response.status).toBe(500);
      expect(response.body).toBe(
        '{"code":510500,"name":"InternalError","message":"An unexpected error occurred"}',
      );
      expect(response.headers['content-type']).toBe('application/json;charset=utf-8');
    });
  });
});

describe('errors that are not AST faults', () => {
  const fastifyValidation = (items: object[]) =>
    Object.assign(new Error('body/subject must be a string'), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      validation: items,
      validationContext: 'body',
    });
  const required = {
    instancePath: '',
    keyword: 'required',
    message: "must have required property 'subject'",
    params: { missingProperty: 'subject' },
  };
  const type = { instancePath: '/csr', keyword: 'type', message: 'must be string', params: {} };

  it.each([
    [
      'a Fastify validation error of missing properties only',
      fastifyValidation([required]),
      400,
      body(
        5104001,
        'MissingField',
        'body/subject must be a string',
        ',"details":[{"pointer":"/body/subject","message":"must have required property \'subject\'","keyword":"required"}]',
      ),
    ],
    [
      'a Fastify validation error of mixed problems',
      fastifyValidation([required, type]),
      400,
      body(
        510400,
        'BadRequest',
        'body/subject must be a string',
        ',"details":[{"pointer":"/body/subject","message":"must have required property \'subject\'","keyword":"required"},{"pointer":"/body/csr","message":"must be string","keyword":"type"}]',
      ),
    ],
    [
      'a plain 400',
      withStatus('tenant must be lower-case', 400),
      400,
      body(510400, 'BadRequest', 'tenant must be lower-case'),
    ],
    [
      'an Express body-parser JSON error',
      Object.assign(new SyntaxError('Unexpected end of JSON input'), {
        status: 400,
        statusCode: 400,
        expose: true,
        type: 'entity.parse.failed',
      }),
      400,
      body(5104005, 'MalformedBody', 'The request body could not be parsed'),
    ],
    [
      'a Fastify invalid JSON body',
      Object.assign(new SyntaxError('Unexpected end of JSON input'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      }),
      400,
      body(5104005, 'MalformedBody', 'The request body could not be parsed'),
    ],
    ['a 401', withStatus('token expired', 401), 401, body(510401, 'Unauthorized', 'token expired')],
    [
      'a 403',
      withStatus('tenant mismatch', 403),
      403,
      body(510403, 'Forbidden', 'tenant mismatch'),
    ],
    [
      'an unknown route',
      routeNotFound('GET', '/v1/nope?x=1'),
      404,
      body(5104041, 'SignerNotFound', 'No route for GET /v1/nope'),
    ],
    [
      'a plain 404',
      withStatus('Signer 7 does not exist', 404),
      404,
      body(5104041, 'SignerNotFound', 'Signer 7 does not exist'),
    ],
    [
      'an unexpected Error',
      new Error('password=hunter2 rejected by db'),
      500,
      body(510500, 'InternalError', 'An unexpected error occurred'),
    ],
    ['a thrown string', 'boom', 500, body(510500, 'InternalError', 'An unexpected error occurred')],
    [
      'a 502',
      withStatus('upstream 10.0.0.7 reset', 502),
      500,
      body(510500, 'InternalError', 'An unexpected error occurred'),
    ],
    [
      'a 503',
      withStatus('db.internal:5432 down', 503),
      503,
      body(
        510503,
        'ServiceUnavailable',
        "The service's availability was disrupted, look for details in the message.",
      ),
    ],
    [
      'a 429',
      withStatus('Too many CSRs', 429),
      503,
      body(510503, 'ServiceUnavailable', 'Too many CSRs'),
    ],
    [
      'a 405',
      withStatus('Method PATCH not allowed', 405),
      400,
      body(510400, 'BadRequest', 'Method PATCH not allowed'),
    ],
    [
      'a too-large body',
      Object.assign(new Error('request entity too large'), {
        status: 413,
        statusCode: 413,
        expose: true,
        type: 'entity.too.large',
      }),
      400,
      body(510400, 'BadRequest', 'The request body is too large'),
    ],
    ['a 409', withStatus('Signer exists', 409), 400, body(510400, 'BadRequest', 'Signer exists')],
  ])(
    'should answer %s with the mapped code and the catalogue status',
    (_label, thrown, status, expected) => {
      const response = handler().handle(thrown);
      expect(response.status).toBe(status);
      expect(response.body).toBe(expected);
    },
  );

  it('should keep the headers an error carries', () => {
    const thrown = withStatus('token expired', 401, {
      headers: { 'www-authenticate': 'Bearer realm="ast"' },
    });
    expect(handler().handle(thrown).headers['www-authenticate']).toBe('Bearer realm="ast"');
  });

  it.each([
    ['a name', 'KeyNotFound'],
    ['a code', 5104045],
  ])('should answer not-found errors with the notFound option given as %s', (_label, notFound) => {
    const response = handler({ notFound: notFound as AstOptions['notFound'] }).handle(
      routeNotFound('GET', '/keys/k1'),
    );
    expect(response.status).toBe(404);
    expect(response.body).toBe(body(5104045, 'KeyNotFound', 'No route for GET /keys/k1'));
  });
});

describe('faults of other dialects and hand-built AST faults', () => {
  it.each([
    [
      'an X-Road client fault',
      xroad.fault('Client.BadRequest', 'id is missing'),
      400,
      body(510400, 'BadRequest', 'id is missing'),
    ],
    [
      'a problem 404',
      problem.fault(404, 'Certificate 9 is gone'),
      404,
      body(5104041, 'SignerNotFound', 'Certificate 9 is gone'),
    ],
    [
      'a problem 401',
      problem.fault(401, 'No token'),
      401,
      body(510401, 'Unauthorized', 'No token'),
    ],
    [
      'an X-Road server fault',
      xroad.fault('Server.ServerProxy.AccessDenied', 'secret'),
      500,
      body(510500, 'InternalError', 'secret'),
    ],
    [
      'an AST fault with a catalogue code but another status and name',
      new Fault({
        dialect: 'ast',
        code: 51010,
        status: 500,
        message: 'bad signature',
        expose: true,
      }),
      403,
      body(51010, 'InvalidCsrSignature', 'bad signature'),
    ],
    [
      'an AST fault whose code is a string of digits',
      new Fault({ dialect: 'ast', code: '5104001', status: 400, message: 'm' }),
      400,
      body(5104001, 'MissingField', 'm'),
    ],
    [
      'an AST fault whose code is no number',
      new Fault({ dialect: 'ast', code: 'Oops', status: 409, message: 'conflict' }),
      400,
      body(510400, 'BadRequest', 'conflict'),
    ],
    [
      "an AST fault of a team's own code",
      new Fault({
        dialect: 'ast',
        code: 51611,
        status: 410,
        message: 'done',
        name: 'AlreadyComplete',
      }),
      410,
      body(51611, 'AlreadyComplete', 'done'),
    ],
  ])('should answer %s in the AST form', (_label, thrown, status, expected) => {
    const response = handler().handle(thrown);
    expect(response.status).toBe(status);
    expect(response.body).toBe(expected);
  });
});

describe('configure', () => {
  it.each([
    ['a non-boolean correlationId', { correlationId: 'yes' }],
    ['a notFound entry whose status is not 404', { notFound: 'BadRequest' }],
    ['an unknown notFound name', { notFound: 'NotFound' }],
    ['an unknown notFound code', { notFound: 510404 }],
  ])('should reject %s with a TypeError naming the option', (_label, options) => {
    expect(() => ast.configure(options as unknown as AstOptions)).toThrow(
      /ast\.(correlationId|notFound)/,
    );
    expect(() => ast.configure(options as unknown as AstOptions)).toThrow(TypeError);
  });

  it('should reject options that are not an object', () => {
    expect(() => ast.configure(null as unknown as AstOptions)).toThrow(TypeError);
  });

  it('should be a frozen dialect value with the id ast', () => {
    expect(Object.isFrozen(ast)).toBe(true);
    expect(ast.configure()).toMatchObject({ id: 'ast', catalog: ast.catalog });
  });
});
