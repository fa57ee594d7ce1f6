/**
 * Authentication and authorisation, in the gateway's order: a credential must be there
 * (900902), be known (900901) and unexpired (900903); the application must be subscribed
 * to the API (900908) with an active subscription (900909, 900907); an OAuth token must carry
 * the resource's scope (900910). Each failure is the `esb` fault that the gateway's
 * `_auth_failure_handler_` answers.
 *
 * @module
 */
import { esb } from '@faultline/core';
import type { Application, ApiDefinition, Credential, ResourceDefinition } from './config.js';
import { apiKey } from './config.js';

/** The request headers authentication reads. */
export interface AuthHeaders {
  readonly apikey?: string | readonly string[];
  readonly authorization?: string;
}

/** Who is calling: the application and the credential it used. */
export interface Caller {
  readonly application: Application;
  readonly credential: Credential;
}

/** The tables authentication checks against. */
export interface AuthTables {
  readonly applications: ReadonlyMap<string, Application>;
  readonly credentials: ReadonlyMap<string, Credential>;
}

// The credential a request offers: the `apikey` header first, then `Authorization: Bearer`.
function offered(headers: AuthHeaders): { type: Credential['type']; value: string } | undefined {
  const key = Array.isArray(headers.apikey) ? headers.apikey[0] : headers.apikey;
  if (typeof key === 'string' && key.trim() !== '') return { type: 'apikey', value: key.trim() };
  const authorization = headers.authorization?.trim();
  if (authorization === undefined || authorization === '') return undefined;
  // Any other scheme (Basic, a bare token) is an invalid credential, not a missing one.
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  return { type: 'oauth', value: bearer?.[1] ?? '' };
}

/**
 * Authenticates a request for a resource and checks the caller's subscription and scopes.
 *
 * @param headers - the request's `apikey` and `authorization` headers
 * @param api - the API the request matched
 * @param resource - the resource it matched
 * @param tables - the applications and credentials
 * @param now - the current time in ms
 * @returns the caller
 * @throws Fault 900902, 900901, 900903, 900908, 900909, 900907 or 900910
 * @example
 * ```ts
 * const caller = authenticate(req.headers, api, resource, tables, Date.now());
 * caller.application.name; // 'PizzaShackApp'
 * ```
 */
export function authenticate(
  headers: AuthHeaders,
  api: ApiDefinition,
  resource: ResourceDefinition,
  tables: AuthTables,
  now: number,
): Caller {
  const offer = offered(headers);
  if (offer === undefined) throw esb.fault(900902);
  const credential = tables.credentials.get(offer.value);
  if (credential === undefined || credential.type !== offer.type) throw esb.fault(900901);
  if (credential.expiresAt !== undefined && credential.expiresAt <= now) throw esb.fault(900903);
  const application = tables.applications.get(credential.application);
  if (application === undefined) throw esb.fault(900901);

  const subscription = application.subscriptions[apiKey(api)];
  if (subscription === undefined) throw esb.fault(900908);
  if (subscription === 'BLOCKED') throw esb.fault(900907);
  if (subscription !== 'UNBLOCKED') throw esb.fault(900909);
  if (
    credential.type === 'oauth' &&
    resource.scope !== undefined &&
    !credential.scopes?.includes(resource.scope)
  ) {
    throw esb.fault(900910);
  }
  return { application, credential };
}
