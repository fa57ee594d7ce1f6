/**
 * The rate limiter: a fixed or sliding window per application, counted in memory (one
 * gateway) or in Redis (a quota shared by every gateway instance that uses the same Redis).
 * A refused request learns when it may call again: the end of the fixed window, or the moment
 * the oldest request of the sliding window leaves it.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { ThrottlePolicy } from './config.js';

/** The limiter's answer: allowed, or refused until `nextAccessTime` (ms since the epoch). */
export type ThrottleDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly nextAccessTime: number };

/** Where request counts live. */
export interface RateLimitStore {
  /**
   * Counts one request of `key` under `policy` at `now`, unless the quota is spent.
   *
   * @param key - whose quota, e.g. the application's id
   * @param policy - the limit, the window length and the algorithm
   * @param now - the gateway's clock, in ms since the epoch
   * @returns the decision
   */
  hit(key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleDecision>;
  /** Releases connections; the store answers no more requests. */
  close(): Promise<void>;
}

/**
 * The fixed window that contains `now`: windows start at multiples of `windowMs` since the
 * epoch, so every gateway instance with a synchronised clock counts in the same window.
 *
 * @param now - a time in ms
 * @param windowMs - the window length
 * @returns the window's start and end
 * @example
 * ```ts
 * fixedWindow(Date.UTC(2026, 1, 10, 16, 19, 30), 60_000).end; // Date.UTC(2026, 1, 10, 16, 20)
 * ```
 */
export function fixedWindow(now: number, windowMs: number): { start: number; end: number } {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

/**
 * Checks a throttling policy once, at start-up.
 *
 * @param policy - the policy
 * @param where - what the policy belongs to, for the error message
 * @throws TypeError naming the policy and the problem
 * @example
 * ```ts
 * checkPolicy({ name: 'Gold', limit: 50, windowMs: 60_000, algorithm: 'fixed' }, 'PizzaShackApp');
 * ```
 */
export function checkPolicy(policy: ThrottlePolicy, where: string): void {
  const bad = (what: string) =>
    new TypeError(`esb-gateway: the throttling policy of ${where} ${what}`);
  if (typeof policy?.name !== 'string' || !/^[\w.-]{1,64}$/.test(policy.name))
    throw bad('needs a name of letters, digits, _ . -');
  if (!Number.isSafeInteger(policy.limit) || policy.limit < 1)
    throw bad('needs a limit of at least 1');
  if (!Number.isSafeInteger(policy.windowMs) || policy.windowMs < 1)
    throw bad('needs a windowMs of at least 1');
  if (policy.algorithm !== 'fixed' && policy.algorithm !== 'sliding')
    throw bad("needs algorithm 'fixed' or 'sliding'");
}

/** Counts in this process: the quota holds for one gateway instance. */
export class MemoryStore implements RateLimitStore {
  readonly #fixed = new Map<string, { start: number; count: number }>();
  readonly #sliding = new Map<string, number[]>();

  async hit(key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleDecision> {
    if (policy.algorithm === 'fixed') {
      const window = fixedWindow(now, policy.windowMs);
      const seen = this.#fixed.get(key);
      const count = (seen?.start === window.start ? seen.count : 0) + 1;
      this.#fixed.set(key, { start: window.start, count });
      return count <= policy.limit
        ? { allowed: true }
        : { allowed: false, nextAccessTime: window.end };
    }
    // A request leaves the sliding window `windowMs` after it was made.
    const times = (this.#sliding.get(key) ?? []).filter((t) => t > now - policy.windowMs);
    this.#sliding.set(key, times);
    if (times.length < policy.limit) {
      times.push(now);
      return { allowed: true };
    }
    return { allowed: false, nextAccessTime: (times[0] as number) + policy.windowMs };
  }

  async close(): Promise<void> {
    this.#fixed.clear();
    this.#sliding.clear();
  }
}

// Fixed window: one counter per window, created with its expiry in the same atomic step.
// KEYS[1] the window's counter; ARGV[1] the window length in ms. Returns the count.
const FIXED_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

// Sliding window: a sorted set of request times. KEYS[1] the set; ARGV[1] now, ARGV[2] the
// window length, ARGV[3] the limit, ARGV[4] a unique member. Returns {1} or {0, next access}.
const SLIDING_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window}`;

type Client = ReturnType<typeof createClient>;

/** Options of {@link RedisStore.connect}. */
export interface RedisStoreOptions {
  /** Prepended to every key. @default 'esb-gateway:throttle:' */
  readonly prefix?: string;
  /** Called with connection errors (the client reconnects by itself). */
  readonly onError?: (error: Error) => void;
}

/**
 * Counts in Redis, atomically (one Lua script per request), so that every gateway instance
 * connected to the same Redis shares one quota per application.
 */
export class RedisStore implements RateLimitStore {
  readonly #client: Client;
  readonly #prefix: string;
  readonly #sha = new Map<string, string>();

  private constructor(client: Client, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  /**
   * Connects to Redis and loads the scripts.
   *
   * @param url - e.g. `redis://127.0.0.1:6379`
   * @param options - the key prefix and an error listener
   * @returns the connected store
   * @throws when Redis cannot be reached at start-up
   * @example
   * ```ts
   * const store = await RedisStore.connect(process.env.REDIS_URL);
   * createApp({ backendUrl, limiter: { store } });
   * ```
   */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    // Without the offline queue a request fails at once while Redis is away, instead of
    // waiting for the reconnection; the gateway then lets it through (see app.ts).
    const client = createClient({ url, disableOfflineQueue: true });
    client.on('error', (error: Error) => options.onError?.(error));
    await client.connect();
    const store = new RedisStore(client, options.prefix ?? 'esb-gateway:throttle:');
    try {
      for (const script of [FIXED_SCRIPT, SLIDING_SCRIPT]) await store.#load(script);
    } catch (error) {
      await client.close();
      throw error;
    }
    return store;
  }

  async hit(key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleDecision> {
    if (policy.algorithm === 'fixed') {
      const window = fixedWindow(now, policy.windowMs);
      const count = await this.#run(FIXED_SCRIPT, `${this.#prefix}fixed:${key}:${window.start}`, [
        String(policy.windowMs),
      ]);
      return Number(count) <= policy.limit
        ? { allowed: true }
        : { allowed: false, nextAccessTime: window.end };
    }
    const member = `${now}:${randomUUID()}`;
    const reply = await this.#run(SLIDING_SCRIPT, `${this.#prefix}sliding:${key}`, [
      String(now),
      String(policy.windowMs),
      String(policy.limit),
      member,
    ]);
    const [allowed, next] = reply as [number, number?];
    return allowed === 1 ? { allowed: true } : { allowed: false, nextAccessTime: Number(next) };
  }

  async close(): Promise<void> {
    if (this.#client.isOpen) await this.#client.close();
  }

  async #load(script: string): Promise<string> {
    const sha = await this.#client.scriptLoad(script);
    this.#sha.set(script, sha);
    return sha;
  }

  // EVALSHA, reloading the script once if Redis lost it (a restart, SCRIPT FLUSH).
  async #run(script: string, key: string, args: string[]): Promise<unknown> {
    const options = { keys: [key], arguments: args };
    try {
      return await this.#client.evalSha(
        this.#sha.get(script) ?? (await this.#load(script)),
        options,
      );
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#client.evalSha(await this.#load(script), options);
    }
  }
}
