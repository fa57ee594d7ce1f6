/**
 * The DE4A dialect through Express 4, Express 5 and Fastify 5: the same IEM bodies and
 * statuses everywhere, the 404 of an unknown route, and `logTo` as the handler's `onFault`
 * writing one log line and one metrics line per fault (wire-formats.md Part 1 "DE4A").
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultEvent } from '@faultline/core';
import { de4a } from '../../packages/core/src/dialects/de4a/index';
import { EXAMPLE_LINES } from '../fixtures/de4a-seed';
import { ADAPTERS, call, faultHeaders, recorder } from '../support/servers';
import type { FailingRoute, RawResponse, Running } from '../support/servers';
import { parseXml } from '../support/xml';

const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
const FIXED = new Date(Date.UTC(2021, 7, 16, 19, 1, 33, 803));

function iem(code: string, text: string): string {
  return (
    '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">' +
    `<ct:Ack>false</ct:Ack><ct:Error><ct:Code>${code}</ct:Code><ct:Text>${text}</ct:Text></ct:Error></ResponseMessage>`
  );
}

const routes: FailingRoute[] = [
  {
    path: '/request',
    error: () =>
      de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']),
  },
  { path: '/evidence', error: () => de4a.fault(40515) },
  { path: '/owner', error: () => de4a.fault(10503, ['<DO & "MIZŠ">', 'timeout']) },
  {
    path: '/crash',
    error: () => new TypeError("Cannot read properties of undefined (reading 'x')"),
  },
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly code: number;
  readonly contentType: string;
  /** The exact body. */
  readonly text: string;
  /** The exact DE4A log line (without its line end). */
  readonly log: string;
}

const CASES: readonly Case[] = [
  {
    name: 'a thrown 10102',
    method: 'GET',
    path: '/request',
    status: 400,
    code: 10102,
    contentType: XML_TYPE,
    text: iem('10102', 'Arguments missing or invalid at /request - id'),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW05] [SGAD-ES] Arguments missing or invalid at /request - id',
  },
  {
    name: 'a thrown 10102 for a JSON client',
    method: 'POST',
    path: '/request',
    headers: { accept: 'application/json, application/xml' },
    status: 400,
    code: 10102,
    contentType: JSON_TYPE,
    text: '{"ack":false,"errors":[{"code":"10102","text":"Arguments missing or invalid at /request - id"}]}',
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW05] [SGAD-ES] Arguments missing or invalid at /request - id',
  },
  {
    name: "the seed's business example",
    method: 'GET',
    path: '/evidence',
    headers: { accept: 'application/xml, application/json' },
    status: 400,
    code: 40515,
    contentType: XML_TYPE,
    text: iem('40515', 'Evidence not available yet (delayed)'),
    log: '[2021-08-16T19:01:33.803Z] [ERROR] [DOE02] [SGAD-ES] Evidence not available yet (delayed)',
  },
  {
    name: 'a fault with markup in its parameters',
    method: 'GET',
    path: '/owner',
    status: 400,
    code: 10503,
    contentType: XML_TYPE,
    text: iem('10503', 'Connection error with &lt;DO &amp; &quot;MIZŠ&quot;&gt; - timeout'),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW01] [SGAD-ES] Connection error with <DO & "MIZŠ"> - timeout',
  },
  {
    name: 'an unexpected error',
    method: 'GET',
    path: '/crash',
    status: 500,
    code: 99999,
    contentType: XML_TYPE,
    text: iem('99999', 'Internal Connector Error'),
    log: "[2021-08-16T19:01:33.803Z] [ERROR] [DRE00] [SGAD-ES] [TypeError] Cannot read properties of undefined (reading 'x')",
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/nowhere?token=secret',
    status: 404,
    code: 10001,
    contentType: XML_TYPE,
    text: iem('10001', 'Service requested /nowhere not found'),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW06] [SGAD-ES] Service requested /nowhere not found',
  },
  {
    name: 'invalid JSON',
    method: 'POST',
    path: '/request',
    headers: { 'content-type': 'application/json' },
    body: '{"id": 1,',
    status: 400,
    code: 10007,
    contentType: XML_TYPE,
    text: iem(
      '10007',
      'Scheme validation failed for /request message - The request body could not be parsed',
    ),
    log: '[2021-08-16T19:01:33.803Z] [WARN] [DRW07] [SGAD-ES] Scheme validation failed for /request message - The request body could not be parsed',
  },
];

interface ParsedIem {
  ResponseMessage: { 'ct:Ack': string; 'ct:Error': { 'ct:Code': string; 'ct:Text': string } };
}

