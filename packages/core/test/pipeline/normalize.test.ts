/**
 * Step 1 and 2 of the pipeline: reading any thrown value safely, and classifying the errors
 * that are not faults (reliability rows 3, 5, 10–14 and 28).
 */
import { Fault, buildFault } from '../../src/fault';
import { normalize } from '../../src/pipeline/normalize';
import { DEFAULT_LIMITS } from '../../src/pipeline/limits';

const MAX_MESSAGE = DEFAULT_LIMITS.message;
import { ROUTE_NOT_FOUND, routeNotFound } from '../../src/pipeline/recognise/framework';
import { classify, classifyFault } from '../../src/pipeline/classify';
import type { ProblemKind } from '../../src/pipeline/types';
import { SECRET, hostileValues } from '../support/hostile';

class StatusCarrier {
  readonly message = 'not an Error';
  readonly status = 404;
}

const HOSTILE = hostileValues();

describe('normalize', () => {
  describe.each(HOSTILE)('when the thrown value is %s', (_label, value) => {
    it('should never throw, trusted or not', () => {
      expect(() => normalize(value)).not.toThrow();
      expect(() => normalize(value, true)).not.toThrow();
    });

    it('should keep the value and classify it as an unexposed internal 500', () => {
      for (const trust of [false, true]) {
        const like = normalize(value, trust);
        expect(like.value).toBe(value);
        const problem = classify(like);
        expect(problem).toMatchObject({ kind: 'internal', status: 500, expose: false });
        expect(problem.message).not.toContain(SECRET);
      }
    });
  });

  describe('when the thrown value is a primitive', () => {
    it('should be neither an Error nor trusted', () => {
      expect(normalize('str')).toEqual({ value: 'str', trusted: false });
    });
  });

  describe('when the thrown value is an Error', () => {
    it('should read its fields', () => {
      const err = Object.assign(new TypeError('bad input'), {
        code: 'E_BAD',
        status: 422,
        expose: true,
        type: 'entity.parse.failed',
      });
      expect(normalize(err)).toEqual({
        value: err,
        trusted: true,
        name: 'TypeError',
        message: 'bad input',
        code: 'E_BAD',
        status: 422,
        expose: true,
        headers: undefined,
        framework: 'invalidBody',
        frameworkText: 'The request body could not be parsed',
        validation: undefined,
      });
    });

    it.each([
      ['an object code', { code: { a: 1 } }, undefined],
      ['a numeric code', { code: 51010 }, 51010],
    ])('should keep only string or number codes (%s)', (_label, extra, code) => {
      expect(normalize(Object.assign(new Error('x'), extra)).code).toBe(code);
    });

    it('should ignore a non-boolean expose', () => {
      expect(
        normalize(Object.assign(new Error('x'), { status: 400, expose: 'yes' })).expose,
      ).toBeUndefined();
    });

    it(`should cut a message longer than ${MAX_MESSAGE} units`, () => {
      const message = normalize(new Error('m'.repeat(10 * MAX_MESSAGE))).message ?? '';
      expect(message).toHaveLength(MAX_MESSAGE);
      expect(message.endsWith('… [truncated]')).toBe(true);
    });
  });

  describe('when an Error carries headers', () => {
    const headers = { 'Retry-After': '10', 'x-bad': 'a\r\nb' };

    it('should keep the sanitised headers when it carries a valid status', () => {
      expect(normalize(Object.assign(new Error('x'), { status: 429, headers })).headers).toEqual({
        'retry-after': '10',
      });
    });

    it.each([undefined, 200, 1000, '429'])('should drop them when the status is %p', (status) => {
      expect(normalize(Object.assign(new Error('x'), { status, headers })).headers).toBeUndefined();
    });
  });

  describe('when the thrown value is a plain object (reliability row 13)', () => {
    const value = { message: 'x', statusCode: 400, foo: 'secret', headers: { 'x-a': '1' } };

    it('should not trust it by default', () => {
      const like = normalize(value);
      expect(like).toEqual({ value, trusted: false, message: 'x' });
      expect(classify(like)).toEqual({
        kind: 'internal',
        status: 500,
        message: '',
        expose: false,
        cause: value,
        trusted: false,
      });
    });

    it('should trust it with normalize(v, true)', () => {
      const like = normalize(value, true);
      expect(like).toMatchObject({
        trusted: true,
        message: 'x',
        status: 400,
        headers: { 'x-a': '1' },
      });
      expect(classify(like)).toEqual({
        kind: 'badRequest',
        status: 400,
        message: 'x',
        expose: true,
        headers: { 'x-a': '1' },
        cause: value,
        trusted: true,
      });
    });

    it('should never copy arbitrary properties', () => {
      expect(
        JSON.stringify(classify(normalize(value, true)), (k, v: unknown) =>
          k === 'cause' ? undefined : v,
        ),
      ).not.toContain('secret');
    });
  });

  describe('when the thrown value is a class instance without Error in its chain (reliability row 13)', () => {
    it('should ignore its status unless objects are trusted', () => {
      const value = new StatusCarrier();
      expect(classify(normalize(value))).toMatchObject({
        kind: 'internal',
        status: 500,
        message: '',
        expose: false,
      });
      expect(classify(normalize(value, true))).toMatchObject({
        kind: 'notFound',
        status: 404,
        message: 'not an Error',
        expose: true,
      });
    });
  });

  describe('when the thrown value is a fault of this install', () => {
    it('should pass it through as like.fault', () => {
      const fault = new Fault({
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        message: 'No id',
      });
      const like = normalize(fault);
      expect(like.fault).toBe(fault);
      expect(like).toMatchObject({ trusted: true, status: 400, message: 'No id' });
      expect(like).not.toHaveProperty('code'); // the event carries the fault's final code once
    });

    it('should pass a stack-less built fault through too', () => {
      const fault = buildFault({
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        message: '',
      });
      expect(normalize(fault).fault).toBe(fault);
    });
  });

  describe('when the thrown value is a fault of another install', () => {
    const foreign = {
      [Symbol.for('faultline.fault')]: true,
      dialect: 'xroad',
      code: 'Client.BadRequest',
      status: 400,
      message: 'from elsewhere',
      expose: true,
      headers: { 'Retry-After': '3', 'content-type': 'text/html' },
      correlationId: 'up-1',
      stack: 'Error: from elsewhere\n    at x (y.js:1:1)',
    };

    it('should rebuild it as a fault of this install', () => {
      const fault = normalize(foreign).fault;
      expect(fault).toBeDefined();
      expect(Object.getPrototypeOf(fault)).toBe(Fault.prototype);
      expect(fault).toMatchObject({
        dialect: 'xroad',
        code: 'Client.BadRequest',
        status: 400,
        message: 'from elsewhere',
        expose: true,
        headers: { 'retry-after': '3' },
        correlationId: 'up-1',
      });
      expect(fault?.stack).toBe(foreign.stack);
    });

    it('should fall back to safe values for garbage fields', () => {
      const fault = normalize({
        [Symbol.for('faultline.fault')]: true,
        code: {},
        status: 1000,
        message: 42,
        expose: 'yes',
      }).fault;
      expect(fault).toMatchObject({
        dialect: 'unknown',
        code: 'unknown',
        status: 500,
        message: '',
        expose: false,
      });
    });

    it('should rebuild a branded Proxy whose other reads throw', () => {
      const proxy = new Proxy(
        {},
        {
          get(_target, key) {
            if (key === Symbol.for('faultline.fault')) return true;
            throw new Error(SECRET);
          },
          getPrototypeOf() {
            throw new Error(SECRET);
          },
        },
      );
      const like = normalize(proxy);
      expect(like.fault).toMatchObject({
        code: 'unknown',
        status: 500,
        message: '',
        expose: false,
      });
    });
  });
});

