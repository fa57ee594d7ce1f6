/**
 * A small API gateway on Express 5 that answers every error in the `esb` dialect, as the
 * WSO2 API Manager gateway's fault sequences do. A request to `/{context}/{version}/{resource}`
 * goes through the gateway's steps in order:
 *
 * 1. API lookup (none: `main`, 404), lifecycle (BLOCKED: 700700), resource matching
 *    (`_resource_mismatch_handler_` through `fault`: 404 for an unknown path, 405 for an unknown
 *    method);
 * 2. CORS headers for the matched resource;
 * 3. authentication with an `apikey` header or an OAuth bearer token
 *    (`_auth_failure_handler_`: 900902, 900901, 900903, 900907, 900908, 900909, 900910);
 * 4. the application's rate limit (`_throttle_out_handler_`: 900803, with the next access time);
 * 5. the backend call with undici's `fetch` (`fault`: the transport codes, base + protocol state).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { esb } from '@faultline/core';
import type {
  CustomSequence,
  EsbOptions,
  EsbProfile,
  FaultLogger,
  RequestInfo,
} from '@faultline/core';
import { faultline, notFound } from '@faultline/express';
import { authenticate } from './auth.js';
import type { AuthTables } from './auth.js';
import { DEMO_CREDENTIALS, demoApis, demoApplications } from './config.js';
import type { ApiDefinition, Application, Credential } from './config.js';
import { MemoryStore, checkPolicy } from './limiter.js';
import type { RateLimitStore, ThrottleDecision } from './limiter.js';
import { BackendClient, isHopByHop } from './proxy.js';
import type { BackendResponse, BackendTimeouts } from './proxy.js';
import { matchApi, matchResource } from './routes.js';

/** CORS headers the gateway adds to every response of a matched resource. */
export interface CorsOptions {
  /** @default '*' */
  readonly allowOrigin?: string;
  /** @default 'authorization,Access-Control-Allow-Origin,Content-Type,SOAPAction' (the documentation's) */
  readonly allowHeaders?: string;
}

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The demo backend (`src/backend.ts`) the demo APIs call. Needed unless `apis` is given. */
  readonly backendUrl?: string;
  /** Where the demo's warehouse API calls: a URL where nothing listens. Without it, no warehouse API. */
  readonly warehouseUrl?: string;
  /** The published APIs. @default demoApis({ kitchen: backendUrl, warehouse: warehouseUrl }) */
  readonly apis?: readonly ApiDefinition[];
  /** The applications. @default demoApplications() */
  readonly applications?: readonly Application[];
  /** API keys and bearer tokens, by value. @default DEMO_CREDENTIALS */
  readonly credentials?: Readonly<Record<string, Credential>>;
  /** Where request counts live. @default a new in-memory store (`{ store: RedisStore }` to share a quota) */
  readonly limiter?: { readonly store?: RateLimitStore };
  /** Backend timeouts in ms. */
  readonly timeouts?: BackendTimeouts;
  /** Custom sequences by name: Synapse `<sequence>` sources (read with `esb.parseSequence`) or parsed ones. */
  readonly sequences?: Readonly<Record<string, string | CustomSequence>>;
  /** The custom sequence that `_auth_failure_handler_` runs, e.g. `'convert'` (the documentation's example). */
  readonly customAuthFault?: string;
  /** The release the gateway answers as. @default WSO2 API Manager 4.x (`'apim-3.2'`: 3.2.0) */
  readonly profile?: EsbProfile;
  /** CORS headers, or `false` for none. */
  readonly cors?: CorsOptions | false;
  /** Where faults are logged; `false` turns logging off. Default: one JSON line on stderr. */
  readonly logger?: FaultLogger | false;
  /** Makes the correlation id logged with each fault (default: a random UUID). */
  readonly correlationId?: (request: RequestInfo) => string;
  /** The gateway's clock in ms since the epoch, for token expiry and rate limits. @default Date.now */
  readonly clock?: () => number;
  /** The largest request body in bytes. @default 1048576 */
  readonly maxBodyBytes?: number;
}

