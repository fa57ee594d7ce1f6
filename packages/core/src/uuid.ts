/**
 * Random UUIDs (version 4) for correlation ids, from the entropy `crypto.randomUUID()` uses
 * (`randomFillSync`, fetched for 1 024 ids at a time where Node fetches 128). Each id is written
 * into a buffer and read out as one flat string: Node builds its ids from 20 concatenated pieces,
 * which the body template and the Content-Length count then have to copy once more.
 */
import { randomFillSync } from 'node:crypto';

const IDS_PER_FILL = 1024;
const pool = Buffer.alloc(16 * IDS_PER_FILL);
let used = pool.length;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const text = Buffer.alloc(36);

/**
 * A random UUID v4, e.g. `1ddc421c-2ae5-4d01-9046-e71507884d38`, lower-case like
 * `crypto.randomUUID()`.
 */
export function uuid(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (at === 8 || at === 13 || at === 18 || at === 23) text[at++] = DASH;
    let byte = pool[used + i] as number;
    if (i === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx
    text[at++] = HEX[byte >> 4] as number;
    text[at++] = HEX[byte & 0x0f] as number;
  }
  used += 16;
  return text.toString('latin1', 0, 36);
}
