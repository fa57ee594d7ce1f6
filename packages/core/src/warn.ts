/**
 * Warnings about a configuration that works but is probably not what was meant (an option
 * name nothing reads, a dialect chooser naming a dialect that does not exist). They go through
 * Node's `process.emitWarning`, type `FaultlineWarning`, each text once per process, so a test
 * runner or `--no-warnings` treats them as it treats Node's own.
 *
 * @module
 */

/** The warning codes, one per kind of mistake. */
export type WarningCode = 'FAULTLINE_UNKNOWN_OPTION' | 'FAULTLINE_UNKNOWN_DIALECT';

// The texts already emitted; bounded, since a chooser's unknown names come from requests.
const emitted = new Set<string>();
const MAX_EMITTED = 256;

/**
 * Emits a `FaultlineWarning` once per text. Never throws: a warning must not cost a fault.
 *
 * @param code - the kind of mistake
 * @param message - what is wrong, naming it
 * @example
 * ```ts
 * warnOnce('FAULTLINE_UNKNOWN_OPTION', "faultline: options.debgu is not an option");
 * ```
 */
export function warnOnce(code: WarningCode, message: string): void {
  if (emitted.has(message) || emitted.size >= MAX_EMITTED) return;
  emitted.add(message);
  try {
    process.emitWarning(message, { type: 'FaultlineWarning', code });
  } catch {
    // a warning listener that throws is not ours to answer
  }
}
