/**
 * `faultSchemas` on a route changes nothing on the wire: with and without the route's error
 * response schemas, Fastify 5 sends the same bytes for every catalogue fault, in JSON and XML.
 */
import http from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Fault, esb, problem, xroad } from '@faultline/core';
import type { CatalogEntry, DialectName, FaultHandlerOptions } from '@faultline/core';
import faultline, { faultSchemas } from '../src/index';
import { compile, jsonErrors } from '../../../test/support/schemas';

const ID = '11111111-2222-4333-8444-555555555555';
// ESB answers XML only as WSO2 API Manager 3.2 (APIM 4.x answers JSON whatever the Accept).
const CASES: ReadonlyArray<
  readonly [DialectName, readonly CatalogEntry[], readonly string[], Partial<FaultHandlerOptions>]
> = [
  ['xroad', xroad.catalog.entries, ['application/json', 'application/xml'], {}],
  ['esb', esb.catalog.entries, ['application/json', 'text/xml'], { esb: { profile: 'apim-3.2' } }],
  ['problem', problem.catalog.entries, ['application/json'], {}],
];

async function app(
  dialect: DialectName,
  withSchemas: boolean,
  options: Partial<FaultHandlerOptions>,
): Promise<FastifyInstance> {
  const server = Fastify();
  await server.register(faultline, { ...options, dialect, logger: false, correlationId: () => ID });
  const response = {
    200: { type: 'object', properties: { ok: { type: 'boolean' } } },
    ...(withSchemas ? faultSchemas(dialect) : {}),
  };
  server.post<{ Querystring: { code: string } }>(
    '/fail',
    { schema: { response } },
    async (request) => {
      const entry = CASES.find(([d]) => d === dialect)![1].find(
        (e) => String(e.code) === request.query.code,
      )!;
      throw new Fault({
        dialect,
        code: entry.code,
        status: entry.status,
        name: entry.name,
        message: `${entry.message} <ü>`,
        expose: true,
      });
    },
  );
  // A route's own object payloads are serialized by its schema: proof the schemas are in force.
  server.get('/ok', { schema: { response } }, async () => ({ ok: true, extra: 1 }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  return server;
}

function urlOf(server: FastifyInstance): string {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

// node:http rather than fetch: fetch refuses some statuses (e.g. 421) that faultline may send.
function send(
  server: FastifyInstance,
  path: string,
  accept: string,
): Promise<{ status: number; type: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${urlOf(server)}${path}`,
      { method: 'POST', headers: { accept, connection: 'close' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            bytes: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.each(CASES)(
  'a Fastify route of the %s dialect with faultSchemas',
  (dialect, entries, accepts, options) => {
    let plain: FastifyInstance;
    let schemed: FastifyInstance;
    beforeAll(async () => {
      plain = await app(dialect, false, options);
      schemed = await app(dialect, true, options);
    });
    afterAll(async () => {
      await plain.close();
      await schemed.close();
    });

    it("should serialize the route's own objects by its response schema", async () => {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`${urlOf(schemed)}/ok`, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(body).toBe('{"ok":true}');
    });

    it('should send byte-identical fault bodies, statuses and content types to the same route without them', async () => {
      const validate = compile(faultSchemas(dialect)['4xx']);
      let json = 0;
      for (const entry of entries) {
        for (const accept of accepts) {
          const path = `/fail?code=${encodeURIComponent(String(entry.code))}`;
          const [a, b] = await Promise.all([
            send(plain, path, accept),
            send(schemed, path, accept),
          ]);
          expect(b.bytes.equals(a.bytes)).toBe(true);
          expect(b.status).toBe(a.status);
          expect(b.type).toBe(a.type);
          if (String(b.type).includes('json')) {
            json++;
            expect(jsonErrors(validate, b.bytes.toString('utf8'))).toEqual([]);
          }
        }
      }
      expect(json).toBe(entries.length);
    });
  },
);

describe('faultSchemas', () => {
  it('should give the same schema for 4xx and 5xx, without $schema, and refuse an unknown dialect', () => {
    const schemas = faultSchemas('xks');
    expect(schemas['4xx']).toBe(schemas['5xx']);
    expect(schemas['4xx']).not.toHaveProperty('$schema');
    expect(() => faultSchemas('nope' as DialectName)).toThrow(TypeError);
  });
});
