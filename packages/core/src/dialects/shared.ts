/**
 * Small pieces every dialect uses.
 */
import { buildFault, copyFault } from '../fault.js';
import type { Fault, FaultInit } from '../fault.js';
import type { DebugInfo, Problem, ResolveContext } from './types.js';

/** The fault itself when it already carries the context's correlation id, else a copy that does. */
export function withCorrelationId(fault: Fault, context: ResolveContext): Fault {
  return fault.correlationId === context.correlationId
    ? fault
    : copyFault(fault, { correlationId: context.correlationId });
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
  return buildFault(
    {
      expose: problem.expose,
      headers: problem.headers,
      details: problem.details,
      ...fields,
      cause: problem.cause,
      correlationId: context.correlationId,
    },
    problem.cause,
  );
}
