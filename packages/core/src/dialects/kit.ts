/**
 * Small pieces every dialect uses.
 */
import { buildFault } from '../fault.js';
import type { Fault, FaultInit } from '../fault.js';
import { listHeader } from '../headers.js';
import type { RequestInfo } from '../request.js';
import type { Problem } from '../pipeline/types.js';
import type { DebugInfo, ResolveContext } from './contract.js';

/**
 * A decision taken on a request's `Accept` header alone, remembered per distinct header: it is
 * taken for every fault, and a service sees few distinct headers. At most `max` headers of up
 * to 1024 characters are kept, first in first out; others are decided afresh each time.
 */
export function byAccept<T>(decide: (accept: string | undefined) => T, max = 128): (request: RequestInfo) => T {
  const known = new Map<string, T>();
  const none = decide(undefined);
  return (request) => {
    const accept = listHeader(request.headers, 'accept');
    if (accept === undefined) return none;
    const cached = known.get(accept);
    if (cached !== undefined) return cached;
    const decided = decide(accept);
    if (accept.length <= 1024) {
      if (known.size >= max) known.delete(known.keys().next().value as string);
      known.set(accept, decided);
    }
    return decided;
  };
}

/** The `debug` member JSON bodies carry with `debug: true` (spread it last), else nothing. */
export function debugJson(debug: DebugInfo | undefined): { debug?: { stack: string | undefined; causes: readonly string[] } } {
  return debug === undefined ? {} : { debug: { stack: debug.stack, causes: debug.causes } };
}

/**
 * A dialect's fault for a problem: the problem's exposure, headers and validation details
 * (which `fields` may override), its cause (whose stack the fault reports) and the context's
 * correlation id. No stack is captured.
 */
export function problemFault(
  problem: Problem,
  context: ResolveContext,
  fields: Omit<FaultInit, 'cause' | 'correlationId'>,
): Fault {
  // Field by field rather than spread: this runs for every fault that is not thrown as one.
  return buildFault(
    {
      dialect: fields.dialect,
      code: fields.code,
      status: fields.status,
      message: fields.message,
      name: fields.name,
      description: fields.description,
      params: fields.params,
      expose: Object.hasOwn(fields, 'expose') ? fields.expose : problem.expose,
      headers: Object.hasOwn(fields, 'headers') ? fields.headers : problem.headers,
      details: Object.hasOwn(fields, 'details') ? fields.details : problem.details,
      cause: problem.cause,
      correlationId: context.correlationId,
    },
    problem.cause,
  );
}
