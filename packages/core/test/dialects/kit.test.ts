/**
 * The dialect kit: `defineDialect` checks every part at start-up and gives a dialect of your
 * own what a built-in one has (a runtime, `make`, `fault`, `schema`); `byAccept` remembers a
 * decision per distinct Accept header.
 */
import {
  DIALECTS,
  Fault,
  createFaultHandler,
  defineDialect,
  makeCatalog,
  parseFault,
} from '../../src/index';
import type { DialectParts, Encoding, Rendered } from '../../src/index';
import { byAccept } from '../../src/dialects/kit';

const JSON_ENCODING: Encoding = { id: 'json', mediaType: 'application/json' };
const catalog = makeCatalog('house', [
  { code: 'NotFound', status: 404, name: 'NotFound', message: 'Not found' },
  { code: 'Broken', status: 500, name: 'Broken', message: 'Something broke' },
]);

const render = (fault: Fault, _encoding: Encoding, { message }: { message: string }): Rendered => ({
  status: fault.status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code: fault.code, message, id: fault.correlationId }),
});

const parts = {
  id: 'house',
  catalog,
  fromProblem: (problem: { status: number }) => ({
    code: problem.status === 404 ? 'NotFound' : 'Broken',
  }),
  negotiate: () => JSON_ENCODING,
  render,
} as const;

