/**
 * XKS proxy byte for byte, fact by fact. The default is the XKS proxy API specification v1.0.x
 * (aws/aws-kms-xksproxy-api-spec `xks_proxy_api_spec.md`) with the seed's applicability;
 * profile `aws-reference` is AWS's reference proxy (aws-samples/aws-kms-xks-proxy
 * `xks-axum/src/xks_proxy/mod.rs`, axum's MethodRouter), which AWS's test client v1.1.0
 * requires. Every expected body and header is written out here, never computed by faultline,
 * and checked through `handle()` and through Express 4, Express 5 and Fastify 5, with hostile
 * text in `errorMessage`.
 */
import { createFaultHandler, routeNotFound, xks } from '@faultline/core';
import type { FaultHandlerOptions, RequestInfo } from '@faultline/core';
import { faultline as expressFaultline } from '@faultline/express';
import fastifyFaultline from '@faultline/fastify';
import Fastify from 'fastify';
import { ADAPTERS, call } from './support/servers';
import type { Running } from './support/servers';

const INTERNAL_TEXT =
  'This is a generic server error. For example, this exception is thrown due to failure of the backing key manager or failure of a dependency layer.';

interface Expected {
  readonly status: number;
  /** The headers faultline sets that matter here; `undefined` means absent. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

function json(status: number, body: string): Expected {
  return {
    status,
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      allow: undefined,
    },
  };
}

// 405, `Allow: POST`, no body and so no Content-Type: in every profile.
const WRONG_METHOD: Expected = {
  status: 405,
  body: '',
  headers: { 'content-type': undefined, 'content-length': '0', allow: 'POST' },
};

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** What the route throws; none: no route matches. */
  readonly thrown?: () => unknown;
  /** The request body the adapters are sent; default `{}` (none for a GET). */
  readonly body?: string;
  readonly expected: Expected;
}

const LONG = 'k'.repeat(5000);

const DEFAULT_CASES: readonly Case[] = [
  // Under a path prefix no route serves, so that no route answers another method.
  {
    name: 'a GET on GetHealthStatus',
    method: 'GET',
    path: '/tenant/kms/xks/v1/health',
    expected: WRONG_METHOD,
  },
  {
    name: 'a PUT on Encrypt',
    method: 'PUT',
    path: '/tenant/kms/xks/v1/keys/k1/encrypt',
    expected: WRONG_METHOD,
  },
  {
    name: 'a DELETE on GetKeyMetadata',
    method: 'DELETE',
    path: '/tenant/kms/xks/v1/keys/k1/metadata',
    expected: WRONG_METHOD,
  },
  {
    name: 'ValidationException on GetHealthStatus (not applicable per the spec: InternalException)',
    method: 'POST',
    path: '/kms/xks/v1/health',
    thrown: () => xks.fault('ValidationException', 'requestMetadata is required'),
    expected: json(500, `{"errorName":"InternalException","errorMessage":"${INTERNAL_TEXT}"}`),
  },
  {
    name: 'KeyNotFoundException on Encrypt, with its message',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/encrypt',
    thrown: () => xks.fault('KeyNotFoundException', 'No external key k1'),
    expected: json(404, '{"errorName":"KeyNotFoundException","errorMessage":"No external key k1"}'),
  },
  {
    name: 'hostile text: quotes, apostrophes, ]]>, a backslash',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/decrypt',
    thrown: () => xks.fault('InvalidCiphertextException', `tag "x" isn't ]]> \\ <ok>`),
    expected: json(
      400,
      `{"errorName":"InvalidCiphertextException","errorMessage":"tag \\"x\\" isn't ]]> \\\\ <ok>"}`,
    ),
  },
  {
    name: 'hostile text: CR, C0 and C1 controls, astral characters and lone surrogates (one ? per code point)',
    method: 'POST',
    path: '/kms/xks/v1/keys/k2/decrypt',
    thrown: () =>
      xks.fault(
        'InvalidCiphertextException',
        'a\r\nb\u0000\u001F\u007F\u0085c\uD83D\uDD11d\uD800e\uDC00',
      ),
    expected: json(
      400,
      '{"errorName":"InvalidCiphertextException","errorMessage":"a??b????c?d?e?"}',
    ),
  },
  {
    // errorMessage is optional but never empty: an empty message sends the name's scenario text.
    name: 'hostile text: an empty message',
    method: 'POST',
    path: '/kms/xks/v1/keys/k4/decrypt',
    thrown: () => xks.fault('InvalidCiphertextException', ''),
    expected: json(
      400,
      '{"errorName":"InvalidCiphertextException","errorMessage":"The request was rejected because the specified ciphertext, initialization vector, additional authenticated data, or authentication tag is corrupted, missing, or otherwise invalid."}',
    ),
  },
  {
    name: 'hostile text: 5000 characters, cut to 511',
    method: 'POST',
    path: '/kms/xks/v1/keys/k3/decrypt',
    thrown: () => xks.fault('InvalidCiphertextException', LONG),
    expected: json(
      400,
      `{"errorName":"InvalidCiphertextException","errorMessage":"${'k'.repeat(511)}"}`,
    ),
  },
];

