/**
 * Every built-in dialect is selectable by name with one option, in every adapter, and answers
 * the same bytes there: an unknown route and an unexpected error in each.
 */
import { ADAPTERS, call, faultHeaders } from './support/servers';
import type { Running } from './support/servers';

const DIALECTS = [
  { name: 'problem', contentType: 'application/problem+json', notFound: 404 },
  { name: 'xroad', contentType: 'application/json', notFound: 400 },
  { name: 'xks', contentType: 'application/json', notFound: 404 },
  { name: 'esb', contentType: 'application/json; charset=UTF-8', notFound: 404 },
  { name: 'de4a', contentType: 'application/xml;charset=UTF-8', notFound: 404 },
  { name: 'ast', contentType: 'application/json;charset=utf-8', notFound: 404 },
] as const;

describe.each(DIALECTS)("dialect: '$name'", ({ name, contentType, notFound }) => {
  const servers: Running[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS) {
      servers.push(
        await adapter.start([{ path: '/boom', error: () => new Error('db password=hunter2') }], {
          dialect: name,
          logger: false,
          correlationId: () => '5e1ec7ed-0000-4000-8000-000000000000',
        }),
      );
    }
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each([
    ['an unknown route', '/kms/xks/v1/nowhere', notFound],
    ['an unexpected error', '/boom', 500],
  ])('should answer %s identically in every adapter', async (_label, path, status) => {
    const all = await Promise.all(servers.map((s) => call(s.url, 'GET', path)));
    for (const res of all) {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe(contentType);
      expect(res.text).not.toContain('hunter2');
      expect({ headers: faultHeaders(res.headers), text: res.text }).toEqual({
        headers: faultHeaders(all[0]!.headers),
        text: all[0]!.text,
      });
    }
  });
});
