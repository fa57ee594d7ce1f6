/**
 * The path a request was routed on.
 */
import { pathOfTarget, requestPath } from '../src/request';

describe('pathOfTarget', () => {
  it.each([
    ['/kms/xks/v1/health', '/kms/xks/v1/health'],
    ['/kms/xks/v1/health?x=1#y', '/kms/xks/v1/health'],
    ['/a#frag', '/a'],
    ['http://gw.example/kms/xks/v1/health?x=1', '/kms/xks/v1/health'],
    ['https://gw.example:8443', '/'],
    ['HTTP://gw.example/A', '/A'],
    ['*', '*'],
    ['', '/'],
    ['not a target', '/'],
    [undefined, '/'],
  ])('should read %j as %j', (target, path) => {
    expect(pathOfTarget(target)).toBe(path);
  });
});

describe('requestPath', () => {
  it("should prefer the adapter's routed path to the target", () => {
    expect(requestPath({ url: '/kms/xks/%761/health', path: '/kms/xks/v1/health' })).toBe(
      '/kms/xks/v1/health',
    );
    expect(requestPath({ url: '/x?y' })).toBe('/x');
    expect(requestPath({})).toBe('/');
  });
});
