/**
 * The AST body described: the JSON Schema of `{"code","name","message","correlationId"?,
 * "details"?}`, and the one encoding the dialect answers in.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { codesOf, narrow, object } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';

/** The `Content-Type` of every AST body. */
export const MEDIA_TYPE = 'application/json;charset=utf-8';
/** The one encoding: AST clients read JSON only. */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: 'application/json' });

/** One validation problem, as `details` carries it. */
export const DETAILS_ITEM: JsonSchema = {
  type: 'object',
  properties: {
    pointer: { type: 'string' },
    message: { type: 'string' },
    keyword: { type: 'string' },
  },
  required: ['pointer', 'message'],
  additionalProperties: false,
};

/**
 * AST: `{"code","name","message","correlationId"?,"details"?}`, `code` a JSON number.
 *
 * @param catalog - the AST catalogue
 * @param options - your own catalogues (codes as an enum), `debug`
 * @param pin - the codes to narrow `code` to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * astJson(ast.catalog).required; // ['code', 'name', 'message']
 * ```
 */
export function astJson(
  catalog: Catalog,
  options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
  return object(
    {
      code: narrow({ type: 'integer', minimum: 1 }, pin?.codes ?? codesOf(catalog, options)),
      name: { type: 'string', minLength: 1 },
      message: { type: 'string' },
      correlationId: { type: 'string' },
      details: { type: 'array', items: DETAILS_ITEM },
    },
    ['code', 'name', 'message'],
    options.debug,
  );
}

/**
 * The schema of AST bodies: JSON only.
 *
 * @example
 * ```ts
 * BODIES.soap; // undefined
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({ json: astJson });

/**
 * The encodings AST answers in, and a request that selects each.
 *
 * @example
 * ```ts
 * ENCODINGS.length; // 1
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
]);
