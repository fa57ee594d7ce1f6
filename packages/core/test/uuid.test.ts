/**
 * Correlation ids: random UUIDs version 4, written as crypto.randomUUID() writes them.
 */
import { uuid } from '../src/uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  it('should write lower-case UUIDs of version 4 and variant 10xx, across many refills of the pool', () => {
    const ids = Array.from({ length: 1000 }, () => uuid());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should give strings of their own, not views of a shared buffer', () => {
    const first = uuid();
    const copy = `${first}`;
    uuid();
    expect(first).toBe(copy);
  });

  it('should use every hex digit in the random positions', () => {
    const digits = new Set(Array.from({ length: 200 }, () => uuid().replace(/-/g, '')).join(''));
    expect([...digits].sort().join('')).toBe('0123456789abcdef');
  });
});