const REFERENCE_CASES: readonly Case[] = [
  {
    name: 'a GET on GetHealthStatus',
    method: 'GET',
    path: '/tenant/kms/xks/v1/health',
    expected: WRONG_METHOD,
  },
  {
    name: 'a PUT on Encrypt',
    method: 'PUT',
    path: '/tenant/kms/xks/v1/keys/k1/encrypt',
    expected: WRONG_METHOD,
  },
  {
    name: 'ValidationException on GetHealthStatus, sent as such',
    method: 'POST',
    path: '/kms/xks/v1/health',
    thrown: () => xks.fault('ValidationException', 'requestMetadata is required'),
    expected: json(400, '{"errorName":"ValidationException"}'),
  },
  {
    // Through the adapters the framework's own JSON parser rejects the body; `thrown` is what
    // body-parser throws, for handle().
    name: 'invalid JSON on GetHealthStatus',
    method: 'POST',
    path: '/parse/kms/xks/v1/health',
    thrown: () =>
      Object.assign(new SyntaxError('Unexpected end of JSON input'), {
        status: 400,
        type: 'entity.parse.failed',
      }),
    body: '{"requestMetadata":',
    expected: json(400, '{"errorName":"ValidationException"}'),
  },
  {
    name: 'KeyNotFoundException on Encrypt, without errorMessage',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/encrypt',
    thrown: () => xks.fault('KeyNotFoundException', 'No external key k1'),
    expected: json(404, '{"errorName":"KeyNotFoundException"}'),
  },
  {
    name: 'hostile text, which never reaches the body',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/decrypt',
    thrown: () => xks.fault('InvalidCiphertextException', `"x" ]]>\r\u0000\uD800 ${LONG}`),
    expected: json(400, '{"errorName":"InvalidCiphertextException"}'),
  },
  {
    name: 'an empty message',
    method: 'POST',
    path: '/kms/xks/v1/keys/k2/decrypt',
    thrown: () => xks.fault('InvalidCiphertextException', ''),
    expected: json(400, '{"errorName":"InvalidCiphertextException"}'),
  },
  {
    name: 'an unexpected error',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/metadata',
    thrown: () => new Error('HSM at 10.0.0.7 refused the session'),
    expected: json(500, '{"errorName":"InternalException"}'),
  },
  {
    name: 'an unknown path',
    method: 'POST',
    path: '/kms/xks/v1/keys/k1/sign',
    expected: json(404, '{"errorName":"InvalidUriPathException"}'),
  },
];

const PROFILES: ReadonlyArray<readonly [string, FaultHandlerOptions['xks'], readonly Case[]]> = [
  ['the XKS proxy API specification v1.0.x (the default)', {}, DEFAULT_CASES],
  ["AWS's reference proxy (profile aws-reference)", { profile: 'aws-reference' }, REFERENCE_CASES],
];

function pick(headers: Readonly<Record<string, string>>): Record<string, string | undefined> {
  return {
    'content-type': headers['content-type'],
    'content-length': headers['content-length'],
    allow: headers.allow,
  };
}

describe.each(PROFILES)('XKS, %s', (_name, options, cases) => {
  describe('through handle()', () => {
    const handler = createFaultHandler({ dialect: 'xks', xks: options, logger: false });

    it.each(cases.map((c) => [c.name, c] as const))('%s', (_label, c) => {
      const request: RequestInfo = { method: c.method, url: c.path, headers: {} };
      const thrown = c.thrown === undefined ? routeNotFound(c.method, c.path) : c.thrown();
      const response = handler.handle(thrown, request);
      expect([response.status, response.body]).toEqual([c.expected.status, c.expected.body]);
      expect(pick(response.headers)).toEqual(c.expected.headers);
    });
  });

  describe.each(ADAPTERS)('through $name', (adapter) => {
    let server: Running;
    beforeAll(async () => {
      const routes = cases.flatMap((c) =>
        c.thrown === undefined ? [] : [{ path: c.path, error: c.thrown }],
      );
      server = await adapter.start(routes, { dialect: 'xks', xks: options, logger: false });
    });
    afterAll(() => server.close());

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_label, c) => {
      const res = await call(
        server.url,
        c.method,
        c.path,
        { 'content-type': 'application/json' },
        c.method === 'GET' ? undefined : (c.body ?? '{}'),
      );
      expect([res.status, res.text]).toEqual([c.expected.status, c.expected.body]);
      expect(pick(res.headers)).toEqual(c.expected.headers);
    });
  });
});

describe('the aws-reference fallback', () => {
  it('should answer a fault the strict policy rejects with {"errorName":"InternalException"}', () => {
    const handler = createFaultHandler({
      dialect: 'xks',
      xks: { profile: 'aws-reference', policy: 'strict' },
      logger: false,
    });
    const response = handler.handle(xks.fault('KeyNotFoundException', 'k1'), {
      method: 'POST',
      url: '/kms/xks/v1/health',
    });
    expect([response.status, response.body, response.headers['content-type']]).toEqual([
      500,
      '{"errorName":"InternalException"}',
      'application/json',
    ]);
  });
});

describe('an XKS profile that does not exist', () => {
  const message = "faultline: options.xks.profile must be one of 'aws-reference' (got 'aws')";

  it('should be a TypeError when the handler is created', () => {
    expect(() => createFaultHandler({ dialect: 'xks', xks: { profile: 'aws' as never } })).toThrow(
      new TypeError(message),
    );
  });

  it('should be a TypeError when the Express middleware is created', () => {
    expect(() => expressFaultline({ dialect: 'xks', xks: { profile: 'aws' as never } })).toThrow(
      new TypeError(message),
    );
  });

  it('should fail the Fastify plugin registration', async () => {
    const app = Fastify();
    await expect(
      app.register(fastifyFaultline, { dialect: 'xks', xks: { profile: 'aws' as never } }),
    ).rejects.toThrow(message);
    await app.close().catch(() => undefined);
  });
});