const DEFAULT_ALLOW_HEADERS = 'authorization,Access-Control-Allow-Origin,Content-Type,SOAPAction';
// Credentials are the gateway's business, and the gateway sets these two itself.
const CONSUMED = new Set(['apikey', 'authorization', 'x-forwarded-for', 'activityid']);
// `fetch` hands back a decoded body, so the backend's coding and length no longer apply.
const NOT_RELAYED = new Set(['content-encoding', 'content-length']);

function optionError(name: string, what: string): TypeError {
  return new TypeError(`esb-gateway: options.${name} ${what}`);
}

function resolveApis(options: AppOptions): readonly ApiDefinition[] {
  const apis =
    options.apis ??
    (options.backendUrl === undefined
      ? undefined
      : demoApis({ kitchen: options.backendUrl, warehouse: options.warehouseUrl }));
  if (apis === undefined) throw optionError('backendUrl', 'or options.apis is required');
  const seen = new Set<string>();
  for (const api of apis) {
    const key = `${api.context}/${api.version}`;
    if (!/^[\w.-]+\/[\w.-]+$/.test(key))
      throw optionError('apis', `has an invalid context or version '${key}'`);
    if (seen.has(key)) throw optionError('apis', `publishes ${key} twice`);
    seen.add(key);
    if (!URL.canParse(api.endpoint) || !/^https?:$/.test(new URL(api.endpoint).protocol)) {
      throw optionError('apis', `has an endpoint for ${key} that is not an http(s) URL`);
    }
  }
  return apis;
}

function resolveTables(options: AppOptions): AuthTables {
  const applications = new Map((options.applications ?? demoApplications()).map((a) => [a.id, a]));
  for (const application of applications.values())
    checkPolicy(application.policy, application.name);
  const credentials = new Map(Object.entries(options.credentials ?? DEMO_CREDENTIALS));
  for (const [value, credential] of credentials) {
    if (!applications.has(credential.application)) {
      throw optionError(
        'credentials',
        `has a credential '${value.slice(0, 4)}…' of an unknown application '${credential.application}'`,
      );
    }
  }
  return { applications, credentials };
}

function resolveEsb(options: AppOptions): EsbOptions {
  const sequences = Object.fromEntries(
    Object.entries(options.sequences ?? {}).map(([name, source]) => [
      name,
      typeof source === 'string' ? esb.parseSequence(source) : source,
    ]),
  );
  const custom = options.customAuthFault;
  const profile = options.profile === undefined ? {} : { profile: options.profile };
  if (custom === undefined) return { sequences, ...profile };
  if (!Object.hasOwn(sequences, custom))
    throw optionError('customAuthFault', `names '${custom}', which is not in options.sequences`);
  // With a custom handler the dialect sends what the sequence makes and nothing else, as the
  // documentation's 555 example shows (no WWW-Authenticate challenge).
  return { sequences, ...profile, use: { _auth_failure_handler_: custom } };
}

function warn(logger: FaultLogger | false | undefined, event: object, msg: string): void {
  if (logger === false) return;
  if (logger === undefined) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', time: Date.now(), ...event, msg })}\n`);
    return;
  }
  (logger.warn ?? logger.error)?.call(logger, event, msg);
}

// The request headers to forward: end-to-end ones, without the caller's credentials, plus
// the caller's address in X-Forwarded-For and the gateway's `activityid` (as WSO2's gateway
// sends it), by which the backend's log lines can be found.
function forwardedHeaders(req: express.Request): [string, string][] {
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || isHopByHop(name) || CONSUMED.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.push([name, one]);
  }
  const chain = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? 'unknown';
  headers.push([
    'x-forwarded-for',
    typeof chain === 'string' && chain !== '' ? `${chain}, ${client}` : client,
  ]);
  headers.push(['activityid', randomUUID()]);
  return headers;
}

