/**
 * What the gateway knows: the APIs it publishes (context, version, resources, backend
 * endpoint, lifecycle state), the applications that call them (subscriptions, throttling
 * policy) and their credentials (API keys and OAuth bearer tokens). The demo tables are the
 * PizzaShack sample of the documentation's custom-error example and a few APIs that show the rest.
 *
 * @module
 */

/** One resource of an API: a method and a path template such as `/order/{orderId}`. */
export interface ResourceDefinition {
  readonly method: string;
  readonly path: string;
  /** The OAuth scope a bearer token needs for this resource (API keys carry no scopes). */
  readonly scope?: string;
}

/** `BLOCKED` APIs answer every request with the blocked-API sequence (700700). */
export type LifecycleState = 'PUBLISHED' | 'BLOCKED';

/** An API the gateway publishes at `/{context}/{version}/...`. */
export interface ApiDefinition {
  readonly name: string;
  readonly context: string;
  readonly version: string;
  /** The backend base URL; the resource path and query are appended to it. */
  readonly endpoint: string;
  readonly state?: LifecycleState;
  readonly resources: readonly ResourceDefinition[];
}

/** A throttling policy (a tier): at most `limit` requests per `windowMs`. */
export interface ThrottlePolicy {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  /** `fixed`: calendar windows of `windowMs`; `sliding`: any `windowMs` ending now. */
  readonly algorithm: 'fixed' | 'sliding';
}

/**
 * A subscription's state: `UNBLOCKED` may call; `ON_HOLD` (awaiting approval) and `REJECTED`
 * are inactive (900909); `BLOCKED` was blocked by the publisher (900907).
 */
export type SubscriptionState = 'UNBLOCKED' | 'ON_HOLD' | 'REJECTED' | 'BLOCKED';

/** An application: its throttling policy and its subscriptions, by `context/version`. */
export interface Application {
  readonly id: string;
  readonly name: string;
  readonly policy: ThrottlePolicy;
  readonly subscriptions: Readonly<Record<string, SubscriptionState>>;
}

/** What a credential (an API key or a bearer token) stands for. */
export interface Credential {
  readonly type: 'apikey' | 'oauth';
  /** The application's id. */
  readonly application: string;
  /** When the credential expires, in ms since the epoch; never when absent. */
  readonly expiresAt?: number;
  /** The scopes of an OAuth token. */
  readonly scopes?: readonly string[];
}

/**
 * The key of an API in subscriptions: `context/version`.
 *
 * @param api - the API
 * @returns e.g. `pizzashack/1.0.0`
 * @example
 * ```ts
 * apiKey({ context: 'pizzashack', version: '1.0.0' }); // 'pizzashack/1.0.0'
 * ```
 */
export function apiKey(api: Pick<ApiDefinition, 'context' | 'version'>): string {
  return `${api.context}/${api.version}`;
}

/**
 * The demo's APIs: PizzaShack and a SOAP stock quote service on the kitchen backend
 * (`src/backend.ts`), a `flaky` API whose resources make that backend misbehave, a warehouse
 * API whose backend is down, and an API in the BLOCKED lifecycle state.
 *
 * @param urls - `kitchen`: the demo backend; `warehouse`: a URL where nothing listens (omit
 *   it to leave the warehouse API out)
 * @returns the API definitions
 * @example
 * ```ts
 * createApp({ apis: demoApis({ kitchen: backend.url, warehouse: 'http://127.0.0.1:9/stock' }) });
 * ```
 */
