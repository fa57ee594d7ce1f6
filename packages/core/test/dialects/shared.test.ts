/**
 * Pieces every dialect uses: decisions on the Accept header, remembered per distinct header.
 */
import { byAccept } from '../../src/dialects/kit';

describe('byAccept', () => {
  const counting = () => {
    const seen: (string | undefined)[] = [];
    const decide = byAccept((accept) => {
      seen.push(accept);
      return accept?.includes('xml') === true ? 'xml' : 'json';
    }, 2);
    return { seen, decide };
  };

  it('should decide once per distinct header, and once for no header at all', () => {
    const { seen, decide } = counting();
    expect(decide({ headers: { accept: 'text/xml' } })).toBe('xml');
    expect(decide({ headers: { accept: 'text/xml' } })).toBe('xml');
    expect(decide({ headers: {} })).toBe('json');
    expect(decide({})).toBe('json');
    expect(seen).toEqual([undefined, 'text/xml']);
  });

  it('should read a header given as a list as the values joined by ","', () => {
    const { decide } = counting();
    expect(decide({ headers: { accept: ['application/json', 'text/xml'] } })).toBe('xml');
  });

  it('should keep at most max headers, dropping the oldest first', () => {
    const { seen, decide } = counting();
    for (const accept of ['a', 'b', 'c', 'a']) decide({ headers: { accept } });
    expect(seen).toEqual([undefined, 'a', 'b', 'c', 'a']);
  });

  it('should decide headers longer than 1024 characters afresh each time', () => {
    const { seen, decide } = counting();
    const long = `${'x/y,'.repeat(300)}text/xml`;
    decide({ headers: { accept: long } });
    decide({ headers: { accept: long } });
    expect(seen.filter((accept) => accept === long)).toHaveLength(2);
  });
});
