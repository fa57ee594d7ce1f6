/**
 * `@faultline/opentelemetry` on real servers under the real OpenTelemetry SDK and the real
 * instrumentations: @opentelemetry/instrumentation-http with the Express instrumentation
 * (Express 4 and 5) or @fastify/otel (Fastify 5). Each server runs in a child process
 * (test/support/otel-app.cjs) so that the instrumentations patch the modules as they load;
 * every dialect answers an expected fault and an unexpected error, and the test checks the
 * SERVER span's attributes, status and events, the metric points, and that the body, the
 * echo header, the span and the log line carry one id: the trace id.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';

interface PlainSpan {
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Record<string, unknown>;
  readonly status: { readonly code: number; readonly message?: string };
  readonly events: readonly { name: string; attributes: Record<string, unknown> }[];
  readonly scope: string;
}
interface Point {
  readonly attributes: Record<string, unknown>;
  readonly value: number | { count: number; sum: number };
}
interface Collected {
  readonly spans: readonly PlainSpan[];
  readonly points: Readonly<Record<string, readonly Point[]>>;
  readonly logs: readonly Record<string, unknown>[];
}

const SERVER = 1; // SpanKind.SERVER
const UNSET = 0;
const ERROR = 2;
const MESSAGE = 'lookup failed: x is undefined';

// Each dialect's answer to its expected fault and to a TypeError: the status, error.type and
// whether the body carries the correlation id. ESB's internal error (code 500) is in no
// catalogue, so error.type says _OTHER.
const ROWS: readonly [string, 'expected' | 'unexpected', number, string, boolean][] = [
  ['xroad', 'expected', 400, 'Client.BadRequest', true],
  ['xroad', 'unexpected', 500, 'Server.ServerProxy.ServiceFailed.InternalError', true],
  ['esb', 'expected', 401, '900902', false],
  ['esb', 'unexpected', 500, '_OTHER', false],
  ['de4a', 'expected', 400, '10102', false],
  ['de4a', 'unexpected', 500, '99999', false],
  ['xks', 'expected', 400, 'ValidationException', false],
  ['xks', 'unexpected', 500, 'InternalException', false],
  ['ast', 'expected', 400, '510400', true],
  ['ast', 'unexpected', 500, '510500', true],
  ['problem', 'expected', 400, 'BadRequest', true],
  ['problem', 'unexpected', 500, 'InternalServerError', true],
];

interface Answer {
  readonly dialect: string;
  readonly kind: 'expected' | 'unexpected';
  readonly status: number;
  readonly errorType: string;
  readonly carriesId: boolean;
  readonly sent: number;
  readonly id: string;
  readonly body: string;
}

describe.each(['express4', 'express5', 'fastify5'])('telemetry on %s', (framework) => {
  let child: ChildProcess;
  let port: number;
  const answers: Answer[] = [];
  let collected: Collected;

  beforeAll(async () => {
    child = fork(join(__dirname, 'support/otel-app.cjs'), [framework], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the server exited with ${String(code)}`)));
    });
    for (const [dialect, kind, status, errorType, carriesId] of ROWS) {
      const res = await request(`http://127.0.0.1:${port}`)
        .get(`/fail/${kind}`)
        .set('x-dialect', dialect)
        .set('accept', 'application/json');
      answers.push({
        dialect,
        kind,
        status,
        errorType,
        carriesId,
        sent: res.status,
        id: String(res.headers['x-correlation-id']),
        body: res.text,
      });
    }
    collected = await new Promise<Collected>((resolve) => {
      child.once('message', (m) => resolve(m as Collected));
      child.send({ type: 'collect', serverSpans: ROWS.length });
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send({ type: 'close' });
    });
  });

  const serverSpanOf = (answer: Answer): PlainSpan => {
    const found = collected.spans.filter((s) => s.kind === SERVER && s.traceId === answer.id);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  describe.each(ROWS.map((row) => [`${row[0]} ${row[1]}`, row[0], row[1]] as const))(
    'when %s',
    (_label, dialect, kind) => {
      const answer = (): Answer => answers.find((a) => a.dialect === dialect && a.kind === kind)!;

      it('should answer with the status of the row and the trace id as the correlation id', () => {
        const a = answer();
        expect(a.sent).toBe(a.status);
        expect(a.id).toMatch(/^[0-9a-f]{32}$/);
        if (a.carriesId) expect(a.body).toContain(a.id);
        expect(a.body).not.toContain(MESSAGE);
      });

      it('should set error.type, the dialect and the correlation id on the SERVER span', () => {
        const a = answer();
        const span = serverSpanOf(a);
        expect(span.scope).toBe('@opentelemetry/instrumentation-http');
        expect(span.attributes).toMatchObject({
          'error.type': a.errorType,
          'faultline.dialect': a.dialect,
          'faultline.correlation_id': a.id,
          'http.response.status_code': a.status,
        });
      });

      if (kind === 'expected') {
        it('should leave the SERVER span status unset and add no exception event', () => {
          const span = serverSpanOf(answer());
          expect(span.status).toEqual({ code: UNSET });
          expect(span.events).toEqual([]);
        });
      } else {
        it('should set status ERROR and add the exception event of the thrown error', () => {
          const span = serverSpanOf(answer());
          expect(span.status).toEqual({ code: ERROR });
          expect(span.events).toHaveLength(1);
          expect(span.events[0]!.name).toBe('exception');
          expect(span.events[0]!.attributes).toMatchObject({
            'exception.type': 'TypeError',
            'exception.message': MESSAGE,
          });
          expect(String(span.events[0]!.attributes['exception.stacktrace'])).toMatch(
            /^TypeError: lookup failed: x is undefined\n {4}at /,
          );
        });
      }

      it('should log once with the same id, the trace id and a span id of the trace', () => {
        const a = answer();
        const lines = collected.logs.filter((l) => l['correlationId'] === a.id);
        expect(lines).toHaveLength(1);
        const line = lines[0]!;
        expect(line).toMatchObject({
          trace_id: a.id,
          trace_flags: '01',
          dialect: a.dialect,
          level: kind === 'expected' ? 30 : 50,
        });
        const spanIds = collected.spans.filter((s) => s.traceId === a.id).map((s) => s.spanId);
        expect(spanIds).toContain(line['span_id']);
      });

      it('should count the fault once and time it, labelled as on the span', () => {
        const a = answer();
        const labels = {
          'faultline.dialect': a.dialect,
          'error.type': a.errorType,
          'http.response.status_code': a.status,
          'faultline.expected': kind === 'expected',
        };
        const counted = collected.points['faultline.faults']!.filter(
          (p) => JSON.stringify(p.attributes) === JSON.stringify(labels),
        );
        expect(counted.map((p) => p.value)).toEqual([1]);
        const timed = collected.points['faultline.fault.duration']!.filter(
          (p) => JSON.stringify(p.attributes) === JSON.stringify(labels),
        );
        expect(timed.map((p) => (p.value as { count: number }).count)).toEqual([1]);
      });
    },
  );

  it('should record one point per row and nothing else', () => {
    expect(collected.points['faultline.faults']).toHaveLength(ROWS.length);
    expect(collected.logs).toHaveLength(ROWS.length);
  });
});