// Copies the backend's answer: its status, its end-to-end headers (the gateway's CORS headers
// win) and its body.
function relay(upstream: BackendResponse, res: express.Response): void {
  res.status(upstream.status);
  const relayed = new Map<string, string[]>();
  for (const [name, value] of upstream.headers) {
    if (isHopByHop(name) || NOT_RELAYED.has(name) || res.hasHeader(name)) continue;
    relayed.set(name, [...(relayed.get(name) ?? []), value]);
  }
  for (const [name, values] of relayed)
    res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  res.end(upstream.body);
}

// Counts the request against the application's quota. A store that fails (Redis away) lets
// the request through: the gateway keeps serving rather than refuse every caller.
async function countRequest(
  store: RateLimitStore,
  application: Application,
  now: number,
  logger: AppOptions['logger'],
): Promise<ThrottleDecision> {
  try {
    return await store.hit(application.id, application.policy, now);
  } catch (error) {
    warn(
      logger,
      {
        application: application.name,
        error: error instanceof Error ? error.message : String(error),
      },
      'rate limit store unavailable; request allowed',
    );
    return { allowed: true };
  }
}

/**
 * Builds the gateway. Call `listen` on the result to start it.
 *
 * @param options - backend and APIs, credentials, limiter, timeouts, custom sequences, logging, clock
 * @returns the Express application
 * @throws TypeError on an invalid option, a custom sequence faultline cannot reproduce, or a bad policy
 * @example
 * ```ts
 * const backend = await startBackend();
 * createApp({ backendUrl: backend.url }).listen(8280, '127.0.0.1');
 * // curl -i -H 'apikey: pizzashack-key-0001' http://127.0.0.1:8280/pizzashack/1.0.0/menu
 * ```
 */
export function createApp(options: AppOptions = {}): express.Express {
  const apis = resolveApis(options);
  const tables = resolveTables(options);
  const esbOptions = resolveEsb(options);
  const store = options.limiter?.store ?? new MemoryStore();
  const backend = new BackendClient(options.timeouts);
  const clock = options.clock ?? Date.now;
  const cors =
    options.cors === false
      ? undefined
      : {
          origin: options.cors?.allowOrigin ?? '*',
          headers: options.cors?.allowHeaders ?? DEFAULT_ALLOW_HEADERS,
        };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: options.maxBodyBytes ?? 1024 * 1024 }));

  app.use(async function gateway(req, res, next) {
    const match = matchApi(apis, req.path);
    if (match === undefined) return next();
    const { api, rest } = match;
    if (api.state === 'BLOCKED') throw esb.fault(700700);
    const { resource, allowedMethods } = matchResource(api, req.method, rest);
    // CORSRequestHandler.handleResourceNotFound: 405 when the path has other methods, else 404.
    if (resource === undefined)
      throw esb.fault(allowedMethods.length > 0 ? 405 : 404, {
        sequence: '_resource_mismatch_handler_',
      });
    if (cors !== undefined) {
      res.setHeader('access-control-allow-origin', cors.origin);
      res.setHeader('access-control-allow-methods', allowedMethods.join(','));
      res.setHeader('access-control-allow-headers', cors.headers);
    }

    const caller = authenticate(req.headers, api, resource, tables, clock());
    const decision = await countRequest(store, caller.application, clock(), options.logger);
    if (!decision.allowed)
      throw esb.fault(900803, { nextAccessTime: new Date(decision.nextAccessTime) });

    const query = req.originalUrl.indexOf('?');
    const upstream = await backend.send({
      method: req.method,
      url: `${api.endpoint}${rest}${query === -1 ? '' : req.originalUrl.slice(query)}`,
      headers: forwardedHeaders(req),
      body: Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined,
    });
    relay(upstream, res);
  });

  app.use(notFound());
  app.use(
    faultline({
      dialect: 'esb',
      esb: esbOptions,
      logger: options.logger,
      correlationId: options.correlationId,
    }),
  );
  return app;
}
