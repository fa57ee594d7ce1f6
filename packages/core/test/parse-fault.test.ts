/**
 * parseFault and explain with dialects of your own: a reader or an explainer that throws has
 * recognised nothing, a team's catalogue names codes the dialect lacks, and a convention that
 * relays other services' errors (foreignOrigin) says where an unreadable body comes from.
 * test/parse-fault.test.ts holds the built-in dialects' cases.
 */
import {
  Fault,
  defineCatalog,
  defineDialect,
  explain,
  makeCatalog,
  parseFault,
} from '../src/index';
import type { FaultDocument } from '../src/index';

const catalog = makeCatalog('relay', [
  { code: 'Known', status: 502, name: 'Known', message: 'Known' },
]);
const base = {
  catalog,
  fromProblem: () => ({ code: 'Known' }),
  negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
  render: () => ({ status: 502, headers: {}, body: '{}' }),
};

// Reads `{"relay": code, "text": message}`.
function read(document: FaultDocument) {
  const body = document.json as { relay?: unknown; text?: unknown } | undefined;
  if (typeof body?.relay !== 'string' || typeof body.text !== 'string') return undefined;
  return {
    format: 'json' as const,
    fault: new Fault({ dialect: 'relay', code: body.relay, status: 502, message: body.text }),
  };
}

const relay = defineDialect({
  ...base,
  id: 'relay',
  read,
  foreignOrigin: {
    origin: { summary: 'the service behind the relay' },
    headerPrefix: 'x-relay-',
    errorHeader: 'x-relay-error',
  },
});

describe('parseFault with a dialect of your own', () => {
  it("should take a code the dialect lacks from the team's catalogue", () => {
    const team = defineCatalog({
      dialect: 'problem',
      codes: { Other: { status: 502, message: 'x' } },
    });
    const own = makeCatalog('relay', [
      {
        code: 'Teams',
        status: 502,
        name: 'TeamsName',
        message: 'x',
        description: 'a code of the team',
      },
    ]);
    const parsed = parseFault('{"relay":"Teams","text":"hello"}', 'application/json', {
      dialects: [relay],
      catalogs: [team.catalog, own],
    });
    expect(parsed).toMatchObject({
      recognised: true,
      fault: { code: 'Teams', name: 'TeamsName', description: 'a code of the team' },
    });
  });

  it('should pass over a reader that throws, and an explainer that throws', () => {
    const broken = defineDialect({
      ...base,
      id: 'relay',
      read: () => {
        throw new Error('reader failed');
      },
    });
    expect(
      parseFault('{"relay":"Known","text":"x"}', 'application/json', { dialects: [broken] })
        .recognised,
    ).toBe(false);
    const mute = defineDialect({
      ...base,
      id: 'relay',
      read,
      explain: () => {
        throw new Error('explainer failed');
      },
    });
    const parsed = parseFault('{"relay":"Known","text":"x"}', 'application/json', {
      dialects: [mute],
    });
    expect(parsed).toMatchObject({ recognised: true, fault: { code: 'Known' } });
    // The explanation falls back to the catalogue entry's.
    expect(parsed).toMatchObject({ explanation: { dialect: 'relay', code: 'Known', check: [] } });
    expect(explain('Known', { dialects: [mute] })).toEqual([]);
  });

  describe('when the response came through the relay', () => {
    it("should name the relay's foreign origin for a body of no known structure", () => {
      const parsed = parseFault('{"anything":1}', 'application/json', {
        dialects: [relay],
        headers: { 'X-Relay-Hop': '1' },
      });
      expect(parsed).toMatchObject({
        recognised: false,
        origin: { summary: 'the service behind the relay' },
      });
    });

    it("should name no origin when the relay's own error header says the error is the relay's", () => {
      const parsed = parseFault('{"anything":1}', 'application/json', {
        dialects: [relay],
        headers: { 'x-relay-error': 'Known' },
      });
      expect(parsed.recognised).toBe(false);
      expect('origin' in parsed).toBe(false);
    });

    it("should name the relay's foreign origin for another convention's fault it relayed", () => {
      const parsed = parseFault(
        '{"type":"about:blank","title":"Not Found","status":404}',
        'application/problem+json',
        {
          dialects: [relay, 'problem'],
          headers: { 'x-relay-hop': '1' },
        },
      );
      expect(parsed).toMatchObject({
        recognised: true,
        dialect: 'problem',
        origin: { summary: 'the service behind the relay' },
      });
    });
  });
});
