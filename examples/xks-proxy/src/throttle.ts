/**
 * A request quota per SigV4 access key: one token bucket each, refilled continuously from the
 * proxy's clock. A caller with an empty bucket gets `ThrottlingException` (429), which the spec
 * allows on every API ("the caller exceeded its request quota").
 *
 * @module
 */
import { xks } from '@faultline/core';

/** A token bucket: `burst` requests at once, then `perSecond` on average. */
export interface RateLimit {
  /** The bucket's size: how many requests may arrive at once. A positive integer. */
  readonly burst: number;
  /** The refill rate, in requests per second. A positive number. */
  readonly perSecond: number;
}

/**
 * KMS's default request quota for one external key store, 1800 requests per second (spec,
 * GetHealthStatus "KMS Considerations").
 */
export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ burst: 1800, perSecond: 1800 });

/**
 * Checks a rate limit option.
 *
 * @param value - the option's value
 * @param name - the option's name, for the error
 * @returns a frozen copy
 * @throws TypeError naming the option when it is not a valid {@link RateLimit}
 * @example
 * ```ts
 * checkRateLimit({ burst: 10, perSecond: 5 }, 'rateLimit');
 * ```
 */
export function checkRateLimit(value: unknown, name: string): RateLimit {
  const limit = value as Partial<RateLimit> | null;
  if (
    typeof limit !== 'object' ||
    limit === null ||
    !Number.isSafeInteger(limit.burst) ||
    limit.burst! < 1 ||
    typeof limit.perSecond !== 'number' ||
    !Number.isFinite(limit.perSecond) ||
    limit.perSecond <= 0
  ) {
    throw new TypeError(
      `${name} must be { burst: a positive integer, perSecond: a positive number }`,
    );
  }
  return Object.freeze({ burst: limit.burst!, perSecond: limit.perSecond });
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** The buckets of every access key, each created full on its key's first request. */
export class RequestQuota {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limitOf: (accessKeyId: string) => RateLimit;
  readonly #clock: () => number;

  /**
   * @param limitOf - the limit of an access key id (only configured keys reach the quota)
   * @param clock - milliseconds since the epoch
   */
  constructor(limitOf: (accessKeyId: string) => RateLimit, clock: () => number) {
    this.#limitOf = limitOf;
    this.#clock = clock;
  }

  /**
   * Takes one request from the caller's bucket.
   *
   * @param accessKeyId - the authenticated caller
   * @throws the `ThrottlingException` fault, with `retry-after` in seconds, when the bucket is empty
   * @example
   * ```ts
   * quota.take('AKIDEXAMPLE2345678901');
   * ```
   */
  take(accessKeyId: string): void {
    const { burst, perSecond } = this.#limitOf(accessKeyId);
    const now = this.#clock();
    const bucket = this.#buckets.get(accessKeyId) ?? { tokens: burst, updated: now };
    // A clock that goes backwards refills nothing rather than draining the bucket.
    bucket.tokens = Math.min(
      burst,
      bucket.tokens + (Math.max(0, now - bucket.updated) / 1000) * perSecond,
    );
    bucket.updated = now;
    this.#buckets.set(accessKeyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const wait = Math.ceil((1 - bucket.tokens) / perSecond);
    throw xks.fault(
      'ThrottlingException',
      `Request quota exceeded for this access key: ${describe(burst, perSecond)}`,
      {
        headers: { 'retry-after': String(wait) },
      },
    );
  }
}

// "10 at once, then 5 per second", or "1 at once, then one every 30 s" for slow refills.
function describe(burst: number, perSecond: number): string {
  const rate =
    perSecond >= 1
      ? `${Number(perSecond.toPrecision(3))} per second`
      : `one every ${Number((1 / perSecond).toPrecision(3))} s`;
  return `${burst} at once, then ${rate}`;
}
