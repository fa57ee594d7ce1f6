/**
 * Hostile upstream bodies, read with `faultFromResponse` from a real server over loopback and
 * answered in every dialect and encoding, with and without `passthrough`: a body of 5 MiB, one
 * that is not XML or JSON, entity tricks, JSON nested 100 000 deep, a fault that claims another
 * dialect's structure and ids with line breaks. Reads are bounded, nothing crashes, every answer
 * is a well-formed document of its dialect, and no text of the upstream that was not exposable
 * reaches the client (a conforming fault forwarded with `passthrough` is the upstream's own
 * answer, sent as it came).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultHandler, faultFromResponse, isUpstreamFault } from '@faultline/core';
import type { UpstreamFault } from '@faultline/core';
import { DIALECT_SETUPS } from './support/dialects';
import { parseXml } from './support/xml';

const SECRET = 'hunter2';

interface Hostile {
  readonly name: string;
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
}

const HOSTILE: readonly Hostile[] = [
  {
    name: 'a 5 MiB JSON message',
    status: 500,
    type: 'application/json',
    body: `{"type":"Server.ServerProxy.AccessDenied","message":"${SECRET}${'x'.repeat(5 * 1024 * 1024)}","detail":"id"}`,
  },
  {
    name: 'binary bytes',
    status: 502,
    type: 'application/octet-stream',
    body: Buffer.from([0xff, 0xfe, 0x00, 0x68, 0x75, 0x6e, 0x74, 0x65, 0x72, 0x32, 0xc3]),
  },
  {
    name: 'a plain text stack',
    status: 500,
    type: 'text/plain',
    body: `Error: ${SECRET}\n    at db.js:1:1`,
  },
  {
    name: 'an external entity in a SOAP fault',
    status: 500,
    type: 'text/xml',
    body:
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY s "${SECRET}">]>` +
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
      '<faultcode>Server.ServerProxy.AccessDenied</faultcode><faultstring>&e;&s;</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
  },
  {
    name: 'a billion laughs',
    status: 500,
    type: 'application/xml',
    body:
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      '<error><type>Server.ServerProxy.AccessDenied</type><message>&c;</message></error>',
  },
  {
    name: 'JSON nested 100 000 deep',
    status: 500,
    type: 'application/json',
    body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  },
  {
    name: "a problem that claims X-Road's code and an id with line breaks",
    status: 500,
    type: 'application/problem+json',
    body: `{"type":"about:blank","title":"Server.ServerProxy.AccessDenied","status":500,"detail":"${SECRET}","instance":"urn:uuid:a\\r\\nx-road-error: forged","code":"Server.ServerProxy.AccessDenied"}`,
  },
  {
    name: 'an X-Road fault with markup in its id and message',
    status: 500,
    type: 'application/json',
    body: `{"type":"Server.ServerProxy.AccessDenied","message":"<script>${SECRET}</script>","detail":"</faultDetail><x>${SECRET}"}`,
  },
];

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const hostile = HOSTILE[Number((req.url ?? '/0').slice(1))] as Hostile;
    res.writeHead(hostile.status, { 'content-type': hostile.type }).end(hostile.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const upstreams = async (index: number): Promise<UpstreamFault[]> => {
  const fromFetch = await faultFromResponse(await fetch(`${base}/${index}`));
  const fromNode = await faultFromResponse(
    await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${base}/${index}`, resolve).on('error', reject),
    ),
  );
  return [fromFetch, fromNode].filter(isUpstreamFault);
};

describe.each(HOSTILE.map((h, i) => [h.name, i] as const))(
  'an upstream answering %s',
  (_name, index) => {
    it('should give an upstream fault whose body was read within the limit', async () => {
      const found = await upstreams(index);
      expect(found).toHaveLength(2);
      for (const upstream of found) {
        expect(upstream.status).toBe(HOSTILE[index]?.status);
        expect(
          upstream.response.body === undefined || upstream.response.body.length <= 1024 * 1024,
        ).toBe(true);
        expect(upstream.correlationId ?? 'safe').toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
      }
    });

    it.each(DIALECT_SETUPS.map((s) => [s.dialect, s] as const))(
      'should be answered in %s, well-formed, with none of its text',
      async (_dialect, setup) => {
        const [upstream] = await upstreams(index);
        for (const passthrough of [false, true]) {
          const handler = createFaultHandler({
            dialect: setup.dialect,
            ...setup.options,
            logger: false,
            passthrough,
          });
          for (const encoding of setup.encodings) {
            const res = handler.handle(upstream, {
              method: 'GET',
              url: setup.dialect === 'xks' ? '/kms/xks/v1/keys/k1/encrypt' : '/x',
              headers: encoding.headers,
            });
            // Forwarded unchanged, the upstream's fault says what its convention lets it say.
            const forwarded = passthrough && res.body === upstream?.response.body;
            if (encoding.fixedStatus === undefined) {
              expect(res.status).toBeGreaterThanOrEqual(400);
              expect(res.status).toBeLessThanOrEqual(599);
            } else if (!forwarded) expect(res.status).toBe(encoding.fixedStatus);
            if (!forwarded) expect(res.body).not.toContain(SECRET);
            expect(res.body.length).toBeLessThan(16 * 1024);
            for (const value of Object.values(res.headers))
              expect(value).toMatch(/^[\t\x20-\x7e\x80-\xff]*$/);
            const type = res.headers['content-type'] ?? '';
            if (type.includes('xml')) expect(() => parseXml(res.body)).not.toThrow();
            else if (type.includes('json') && res.body !== '')
              expect(() => JSON.parse(res.body) as unknown).not.toThrow();
          }
        }
      },
    );
  },
);
