/**
 * The RFC 9457 problem+json dialect (wire-formats.md Part 1 "problem+json").
 */
import { createFaultHandler, problem, routeNotFound, xroad } from '../../../src/index';
import type { FaultHandlerOptions, RequestInfo } from '../../../src/index';

function handler(options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: 'problem',
    logger: false,
    correlationId: () => 'c0ffee00-0000-4000-8000-000000000001',
    ...options,
  });
}
const INSTANCE = 'urn:uuid:c0ffee00-0000-4000-8000-000000000001';

describe('problem.fault', () => {
  describe('when given a status and a detail', () => {
    it('should render the RFC 9457 members in order, with code from the status', () => {
      const res = handler().handle(problem.fault(404, 'Order 7 does not exist'));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body).toBe(
        `{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 does not exist","instance":"${INSTANCE}","code":"NotFound"}`,
      );
    });
  });

  describe('when given a code, a title and a type', () => {
    it('should send them as given', () => {
      const res = handler().handle(
        problem.fault(409, 'Order 7 was shipped', {
          code: 'OrderShipped',
          title: 'Order already shipped',
          type: 'https://errors.example.com/order-shipped',
        }),
      );
      expect(JSON.parse(res.body)).toEqual({
        type: 'https://errors.example.com/order-shipped',
        title: 'Order already shipped',
        status: 409,
        detail: 'Order 7 was shipped',
        instance: INSTANCE,
        code: 'OrderShipped',
      });
    });
  });

  describe('when the dialect has a typeBase', () => {
    it("should make type from it and title from the code's catalogue text", () => {
      const res = handler({ problem: { typeBase: 'https://errors.example.com/' } }).handle(
        problem.fault(429, 'Slow down'),
      );
      expect(JSON.parse(res.body)).toMatchObject({
        type: 'https://errors.example.com/TooManyRequests',
        title: 'Too Many Requests',
      });
    });
  });

  describe('when given details', () => {
    it('should list them under errors with a JSON pointer fragment', () => {
      const res = handler().handle(
        problem.fault(422, 'Invalid order', {
          details: [{ pointer: '/body/qty', message: 'must be >= 1', keyword: 'minimum' }],
        }),
      );
      expect(JSON.parse(res.body)).toMatchObject({
        code: 'UnprocessableContent',
        errors: [{ detail: 'must be >= 1', pointer: '#/body/qty', keyword: 'minimum' }],
      });
    });
  });

  it.each([399, 600, 404.5, '404'])('should reject status %p with a TypeError', (status) => {
    expect(() => problem.fault(status as number)).toThrow(TypeError);
  });

  it('should keep a deliberate 5xx detail but hide it with expose: false', () => {
    expect(
      JSON.parse(handler().handle(problem.fault(503, 'Maintenance until 10:00')).body).detail,
    ).toBe('Maintenance until 10:00');
    expect(
      JSON.parse(handler().handle(problem.fault(503, 'db at 10.0.0.7', { expose: false })).body)
        .detail,
    ).toBe('Service Unavailable');
  });
});

describe('errors that are not problem faults', () => {
  it.each([
    [
      'an unexpected Error',
      new Error('db password=hunter2'),
      500,
      'InternalServerError',
      'Internal Server Error',
    ],
    [
      'an http error 404',
      Object.assign(new Error('No order 7'), { status: 404 }),
      404,
      'NotFound',
      'No order 7',
    ],
    [
      'an http error 503 without expose',
      Object.assign(new Error('pool exhausted'), { status: 503 }),
      503,
      'ServiceUnavailable',
      'Service Unavailable',
    ],
    [
      'an unknown route',
      routeNotFound('GET', '/nowhere'),
      404,
      'NotFound',
      'No route for GET /nowhere',
    ],
    [
      'invalid JSON',
      Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' }),
      400,
      'InvalidBody',
      'The request body could not be parsed',
    ],
    [
      'an X-Road fault',
      xroad.fault('Client.BadRequest', 'id is missing'),
      400,
      'BadRequest',
      'id is missing',
    ],
  ])('should answer %s with its status and code', (_label, thrown, status, code, detail) => {
    const res = handler().handle(thrown);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({
      type: 'about:blank',
      title: expect.any(String),
      status,
      detail,
      instance: INSTANCE,
      code,
    });
  });

  it('should turn Fastify validation errors into errors entries without echoing values', () => {
    const err = Object.assign(new Error("body must have required property 'name'"), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      validationContext: 'body',
      validation: [
        {
          instancePath: '',
          message: "must have required property 'name'",
          keyword: 'required',
          params: { missingProperty: 'name' },
        },
      ],
    });
    const res = handler().handle(err);
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Bad Request","status":400,"detail":"body must have required property 'name'","instance":"${INSTANCE}","code":"ValidationFailed",` +
        `"errors":[{"detail":"must have required property 'name'","pointer":"#/body/name","keyword":"required"}]}`,
    );
  });
});