describe('classify', () => {
  describe('when the error is a Fastify validation error', () => {
    const err = Object.assign(new Error("body must have required property 'name'"), {
      code: 'FST_ERR_VALIDATION',
      statusCode: 400,
      validationContext: 'body',
      validation: [
        {
          instancePath: '',
          schemaPath: '#/required',
          keyword: 'required',
          params: { missingProperty: 'name' },
          message: "must have required property 'name'",
        },
        {
          instancePath: '/role',
          schemaPath: '#/properties/role/enum',
          keyword: 'enum',
          params: { allowedValues: ['admin-secret-value'] },
          message: 'must be equal to one of the allowed values',
        },
      ],
    });
    const problem = classify(normalize(err));

    it('should be a 400 validation problem with the message exposed', () => {
      expect(problem).toMatchObject({
        kind: 'validation',
        status: 400,
        message: "body must have required property 'name'",
        expose: true,
      });
    });

    it('should give pointers, messages and keywords', () => {
      expect(problem.details).toEqual([
        {
          pointer: '/body/name',
          message: "must have required property 'name'",
          keyword: 'required',
        },
        {
          pointer: '/body/role',
          message: 'must be equal to one of the allowed values',
          keyword: 'enum',
        },
      ]);
    });

    it('should never carry the ajv params values', () => {
      expect(JSON.stringify(problem.details)).not.toContain('admin-secret-value');
    });
  });

  describe('when validation items are odd', () => {
    it.each([
      [
        'a missing property with / and ~',
        'body',
        [{ instancePath: '', params: { missingProperty: 'a/b~c' }, message: 'm' }],
        '/body/a~1b~0c',
      ],
      [
        'a querystring context',
        'querystring',
        [{ instancePath: '/page', message: 'm' }],
        '/querystring/page',
      ],
      ['an unsafe context', '../etc', [{ instancePath: '/page', message: 'm' }], '/page'],
      ['an upper-case context', 'Body', [{ instancePath: '/page', message: 'm' }], '/page'],
    ])('should build the pointer for %s', (_label, validationContext, validation, pointer) => {
      const like = normalize(
        Object.assign(new Error('x'), { statusCode: 400, validationContext, validation }),
      );
      expect(like.validation?.[0]?.pointer).toBe(pointer);
    });

    it('should skip non-object items and default a missing message', () => {
      const like = normalize(
        Object.assign(new Error('x'), {
          statusCode: 400,
          validation: [null, 'x', 1, { instancePath: '/a' }],
        }),
      );
      expect(like.validation).toEqual([{ pointer: '/a', message: 'is invalid' }]);
    });

    it('should keep at most 100 items', () => {
      const validation = Array.from({ length: 500 }, (_, i) => ({
        instancePath: `/${i}`,
        message: 'm',
      }));
      expect(
        normalize(Object.assign(new Error('x'), { statusCode: 400, validation })).validation,
      ).toHaveLength(100);
    });

    it('should classify an error carrying a validation array as validation even without the Fastify code', () => {
      expect(
        classify(normalize(Object.assign(new Error('x'), { statusCode: 400, validation: [] })))
          .kind,
      ).toBe('validation');
    });
  });

  describe.each([
    [
      'FST_ERR_CTP_INVALID_JSON_BODY',
      400,
      'invalidBody',
      "Body is not valid JSON but content-type is set to 'application/json'",
      'The request body could not be parsed',
    ],
    [
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      400,
      'invalidBody',
      "Body cannot be empty when content-type is set to 'application/json'",
      'The request body could not be parsed',
    ],
    [
      'FST_ERR_CTP_BODY_TOO_LARGE',
      413,
      'payloadTooLarge',
      'Request body is too large',
      'The request body is too large',
    ],
    [
      'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      415,
      'unsupportedMediaType',
      'Unsupported Media Type: application/x-evil',
      'The request content type or encoding is not supported',
    ],
    [
      'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      400,
      'badRequest',
      'Request body size did not match Content-Length',
      'The request body does not match its Content-Length',
    ],
    [
      'FST_ERR_BAD_URL',
      400,
      'badRequest',
      "'/%' is not a valid url component",
      'The request URL is not valid',
    ],
    ['FST_ERR_NOT_FOUND', 404, 'notFound', 'Route GET:/<x> not found', 'Not Found'],
  ] as Array<[string, number, ProblemKind, string, string]>)(
    'when the error is the Fastify error %s',
    (code, statusCode, kind, original, message) => {
      it(`should be ${kind} with status ${statusCode} and the canonical message`, () => {
        const err = Object.assign(new Error(original), { name: 'FastifyError', code, statusCode });
        expect(classify(normalize(err))).toMatchObject({
          kind,
          status: statusCode,
          message,
          expose: true,
        });
      });
    },
  );

  describe.each([
    ['entity.parse.failed', 400, 'invalidBody', 'The request body could not be parsed'],
    ['entity.too.large', 413, 'payloadTooLarge', 'The request body is too large'],
    ['parameters.too.many', 413, 'payloadTooLarge', 'The request body is too large'],
    [
      'encoding.unsupported',
      415,
      'unsupportedMediaType',
      'The request content type or encoding is not supported',
    ],
    [
      'charset.unsupported',
      415,
      'unsupportedMediaType',
      'The request content type or encoding is not supported',
    ],
    ['request.aborted', 400, 'badRequest', 'The request was aborted before its body was read'],
    [
      'request.size.invalid',
      400,
      'badRequest',
      'The request body does not match its Content-Length',
    ],
    ['entity.verify.failed', 403, 'forbidden', 'The request body failed verification'],
  ] as Array<[string, number, ProblemKind, string]>)(
    'when the error is a body-parser error of type %s',
    (type, status, kind, message) => {
      it(`should be ${kind} with status ${status} and a fixed text, never the library's message`, () => {
        const err = Object.assign(new Error('parser message'), {
          type,
          status,
          statusCode: status,
          expose: true,
          body: '{"secret":',
        });
        expect(classify(normalize(err))).toMatchObject({ kind, status, message, expose: true });
      });
    },
  );

  describe.each([
    [400, 'badRequest', true],
    [401, 'unauthorized', true],
    [403, 'forbidden', true],
    [404, 'notFound', true],
    [405, 'methodNotAllowed', true],
    [413, 'payloadTooLarge', true],
    [415, 'unsupportedMediaType', true],
    [418, 'clientError', true],
    [422, 'validation', true],
    [429, 'tooManyRequests', true],
    [500, 'serverError', false],
    [503, 'serverError', false],
  ] as Array<[number, ProblemKind, boolean]>)(
    'when the error is an http-errors-like Error with status %i',
    (status, kind, expose) => {
      it(`should be ${kind}, exposed: ${String(expose)}`, () => {
        const err = Object.assign(new Error('http error'), { status, statusCode: status });
        expect(classify(normalize(err))).toEqual({
          kind,
          status,
          message: 'http error',
          expose,
          name: 'Error',
          cause: err,
          trusted: true,
        });
      });
    },
  );

  describe('when the error is Boom-like', () => {
    it('should take the status and headers from output', () => {
      const err = Object.assign(new Error('Widget not found'), {
        isBoom: true,
        output: {
          statusCode: 404,
          headers: { 'WWW-Authenticate': 'Bearer', 'x-bad': 'a\nb' },
          payload: {},
        },
      });
      expect(classify(normalize(err))).toEqual({
        kind: 'notFound',
        status: 404,
        message: 'Widget not found',
        expose: true,
        headers: { 'www-authenticate': 'Bearer' },
        name: 'Error',
        cause: err,
        trusted: true,
      });
    });

    it('should ignore output when isBoom is not exactly true', () => {
      const err = Object.assign(new Error('x'), { isBoom: 'yes', output: { statusCode: 404 } });
      expect(classify(normalize(err))).toMatchObject({ kind: 'internal', status: 500 });
    });
  });

  describe('when the error is a plain Error', () => {
    it('should be an internal 500 with expose false', () => {
      const err = new Error('db password=hunter2');
      expect(classify(normalize(err))).toEqual({
        kind: 'internal',
        status: 500,
        message: 'db password=hunter2',
        expose: false,
        name: 'Error',
        cause: err,
        trusted: true,
      });
    });
  });

  describe('when expose contradicts the status class (reliability row 3)', () => {
    it('should expose a 5xx that says expose: true', () => {
      expect(
        classify(
          normalize(Object.assign(new Error('upstream down'), { status: 503, expose: true })),
        ),
      ).toMatchObject({
        status: 503,
        expose: true,
      });
    });

    it('should hide a 4xx that says expose: false', () => {
      expect(
        classify(
          normalize(Object.assign(new Error('internal detail'), { status: 404, expose: false })),
        ),
      ).toMatchObject({
        status: 404,
        expose: false,
      });
    });
  });

  describe('when a fallback status is given', () => {
    it.each([400, 404, 503])(
      'should use %i for an error without a status, without exposing it',
      (fallback) => {
        expect(classify(normalize(new Error('x')), fallback)).toMatchObject({
          status: fallback,
          expose: false,
        });
      },
    );

    it('should pick the kind from the fallback status', () => {
      expect(classify(normalize(new Error('x')), 404).kind).toBe('notFound');
      expect(classify(normalize(new Error('x')), 503).kind).toBe('internal');
    });

    it.each([200, 302, 399, 600, 404.5, NaN])(
      'should ignore the non-error status %p',
      (fallback) => {
        expect(classify(normalize(new Error('x')), fallback)).toMatchObject({
          kind: 'internal',
          status: 500,
        });
      },
    );

    it("should lose to the error's own status", () => {
      expect(classify(normalize(Object.assign(new Error('x'), { status: 409 })), 503).status).toBe(
        409,
      );
    });

    it('should apply to an untrusted object too', () => {
      expect(classify(normalize({ status: 409 }), 404)).toMatchObject({
        kind: 'notFound',
        status: 404,
        message: '',
      });
    });
  });
});

