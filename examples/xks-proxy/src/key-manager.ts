/**
 * The external key manager behind the proxy: an in-memory stand-in for an HSM holding AES-256
 * keys, each with its usages and status, doing AES-256-GCM with `node:crypto`. Every call
 * crosses a simulated network hop whose latency is configurable and whose deadline is an
 * `AbortSignal.timeout`, so a slow HSM fails the way a real dependency does: with a
 * `TimeoutError` the xks dialect answers as `DependencyTimeoutException`.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { xks } from '@faultline/core';

/** The key statuses of GetKeyMetadata. */
export type KeyStatus = 'ENABLED' | 'DISABLED';

/** An external key, as configured. */
export interface KeyDefinition {
  /** The `externalKeyId`: 1–128 characters of `[A-Za-z0-9._-]`. */
  readonly id: string;
  /**
   * What the key may do, as GetKeyMetadata reports it: `ENCRYPT`, `DECRYPT`, and any other
   * usage the key manager knows (`SIGN`, `WRAP`, …), at most ten.
   */
  readonly usage: readonly string[];
  /** @default 'ENABLED' */
  readonly status?: KeyStatus;
  /** The 32 bytes of key material. @default 32 random bytes */
  readonly material?: Uint8Array;
  /**
   * Simulated latency of the HSM partition holding this key, in milliseconds, overriding the
   * key manager's `latencyMs`.
   */
  readonly latencyMs?: number;
}

/** Options of the simulated key manager. */
export interface KeyManagerOptions {
  /** Simulated latency of every call, in milliseconds. @default 0 */
  readonly latencyMs?: number;
  /**
   * The deadline of every call, in milliseconds. KMS gives up on the proxy after 250 ms, so the
   * proxy must give up on its HSM sooner.
   * @default 200
   */
  readonly timeoutMs?: number;
  /** The HSM's id in the GetHealthStatus answer. @default 'hsm-1' */
  readonly id?: string;
  /** The HSM's model in the GetHealthStatus answer. @default 'faultline in-memory AES-256-GCM HSM' */
  readonly model?: string;
}

/** What GetKeyMetadata reports of a key. */
export interface KeyMetadata {
  readonly keySpec: 'AES_256';
  readonly keyUsage: readonly string[];
  readonly keyStatus: KeyStatus;
}

/** The output of an AES-256-GCM encryption. */
export interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** The input of an AES-256-GCM decryption. */
export interface SealedInput extends Sealed {
  /** The AAD given to the cipher (the proxy's length-prefixed construction). */
  readonly aad: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,128}$/;
const USAGE = /^[A-Z_]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

interface StoredKey {
  readonly usage: readonly string[];
  readonly status: KeyStatus;
  readonly material: Buffer;
  readonly latencyMs: number;
}

function checkMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a number of milliseconds, 0 or more`);
  }
  return value;
}

/** The in-memory key manager. */
export class KeyManager {
  readonly #keys = new Map<string, StoredKey>();
  // The deep health check's own key: never one of the customers' keys (spec, GetHealthStatus).
  readonly #healthKey = randomBytes(KEY_BYTES);
  readonly #latencyMs: number;
  readonly #timeoutMs: number;
  /** The HSM's id and model, for GetHealthStatus. */
  readonly id: string;
  readonly model: string;

  /**
   * @param keys - the external keys
   * @param options - latency, deadline and the HSM's name
   * @throws TypeError naming the option when a key or an option is invalid
   * @example
   * ```ts
   * const hsm = new KeyManager([{ id: 'foo', usage: ['ENCRYPT', 'DECRYPT'] }], { timeoutMs: 200 });
   * ```
   */
  constructor(keys: readonly KeyDefinition[], options: KeyManagerOptions = {}) {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array of key definitions');
    this.#latencyMs = checkMs(options.latencyMs, 'hsm.latencyMs', 0);
    this.#timeoutMs = checkMs(options.timeoutMs, 'hsm.timeoutMs', 200);
    this.id = options.id ?? 'hsm-1';
    this.model = options.model ?? 'faultline in-memory AES-256-GCM HSM';
    for (const [index, key] of keys.entries()) {
      const name = `keys[${index}]`;
      if (typeof key?.id !== 'string' || !KEY_ID.test(key.id)) {
        throw new TypeError(`${name}.id must be 1-128 characters of [A-Za-z0-9._-]`);
      }
      if (this.#keys.has(key.id)) throw new TypeError(`${name}.id '${key.id}' is defined twice`);
      const usage: unknown = key.usage;
      if (
        !Array.isArray(usage) ||
        usage.length > 10 ||
        !usage.every((u) => typeof u === 'string' && USAGE.test(u))
      ) {
        throw new TypeError(
          `${name}.usage must list at most ten upper-case usages such as ENCRYPT and DECRYPT`,
        );
      }
      if (key.status !== undefined && key.status !== 'ENABLED' && key.status !== 'DISABLED') {
        throw new TypeError(`${name}.status must be ENABLED or DISABLED`);
      }
      if (
        key.material !== undefined &&
        (!(key.material instanceof Uint8Array) || key.material.length !== KEY_BYTES)
      ) {
        throw new TypeError(`${name}.material must be ${KEY_BYTES} bytes`);
      }
      this.#keys.set(key.id, {
        usage: Object.freeze([...key.usage]),
        status: key.status ?? 'ENABLED',
        material: key.material === undefined ? randomBytes(KEY_BYTES) : Buffer.from(key.material),
        latencyMs: checkMs(key.latencyMs, `${name}.latencyMs`, this.#latencyMs),
      });
    }
  }

  /**
   * The metadata of a key. A disabled key is reported, not refused: its status says so.
   *
   * @param keyId - the external key id
   * @returns the key's spec, usages and status
   * @throws `KeyNotFoundException`; a timeout error when the HSM does not answer in time
   * @example
   * ```ts
   * await hsm.describe('foo'); // { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' }
   * ```
   */
  async describe(keyId: string): Promise<KeyMetadata> {
    const key = this.#find(keyId);
    await this.#roundTrip(key.latencyMs);
    return { keySpec: 'AES_256', keyUsage: key.usage, keyStatus: key.status };
  }

  /**
   * Encrypts with AES-256-GCM under a fresh 12-byte IV, with a 16-byte tag.
   *
   * @param keyId - the external key id
   * @param plaintext - the bytes to encrypt
   * @param aad - the AAD given to the cipher
   * @returns the IV, the ciphertext (as long as the plaintext) and the tag
   * @throws `KeyNotFoundException`, `InvalidStateException`, `InvalidKeyUsageException`; a
   *   timeout error when the HSM does not answer in time
   * @example
   * ```ts
   * const { iv, ciphertext, tag } = await hsm.encrypt('foo', Buffer.from('hi'), Buffer.alloc(3));
   * ```
   */
  async encrypt(keyId: string, plaintext: Buffer, aad: Buffer): Promise<Sealed> {
    const key = this.#usable(keyId, 'ENCRYPT');
    await this.#roundTrip(key.latencyMs);
    return seal(key.material, plaintext, aad);
  }

  /**
   * Decrypts with AES-256-GCM, checking the tag over the ciphertext and the AAD.
   *
   * @param keyId - the external key id
   * @param input - IV, ciphertext, tag and AAD
   * @returns the plaintext
   * @throws `KeyNotFoundException`, `InvalidStateException`, `InvalidKeyUsageException`,
   *   `InvalidCiphertextException` when the tag does not verify; a timeout error when the HSM
   *   does not answer in time
   * @example
   * ```ts
   * const plaintext = await hsm.decrypt('foo', { iv, ciphertext, tag, aad });
   * ```
   */
  async decrypt(keyId: string, input: SealedInput): Promise<Buffer> {
    const key = this.#usable(keyId, 'DECRYPT');
    await this.#roundTrip(key.latencyMs);
    try {
      return open(key.material, input);
    } catch (error) {
      throw xks.fault(
        'InvalidCiphertextException',
        'The authentication tag does not verify: the ciphertext, IV, tag, AAD or ciphertext metadata differ from what Encrypt produced',
        { cause: error },
      );
    }
  }

  /**
   * The deep health check the spec asks for: an encryption and a decryption with the key
   * manager's own test key.
   *
   * @returns `ACTIVE` when the round trip gives the plaintext back, else `UNAVAILABLE`
   * @throws a timeout error when the HSM does not answer in time
   * @example
   * ```ts
   * await hsm.healthCheck(); // 'ACTIVE'
   * ```
   */
  async healthCheck(): Promise<'ACTIVE' | 'UNAVAILABLE'> {
    await this.#roundTrip(this.#latencyMs);
    const probe = randomBytes(32);
    const aad = Buffer.from('faultline xks health check');
    const back = open(this.#healthKey, { ...seal(this.#healthKey, probe, aad), aad });
    return timingSafeEqual(back, probe) ? 'ACTIVE' : 'UNAVAILABLE';
  }

  #find(keyId: string): StoredKey {
    const key = this.#keys.get(keyId);
    if (key === undefined)
      throw xks.fault('KeyNotFoundException', `No external key with id ${keyId}`);
    return key;
  }

  // The key's status is checked before its usage: a disabled key can do nothing.
  #usable(keyId: string, usage: 'ENCRYPT' | 'DECRYPT'): StoredKey {
    const key = this.#find(keyId);
    if (key.status !== 'ENABLED')
      throw xks.fault('InvalidStateException', `The external key ${keyId} is disabled`);
    if (!key.usage.includes(usage)) {
      throw xks.fault(
        'InvalidKeyUsageException',
        `The external key ${keyId} does not support ${usage}`,
      );
    }
    return key;
  }

  // The simulated hop to the HSM. The deadline aborts the wait; the error keeps the abort as
  // its cause, which is how the xks dialect recognises a dependency timeout.
  async #roundTrip(latencyMs: number): Promise<void> {
    if (latencyMs === 0) return;
    try {
      await delay(latencyMs, undefined, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new Error(`The key manager did not answer within ${this.#timeoutMs} ms`, {
        cause: error,
      });
    }
  }
}

function seal(material: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function open(material: Buffer, { iv, ciphertext, tag, aad }: SealedInput): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', material, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  decipher.setAAD(aad);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
