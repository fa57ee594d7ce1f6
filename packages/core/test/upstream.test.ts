/**
 * Upstream faults: `faultFromResponse` and `throwIfFault` reading a real server's answers over
 * loopback (fetch, node:http, and the parts of a response), bounded reads, and the handler
 * answering an upstream fault in every dialect, with the upstream's id logged beside its own.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  UpstreamFault,
  createFaultHandler,
  faultFromResponse,
  isUpstreamFault,
  throwIfFault,
} from '../src/index';
import type { FaultHandlerOptions } from '../src/index';

const SECRET = 'secret-token-4711';
const PROBLEM_404 =
  '{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 is not here","instance":"urn:uuid:up-404","code":"NotFound"}';
const PROBLEM_504 = `{"type":"about:blank","title":"Gateway Timeout","status":504,"detail":"backend slow ${SECRET}","instance":"urn:uuid:up-504","code":"GatewayTimeout"}`;
const XROAD_500 = `{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed ${SECRET}","detail":"up-500"}`;
const XROAD_SOAP =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
  '<faultcode>Server.ServerProxy.AccessDenied</faultcode><faultstring>Request is not allowed</faultstring>' +
  '<faultactor></faultactor><detail><faultDetail xmlns="">up-soap-1</faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

type Route = (res: http.ServerResponse) => void;
const ROUTES: Record<string, Route> = {
  '/problem404': (res) =>
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end(PROBLEM_404),
  '/problem404-de': (res) =>
    res
      .writeHead(404, {
        'content-type': 'application/problem+json',
        'content-language': 'de',
        'cache-control': 'max-age=3600',
        vary: 'Origin',
      })
      .end(PROBLEM_404),
  '/problem504': (res) =>
    res.writeHead(504, { 'content-type': 'application/problem+json' }).end(PROBLEM_504),
  '/xroad500': (res) =>
    res
      .writeHead(500, {
        'content-type': 'application/json',
        'x-road-error': 'Server.ServerProxy.AccessDenied',
      })
      .end(XROAD_500),
  '/soap200': (res) =>
    res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' }).end(XROAD_SOAP),
  '/xml200': (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>'),
  '/ok': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  '/empty502': (res) => res.writeHead(502).end(),
  '/garbage500': (res) =>
    res.writeHead(500, { 'content-type': 'text/html' }).end(`<html>${SECRET}</html>`),
  '/huge': (res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(`{"message":"${'x'.repeat(2 * 1024 * 1024)}"}`);
  },
  '/latin1': (res) =>
    res
      .writeHead(500, { 'content-type': 'application/problem+json' })
      .end(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])),
};

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => (ROUTES[req.url ?? ''] ?? ROUTES['/empty502']!)(res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const nodeGet = (path: string): Promise<http.IncomingMessage> =>
  new Promise((resolve, reject) => http.get(`${base}${path}`, resolve).on('error', reject));

describe('faultFromResponse', () => {
  it('should read a problem+json 404 from fetch into an upstream fault', async () => {
    const upstream = await faultFromResponse(await fetch(`${base}/problem404`));
    expect(upstream).toBeInstanceOf(UpstreamFault);
    expect(upstream).toBeInstanceOf(Error);
    expect(isUpstreamFault(upstream)).toBe(true);
    expect({
      dialect: upstream?.dialect,
      code: upstream?.code,
      status: upstream?.status,
      message: upstream?.message,
      correlationId: upstream?.correlationId,
      expose: upstream?.expose,
      format: upstream?.format,
      body: upstream?.response.body,
    }).toEqual({
      dialect: 'problem',
      code: 'NotFound',
      status: 404,
      message: 'Order 7 is not here',
      correlationId: 'up-404',
      expose: false,
      format: 'json',
      body: PROBLEM_404,
    });
    expect(upstream?.response.headers['content-type']).toBe('application/problem+json');
  });

  it('should read an X-Road REST fault from a node:http response', async () => {
    const upstream = await faultFromResponse(await nodeGet('/xroad500'));
    expect([upstream?.dialect, upstream?.code, upstream?.status, upstream?.correlationId]).toEqual([
      'xroad',
      'Server.ServerProxy.AccessDenied',
      500,
      'up-500',
    ]);
    expect(upstream?.cause).toBeInstanceOf(http.IncomingMessage);
  });

  it('should read an X-Road SOAP fault sent with 200 from a clone, leaving the body to the caller', async () => {
    const response = await fetch(`${base}/soap200`);
    const upstream = await faultFromResponse(response);
    expect([upstream?.dialect, upstream?.code, upstream?.status, upstream?.format]).toEqual([
      'xroad',
      'Server.ServerProxy.AccessDenied',
      200,
      'soap11',
    ]);
    expect(await response.text()).toBe(XROAD_SOAP);
  });

  it('should find no fault in a success, reading no JSON body and no non-fault XML', async () => {
    const ok = await fetch(`${base}/ok`);
    expect(await faultFromResponse(ok)).toBeUndefined();
    expect(ok.bodyUsed).toBe(false);
    expect(await ok.json()).toEqual({ ok: true });
    expect(await faultFromResponse(await fetch(`${base}/xml200`))).toBeUndefined();
    expect(await faultFromResponse(await nodeGet('/soap200'))).toBeUndefined();
    await expect(throwIfFault(await fetch(`${base}/ok`))).resolves.toBeUndefined();
  });

  it.each([
    ['/empty502', 502, 'the upstream answered 502 with no body'],
    ['/garbage500', 500, 'the upstream answered 500 with a body that is no fault'],
    ['/latin1', 500, 'the upstream answered 500 with a body that is not UTF-8'],
  ])(
    'should turn %s into an upstream error with its status and none of its text',
    async (path, status, message) => {
      for (const response of [await fetch(`${base}${path}`), await nodeGet(path)]) {
        const upstream = await faultFromResponse(response);
        expect([upstream?.dialect, upstream?.code, upstream?.status, upstream?.message]).toEqual([
          undefined,
          undefined,
          status,
          message,
        ]);
      }
    },
  );

  it('should stop reading a body at limits.body, from fetch and from node:http', async () => {
    const limits = { body: 1024 };
    for (const response of [await fetch(`${base}/huge`), await nodeGet('/huge')]) {
      const upstream = await faultFromResponse(response, { limits });
      expect(upstream?.message).toBe(
        'the upstream answered 500 with a body that is larger than 1024 bytes',
      );
      expect(upstream?.response.body).toBeUndefined();
    }
    // The default is parseFault's 1 MiB.
    const whole = await faultFromResponse(await fetch(`${base}/huge`));
    expect(whole?.message).toBe(
      'the upstream answered 500 with a body that is larger than 1048576 bytes',
    );
  });

  it('should read the parts of a response: text, bytes or no body', async () => {
    const fromText = await faultFromResponse({
      status: 404,
      headers: { 'Content-Type': 'application/problem+json' },
      body: PROBLEM_404,
    });
    expect(fromText?.code).toBe('NotFound');
    const fromBytes = await faultFromResponse({
      status: 404,
      headers: { 'content-type': ['application/problem+json'] },
      body: Buffer.from(PROBLEM_404),
    });
    expect(fromBytes?.correlationId).toBe('up-404');
    const none = await faultFromResponse({ status: 503 });
    expect(none?.message).toBe('the upstream answered 503 with no body');
  });

  it('should keep only a plain token as the upstream id', async () => {
    const upstream = await faultFromResponse({
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"type":"Server.ServerProxy.AccessDenied","message":"x","detail":"a b\\r\\nforged: 1"}',
    });
    expect(upstream?.code).toBe('Server.ServerProxy.AccessDenied');
    expect(upstream?.correlationId).toBeUndefined();
  });

  it('should refuse what is no response, and a bad limit', async () => {
    await expect(faultFromResponse(null as never)).rejects.toThrow(
      'faultline: faultFromResponse needs a response',
    );
    await expect(faultFromResponse({ headers: {} } as never)).rejects.toThrow(
      'faultline: the response has no HTTP status (status or statusCode)',
    );
    await expect(faultFromResponse({ status: 500 }, { limits: { body: 0 } })).rejects.toThrow(
      'faultline: limits.body must be a positive integer',
    );
  });

  it('should throw the upstream fault with throwIfFault', async () => {
    await expect(throwIfFault(await fetch(`${base}/problem404`))).rejects.toBeInstanceOf(
      UpstreamFault,
    );
  });
});

describe('when an upstream fault reaches the handler', () => {
  const request = (dialect: string) => ({
    method: 'POST',
    url: dialect === 'xks' ? '/kms/xks/v1/keys/k1/encrypt' : '/orders/7',
  });
  const answer = async (
    path: string,
    dialect: string,
    extra: Partial<FaultHandlerOptions> = {},
  ) => {
    const upstream = await faultFromResponse(await fetch(`${base}${path}`));
    const handler = createFaultHandler({
      dialect: dialect as never,
      logger: false,
      correlationId: () => 'id-1',
      de4a: { dependency: 'Data Owner' },
      ...extra,
    });
    const res = handler.handle(upstream, request(dialect));
    return [res.status, res.headers['content-type'], res.body];
  };

  it.each([
    [
      'problem',
      404,
      'application/problem+json',
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"urn:uuid:id-1","code":"NotFound"}',
    ],
    [
      'xroad',
      400,
      'application/json',
      '{"type":"Client.NotFound","message":"Not Found","detail":"id-1"}',
    ],
    [
      'xks',
      404,
      'application/json',
      '{"errorName":"InvalidUriPathException","errorMessage":"The request was rejected because the specified URI path is not valid."}',
    ],
    [
      'esb',
      404,
      'application/json; charset=UTF-8',
      '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
    ],
    [
      'ast',
      404,
      'application/json;charset=utf-8',
      '{"code":5104041,"name":"SignerNotFound","message":"A signer with the given ID does not exist"}',
    ],
  ])(
    'should keep an upstream 404 a client fault in %s, without its message',
    async (dialect, status, type, body) => {
      expect(await answer('/problem404', dialect)).toEqual([status, type, body]);
    },
  );

  it.each([
    [
      'problem',
      502,
      'application/problem+json',
      '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:id-1","code":"BadGateway"}',
    ],
    [
      'xroad',
      500,
      'application/json',
      '{"type":"Server.ServerProxy.ServiceFailed.InternalError","message":"Internal Server Error","detail":"id-1"}',
    ],
    [
      'xks',
      500,
      'application/json',
      '{"errorName":"InternalException","errorMessage":"This is a generic server error. For example, this exception is thrown due to failure of the backing key manager or failure of a dependency layer."}',
    ],
    [
      'esb',
      500,
      'application/json; charset=UTF-8',
      '{"code":"102514","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
    ],
    [
      'de4a',
      502,
      'application/xml;charset=UTF-8',
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2"><ct:Ack>false</ct:Ack><ct:Error><ct:Code>10504</ct:Code><ct:Text>Error on response from Data Owner - the module answered 500</ct:Text></ct:Error></ResponseMessage>',
    ],
    [
      'ast',
      500,
      'application/json;charset=utf-8',
      '{"code":510500,"name":"InternalError","message":"An unexpected error occurred"}',
    ],
  ])(
    'should answer an upstream 500 as the dependency failure of %s',
    async (dialect, status, type, body) => {
      expect(await answer('/xroad500', dialect)).toEqual([status, type, body]);
    },
  );

  it.each([
    [
      'problem',
      504,
      'application/problem+json',
      '{"type":"about:blank","title":"Gateway Timeout","status":504,"detail":"Gateway Timeout","instance":"urn:uuid:id-1","code":"GatewayTimeout"}',
    ],
    [
      'xroad',
      500,
      'application/json',
      '{"type":"Server.ServerProxy.NetworkError","message":"Network error","detail":"id-1"}',
    ],
    [
      'xks',
      503,
      'application/json',
      '{"errorName":"DependencyTimeoutException","errorMessage":"The XKS proxy timed out while trying to access a dependency layer to fulfill the request."}',
    ],
    [
      'esb',
      500,
      'application/json; charset=UTF-8',
      '{"code":"101507","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
    ],
    [
      'de4a',
      504,
      'application/xml;charset=UTF-8',
      '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2"><ct:Ack>false</ct:Ack><ct:Error><ct:Code>10503</ct:Code><ct:Text>Connection error with Data Owner - the call timed out</ct:Text></ct:Error></ResponseMessage>',
    ],
    [
      'ast',
      503,
      'application/json;charset=utf-8',
      '{"code":510503,"name":"ServiceUnavailable","message":"The service\'s availability was disrupted, look for details in the message."}',
    ],
  ])(
    'should answer an upstream 504 as the dependency timeout of %s',
    async (dialect, status, type, body) => {
      expect(await answer('/problem504', dialect)).toEqual([status, type, body]);
    },
  );

  it('should answer an empty 502 and garbage as a bad gateway, with none of the body', async () => {
    const empty = await answer('/empty502', 'problem');
    const garbage = await answer('/garbage500', 'problem');
    expect(empty).toEqual(garbage);
    expect(empty[2]).toBe(
      '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:id-1","code":"BadGateway"}',
    );
  });

  it("should show the upstream's message only when the upstream fault is exposable", async () => {
    const upstream = await faultFromResponse(await fetch(`${base}/problem404`), { expose: true });
    const res = createFaultHandler({ logger: false, correlationId: () => 'id-1' }).handle(upstream);
    expect(res.body).toBe(
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 is not here","instance":"urn:uuid:id-1","code":"NotFound"}',
    );
  });

  it("should log the upstream's dialect, code, status and id beside the new id, once", async () => {
    const events: Record<string, unknown>[] = [];
    const logger = { error: (event: object) => void events.push(event as never) };
    const upstream = await faultFromResponse(await fetch(`${base}/xroad500`));
    const res = createFaultHandler({
      dialect: 'problem',
      logger,
      correlationId: () => 'id-1',
    }).handle(upstream);
    expect(res.body).not.toContain(SECRET);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      correlationId: 'id-1',
      dialect: 'problem',
      code: 'BadGateway',
      status: 502,
      upstream: {
        status: 500,
        dialect: 'xroad',
        code: 'Server.ServerProxy.AccessDenied',
        correlationId: 'up-500',
      },
    });
  });
});

describe('mapping rules that match the upstream', () => {
  const denied = async () => faultFromResponse(await fetch(`${base}/xroad500`));
  const handle = (mappings: FaultHandlerOptions['mappings'], thrown: unknown) =>
    createFaultHandler({
      dialect: 'problem',
      logger: false,
      correlationId: () => 'id-1',
      mappings,
    }).handle(thrown);

  it("should map by the upstream's dialect and code, before any other rule", async () => {
    const res = handle(
      [
        { class: UpstreamFault, to: { code: 500 } },
        {
          upstream: { dialect: 'xroad', code: 'Server.ServerProxy.AccessDenied' },
          to: { code: 403, message: 'The registry refused the request' },
        },
      ],
      await denied(),
    );
    expect(res.body).toBe(
      '{"type":"about:blank","title":"Forbidden","status":403,"detail":"The registry refused the request","instance":"urn:uuid:id-1","code":"Forbidden"}',
    );
  });

  it("should send the upstream's message when the rule marks it exposable", async () => {
    const res = handle(
      [{ upstream: { dialect: 'problem', status: 504 }, to: { code: 504, expose: true } }],
      await faultFromResponse(await fetch(`${base}/problem504`)),
    );
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Gateway Timeout","status":504,"detail":"backend slow ${SECRET}","instance":"urn:uuid:id-1","code":"GatewayTimeout"}`,
    );
  });

  it('should match an upstream fault wrapped in another error, and nothing else', async () => {
    const rules = [{ upstream: { code: 'Server.ServerProxy.AccessDenied' }, to: { code: 403 } }];
    expect(handle(rules, new Error('lookup failed', { cause: await denied() })).status).toBe(403);
    expect(
      handle(rules, Object.assign(new Error('x'), { code: 'Server.ServerProxy.AccessDenied' }))
        .status,
    ).toBe(500);
    expect(
      handle([{ upstream: { dialect: 'problem' }, to: { code: 403 } }], await denied()).status,
    ).toBe(502);
  });

  it.each([
    [
      { upstream: 'xroad' },
      'faultline: options.mappings[0].upstream must be an object: { dialect, code, status }',
    ],
    [
      { upstream: {} },
      'faultline: options.mappings[0].upstream must name a dialect, a code or a status',
    ],
    [
      { upstream: { dialect: 1 } },
      'faultline: options.mappings[0].upstream.dialect must be a dialect name',
    ],
    [
      { upstream: { code: true } },
      'faultline: options.mappings[0].upstream.code must be a string or a number',
    ],
    [
      { upstream: { status: '500' } },
      'faultline: options.mappings[0].upstream.status must be an integer',
    ],
  ])('should refuse %j when the handler is created', (rule, message) => {
    expect(() => handle([{ ...rule, to: { code: 502 } } as never], undefined)).toThrow(message);
  });
});

describe('passthrough', () => {
  const events: Record<string, unknown>[] = [];
  const logger = {
    error: (event: object) => void events.push(event as never),
    info: (event: object) => void events.push(event as never),
  };
  const handler = (extra: Partial<FaultHandlerOptions>) =>
    createFaultHandler({ logger, correlationId: () => 'id-1', ...extra });
  beforeEach(() => events.splice(0));

  it('should forward a conforming problem+json fault byte for byte, logged once with its id', async () => {
    const upstream = await faultFromResponse(await fetch(`${base}/problem404`));
    const res = handler({ passthrough: true }).handle(upstream);
    expect([res.status, res.headers, res.body]).toEqual([
      404,
      {
        'cache-control': 'no-store',
        vary: 'Accept',
        'content-type': 'application/problem+json',
        'x-content-type-options': 'nosniff',
        'content-length': String(Buffer.byteLength(PROBLEM_404)),
      },
      PROBLEM_404,
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      correlationId: 'up-404',
      dialect: 'problem',
      code: 'NotFound',
      status: 404,
      passthrough: true,
      upstream: { status: 404, dialect: 'problem', code: 'NotFound', correlationId: 'up-404' },
    });
  });

  it("should keep the upstream's Content-Language, never its caching, and vary by language", async () => {
    const upstream = await faultFromResponse(await fetch(`${base}/problem404-de`));
    const res = handler({ passthrough: true }).handle(upstream);
    expect([res.status, res.headers, res.body]).toEqual([
      404,
      {
        'cache-control': 'no-store',
        vary: 'Accept, Accept-Language',
        'content-type': 'application/problem+json',
        'content-language': 'de',
        'x-content-type-options': 'nosniff',
        'content-length': String(Buffer.byteLength(PROBLEM_404)),
      },
      PROBLEM_404,
    ]);
  });

  it("should keep X-Road's own headers, and its SOAP fault at 200", async () => {
    const xroad = handler({ dialect: 'xroad', passthrough: true });
    const rest = xroad.handle(await faultFromResponse(await fetch(`${base}/xroad500`)));
    expect([rest.status, rest.headers['x-road-error'], rest.body]).toEqual([
      500,
      'Server.ServerProxy.AccessDenied',
      XROAD_500,
    ]);
    const soap = xroad.handle(await faultFromResponse(await fetch(`${base}/soap200`)));
    expect([soap.status, soap.headers['content-type'], soap.body]).toEqual([
      200,
      'text/xml;charset=utf-8',
      XROAD_SOAP,
    ]);
  });

  it('should translate a fault of another dialect, and one that is no fault', async () => {
    const xroad = handler({ dialect: 'xroad', passthrough: true });
    const other = xroad.handle(await faultFromResponse(await fetch(`${base}/problem404`)));
    expect(other.body).toBe('{"type":"Client.NotFound","message":"Not Found","detail":"id-1"}');
    const garbage = handler({ passthrough: true }).handle(
      await faultFromResponse(await fetch(`${base}/garbage500`)),
    );
    expect(garbage.body).not.toContain(SECRET);
    expect(garbage.status).toBe(502);
  });

  it('should never forward a body that does not conform, whatever the upstream fault claims', () => {
    const forged = new UpstreamFault({
      status: 500,
      message: 'x',
      fault: Object.assign(new Error('x'), {
        dialect: 'problem',
        code: 'NotFound',
        status: 404,
      }) as never,
      response: {
        status: 500,
        headers: { 'content-type': 'application/problem+json' },
        body: `<html>${SECRET}</html>`,
      },
    });
    const res = handler({ passthrough: true }).handle(forged);
    expect(res.status).toBe(502);
    expect(res.body).not.toContain(SECRET);
  });

  it("should follow a rule's passthrough before the handler's", async () => {
    const upstream = await faultFromResponse(await fetch(`${base}/problem404`));
    const byRule = handler({ mappings: [{ upstream: { dialect: 'problem' }, passthrough: true }] });
    expect(byRule.handle(upstream).body).toBe(PROBLEM_404);
    const ruleSaysNo = handler({
      passthrough: true,
      mappings: [{ upstream: { code: 'NotFound' }, passthrough: false, to: { code: 410 } }],
    });
    expect(ruleSaysNo.handle(upstream).status).toBe(410);
    // A rule that maps the upstream fault is followed, whatever the handler's passthrough.
    const ruleMaps = handler({
      passthrough: true,
      mappings: [{ upstream: { code: 'NotFound' }, to: { code: 410 } }],
    });
    expect(ruleMaps.handle(upstream).body).toBe(
      '{"type":"about:blank","title":"Gone","status":410,"detail":"Gone","instance":"urn:uuid:id-1","code":"Gone"}',
    );
    expect(() => handler({ passthrough: 'yes' as never })).toThrow(
      'faultline: options.passthrough must be a boolean',
    );
    expect(() =>
      handler({
        mappings: [{ upstream: { code: 'X' }, passthrough: 1, to: { code: 500 } } as never],
      }),
    ).toThrow('faultline: options.mappings[0].passthrough must be a boolean');
  });

  it("should not forward an upstream's debug member or stack frames while debug is off", async () => {
    const body =
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 is not here","instance":"urn:uuid:up-404","code":"NotFound","debug":{"stack":"Error: x\\n    at find (/srv/orders/app.js:12:5)","causes":[]}}';
    const upstream = await faultFromResponse({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body,
    });
    const res = handler({ passthrough: true }).handle(upstream);
    expect([res.status, res.body]).toEqual([
      404,
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"urn:uuid:id-1","code":"NotFound"}',
    ]);
    expect(handler({ passthrough: true, debug: true }).handle(upstream).body).toBe(body);
  });
});

describe('upstream faults and what counts as expected', () => {
  it('should count a relayed client fault as expected, and a forwarded 5xx as unexpected', async () => {
    const seen: boolean[] = [];
    const handler = createFaultHandler({
      logger: false,
      passthrough: true,
      dialect: 'xroad',
      onFault: (event) => void seen.push(event.expected),
    });
    handler.handle(await faultFromResponse(await fetch(`${base}/problem404`)));
    handler.handle(await faultFromResponse(await fetch(`${base}/xroad500`)));
    expect(seen).toEqual([true, false]);
  });
});