describe('defineDialect', () => {
  describe('when the parts are complete', () => {
    const house = defineDialect(parts);

    it('should be frozen, keep its id and catalogue, and have configure, make, fault and schema', () => {
      expect(Object.isFrozen(house)).toBe(true);
      expect(house.id).toBe('house');
      expect(house.catalog).toBe(catalog);
      expect(typeof house.configure).toBe('function');
      expect(typeof house.make).toBe('function');
      expect(typeof house.fault).toBe('function');
      expect(Object.keys(house)).not.toEqual(
        expect.arrayContaining(['fromProblem', 'negotiate', 'render']),
      );
    });

    it('should answer a classified error with the fault its fields name, the catalogue filling the rest', () => {
      const handler = createFaultHandler({
        dialect: house,
        logger: false,
        correlationId: () => 'c-1',
      });
      const response = handler.handle(Object.assign(new Error('no such order'), { status: 404 }));
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toEqual({
        code: 'NotFound',
        message: 'no such order',
        id: 'c-1',
      });
      expect(response.fault).toMatchObject({
        dialect: 'house',
        code: 'NotFound',
        name: 'NotFound',
        expose: true,
      });
    });

    it("should send the catalogue's text for an unexpected error, and its status", () => {
      const response = createFaultHandler({ dialect: house, logger: false }).handle(
        new Error('secret'),
      );
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body)).toMatchObject({
        code: 'Broken',
        message: 'Something broke',
      });
    });

    it("should adopt its own faults as they are, and answer another dialect's from its status", () => {
      const handler = createFaultHandler({ dialect: house, logger: false });
      expect(handler.handle(house.fault('NotFound', 'order 7')).body).toContain(
        '"message":"order 7"',
      );
      const foreign = handler.handle(DIALECTS.problem.fault(404, 'elsewhere'));
      expect(foreign.fault).toMatchObject({
        dialect: 'house',
        code: 'NotFound',
        message: 'elsewhere',
      });
    });

    it('should build faults of catalogue codes for mapping rules, and refuse other codes when the handler is created', () => {
      const handler = createFaultHandler({
        dialect: house,
        logger: false,
        mappings: [
          { code: 'ENOENT', to: { dialect: house, code: 'NotFound', message: 'no file' } },
        ],
      });
      const response = handler.handle(Object.assign(new Error('x'), { code: 'ENOENT' }));
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'NotFound', message: 'no file' });
      expect(() => house.make({ code: 'Nope' })).toThrow(
        /'Nope' is not a code of the house catalogue/,
      );
      expect(() =>
        createFaultHandler({
          dialect: house,
          mappings: [{ code: 'E', to: { dialect: house, code: 'Nope' } }],
        }),
      ).toThrow(TypeError);
    });

    it('should take a status, headers, details and exposure in its fault factory', () => {
      const fault = house.fault('NotFound', undefined, {
        status: 410,
        headers: { 'retry-after': '5' },
        expose: false,
        details: [{ pointer: '/a', message: 'x' }],
      });
      expect(fault).toMatchObject({
        status: 410,
        message: 'Not found',
        expose: false,
        headers: { 'retry-after': '5' },
      });
      expect(() => house.fault('NotFound', 7 as unknown as string)).toThrow(
        /message must be a string/,
      );
      expect(() => house.fault('NotFound', 'x', null as unknown as object)).toThrow(
        /options must be an object/,
      );
    });

    it('should refuse schema() when it describes no bodies', () => {
      expect(() => house.schema()).toThrow(/no schemas for dialect 'house'/);
    });

    it('should answer the handler fallback when fromProblem returns no fault and no code', () => {
      const odd = defineDialect({ ...parts, fromProblem: () => ({}) as { code: string } });
      const response = createFaultHandler({ dialect: odd, logger: false }).handle(new Error('x'));
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    });
  });

  describe('when a part is missing or malformed', () => {
    const rendered: Rendered = {
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    it.each<[string, Record<string, unknown>, RegExp]>([
      ['no id', { id: undefined }, /defineDialect a dialect: id must be a name/],
      ['an id with a space', { id: 'my house' }, /id must be a name/],
      ['no catalogue', { catalog: undefined }, /'house': catalog must be a catalogue/],
      [
        "another dialect's catalogue",
        { catalog: DIALECTS.problem.catalog },
        /catalog belongs to the dialect 'problem'/,
      ],
      ['no fromProblem', { fromProblem: undefined }, /'house': fromProblem must be a function/],
      ['a negotiate that is no function', { negotiate: 'json' }, /negotiate must be a function/],
      ['no render', { render: undefined }, /render must be a function/],
      [
        'configure next to fromProblem',
        { configure: () => undefined },
        /fromProblem is given with configure/,
      ],
      [
        'a configure that is no function',
        { configure: 1, fromProblem: undefined, negotiate: undefined, render: undefined },
        /configure must be a function/,
      ],
      ['a read that is no function', { read: {} }, /read must be a function/],
      [
        'a fallback without a body',
        { fallback: { ...rendered, body: undefined } },
        /fallback must be/,
      ],
      [
        'a fallback with status 200',
        { fallback: { ...rendered, status: 200 } },
        /fallback must be/,
      ],
      [
        'upper-case ownHeaders',
        { ownHeaders: ['X-Own'] },
        /ownHeaders must be a list of lower-case header names/,
      ],
      [
        'a keepsEmptyMessage that is no boolean',
        { keepsEmptyMessage: 'yes' },
        /keepsEmptyMessage must be a boolean/,
      ],
      ['bodies without json', { bodies: {} }, /bodies must be/],
      [
        'bodies with a bad XSD reference',
        { bodies: { json: () => ({}), xml: 'x.xsd' } },
        /bodies\.xml must be an XSD reference/,
      ],
      ['encodings that are no list', { encodings: {} }, /encodings must be a list/],
      [
        'an encoding without a request',
        { encodings: [{ encoding: JSON_ENCODING }] },
        /encodings\[0\] must be/,
      ],
      ['a foreignOrigin without an origin', { foreignOrigin: {} }, /foreignOrigin must be/],
    ])('should refuse %s with a TypeError that names the part', (_name, patch, message) => {
      expect(() => defineDialect({ ...parts, ...patch } as unknown as DialectParts)).toThrow(
        TypeError,
      );
      expect(() => defineDialect({ ...parts, ...patch } as unknown as DialectParts)).toThrow(
        message,
      );
    });

    it('should refuse no parts at all', () => {
      expect(() => defineDialect(null as unknown as DialectParts)).toThrow(
        /defineDialect needs the dialect's parts/,
      );
    });

    it("should refuse, when a handler is created, an id that is a handler option's name", () => {
      const debug = defineDialect({ ...parts, id: 'debug', catalog: makeCatalog('debug', []) });
      expect(() => createFaultHandler({ dialect: debug })).toThrow(
        /a dialect cannot be called 'debug'/,
      );
    });
  });

  describe('when the runtime parts carry adopt, fallback, own headers and empty messages', () => {
    const adopted: string[] = [];
    const strict = defineDialect({
      ...parts,
      adopt: (fault) => {
        adopted.push(String(fault.code));
        return fault.dialect === 'house' && fault.code === 'NotFound' ? fault : undefined;
      },
      render: (fault, _encoding, { message }) => {
        if (fault.code === 'Broken' && message === 'render me not')
          throw new Error('render failed');
        return {
          status: fault.status,
          headers: { 'content-type': 'application/json', 'x-house': 'own' },
          body: JSON.stringify({ message }),
        };
      },
      fallback: {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"down"}',
      },
      ownHeaders: ['x-house'],
      keepsEmptyMessage: true,
    });
    const handler = createFaultHandler({ dialect: strict, logger: false });

    it('should adopt through its own adopt, and answer the rest from their status', () => {
      expect(handler.handle(strict.fault('NotFound', 'order 7')).body).toBe(
        '{"message":"order 7"}',
      );
      expect(handler.handle(strict.fault('Broken', 'x')).fault.code).toBe('Broken');
      expect(adopted).toEqual(['NotFound', 'Broken']);
    });

    it('should keep an explicit empty message, own its headers, and send its fallback when rendering fails', () => {
      expect(handler.handle(strict.fault('NotFound', '')).body).toBe('{"message":""}');
      const own = handler.handle(
        strict.fault('NotFound', 'x', { headers: { 'x-house': 'from the error' } }),
      );
      expect(own.headers['x-house']).toBe('own');
      const failed = handler.handle(strict.fault('Broken', 'render me not'));
      expect(failed).toMatchObject({ status: 500, body: '{"message":"down"}' });
    });
  });

  describe('when the parts carry configure, read and own members', () => {
    const made: unknown[] = [];
    const house = defineDialect({
      id: 'house',
      catalog,
      configure(options?: { loud?: boolean }) {
        made.push(options);
        return {
          id: 'house',
          catalog,
          fromProblem: (problem, context) =>
            new Fault({
              dialect: 'house',
              code: 'Broken',
              status: 500,
              message: problem.message,
              correlationId: context.correlationId,
            }),
          adopt: () => undefined,
          negotiate: () => JSON_ENCODING,
          render,
        };
      },
      read: (document) => {
        const body = document.json as { code?: unknown; message?: unknown } | undefined;
        if (typeof body?.code !== 'string' || typeof body.message !== 'string') return undefined;
        return {
          format: 'json',
          fault: new Fault({
            dialect: 'house',
            code: body.code,
            status: 500,
            message: body.message,
          }),
        };
      },
      shout: (text: string) => text.toUpperCase(),
    });

    it('should configure it with the options under its id', () => {
      createFaultHandler({ dialect: house, logger: false, ...{ house: { loud: true } } });
      expect(made).toContainEqual({ loud: true });
    });

    it('should keep its own members and read its bodies back for parseFault', () => {
      expect(house.shout('a')).toBe('A');
      const parsed = parseFault('{"code":"Broken","message":"x"}', 'application/json', {
        dialects: [house],
      });
      expect(parsed).toMatchObject({
        recognised: true,
        dialect: 'house',
        fault: { code: 'Broken', name: 'Broken' },
      });
    });
  });
});

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
