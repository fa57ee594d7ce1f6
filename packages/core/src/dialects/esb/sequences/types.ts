/**
 * Extra folder: ESB answers through fault sequences; this file names their parts.
 *
 * The vocabulary of sequences, shared by the validator (`custom.ts`) and the template filler
 * (`template.ts`): context values, template arguments, output types, a validated sequence.
 *
 * @module
 */

/**
 * The context values a template argument can name.
 *
 * @example
 * ```ts
 * CONTEXT_VALUES.includes('ERROR_DETAIL'); // true
 * ```
 */
export const CONTEXT_VALUES = [
  'ERROR_CODE',
  'ERROR_MESSAGE',
  'ERROR_DETAIL',
  'ERROR_EXCEPTION',
  'HTTP_SC',
  'NEXT_ACCESS_TIME',
  'NEXT_ACCESS_UTC_TIME',
  'BASE_ERROR_CODE',
  'PROTOCOL_STATE_ON_FAILURE',
  'HTTP_METHOD',
] as const;

/**
 * A context value: `ERROR_CODE`, `ERROR_MESSAGE`, `ERROR_DETAIL`, `HTTP_SC`, …
 *
 * @example
 * ```ts
 * const arg: ContextValue = 'ERROR_CODE'; // `$ctx:ERROR_CODE` in a payloadFactory
 * ```
 */
export type ContextValue = (typeof CONTEXT_VALUES)[number];

/**
 * A template argument: a context value (`$ctx:ERROR_CODE`) or a literal (`value="…"`).
 *
 * @example
 * ```ts
 * const args: SequenceArg[] = ['ERROR_CODE', { value: 'See the developer portal' }];
 * ```
 */
export type SequenceArg = ContextValue | { readonly value: string };

/**
 * The media types a sequence can send (`<property name="messageType" scope="axis2"/>`).
 *
 * @example
 * ```ts
 * const messageType: MessageType = 'application/json';
 * const sequence: CustomSequence = { messageType };
 * ```
 */
export type MessageType = 'application/json' | 'application/xml' | 'text/xml';

/** The text of every context value, as a template argument reads it (empty when unset). */
export type ContextValues = Readonly<Record<ContextValue, string>>;

/** A validated, frozen custom sequence. */
export interface ResolvedSequence {
  readonly name: string;
  readonly mediaType: 'xml' | 'json';
  readonly format: string | undefined;
  readonly args: readonly SequenceArg[];
  readonly status: number | undefined;
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
  readonly messageType: MessageType | undefined;
}