describe('negotiation', () => {
  it.each<RequestInfo>([
    {},
    { headers: { accept: 'application/xml' } },
    { headers: { soapaction: '' } },
    { headers: { accept: '*/*' } },
  ])('should always answer problem+json (%j)', (request) => {
    expect(handler().handle(new Error('x'), request).headers['content-type']).toBe(
      'application/problem+json',
    );
  });
});

describe('the catalogue', () => {
  it('should hold one code per error status with a reason phrase, plus InvalidBody and ValidationFailed', () => {
    expect(problem.catalog.get('NotFound')).toMatchObject({ status: 404, message: 'Not Found' });
    expect(problem.catalog.get('InternalServerError')).toMatchObject({ status: 500 });
    expect(problem.catalog.get('URITooLong')).toMatchObject({ status: 414 });
    expect(problem.catalog.get('InvalidBody')).toMatchObject({ status: 400 });
    expect(problem.catalog.get('ValidationFailed')).toMatchObject({ status: 400 });
    expect(problem.catalog.entries.filter((e) => e.status >= 500).map((e) => e.status)).toEqual([
      500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ]);
  });

  it('should reject an empty typeBase', () => {
    expect(() => handler({ problem: { typeBase: '' } })).toThrow(TypeError);
  });
});

describe('the body, written from a template', () => {
  it.each([
    ['quotes and a backslash', 'say "hi" \\ bye'],
    ['control characters', 'line 1\nline 2\ttab\u0000nul'],
    ['a lone surrogate and a pair', 'half \ud800 whole \ud83d\ude00'],
  ])(
    'should be byte for byte JSON.stringify of its members when the detail holds %s',
    (_label, detail) => {
      const res = handler().handle(problem.fault(409, detail, { code: 'Order"Shipped' }));
      expect(res.body).toBe(
        JSON.stringify({
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail,
          instance: INSTANCE,
          code: 'Order"Shipped',
        }),
      );
    },
  );
});

describe('dependencies that failed', () => {
  const fetchFailed = (code: string) =>
    new TypeError('fetch failed', {
      cause: Object.assign(new Error(`connect ${code} 10.0.0.7:5432`), { code }),
    });
  it.each([
    ['a refused connection inside fetch', fetchFailed('ECONNREFUSED'), 502, 'BadGateway'],
    [
      'a DNS failure',
      Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }),
      502,
      'BadGateway',
    ],
    [
      'a timeout',
      new DOMException('The operation timed out.', 'TimeoutError'),
      504,
      'GatewayTimeout',
    ],
    [
      'an undici headers timeout inside fetch',
      fetchFailed('UND_ERR_HEADERS_TIMEOUT'),
      504,
      'GatewayTimeout',
    ],
  ])('should answer %s with %d and never the address', (_label, thrown, status, code) => {
    const res = handler().handle(thrown);
    expect([res.status, JSON.parse(res.body).code]).toEqual([status, code]);
    expect(res.body).not.toContain('10.0.0.7');
  });

  it('should not read a thrown plain object as a network failure', () => {
    expect(handler().handle({ code: 'ECONNREFUSED' }).status).toBe(500);
  });
});
