/**
 * Resource matching, as the gateway dispatches: `/{context}/{version}` picks the API (none:
 * the main sequence's 404), then the method and path pick one of its resources (none: the
 * resource mismatch handler's 404, or 405 when the path has other methods).
 *
 * @module
 */
import type { ApiDefinition, ResourceDefinition } from './config.js';

/** The API a request path names, and the path below its context and version. */
export interface ApiMatch {
  readonly api: ApiDefinition;
  /** The raw (still percent-encoded) path after `/{context}/{version}`, at least `/`. */
  readonly rest: string;
}

/** The resource a request matches, and the methods its path allows (for CORS). */
export interface ResourceMatch {
  readonly resource: ResourceDefinition | undefined;
  readonly allowedMethods: readonly string[];
}

/**
 * Finds the API of a request path.
 *
 * @param apis - the published APIs
 * @param path - the request path without the query, e.g. `/pizzashack/1.0.0/menu`
 * @returns the API and the rest of the path, or `undefined`
 * @example
 * ```ts
 * matchApi(apis, '/pizzashack/1.0.0/menu')?.rest; // '/menu'
 * ```
 */
export function matchApi(apis: readonly ApiDefinition[], path: string): ApiMatch | undefined {
  const [, context, version, ...rest] = path.split('/');
  const api = apis.find((a) => a.context === context && a.version === version);
  return api === undefined ? undefined : { api, rest: `/${rest.join('/')}` };
}

// `.` and `..` (also percent-encoded) would let URL normalisation reach another backend path.
function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}

function matchesTemplate(template: string, path: string): boolean {
  const want = template.split('/').slice(1);
  const have = path.split('/').slice(1);
  if (have.some(isDotSegment)) return false;
  if (want.at(-1) === '*')
    return (
      have.length >= want.length - 1 &&
      want.slice(0, -1).every((w, i) => matchesSegment(w, have[i]))
    );
  return want.length === have.length && want.every((w, i) => matchesSegment(w, have[i]));
}

function matchesSegment(template: string, segment: string | undefined): boolean {
  if (segment === undefined) return false;
  return /^\{[^/{}]+\}$/.test(template) ? segment !== '' : template === segment;
}

/**
 * Finds the resource of a request within its API.
 *
 * @param api - the API
 * @param method - the request method
 * @param rest - the path below the API, from {@link matchApi}
 * @returns the resource (or `undefined`) and every method defined for that path
 * @example
 * ```ts
 * matchResource(pizzashack, 'DELETE', '/menu'); // { resource: undefined, allowedMethods: ['GET'] }
 * ```
 */
export function matchResource(api: ApiDefinition, method: string, rest: string): ResourceMatch {
  const onPath = api.resources.filter((r) => matchesTemplate(r.path, rest));
  return {
    resource: onPath.find((r) => r.method === method),
    allowedMethods: [...new Set(onPath.map((r) => r.method))],
  };
}
