/**
 * Small pieces every dialect uses.
 */
import { copyFault } from '../fault.js';
import type { Fault } from '../fault.js';
import type { ResolveContext } from './types.js';

/** The fault itself when it already carries the context's correlation id, else a copy that does. */
export function withCorrelationId(fault: Fault, context: ResolveContext): Fault {
  return fault.correlationId === context.correlationId
    ? fault
    : copyFault(fault, { correlationId: context.correlationId });
}