export function demoApis(urls: {
  readonly kitchen: string;
  readonly warehouse?: string;
}): ApiDefinition[] {
  const kitchen = urls.kitchen.replace(/\/+$/, '');
  const apis: ApiDefinition[] = [
    {
      name: 'PizzaShackAPI',
      context: 'pizzashack',
      version: '1.0.0',
      endpoint: `${kitchen}/pizzashack`,
      resources: [
        { method: 'GET', path: '/menu' },
        { method: 'POST', path: '/order', scope: 'order:write' },
        { method: 'GET', path: '/order/{orderId}' },
      ],
    },
    {
      name: 'StockQuoteAPI',
      context: 'stockquote',
      version: '1.0.0',
      endpoint: `${kitchen}/stockquote`,
      resources: [{ method: 'POST', path: '/quote' }],
    },
    {
      name: 'FlakyAPI',
      context: 'flaky',
      version: '1.0.0',
      endpoint: `${kitchen}/flaky`,
      resources: ['/hang', '/crash', '/cut', '/stall', '/garbage', '/gzip'].map((path) => ({
        method: 'GET',
        path,
      })),
    },
    {
      name: 'LegacyOrdersAPI',
      context: 'legacy',
      version: '2.0.0',
      endpoint: `${kitchen}/legacy`,
      state: 'BLOCKED',
      resources: [{ method: 'GET', path: '/orders' }],
    },
  ];
  if (urls.warehouse !== undefined) {
    apis.push({
      name: 'WarehouseAPI',
      context: 'warehouse',
      version: '1.0.0',
      endpoint: urls.warehouse.replace(/\/+$/, ''),
      resources: [{ method: 'GET', path: '/stock' }],
    });
  }
  return apis;
}

const ALL_DEMO_APIS = [
  'pizzashack/1.0.0',
  'stockquote/1.0.0',
  'flaky/1.0.0',
  'legacy/2.0.0',
  'warehouse/1.0.0',
];

/**
 * The demo's applications. PizzaShackApp may call everything (Gold: 50 per minute);
 * TrialApp the same with the Trial tier (3 per minute, to see a throttle-out); PendingApp's
 * PizzaShack subscription awaits approval; SuspendedApp's was blocked by the publisher;
 * QuoteApp is subscribed to the stock quote API only.
 *
 * @param algorithm - the window of every demo policy
 * @returns the applications
 * @example
 * ```ts
 * createApp({ backendUrl, applications: demoApplications('sliding') });
 * ```
 */
export function demoApplications(algorithm: ThrottlePolicy['algorithm'] = 'fixed'): Application[] {
  const everything = Object.fromEntries(ALL_DEMO_APIS.map((api) => [api, 'UNBLOCKED' as const]));
  const gold: ThrottlePolicy = { name: 'Gold', limit: 50, windowMs: 60_000, algorithm };
  return [
    { id: 'app-1', name: 'PizzaShackApp', policy: gold, subscriptions: everything },
    {
      id: 'app-2',
      name: 'TrialApp',
      policy: { name: 'Trial', limit: 3, windowMs: 60_000, algorithm },
      subscriptions: everything,
    },
    {
      id: 'app-3',
      name: 'PendingApp',
      policy: gold,
      subscriptions: { 'pizzashack/1.0.0': 'ON_HOLD' },
    },
    {
      id: 'app-4',
      name: 'SuspendedApp',
      policy: gold,
      subscriptions: { 'pizzashack/1.0.0': 'BLOCKED' },
    },
    {
      id: 'app-5',
      name: 'QuoteApp',
      policy: gold,
      subscriptions: { 'stockquote/1.0.0': 'UNBLOCKED' },
    },
  ];
}

/**
 * The demo's credentials, by value. The documentation's token `fb119e84-9542-3194-93dc-1ddddaaa1111`
 * is deliberately absent: it is the invalid token of the documentation's custom-error example.
 *
 * @example
 * ```ts
 * DEMO_CREDENTIALS['pizzashack-key-0001']?.application; // 'app-1'
 * ```
 */
export const DEMO_CREDENTIALS: Readonly<Record<string, Credential>> = {
  'pizzashack-key-0001': { type: 'apikey', application: 'app-1' },
  'trial-key-0002': { type: 'apikey', application: 'app-2' },
  'pending-key-0003': { type: 'apikey', application: 'app-3' },
  'suspended-key-0004': { type: 'apikey', application: 'app-4' },
  'quote-key-0005': { type: 'apikey', application: 'app-5' },
  '6c1f7a52-0d47-4bb6-9c56-0d2e3c6a8a11': {
    type: 'oauth',
    application: 'app-1',
    scopes: ['order:write'],
  },
  '0e8a4d2b-7f3c-4c5e-8d1a-5b6c7d8e9f00': { type: 'oauth', application: 'app-1', scopes: [] },
  '9d3b2a10-5e4f-4a6b-8c7d-1e2f3a4b5c6d': {
    type: 'oauth',
    application: 'app-1',
    scopes: ['order:write'],
    expiresAt: Date.UTC(2024, 0, 1),
  },
};
