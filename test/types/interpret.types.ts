/**
 * Compile-time checks of the reverse direction: `parseFault` narrows on `recognised`,
 * `explain` returns explanations, dialects' `schema()` and `openApiResponses`, and the
 * command's `run`. Type-checked by `pnpm typecheck`; nothing here runs.
 */
import { explain, openApiResponses, parseFault, xroad } from '@faultline/core';
import type {
  DialectSchemas,
  Explanation,
  Fault,
  FaultOrigin,
  JsonSchema,
  OpenApiResponse,
  ParsedFault,
} from '@faultline/core';
import { run } from '@faultline/cli';
import { expectEqual, expectType } from './expect.js';

export function read(body: string): string {
  const result = parseFault(body, 'application/json', {
    status: 500,
    headers: { 'x-road-error': 'Server.ServerProxy.AccessDenied' },
    via: 'xroad',
  });
  expectType<ParsedFault>(result);
  if (result.recognised) {
    expectType<Fault>(result.fault);
    expectType<FaultOrigin | undefined>(result.origin);
    expectType<readonly string[]>(result.notes);
    // @ts-expect-error a recognised fault has no reason
    return result.reason;
  }
  // @ts-expect-error an unrecognised body has no fault
  void result.fault;
  return result.reason;
}

export const bytes = parseFault(new Uint8Array([123, 125]));
// @ts-expect-error bodies are text or bytes
export const notABody = parseFault(42);
// @ts-expect-error only X-Road has a "via"
export const badVia = parseFault('{}', undefined, { via: 'esb' });
// @ts-expect-error dialects are named by their built-in names
export const badDialect = parseFault('{}', undefined, { dialects: ['soap'] });

export const explained = expectEqual<ReturnType<typeof explain>, Explanation[]>(true);
export const byNumber: Explanation[] = explain(101507);
export const schemas: DialectSchemas = xroad.schema();
export const jsonSchema: JsonSchema = schemas.json;
export const responses: Record<string, OpenApiResponse> = openApiResponses('xks');
export const exit: Promise<number> = run(['explain', '10102']);
