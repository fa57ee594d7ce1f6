/**
 * Several dialects in one handler: by route prefix or by a function of the request.
 */
import { createFaultHandler, xroad } from '../../src/index';
import type { Dialect, FaultHandlerOptions, RequestInfo } from '../../src/index';

function dialectAt(options: Partial<FaultHandlerOptions>, request: RequestInfo): string {
  const res = createFaultHandler({ logger: false, ...options }).handle(new Error('x'), request);
  return res.fault.dialect;
}

describe('dialects by route prefix', () => {
  const routes = {
    '/kms/xks/v1': 'xks',
    '/soap/*': 'xroad',
    '/soap/v2': 'problem',
    '*': 'problem',
  } as const;

  it.each([
    ['/kms/xks/v1/keys/k/encrypt', 'xks'],
    ['/kms/xks/v1', 'xks'],
    ['/kms/xks/v1x', 'problem'],
    ['/soap/getPerson?x=1', 'xroad'],
    ['/soap/v2/getPerson', 'problem'],
    ['/soapy', 'problem'],
    ['/orders/7', 'problem'],
    [undefined, 'problem'],
  ])('should answer %s in %s (longest prefix, whole segments)', (url, dialect) => {
    expect(dialectAt({ dialect: routes }, url === undefined ? {} : { url })).toBe(dialect);
  });

  it("should answer problem+json where no prefix matches and there is no '*'", () => {
    expect(dialectAt({ dialect: { '/soap': 'xroad' } }, { url: '/x' })).toBe('problem');
  });

  it('should give each dialect its own options', () => {
    const res = createFaultHandler({
      logger: false,
      dialect: { '/soap': 'xroad' },
      xroad: { side: 'client' },
    }).handle(new Error('x'), { url: '/soap/x' });
    expect(res.fault.code).toBe('Server.ClientProxy.ServiceFailed.InternalError');
    expect(res.headers['x-road-error']).toBe('Server.ClientProxy.ServiceFailed.InternalError');
    expect(res.headers['content-type']).toBe('application/json');
  });

  it.each([
    [{ soap: 'xroad' }, /a route key is a path prefix/],
    [{ '/a*b': 'xroad' }, /a route key is a path prefix/],
    [{ '/soap': 'nope' }, /unknown dialect 'nope'/],
    [{ '/soap': 42 }, /options\.dialect\['\/soap'\] must be a dialect/],
    [[], /options\.dialect must be/],
  ])('should reject %j when the handler is created', (dialect, message) => {
    expect(() => createFaultHandler({ logger: false, dialect: dialect as never })).toThrow(message);
  });
});

describe('dialects chosen by a function', () => {
  it('should answer in the dialect the function returns, by name or value', () => {
    const options: Partial<FaultHandlerOptions> = {
      dialect: (request) =>
        request.headers?.soapaction !== undefined
          ? xroad
          : request.url?.startsWith('/kms')
            ? 'xks'
            : 'problem',
    };
    expect(dialectAt(options, { url: '/kms/xks/v1/health' })).toBe('xks');
    expect(dialectAt(options, { url: '/x', headers: { soapaction: '' } })).toBe('xroad');
    expect(dialectAt(options, { url: '/x' })).toBe('problem');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('chooser bug');
      },
    ],
    ['returns an unknown name', () => 'soap'],
    ['returns nothing', () => undefined],
  ])('should answer problem+json when the function %s', (_label, dialect) => {
    expect(dialectAt({ dialect: dialect as never }, { url: '/x' })).toBe('problem');
  });

  it('should configure every built-in dialect when the handler is created, so bad options fail then', () => {
    expect(() =>
      createFaultHandler({ dialect: () => 'problem', xks: { policy: 'sloppy' as never } }),
    ).toThrow(/xks\.policy/);
  });

  it('should configure a dialect value the function returns once', () => {
    let configured = 0;
    const custom: Dialect = {
      id: 'custom',
      catalog: xroad.catalog,
      configure: (o) => (configured++, xroad.configure(o as never)),
    };
    const h = createFaultHandler({ logger: false, dialect: () => custom });
    h.handle(new Error('a'));
    h.handle(new Error('b'));
    expect(configured).toBe(1);
  });
});
