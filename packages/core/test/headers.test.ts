/**
 * Header hygiene (reliability row 6): only legal, non-reserved headers leave an error.
 */
import {
  STALE_HEADERS,
  firstHeader,
  headerCheck,
  isEchoHeaderName,
  isHeaderName,
  isHeaderValue,
  listHeader,
  mergeVary,
  sanitizeHeaders,
} from '../src/headers';

describe('sanitizeHeaders', () => {
  describe('when every entry is legal', () => {
    it('should keep them with lower-case names', () => {
      expect(
        sanitizeHeaders({ 'Retry-After': '120', 'X-Request-Id': 'abc', allow: 'GET, POST' }),
      ).toEqual({
        'retry-after': '120',
        'x-request-id': 'abc',
        allow: 'GET, POST',
      });
    });
  });

  describe('when values are numbers or string arrays', () => {
    it('should accept finite numbers and join arrays with ", "', () => {
      expect(
        sanitizeHeaders({ 'retry-after': 120, vary: ['accept', 'origin'], 'x-empty-list': [] }),
      ).toEqual({
        'retry-after': '120',
        vary: 'accept, origin',
        'x-empty-list': '',
      });
    });
  });

  describe('when a value is tab-separated or Latin-1 obs-text', () => {
    it('should keep it, as Node does', () => {
      expect(sanitizeHeaders({ 'x-a': 'a\tb', 'x-b': 'caf\u00e9' })).toEqual({
        'x-a': 'a\tb',
        'x-b': 'caf\u00e9',
      });
    });
  });

  describe.each([
    ['CRLF', 'a\r\nSet-Cookie: x=1'],
    ['a lone LF', 'a\nb'],
    ['a lone CR', 'a\rb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['a non-Latin-1 character', 'price \u20ac'],
    ['an emoji', '😀'],
    ['a value over 8 KiB', 'a'.repeat(8193)],
  ])('when a value contains %s', (_label, value) => {
    it('should drop that entry and keep the legal ones', () => {
      expect(sanitizeHeaders({ 'x-bad': value, 'x-good': 'ok' })).toEqual({ 'x-good': 'ok' });
    });
  });

  describe.each([
    ['a space', 'x bad'],
    ['a colon', 'x:bad'],
    ['CRLF', 'x\r\nbad'],
    ['an empty name', ''],
    ['a non-ASCII letter', 'x-caf\u00e9'],
    ['a name over 256 characters', `x-${'a'.repeat(300)}`],
  ])('when a name contains %s', (_label, name) => {
    it('should drop that entry', () => {
      expect(sanitizeHeaders({ [name]: 'v', 'x-good': 'ok' })).toEqual({ 'x-good': 'ok' });
    });
  });

  describe.each([
    'content-type',
    'Content-Type',
    'content-length',
    'content-encoding',
    'content-language',
    'content-range',
    'transfer-encoding',
    'set-cookie',
    'Set-Cookie',
    'connection',
  ])('when the name is the reserved %s', (name) => {
    it('should drop it', () => {
      expect(sanitizeHeaders({ [name]: 'x', 'x-good': 'ok' })).toEqual({ 'x-good': 'ok' });
    });
  });

  describe.each([
    ['an object', { a: 1 }],
    ['null', null],
    ['a boolean', true],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an array holding a number', ['a', 1]],
    ['undefined', undefined],
  ])('when a value is %s', (_label, value) => {
    it('should drop that entry', () => {
      expect(sanitizeHeaders({ 'x-bad': value, 'x-good': 'ok' })).toEqual({ 'x-good': 'ok' });
    });
  });

  describe.each([
    ['a string', 'x-a: 1'],
    ['an array', [['x-a', '1']]],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('when the headers value is %s', (_label, raw) => {
    it('should return undefined', () => {
      expect(sanitizeHeaders(raw)).toBeUndefined();
    });
  });

  describe('when nothing legal is left', () => {
    it('should return undefined rather than an empty map', () => {
      expect(sanitizeHeaders({})).toBeUndefined();
      expect(sanitizeHeaders({ 'content-type': 'text/html', 'x-a': 'a\r\nb' })).toBeUndefined();
    });
  });

  describe('when a getter throws', () => {
    it('should drop that entry and keep the others', () => {
      const raw = Object.defineProperty({ 'x-good': 'ok' }, 'x-bad', {
        enumerable: true,
        get() {
          throw new Error('getter!');
        },
      });
      expect(sanitizeHeaders(raw)).toEqual({ 'x-good': 'ok' });
    });
  });

  describe('when the headers are a Proxy whose ownKeys trap throws', () => {
    it('should return undefined without throwing', () => {
      const proxy = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap!');
          },
        },
      );
      expect(sanitizeHeaders(proxy)).toBeUndefined();
    });
  });

  describe('when there are more than 64 entries', () => {
    it('should keep the first 64 only', () => {
      const raw = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-h${i}`, String(i)]));
      const out = sanitizeHeaders(raw) ?? {};
      expect(Object.keys(out)).toHaveLength(64);
      expect(out['x-h63']).toBe('63');
      expect(out['x-h64']).toBeUndefined();
    });
  });
});

describe('isHeaderName and isHeaderValue', () => {
  it.each([
    ['x-request-id', true],
    ["!#$%&'*+-.^_`|~09AZaz", true],
    ['a b', false],
    ['a"b', false],
    ['(a)', false],
    ['', false],
  ])('should judge the name %p as %p', (name, legal) => {
    expect(isHeaderName(name)).toBe(legal);
  });

  it.each([
    ['', true],
    ['plain text', true],
    ['\u00ff', true],
    ['\u0100', false],
    ['a\u0000', false],
    ['a\r\n', false],
  ])('should judge the value %p as %p', (value, legal) => {
    expect(isHeaderValue(value)).toBe(legal);
  });
});

describe('firstHeader and listHeader', () => {
  const headers = {
    accept: ['text/xml', 'application/json'],
    'content-type': 'text/xml',
    empty: [],
  };

  describe('when the header is a string', () => {
    it('should return it as is', () => {
      expect(firstHeader(headers, 'content-type')).toBe('text/xml');
      expect(listHeader(headers, 'content-type')).toBe('text/xml');
    });
  });

  describe('when the header is an array', () => {
    it('should give the first value, or all of them joined by ","', () => {
      expect(firstHeader(headers, 'accept')).toBe('text/xml');
      expect(listHeader(headers, 'accept')).toBe('text/xml,application/json');
    });

    it('should give no first value for an empty array', () => {
      expect(firstHeader(headers, 'empty')).toBeUndefined();
      expect(listHeader(headers, 'empty')).toBe('');
    });
  });

  describe('when the header or the map is missing', () => {
    it('should return undefined', () => {
      expect(firstHeader(headers, 'missing')).toBeUndefined();
      expect(listHeader(undefined, 'accept')).toBeUndefined();
      expect(firstHeader(undefined, 'accept')).toBeUndefined();
    });
  });
});

describe('headerCheck', () => {
  const pairs: [string, string][] = [
    ['content-type', 'application/json;charset=utf-8'],
    ['x-road-error', 'Client.NotFound'],
    ['soapaction', ''],
    ['bad name', 'x'],
    ['x-bad', 'a\r\nb'],
    ['x-latin1', 'caf\u00e9'],
    ['x-wide', 'snow \u2603'],
  ];

  it('should agree with isHeaderName and isHeaderValue, first time and every time after', () => {
    const legal = headerCheck();
    for (let round = 0; round < 3; round++) {
      for (const [name, value] of pairs)
        expect(legal(name, value)).toBe(isHeaderName(name) && isHeaderValue(value));
    }
  });

  it('should still judge every pair once it is full and starts afresh', () => {
    const legal = headerCheck(2);
    for (let i = 0; i < 10; i++) expect(legal(`x-${i}`, String(i))).toBe(true);
    for (const [name, value] of pairs)
      expect(legal(name, value)).toBe(isHeaderName(name) && isHeaderValue(value));
  });
});

describe('isEchoHeaderName', () => {
  it.each(['x-correlation-id', 'x-request-id', 'correlation-id'])('should take %s', (name) => {
    expect(isEchoHeaderName(name)).toBe(true);
  });

  it.each([
    'trailer',
    'te',
    'keep-alive',
    'upgrade',
    'connection',
    'transfer-encoding',
    'content-encoding',
    'content-x',
    'x-road-error',
    'x-content-type-options',
    'cache-control',
    'vary',
    'set-cookie',
    'www-authenticate',
    'retry-after',
    'bad name',
  ])('should refuse %s', (name) => {
    expect(isEchoHeaderName(name)).toBe(false);
  });
});

describe('sanitizeHeaders and hop-by-hop headers', () => {
  it('should drop every connection-specific and framing header an error carries', () => {
    expect(
      sanitizeHeaders({
        Trailer: 'Expires',
        'Keep-Alive': 'timeout=5',
        Upgrade: 'h2c',
        TE: 'trailers',
        'Proxy-Connection': 'x',
        'HTTP2-Settings': 'y',
        'X-Ok': '1',
      }),
    ).toEqual({ 'x-ok': '1' });
  });

  it('should list in STALE_HEADERS every header a route may have set that the fault replaces, but Connection', () => {
    expect([...STALE_HEADERS].sort()).toEqual(
      [
        'content-encoding',
        'content-language',
        'content-length',
        'content-range',
        'http2-settings',
        'keep-alive',
        'proxy-connection',
        'te',
        'trailer',
        'transfer-encoding',
        'upgrade',
      ].sort(),
    );
  });
});

describe('mergeVary', () => {
  it.each([
    [undefined, 'Accept', 'Accept'],
    ['', 'Accept', 'Accept'],
    ['Origin', 'Accept', 'Origin, Accept'],
    ['Origin', 'Accept, Accept-Language', 'Origin, Accept, Accept-Language'],
    ['origin, accept', 'Accept, Accept-Language', 'origin, accept, Accept-Language'],
    [['Origin', 'Accept-Encoding'], 'Accept', 'Origin, Accept-Encoding, Accept'],
    ['*', 'Accept', '*'],
    ['Origin, *', 'Accept', '*'],
    [' Origin ,, ', 'Accept', 'Origin, Accept'],
    ['Origin\r\nX-Injected: 1', 'Accept', 'Accept'],
    [42, 'Accept', 'Accept'],
  ])('%j and %j give %j', (existing, ours, merged) => {
    expect(mergeVary(existing, ours)).toBe(merged);
  });
});
