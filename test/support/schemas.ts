/**
 * Validating rendered bodies against the shipped schemas: ajv (draft 2020-12) for JSON, and
 * `xmllint --schema` (Debian's libxml2-utils, installed by scripts/ensure-tools.mjs) for XML,
 * one xmllint run per schema over every document written to a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';

/** The folder of the XSDs shipped with @faultline/core. */
export const SCHEMA_DIR = join(__dirname, '..', '..', 'packages', 'core', 'schemas');

const ajv = new Ajv2020({ strict: true, allErrors: true });

/** A compiled JSON Schema (compiled once per schema object). */
export function compile(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

/** The ajv errors of a JSON body, or `[]`. */
export function jsonErrors(validate: ValidateFunction, body: string): string[] {
  return validate(JSON.parse(body))
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
}

/** What xmllint said about each document it was given. */
export interface XmlResult {
  readonly status: number | null;
  /** Documents xmllint reported as not valid, by label. */
  readonly invalid: string[];
  readonly output: string;
}

/**
 * Validates many XML documents against one XSD with one xmllint process.
 *
 * @param xsd - the schema file name in {@link SCHEMA_DIR}
 * @param documents - label → document text
 */
export function xmllint(xsd: string, documents: ReadonlyMap<string, string>): XmlResult {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-xsd-'));
  try {
    const files: string[] = [];
    const labels = new Map<string, string>();
    let n = 0;
    for (const [label, text] of documents) {
      const file = join(dir, `${n++}.xml`);
      writeFileSync(file, text);
      files.push(file);
      labels.set(file, label);
    }
    const run = spawnSync(
      'xmllint',
      ['--noout', '--nonet', '--schema', join(SCHEMA_DIR, xsd), ...files],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.error !== undefined) throw run.error;
    const invalid = [...run.stderr.matchAll(/^(\S+) fails to validate$/gm)].map(
      (m) => labels.get(m[1]!) ?? m[1]!,
    );
    return { status: run.status, invalid, output: run.stderr.slice(0, 4000) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