describe('classifyFault', () => {
  it.each([
    [404, 'notFound'],
    [418, 'clientError'],
    [502, 'serverError'],
  ] as Array<[number, ProblemKind]>)(
    'should turn a fault with status %i into a %s problem',
    (status, kind) => {
      const fault = new Fault({
        dialect: 'other',
        code: 'E1',
        status,
        message: 'm',
        headers: { 'x-a': '1' },
        details: [],
      });
      expect(classifyFault(fault)).toEqual({
        kind,
        status,
        message: 'm',
        expose: status < 500,
        headers: { 'x-a': '1' },
        details: [],
        cause: fault,
        trusted: true,
      });
    },
  );
});

describe('classify and the error name and code', () => {
  it('should carry them for dialects that map Node errors', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(classify(normalize(err))).toMatchObject({
      kind: 'internal',
      name: 'Error',
      code: 'ECONNREFUSED',
    });
    expect(classify(normalize(new DOMException('aborted', 'AbortError')))).toMatchObject({
      name: 'AbortError',
    });
  });

  it('should not carry them for untrusted values', () => {
    expect(classify(normalize({ name: 'AbortError', code: 'ETIMEDOUT' }))).not.toHaveProperty(
      'code',
    );
  });
});

describe('routeNotFound', () => {
  describe('when the URL has a query string', () => {
    it('should drop it', () => {
      const err = routeNotFound('POST', '/r1/x?token=secret');
      expect(err.message).toBe('No route for POST /r1/x');
    });
  });

  describe('when the path is very long', () => {
    it('should cap it at 256 characters', () => {
      const err = routeNotFound('GET', `/${'a'.repeat(999)}`);
      expect(err.message).toBe(`No route for GET /${'a'.repeat(242)}… [truncated]`);
    });
  });

  describe('when method and URL are missing', () => {
    it('should default to GET /', () => {
      expect(routeNotFound(undefined, undefined).message).toBe('No route for GET /');
    });
  });

  describe('when built', () => {
    it('should be a real Error whose stack names no frames, and leave the stack limit as it was', () => {
      const limit = Error.stackTraceLimit;
      const err = routeNotFound('GET', '/nope');
      expect(err).toBeInstanceOf(Error);
      expect(err.stack).toBe('Error: No route for GET /nope');
      expect(Error.stackTraceLimit).toBe(limit);
    });
  });

  describe('when classified', () => {
    it('should be an exposed 404 notFound problem carrying the faultline code', () => {
      const err = routeNotFound('GET', '/nope');
      expect(err).toMatchObject({ status: 404, expose: true, code: ROUTE_NOT_FOUND });
      expect(classify(normalize(err))).toMatchObject({
        kind: 'notFound',
        status: 404,
        message: 'No route for GET /nope',
        expose: true,
      });
    });
  });
});

describe('a fault from another install of faultline', () => {
  it('should keep its name, description and details when rebuilt', () => {
    const foreign = {
      [Symbol.for('faultline.fault')]: true,
      dialect: 'xroad',
      code: 'Client.BadRequest',
      status: 400,
      message: 'invalid',
      name: 'BadRequest',
      description: 'the caller erred',
      details: [
        { pointer: '/body/id', message: 'is required', keyword: 'required' },
        { pointer: 1 },
        null,
      ],
    };
    const like = normalize(foreign);
    expect(like.fault).toBeInstanceOf(Fault);
    expect(like.fault).toMatchObject({
      name: 'BadRequest',
      description: 'the caller erred',
      details: [{ pointer: '/body/id', message: 'is required', keyword: 'required' }],
    });
  });
});

describe('an Error from another realm', () => {
  it('should be read as an Error although instanceof Error fails', () => {
    const foreign = require('node:vm').runInNewContext(
      "Object.assign(new TypeError('fetch failed'), { status: 404 })",
    ) as object;
    expect(foreign instanceof Error).toBe(false);
    expect(normalize(foreign)).toMatchObject({
      trusted: true,
      name: 'TypeError',
      message: 'fetch failed',
      status: 404,
    });
  });
});
