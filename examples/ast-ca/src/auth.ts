/**
 * Bearer tokens for the CA: compact JWTs signed with HMAC-SHA-256 (`HS256`) under a secret the
 * service holds. A real AST deployment verifies tokens from its OIDC identity provider; this
 * example signs and checks its own, so every rule below runs for real: the signature, `exp` and
 * `nbf` against the service's clock, the user (`sub`), the tenant, the roles and the
 * authentication methods (`amr`).
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ast } from '@faultline/core';

/** The claims this CA reads from a token. */
export interface TokenClaims {
  /** The user id. A token without one is answered with `MissingUserId`. */
  readonly sub?: string;
  /** The tenant the user acts for, e.g. `acme`. */
  readonly tenant?: string;
  /** Roles: `ca-admin` manages signers, `ca-operator` approves certificate requests. */
  readonly roles?: readonly string[];
  /** Authentication methods (RFC 8176), e.g. `['pwd', 'otp']`. Key registration needs `pwd`. */
  readonly amr?: readonly string[];
  /** Issued at, in seconds since the epoch. */
  readonly iat?: number;
  /** Not before, in seconds since the epoch. */
  readonly nbf?: number;
  /** Expiry, in seconds since the epoch. */
  readonly exp?: number;
}

/** The authenticated caller, as the routes see it in `res.locals.principal`. */
export interface Principal {
  readonly user: string;
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly amr: readonly string[];
}

const REALM = 'ast-ca';
const CHALLENGE = { 'WWW-Authenticate': `Bearer realm="${REALM}"` };
const INVALID_TOKEN = { 'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token"` };
// Tenants end up in certificate subjects, so only plain names are accepted.
const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/;

function hmac(input: string, secret: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/**
 * Signs claims as an HS256 JWT.
 *
 * @param claims - the token's claims
 * @param secret - the service's token secret
 * @returns the compact token, `header.payload.signature`
 * @example
 * ```ts
 * const token = signToken({ sub: 'alice', tenant: 'acme', amr: ['pwd'], exp: now + 3600 }, secret);
 * ```
 */
export function signToken(claims: TokenClaims, secret: string | Buffer): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${hmac(unsigned, secret).toString('base64url')}`;
}

function invalid(message: string): never {
  throw ast.fault('Unauthorized', message, { headers: INVALID_TOKEN });
}

function decodeJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return invalid('The token could not be decoded');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('The token could not be decoded');
  return value as Record<string, unknown>;
}

function stringList(claims: Record<string, unknown>, name: string): readonly string[] {
  const value = claims[name] ?? [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    invalid(`The token's ${name} claim must be an array of strings`);
  }
  return value as string[];
}

function seconds(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    invalid(`The token's ${name} claim must be a number`);
  return value;
}

/**
 * Checks an `Authorization` header and returns the caller.
 *
 * @param authorization - the header's value, if any
 * @param secret - the service's token secret
 * @param now - the service's current time
 * @returns the principal the token names
 * @throws the AST fault `Unauthorized` (401) for a missing, undecodable, forged, expired or
 *   not yet valid token, and `MissingUserId` (403) for a valid token without `sub`
 */
export function verifyToken(
  authorization: string | undefined,
  secret: string | Buffer,
  now: Date,
): Principal {
  if (authorization === undefined || authorization === '') {
    throw ast.fault('Unauthorized', 'The Authorization header is missing', { headers: CHALLENGE });
  }
  const match = /^Bearer +([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization);
  if (match === null) return invalid('The token could not be decoded');
  const [, header, payload, signature] = match as unknown as [string, string, string, string];
  if (decodeJson(header).alg !== 'HS256') invalid('The token is not signed with HS256');
  const expected = hmac(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    invalid("The token's signature is not valid");
  }

  const claims = decodeJson(payload);
  const at = now.getTime() / 1000;
  const exp = seconds(claims, 'exp');
  if (exp !== undefined && exp <= at)
    invalid(`The token expired at ${new Date(exp * 1000).toISOString()}`);
  const nbf = seconds(claims, 'nbf');
  if (nbf !== undefined && nbf > at)
    invalid(`The token is not valid before ${new Date(nbf * 1000).toISOString()}`);
  const { sub, tenant } = claims;
  if (typeof tenant !== 'string' || !TENANT.test(tenant))
    invalid("The token's tenant claim is missing or malformed");
  if (typeof sub !== 'string' || sub === '')
    throw ast.fault('MissingUserId', 'The user ID (sub) is missing in the access token');
  return { user: sub, tenant, roles: stringList(claims, 'roles'), amr: stringList(claims, 'amr') };
}

/**
 * The authentication middleware: verifies the bearer token and puts the caller in
 * `res.locals.principal`.
 *
 * @param secret - the service's token secret
 * @param now - the service's clock
 * @returns an Express middleware
 */
export function authenticate(secret: string | Buffer, now: () => Date): RequestHandler {
  return function authenticateBearer(req: Request, res: Response, next: NextFunction) {
    res.locals.principal = verifyToken(req.get('authorization'), secret, now());
    next();
  };
}

/**
 * The caller of a request that passed {@link authenticate}.
 *
 * @param res - the response whose locals hold the principal
 * @returns the principal
 */
export function principal(res: Response): Principal {
  return res.locals.principal as Principal;
}

/**
 * A middleware that lets only callers with `role` through.
 *
 * @param role - the role the route needs, e.g. `ca-admin`
 * @param action - what the role allows, for the message, e.g. `manage signers`
 * @returns an Express middleware that throws the AST fault `Forbidden` (403) otherwise
 */
export function requireRole(role: string, action: string): RequestHandler {
  return function requireCaRole(_req: Request, res: Response, next: NextFunction) {
    const { user, roles } = principal(res);
    if (!roles.includes(role))
      throw ast.fault('Forbidden', `User '${user}' lacks the role '${role}' required to ${action}`);
    next();
  };
}
