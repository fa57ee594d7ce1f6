/**
 * Custom fault sequences from disk: every `*.xml` file of a folder, by file name, the way the
 * gateway deploys `<API-M_HOME>/repository/deployment/server/synapse-configs/default/sequences`.
 *
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the sequence sources of a folder. `createApp` parses each one with
 * `esb.parseSequence`, so a sequence faultline cannot reproduce stops the start-up.
 *
 * @param dir - the folder, e.g. `examples/esb-gateway/sequences`
 * @returns name (the file name without `.xml`) → Synapse `<sequence>` source
 * @throws when the folder cannot be read
 * @example
 * ```ts
 * readSequences('sequences').convert; // the documentation's convert.xml
 * ```
 */
export function readSequences(dir: string): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.xml'))
      sources[file.slice(0, -'.xml'.length)] = readFileSync(join(dir, file), 'utf8');
  }
  return sources;
}
