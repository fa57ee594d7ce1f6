/**
 * Schemas of the bodies each dialect renders: a JSON Schema (draft 2020-12, so it drops into
 * an OpenAPI 3.1 document as it is) for every JSON body, and the XSD shipped in
 * `@faultline/core/schemas/` for every XML body. Each dialect describes its own bodies
 * (`dialects/<d>/schema.ts`); every dialect value has the same `schema(options?)`, e.g.
 * `xroad.schema()`, and `dialectSchemas` answers for a dialect named, given or known by a
 * catalogue.
 *
 * @module
 */
import type { Catalog } from './catalog.js';
import { builtInDialect } from './dialects/registry.js';
import type { DialectName } from './dialects/registry.js';
import type { Dialect } from './dialects/contract.js';
import { schemasOf } from './dialects/schema-kit.js';
import type { DialectSchemas, SchemaOptions } from './dialects/schema-kit.js';

export type {
  DialectSchemas,
  JsonSchema,
  JsonValue,
  SchemaOptions,
  SchemaPin,
  XmlSchemaRef,
} from './dialects/schema-kit.js';

const isDialect = (value: unknown): value is Dialect =>
  typeof value === 'object' && value !== null && typeof (value as Dialect).configure === 'function';

/**
 * The schemas of a dialect's bodies; what every dialect's `schema()` returns.
 *
 * @param source - a dialect (a value, yours too, or a built-in name), or a built-in dialect's catalogue
 * @param options - your own catalogues (to make codes an enum), `debug`
 * @returns the JSON Schema (with `$schema`) and the XSD references
 * @throws TypeError when the dialect describes no bodies or is unknown, or the options are not an object
 * @example
 * ```ts
 * dialectSchemas(xroad.catalog).xml?.specifier; // '@faultline/core/schemas/xroad-rest-error.xsd'
 * dialectSchemas('xks').json.required;          // ['errorName']
 * ```
 */
export function dialectSchemas(
  source: Dialect | Catalog | DialectName,
  options: SchemaOptions = {},
): DialectSchemas {
  const dialect = isDialect(source)
    ? source
    : builtInDialect(
        typeof source === 'string' ? source : ((source as Catalog | null)?.dialect ?? ''),
      );
  const bodies = dialect?.bodies;
  const id =
    dialect?.id ??
    (typeof source === 'string' ? source : String((source as Catalog | null)?.dialect));
  if (dialect === undefined || bodies === undefined)
    throw new TypeError(`faultline: no schemas for dialect '${id}'`);
  // A catalogue given instead of a dialect names the codes, as it always did.
  const catalog =
    isDialect(source) || typeof source === 'string' ? dialect.catalog : (source as Catalog);
  return schemasOf(dialect.id, catalog, bodies, options);
}