describe('the DE4A dialect through every adapter', () => {
  let dir: string;
  const servers: Running[] = [];
  const logs = ADAPTERS.map(() => recorder());
  const files: Array<{ log: string; metrics: string; streams: WriteStream[] }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-de4a-adapters-'));
    for (const [i, adapter] of ADAPTERS.entries()) {
      const log = join(dir, `${i}.log`);
      const metrics = join(dir, `${i}.metrics.log`);
      const streams = [createWriteStream(log), createWriteStream(metrics)];
      files.push({ log, metrics, streams });
      const hooks = [
        de4a.logTo(streams[0]!, { participant: 'SGAD-ES', component: 'DR', clock: () => FIXED }),
        de4a.logTo(streams[1]!, {
          participant: 'CONNECTOR DR',
          format: 'metrics',
          clock: () => FIXED,
        }),
      ];
      servers.push(
        await adapter.start(routes, {
          dialect: de4a,
          logger: logs[i]!.logger,
          onFault: (event: FaultEvent) => {
            for (const hook of hooks) hook(event);
          },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const file of files) for (const stream of file.streams) stream.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(CASES)('when the request is $name', (c) => {
    let responses: RawResponse[];

    beforeAll(async () => {
      for (const log of logs) log.calls.length = 0;
      responses = await Promise.all(
        servers.map((s) => call(s.url, c.method, c.path, c.headers, c.body)),
      );
    });

    it('should give the same status, headers and body in every adapter', () => {
      const [first, ...rest] = responses.map((r) => ({
        status: r.status,
        headers: faultHeaders(r.headers),
        text: r.text,
      }));
      for (const other of rest) expect(other).toEqual(first);
    });

    it(`should answer ${c.status} with the exact body of ${c.code}`, () => {
      const res = responses[0]!;
      expect(res.status).toBe(c.status);
      expect(res.text).toBe(c.text);
      expect(faultHeaders(res.headers)).toEqual({
        'content-type': c.contentType,
        'content-length': String(Buffer.byteLength(c.text)),
        'x-road-error': undefined,
        soapaction: undefined,
        'x-content-type-options': 'nosniff',
      });
      if (c.contentType === XML_TYPE) {
        const doc = parseXml(res.text) as unknown as ParsedIem;
        expect(doc.ResponseMessage['ct:Ack']).toBe('false');
        expect(doc.ResponseMessage['ct:Error']['ct:Code']).toBe(String(c.code));
      } else {
        expect(JSON.parse(res.text)).toMatchObject({
          ack: false,
          errors: [{ code: String(c.code) }],
        });
      }
    });

    it('should log the fault once per adapter with its code', () => {
      for (const log of logs) {
        expect(log.calls).toHaveLength(1);
        expect(log.calls[0]!.event).toMatchObject({
          dialect: 'de4a',
          code: c.code,
          status: c.status,
        });
      }
    });
  });

  describe('when every request has been answered', () => {
    const contents: Array<{ log: string[]; metrics: string[] }> = [];

    beforeAll(async () => {
      for (const file of files) {
        for (const stream of file.streams) {
          stream.end();
          await once(stream, 'finish');
        }
        contents.push({
          log: readFileSync(file.log, 'utf8').split('\n'),
          metrics: readFileSync(file.metrics, 'utf8').split('\n'),
        });
      }
    });

    it.each(ADAPTERS.map((a, i) => [a.name, i] as const))(
      'should have written one DE4A log line per fault through %s',
      (_name, i) => {
        expect(contents[i]!.log).toEqual([...CASES.map((c) => c.log), '']);
      },
    );

    it.each(ADAPTERS.map((a, i) => [a.name, i] as const))(
      "should have written one metrics line per fault with the fault's code through %s",
      (_name, i) => {
        const lines = contents[i]!.metrics;
        expect(lines).toHaveLength(CASES.length + 1);
        CASES.forEach((c, n) => {
          expect(lines[n]).toMatch(
            new RegExp(
              `^DE4A METRICS - \\[2021-08-16 19:01:33:803\\] \\[(?:ERROR|WARNING)\\] \\[${c.code}\\] \\[ \\] \\[CONNECTOR DR\\] `,
            ),
          );
        });
      },
    );

    it("should write the seed's DO example format, message code DOE02 included, for its business fault", () => {
      const line = contents[0]!.log[CASES.findIndex((c) => c.code === 40515)]!;
      expect(line.replace('[SGAD-ES]', '[MIZŠ-SI] [UC#1.1]')).toBe(EXAMPLE_LINES.doError);
    });
  });
});
