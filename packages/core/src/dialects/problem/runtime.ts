/**
 * The configured problem dialect: its options, the status and code of a classified error, and
 * the RFC 9457 body.
 *
 * @module
 */
import { Fault } from '../../fault.js';
import { reasonPhrase } from '../../status.js';
import { jsonString } from '../../encode/json.js';
import { debugJson, faultFor } from '../kit.js';
import { networkFailure } from '../../pipeline/recognise/network.js';
import type { DialectRuntime, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import { DIALECT, catalog, codeOf } from './catalog.js';
import { JSON_ENCODING, MEDIA_TYPE } from './schema.js';
import { optionNames } from '../../safe.js';

/**
 * Options of the `problem` dialect (`problem: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: ProblemOptions = { typeBase: 'https://errors.example.com/' };
 * createFaultHandler({ dialect: 'problem', problem: options });
 * ```
 */
export interface ProblemOptions {
  /**
   * A URI prefix for `type`: a fault with code `NotFound` gets `type` `<typeBase>NotFound`.
   * Without it, `type` is `about:blank` and `title` is the status's reason phrase, as RFC 9457
   * §4.2.1 asks.
   */
  readonly typeBase?: string;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<ProblemOptions>({ typeBase: true });

const CODE_BY_KIND: Readonly<Partial<Record<ProblemKind, string>>> = {
  invalidBody: 'InvalidBody',
  validation: 'ValidationFailed',
};

/**
 * Resolves the dialect's options once.
 *
 * @param options - the URI prefix of `type`
 * @returns the runtime the handler uses
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const runtime = configure({ typeBase: 'https://errors.example.com/' });
 * ```
 */
export function configure(options: ProblemOptions = {}): DialectRuntime {
  const typeBase = options.typeBase;
  if (typeBase !== undefined && (typeof typeBase !== 'string' || typeBase === '')) {
    throw new TypeError('faultline: problem.typeBase must be a non-empty URI prefix');
  }
  const fromProblem = (p: Problem, context: ResolveContext): Fault => {
    // A dependency that timed out is a 504, one that could not be reached a 502.
    const network = p.kind === 'internal' ? networkFailure(p) : undefined;
    const status = network === 'timeout' ? 504 : network === 'unreachable' ? 502 : p.status;
    const code = CODE_BY_KIND[p.kind] ?? codeOf(status);
    return faultFor(p, context, {
      dialect: DIALECT,
      code,
      status,
      message: p.message === '' ? (catalog.get(code)?.message ?? reasonPhrase(status)) : p.message,
      name: code,
    });
  };
  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt: (thrown) => (thrown.dialect === DIALECT ? thrown : undefined),
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message, debug }) {
      const params = f.params as { title?: unknown; type?: unknown } | undefined;
      const code = String(f.code);
      const ownType = typeof params?.type === 'string' ? params.type : undefined;
      const type = ownType ?? (typeBase === undefined ? 'about:blank' : `${typeBase}${code}`);
      const title =
        typeof params?.title === 'string'
          ? params.title
          : type === 'about:blank'
            ? reasonPhrase(f.status)
            : (catalog.get(code)?.message ?? reasonPhrase(f.status));
      const instance = `urn:uuid:${f.correlationId ?? ''}`;
      if (f.details === undefined && debug === undefined) {
        // The common case as a template: the same bytes as JSON.stringify of the object below.
        return {
          status: f.status,
          headers: { 'content-type': MEDIA_TYPE },
          body:
            `{"type":${jsonString(type)},"title":${jsonString(title)},"status":${f.status},"detail":${jsonString(message)},` +
            `"instance":${jsonString(instance)},"code":${jsonString(code)}}`,
        };
      }
      const body = {
        type,
        title,
        status: f.status,
        detail: message,
        instance,
        code,
        ...(f.details === undefined
          ? {}
          : {
              errors: f.details.map((d) => ({
                detail: d.message,
                pointer: `#${d.pointer}`,
                ...(d.keyword === undefined ? {} : { keyword: d.keyword }),
              })),
            }),
        ...debugJson(debug),
      };
      return {
        status: f.status,
        headers: { 'content-type': MEDIA_TYPE },
        body: JSON.stringify(body),
      };
    },
  };
}
