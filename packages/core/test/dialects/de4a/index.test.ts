/**
 * The DE4A dialect: code arithmetic, the catalogue against every seed row, templates,
 * message codes, log and metrics lines, the IEM body and `logTo` (wire-formats.md Part 1
 * "DE4A", seed 002).
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createFaultHandler, problem, routeNotFound, xroad } from '../../../src/index';
import type { FaultEvent, FaultHandlerOptions, RequestInfo } from '../../../src/index';
import { Fault } from '../../../src/fault';
import { de4a } from '../../../src/dialects/de4a/index';
import type { De4aCodeParts, De4aLayer, De4aModule } from '../../../src/dialects/de4a/index';
import { faultLevel, oneLine } from '../../../src/dialects/de4a/log';
import { parseXml } from '../../../../../test/support/xml';
import {
  AUTHORITY_AGENT_ERRORS,
  BUSINESS_ERRORS,
  CONNECTOR_ERRORS,
  ERROR_MESSAGES,
  EXAMPLE_LINES,
  LAYER_TABLE,
  MESSAGE_CODE_EXAMPLE,
  MODULE_TABLE,
  SEVERITY_TABLE,
  TYPE_TABLE,
} from '../../../../../test/fixtures/de4a-seed';

const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
const ROOT =
  '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">';

/** The body wire-formats.md Part 1 fixes, for one code and text (already escaped). */
function iem(code: string, text: string): string {
  return `${ROOT}<ct:Ack>false</ct:Ack><ct:Error><ct:Code>${code}</ct:Code><ct:Text>${text}</ct:Text></ct:Error></ResponseMessage>`;
}

function handler(options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: de4a,
    logger: false,
    correlationId: () => 'id-1',
    ...options,
  });
}

function withStatus(message: string, status: number, extra: object = {}): Error {
  return Object.assign(new Error(message), { status }, extra);
}

interface ParsedIem {
  ResponseMessage: {
    '@xmlns': string;
    '@xmlns:ct': string;
    'ct:Ack': string;
    'ct:Error': { 'ct:Code': string; 'ct:Text': string };
  };
}

// Every coded row of the seed, as [table, layer, #layer, module, #module, template, #type, code, displayed?].
const SEED_ROWS = [
  ...CONNECTOR_ERRORS.map((r) => ['Connector', ...r, undefined] as const),
  ...AUTHORITY_AGENT_ERRORS.map((r) => ['Authority Agent', ...r, undefined] as const),
  ...BUSINESS_ERRORS.map(
    ([layer, layerId, module, moduleId, template, type, displayed, code]) =>
      ['Business', layer, layerId, module, moduleId, template, type, code, displayed] as const,
  ),
];
const STATUS_BY_LAYER: Readonly<Record<string, number>> = {
  Communications: 400,
  'Internal failure': 500,
  Configuration: 500,
  Business: 400,
};
// The one row whose status is not its layer's: the component's own unknown route.
const STATUS_EXCEPTIONS: Readonly<Record<string, number>> = { '10001': 404 };

describe('the catalogue', () => {
  describe.each(SEED_ROWS)(
    'when the seed row is %s %s %s %s %s %s %s %s',
    (table, layer, layerId, module, moduleId, template, type, code, displayed) => {
      const entry = de4a.catalog.get(Number(code));

      it('should hold the code with its layer, module, type and template', () => {
        expect(entry).toMatchObject({
          code: Number(code),
          layer,
          module,
          type: Number(type),
          template,
          table,
        });
      });

      it('should send its template without parameters as the generic text of a hidden fault', () => {
        expect(entry?.message).toBe(entry?.generic);
        expect(entry?.message).not.toMatch(/\{\d\}/);
        expect(template.startsWith(entry!.message.replace(/\.$/, '').split(' ')[0]!)).toBe(true);
      });

      it(`should answer status ${STATUS_EXCEPTIONS[code] ?? STATUS_BY_LAYER[layer]}`, () => {
        expect(entry?.status).toBe(STATUS_EXCEPTIONS[code] ?? STATUS_BY_LAYER[layer]);
      });

      it('should have the code the layer, module and type make, both ways', () => {
        expect(de4a.LAYERS[layer]).toBe(Number(layerId));
        expect(de4a.MODULES[module as De4aModule]).toBe(Number(moduleId));
        expect(de4a.code({ layer, module, type })).toBe(Number(code));
        expect(de4a.code({ layer: Number(layerId), module: moduleId, type: Number(type) })).toBe(
          Number(code),
        );
        expect(`${layerId}${moduleId}${type}`).toBe(code);
        expect(de4a.decode(Number(code))).toEqual({
          layer,
          layerId: Number(layerId),
          module,
          moduleId: Number(moduleId),
          type: Number(type),
          template,
        });
      });

      it('should describe the layer, the module and the type', () => {
        expect(entry?.description).toContain(
          `${layer} (${layerId}) / ${module} (${moduleId}) / error type ${type}: ${template}`,
        );
        if (displayed === undefined) {
          expect(entry?.displayed).toBeUndefined();
        } else {
          expect(entry?.displayed).toBe(displayed === 'Y');
          expect(entry?.description).toContain(`to be displayed: ${displayed}`);
        }
      });
    },
  );

  it("should hold every distinct seed code once, in the seed order, then the connector's 99999, and nothing else", () => {
    const seedCodes = SEED_ROWS.map((r) => Number(r[7]));
    expect(seedCodes).toHaveLength(47);
    expect(de4a.catalog.entries.map((e) => e.code)).toEqual([...new Set(seedCodes), 99999]);
    expect(de4a.catalog.entries).toHaveLength(47);
  });

  it("should hold 99999 as the connector's unexpected error: 500, Internal Connector Error, logged at error", () => {
    expect(de4a.catalog.get(99999)).toMatchObject({
      code: 99999,
      status: 500,
      message: 'Internal Connector Error',
      template: 'Internal Connector Error',
      generic: 'Internal Connector Error',
      paramCount: 0,
      logLevel: 'error',
      table: 'Connector exception handler',
    });
    expect(de4a.decode(99999)).toBeUndefined();
  });

  it("should use the general template of a row's type except for the Authority Agent's 17-20", () => {
    const general = new Map<number, string>(ERROR_MESSAGES.map(([text, n]) => [Number(n), text]));
    const own = de4a.catalog.entries
      .filter((e) => e.template !== general.get(e.type))
      .map((e) => e.code);
    expect(own).toEqual([20718, 20719, 20720, 30717, 99999]);
    expect(de4a.catalog.get(30717)?.template).not.toBe(de4a.catalog.get(40617)?.template);
  });

  it('should log Internal failure, Configuration and Business codes at error and the pilot markers at info', () => {
    expect(de4a.catalog.get(10102)?.logLevel).toBeUndefined();
    expect(de4a.catalog.get(20005)?.logLevel).toBe('error');
    expect(de4a.catalog.get(30717)?.logLevel).toBe('error');
    expect(de4a.catalog.get(40515)?.logLevel).toBe('error');
    expect(de4a.catalog.get(40617)?.logLevel).toBe('info');
    expect(de4a.catalog.get(40618)?.logLevel).toBe('info');
  });

  it('should be frozen', () => {
    expect(Object.isFrozen(de4a.catalog.entries)).toBe(true);
    expect(Object.isFrozen(de4a.catalog.get(10102))).toBe(true);
    expect(Object.isFrozen(de4a)).toBe(true);
  });
});

describe('the seed tables', () => {
  it.each(LAYER_TABLE)('should give layer %s the code %s', (name, id) => {
    expect(de4a.LAYERS[name]).toBe(Number(id));
  });
  it.each(MODULE_TABLE)('should give module %s the code %s', (name, id) => {
    expect(de4a.MODULES[name]).toBe(Number(id));
  });
  it.each(TYPE_TABLE)('should give log type %s the code %s', (name, id) => {
    expect(de4a.LOG_TYPES[name]).toBe(Number(id));
  });
  it.each(SEVERITY_TABLE)('should give severity %s the code %s', (name, id) => {
    expect(de4a.SEVERITIES[name]).toBe(Number(id));
  });
  it.each(ERROR_MESSAGES)("should hold '%s' as general template %s", (text, n) => {
    expect(new Map(Object.entries(de4a.TEMPLATES)).get(String(Number(n)))?.text).toBe(text);
  });
  it('should hold no general template beyond 18', () => {
    expect(Object.keys(de4a.TEMPLATES).map(Number)).toEqual(
      ERROR_MESSAGES.map(([, n]) => Number(n)),
    );
  });
});

describe('de4a.code and de4a.decode', () => {
  const combos: Array<[De4aLayer, De4aModule, number]> = [];
  for (const layer of Object.keys(de4a.LAYERS) as De4aLayer[]) {
    for (const module of Object.keys(de4a.MODULES) as De4aModule[]) {
      for (let type = 1; type <= 20; type++) combos.push([layer, module, type]);
    }
  }

  describe('when given every layer x module x type', () => {
    it('should make layer id, two module digits and two type digits, and decode back', () => {
      expect(combos).toHaveLength(4 * 8 * 20);
      for (const [layer, module, type] of combos) {
        const code = de4a.code({ layer, module, type });
        const text = `${de4a.LAYERS[layer]}${String(de4a.MODULES[module]).padStart(2, '0')}${String(type).padStart(2, '0')}`;
        expect(String(code)).toBe(text);
        const decoded = de4a.decode(code);
        expect(decoded).toMatchObject({
          layer,
          layerId: de4a.LAYERS[layer],
          module,
          moduleId: de4a.MODULES[module],
          type,
        });
        expect(de4a.decode(text)).toEqual(decoded);
        expect(decoded?.template).toBe(de4a.catalog.get(code)?.template);
      }
    });
  });

  it('should give the example code 10102', () => {
    expect(de4a.code({ layer: 'Communications', module: 'IDK', type: 2 })).toBe(10102);
    expect(de4a.decode(10102)).toEqual({
      layer: 'Communications',
      layerId: 1,
      module: 'IDK',
      moduleId: 1,
      type: 2,
      template: 'Arguments missing or invalid at {0} - {1}',
    });
  });

  it.each([
    [{ layer: 'internal failure', module: 'authority agent', type: 5 }, 20705],
    [{ layer: 'BUSINESS', module: 'DATA OWNER', type: '15' }, 40515],
    [{ layer: '3', module: '07', type: 17 }, 30717],
    [{ layer: 1, module: 0, type: 1 }, 10001],
    [{ layer: 'Communications', module: 'Connector DR', type: 8 }, 10308],
  ] as Array<[De4aCodeParts, number]>)(
    'should accept names in any case and numbers: %j',
    (parts, code) => {
      expect(de4a.code(parts)).toBe(code);
    },
  );

  it.each([
    [{ layer: 'Transport', module: 'IDK', type: 1 }, /layer 'Transport'/],
    [{ layer: 0, module: 'IDK', type: 1 }, /layer '0'/],
    [{ layer: 5, module: 'IDK', type: 1 }, /layer '5'/],
    [{ layer: 1.5, module: 'IDK', type: 1 }, /layer/],
    [{ layer: 'Business', module: 'MOR', type: 1 }, /module 'MOR'/],
    [{ layer: 'Business', module: 8, type: 1 }, /module '8'/],
    [{ layer: 'Business', module: 'Connector XX', type: 1 }, /module/],
    [{ layer: 'Business', module: 'IDK', type: 0 }, /type '0'/],
    [{ layer: 'Business', module: 'IDK', type: 21 }, /type '21'/],
    [{ layer: 'Business', module: 'IDK', type: 2.5 }, /type/],
    [{ layer: 'Business', module: 'IDK', type: '3a' }, /type/],
  ] as Array<[De4aCodeParts, RegExp]>)(
    'should reject %j with a TypeError naming the part',
    (parts, message) => {
      expect(() => de4a.code(parts)).toThrow(TypeError);
      expect(() => de4a.code(parts)).toThrow(message);
    },
  );

  it.each([null, undefined, 10102])('should reject parts %p with a TypeError', (parts) => {
    expect(() => de4a.code(parts as never)).toThrow(TypeError);
  });

  it.each([
    1010,
    101020,
    50102,
    102,
    '00102',
    10802,
    10100,
    10121,
    'abc',
    '1O102',
    -10102,
    10102.5,
    null,
    {},
  ])('should decode the malformed code %p as undefined', (value) => {
    expect(de4a.decode(value as never)).toBeUndefined();
  });

  it('should decode a well-formed code outside the catalogue without a template', () => {
    expect(de4a.decode(10105)).toEqual({
      layer: 'Communications',
      layerId: 1,
      module: 'IDK',
      moduleId: 1,
      type: 5,
    });
  });
});

describe('de4a.fault', () => {
  describe('when given the parts and parameters of 10102', () => {
    const fault = de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, [
      '/request',
      'id',
    ]);

    it('should fill the template and take status and description from the catalogue', () => {
      expect(fault).toBeInstanceOf(Fault);
      expect(fault).toMatchObject({
        dialect: 'de4a',
        code: 10102,
        status: 400,
        message: 'Arguments missing or invalid at /request - id',
        expose: true,
        description: de4a.catalog.get(10102)?.description,
        params: { template: 'Arguments missing or invalid at {0} - {1}', args: ['/request', 'id'] },
      });
    });
  });

  describe.each(de4a.catalog.entries.map((e) => [e.code, e] as const))(
    'when the code is %s',
    (code, entry) => {
      const args = Array.from({ length: entry.paramCount }, (_, i) => `p${i}`);

      it('should fill every parameter of the template', () => {
        const fault = de4a.fault(code, args);
        expect(fault.message).toBe(entry.template.replace('{0}', 'p0').replace('{1}', 'p1'));
        expect(fault.message).not.toMatch(/\{\d\}/);
        expect(fault.status).toBe(entry.status);
        expect(de4a.fault(String(code), args).message).toBe(fault.message);
      });

      it('should reject a missing parameter with a TypeError', () => {
        if (entry.paramCount === 0) return expect(entry.template).not.toMatch(/\{\d\}/);
        expect(() => de4a.fault(code, args.slice(1))).toThrow(TypeError);
        expect(() => de4a.fault(code)).toThrow(`takes ${entry.paramCount} parameter(s), got 0`);
      });

      it('should reject an extra parameter with a TypeError', () => {
        expect(() => de4a.fault(code, [...args, 'extra'])).toThrow(TypeError);
      });
    },
  );

  it('should fill in one pass, leaving placeholders inside parameters alone', () => {
    expect(de4a.fault(10103, ['{1}', 'x']).message).toBe('Connection error with {1} - x');
  });

  it.each([
    ['{0}', ['a'], 'a'],
    ['{{0}}', ['a'], '{a}'],
    ['{007} and {7}', [0, 1, 2, 3, 4, 5, 6, 'x'], 'x and x'],
    ['{} {x} {1234} {-1} {0', [], '{} {x} {1234} {-1} {0'],
    ['{999}', Array.from({ length: 1000 }, (_, i) => i), '999'],
    ['no placeholders', [], 'no placeholders'],
    ['{1}{0}{1}', ['a', '{0}'], '{0}a{0}'],
  ] as Array<[string, Array<string | number>, string]>)(
    'should fill %p as placeholders of one to three digits in braces',
    (template, params, message) => {
      expect(de4a.fillTemplate(template, params)).toBe(message);
    },
  );

  it.each([
    ['{1234}', 1],
    ['{0', 1],
  ])('should count no placeholder in %p', (template, given) => {
    expect(() =>
      de4a.fillTemplate(
        template,
        Array.from({ length: given }, () => 'x'),
      ),
    ).toThrow(`takes 0 parameter(s), got ${given}`);
  });

  it.each([
    [[42, true], 'Connection error with 42 - true'],
    [[10n, 'x'], 'Connection error with 10 - x'],
  ] as Array<[Array<string | number | bigint | boolean>, string]>)(
    'should write parameters %p as text',
    (params, message) => {
      expect(de4a.fault(10103, params).message).toBe(message);
    },
  );

  it.each([[{}], [null], [undefined], [Number.NaN], [Symbol('x')]])(
    'should reject the parameter %p with a TypeError',
    (param) => {
      expect(() => de4a.fault(10103, ['SMP', param as never])).toThrow(TypeError);
    },
  );

  it('should reject parameters that are not an array', () => {
    expect(() => de4a.fault(10103, 'SMP' as never)).toThrow(TypeError);
  });

  describe('when the code is well-formed but not in the catalogue', () => {
    it('should need an explicit template', () => {
      expect(() => de4a.fault(10805, ['MOR', 'bad JSON'])).toThrow(/not in the catalogue/);
      expect(() =>
        de4a.fault({ layer: 'Communications', module: 'IDK', type: 5 }, ['x', 'y']),
      ).toThrow(TypeError);
    });

    it.each([
      [10805, 400],
      [20105, 500],
      [30999, 500],
      [49901, 400],
    ])('should build %s with the template and the status of its layer (%s)', (code, status) => {
      const fault = de4a.fault(code, ['MOR', 'bad JSON'], { template: de4a.TEMPLATES[5].text });
      expect(fault).toMatchObject({
        code,
        status,
        message: 'Object conversion error on MOR - bad JSON',
        description: undefined,
      });
    });

    it('should check the parameters against the given template', () => {
      expect(() => de4a.fault(10805, ['MOR'], { template: 'Broke {0} and {1}' })).toThrow(
        TypeError,
      );
    });

    it.each(['', '  ', 42])('should reject the template %p', (template) => {
      expect(() => de4a.fault(10805, [], { template: template as never })).toThrow(TypeError);
    });
  });

  it('should refuse to replace the template of a catalogue code', () => {
    expect(() => de4a.fault(40515, [], { template: 'Something else' })).toThrow(
      /catalogue's template/,
    );
  });

  it.each([50101, 1234, 101020, 10800, 10102.5, '1O102', 'abc', -10102, null, true])(
    'should reject the code %p with a TypeError',
    (code) => {
      expect(() => de4a.fault(code as never)).toThrow(TypeError);
    },
  );

  it.each([
    [{ status: 503 }, 503],
    [{ status: 409 }, 409],
  ])('should take option %j over the status of the code', (options, status) => {
    expect(de4a.fault(40515, [], options).status).toBe(status);
  });

  it.each([399, 600, 404.5, '404'])('should reject status %p with a TypeError', (status) => {
    expect(() => de4a.fault(40515, [], { status: status as number })).toThrow(TypeError);
  });
});

describe('de4a.messageCode', () => {
  it.each([
    ['DR', 'ERROR', 5, 'DRE05'],
    ['DT', 'INFO', 7, 'DTI07'],
    ['DO', 'ERROR', 2, 'DOE02'],
    ['DE', 'WARN', 3, 'DEW03'],
    ['DE', 'WARNING', 3, 'DEW03'],
    ['DR', 'DEBUG', 11, 'DRD11'],
    ['DR', 'error', 1, 'DRE01'],
    ['00', 'ERROR', 6, '00E06'],
    ['DT', 'INFO', 0, 'DTI00'],
    ['DT', 'INFO', 99, 'DTI99'],
  ])('should make %s + %s + %s into %s', (component, level, template, expected) => {
    expect(de4a.messageCode({ component, level, template })).toBe(expected);
  });

  it("should make the seed's IEM example", () => {
    expect(de4a.messageCode({ component: 'DR', level: 'ERROR', template: 5 })).toBe(
      MESSAGE_CODE_EXAMPLE,
    );
  });

  it.each([
    ['D', 'ERROR', 5, /component/],
    ['DRX', 'ERROR', 5, /component/],
    ['dr', 'ERROR', 5, /component/],
    ['D-', 'ERROR', 5, /component/],
    ['DR', 'FATAL', 5, /level/],
    ['DR', 'TRACE', 5, /level/],
    ['DR', '', 5, /level/],
    ['DR', 'ERROR', -1, /template/],
    ['DR', 'ERROR', 100, /template/],
    ['DR', 'ERROR', 1.5, /template/],
    ['DR', 'ERROR', '05', /template/],
  ])('should reject %p %p %p with a TypeError', (component, level, template, message) => {
    expect(() => de4a.messageCode({ component, level, template: template as number })).toThrow(
      message,
    );
  });
});

describe('de4a.logLine', () => {
  it('should write the DT example byte for byte', () => {
    const prefix = '[2021-07-26T12:41:13.657Z] [INFO] [DTI07] [SGAD-ES] ';
    expect(EXAMPLE_LINES.dtInfo.startsWith(prefix)).toBe(true);
    const line = de4a.logLine({
      timestamp: new Date(Date.UTC(2021, 6, 26, 12, 41, 13, 657)),
      level: 'INFO',
      messageCode: de4a.messageCode({ component: 'DT', level: 'INFO', template: 7 }),
      participant: 'SGAD-ES',
      text: EXAMPLE_LINES.dtInfo.slice(prefix.length),
    });
    expect(line).toBe(EXAMPLE_LINES.dtInfo);
  });

  it('should write the DO example byte for byte, with its use case', () => {
    const line = de4a.logLine({
      timestamp: '2021-08-16T19:01:33.803Z',
      level: 'ERROR',
      messageCode: 'DOE02',
      participant: 'MIZŠ-SI',
      useCase: '1.1',
      text: de4a.fault(40515).message,
    });
    expect(line).toBe(EXAMPLE_LINES.doError);
    expect(Buffer.from(line, 'utf8').equals(Buffer.from(EXAMPLE_LINES.doError, 'utf8'))).toBe(true);
  });

  it.each([
    ['a Date', new Date(Date.UTC(2021, 7, 16, 19, 1, 33, 803))],
    ['an ISO string in UTC', '2021-08-16T19:01:33.803Z'],
    ['an ISO string with an offset', '2021-08-16T21:01:33.803+02:00'],
    ['epoch milliseconds', Date.UTC(2021, 7, 16, 19, 1, 33, 803)],
  ])('should write %s as ISO 8601 UTC with milliseconds', (_name, timestamp) => {
    expect(
      de4a.logLine({
        timestamp,
        level: 'INFO',
        messageCode: 'DOI15',
        participant: 'P-SI',
        text: 't',
      }),
    ).toBe('[2021-08-16T19:01:33.803Z] [INFO] [DOI15] [P-SI] t');
  });

  it('should write WARNING as WARN, any case', () => {
    expect(
      de4a.logLine({
        timestamp: 0,
        level: 'warning',
        messageCode: 'DRW03',
        participant: 'P-ES',
        text: 't',
      }),
    ).toBe('[1970-01-01T00:00:00.000Z] [WARN] [DRW03] [P-ES] t');
  });

  it.each([
    [{ timestamp: 'yesterday' }, /timestamp/],
    [{ level: 'FATAL' }, /level/],
    [{ messageCode: 'DRE5' }, /message code/],
    [{ messageCode: 'drE05' }, /message code/],
    [{ participant: 42 }, /participant/],
    [{ text: undefined }, /text/],
    [{ useCase: 1.1 }, /useCase/],
  ])('should reject %p with a TypeError', (patch, message) => {
    const line = {
      timestamp: 0,
      level: 'INFO',
      messageCode: 'DRI01',
      participant: 'P-ES',
      text: 't',
      ...patch,
    };
    expect(() => de4a.logLine(line as never)).toThrow(message);
  });

  it.each([
    [
      'text',
      { text: 'a\r\nb\nc\rd\u2028e\u0085f\u001bg' },
      '[1970-01-01T00:00:00.000Z] [INFO] [DRI01] [P-ES] a b c d e f g',
    ],
    [
      'participant',
      { participant: 'P\n[ERROR]-ES' },
      '[1970-01-01T00:00:00.000Z] [INFO] [DRI01] [P [ERROR]-ES] t',
    ],
    [
      'use case',
      { useCase: '1.1\r\n' },
      '[1970-01-01T00:00:00.000Z] [INFO] [DRI01] [P-ES] [UC#1.1 ] t',
    ],
  ])('should put a %s with line breaks on one line', (_name, patch, expected) => {
    const line = de4a.logLine({
      timestamp: 0,
      level: 'INFO',
      messageCode: 'DRI01',
      participant: 'P-ES',
      text: 't',
      ...patch,
    });
    expect(line).toBe(expected);
    expect(line.split(/\r\n|[\n\r\u2028\u2029\u0085]/)).toHaveLength(1);
  });

  it('should keep tabs', () => {
    expect(oneLine('a\tb')).toBe('a\tb');
  });
});

describe('de4a.metricsLine', () => {
  it('should write the metrics example byte for byte', () => {
    const line = de4a.metricsLine({
      timestamp: new Date(Date.UTC(2021, 6, 13, 14, 15, 51, 657)),
      level: 'INFO',
      code: 10104,
      origin: 'CONNECTOR DR',
      destiny: 'CONNECTOR DT',
      text: de4a.fillTemplate(de4a.TEMPLATES[3].text, [
        'CONNECTOR DT',
        'It is not possible to retrieve data from the SMP, either because of a connection problem or because it does not exist.',
      ]),
    });
    expect(line).toBe(EXAMPLE_LINES.metrics);
  });

  it.each([
    [{}, 'DE4A METRICS - [2024-02-29 09:05:07:008] [ERROR] [20005] [ ] [ ] [ ] t'],
    [
      { useCase: '2.1', origin: 'O', destiny: 'D' },
      'DE4A METRICS - [2024-02-29 09:05:07:008] [ERROR] [20005] [UC#2.1] [O] [D] t',
    ],
    [
      { useCase: '', origin: '', destiny: '' },
      'DE4A METRICS - [2024-02-29 09:05:07:008] [ERROR] [20005] [ ] [ ] [ ] t',
    ],
    [{ prefix: 'PILOT' }, 'PILOT - [2024-02-29 09:05:07:008] [ERROR] [20005] [ ] [ ] [ ] t'],
    [{ prefix: '' }, '[2024-02-29 09:05:07:008] [ERROR] [20005] [ ] [ ] [ ] t'],
    [{ level: 'warn' }, 'DE4A METRICS - [2024-02-29 09:05:07:008] [WARNING] [20005] [ ] [ ] [ ] t'],
    [
      { level: 'FATAL', code: '0103' },
      'DE4A METRICS - [2024-02-29 09:05:07:008] [FATAL] [0103] [ ] [ ] [ ] t',
    ],
    [
      { text: 'a\r\nb', origin: 'X\nY' },
      'DE4A METRICS - [2024-02-29 09:05:07:008] [ERROR] [20005] [ ] [X Y] [ ] a b',
    ],
  ])('should write %j as one line', (patch, expected) => {
    const line = de4a.metricsLine({
      timestamp: '2024-02-29T09:05:07.008Z',
      level: 'ERROR',
      code: 20005,
      text: 't',
      ...patch,
    });
    expect(line).toBe(expected);
  });

  it.each([
    [{ level: 'TRACE' }, /level/],
    [{ code: -1 }, /code/],
    [{ code: '' }, /code/],
    [{ code: 1.5 }, /code/],
    [{ timestamp: Number.NaN }, /timestamp/],
    [{ prefix: 7 }, /prefix/],
    [{ text: null }, /text/],
  ])('should reject %p with a TypeError', (patch, message) => {
    const line = { timestamp: 0, level: 'INFO', code: 10104, text: 't', ...patch };
    expect(() => de4a.metricsLine(line as never)).toThrow(message);
  });
});

describe('the IEM body', () => {
  describe('when a DE4A fault is thrown', () => {
    const res = handler().handle(
      de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']),
    );

    it('should send the ResponseErrorType byte for byte with the code status', () => {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(XML_TYPE);
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
      expect(res.body).toBe(iem('10102', 'Arguments missing or invalid at /request - id'));
    });

    it('should parse as namespace-qualified XML with Ack first', () => {
      const doc = parseXml(res.body) as unknown as ParsedIem;
      expect(doc.ResponseMessage).toEqual({
        '@xmlns': 'http://www.de4a.eu/2020/data/response/v2',
        '@xmlns:ct': 'http://www.de4a.eu/2020/commons/type/v2',
        'ct:Ack': 'false',
        'ct:Error': {
          'ct:Code': '10102',
          'ct:Text': 'Arguments missing or invalid at /request - id',
        },
      });
      expect(res.body.indexOf('<ct:Ack>')).toBeLessThan(res.body.indexOf('<ct:Error>'));
    });
  });

  it('should escape markup and replace characters XML 1.0 forbids', () => {
    const res = handler().handle(de4a.fault(10503, ['<DO & "x">', "it's \u0001 down"]));
    expect(res.body).toBe(
      iem('10503', 'Connection error with &lt;DO &amp; &quot;x&quot;&gt; - it&apos;s \uFFFD down'),
    );
    const doc = parseXml(res.body) as unknown as ParsedIem;
    expect(doc.ResponseMessage['ct:Error']['ct:Text']).toBe(
      'Connection error with <DO & "x"> - it\'s \uFFFD down',
    );
  });

  describe('when the message has 10 000 characters', () => {
    const res = handler().handle(de4a.fault(10103, ['SMP', 'x'.repeat(10_000)]));

    it('should cut the Text at 4000 characters with no marker, as the connector does, and keep it well-formed', () => {
      const text = (parseXml(res.body) as unknown as ParsedIem).ResponseMessage['ct:Error'][
        'ct:Text'
      ];
      expect(text).toBe(`Connection error with SMP - ${'x'.repeat(3972)}`);
      expect(text).toHaveLength(4000);
    });
  });

  describe('when the 4000th character is the first half of a surrogate pair', () => {
    it('should cut before the pair, so that no lone surrogate is sent', () => {
      // 'Connection error with SMP - ' is 28 characters: the emoji's first half is the 4000th.
      const res = handler().handle(
        de4a.fault(10103, ['SMP', `${'x'.repeat(3971)}\uD83D\uDE00 and more`]),
      );
      const text = (parseXml(res.body) as unknown as ParsedIem).ResponseMessage['ct:Error'][
        'ct:Text'
      ];
      expect(text).toBe(`Connection error with SMP - ${'x'.repeat(3971)}`);
    });
  });

  it.each([
    [
      'a long code',
      new Fault({ dialect: 'de4a', code: 'ABCDEFGHIJKLMNOP', status: 400, message: 'm' }),
      '10007',
    ],
    [
      'a code with a space',
      new Fault({ dialect: 'de4a', code: '10 102', status: 500, message: 'm' }),
      '99999',
    ],
    [
      'a message code',
      new Fault({ dialect: 'de4a', code: 'DRE05', status: 400, message: 'm' }),
      'DRE05',
    ],
  ])('should send at most 10 code characters for %s', (_name, fault, code) => {
    const res = handler().handle(fault);
    const sent = (parseXml(res.body) as unknown as ParsedIem).ResponseMessage['ct:Error'][
      'ct:Code'
    ];
    expect(sent).toBe(code);
    expect(sent.length).toBeLessThanOrEqual(10);
  });

  describe.each([
    [
      'a hidden fault',
      () => de4a.fault(20006, ['DB', 'password rejected for admin'], { expose: false }),
      500,
      '20006',
      'Error accessing/saving data',
    ],
    [
      'a hidden fault without parameters',
      () => de4a.fault(40510, [], { expose: false }),
      400,
      '40510',
      'Error extracting evidence',
    ],
    [
      'a hand-built fault with an empty message',
      () => new Fault({ dialect: 'de4a', code: 10102, status: 400, message: '' }),
      400,
      '10102',
      'Arguments missing or invalid',
    ],
    [
      'a hand-built fault carrying its template',
      () =>
        new Fault({
          dialect: 'de4a',
          code: 30717,
          status: 500,
          message: 'Configuration error occurred on {0}',
        }),
      500,
      '30717',
      'Configuration error occurred',
    ],
    [
      'a deliberate 5xx fault',
      () => de4a.fault(20008, ['AS4', 'gateway refused']),
      500,
      '20008',
      'Error occurred on AS4 Gateway to AS4 - gateway refused',
    ],
  ])('when the fault is %s', (_name, make, status, code, text) => {
    it('should send a Text without placeholders', () => {
      const res = handler().handle(make());
      expect(res.status).toBe(status);
      expect(res.body).toBe(iem(code, text));
    });
  });

  it('should show a hidden message with debug, but add no element', () => {
    const res = handler({ debug: true }).handle(
      de4a.fault(20006, ['DB', 'password rejected'], { expose: false }),
    );
    expect(res.body).toBe(iem('20006', 'Error accessing/saving data on DB - password rejected'));
  });
});

describe('the JSON rendering', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json;charset=utf-8', 'json'],
    ['text/html, application/json', 'json'],
    ['application/json, application/xml', 'json'],
    ['application/xml, application/json', 'xml'],
    ['text/xml;q=0.1, application/json', 'xml'],
    ['application/soap+xml, application/json', 'xml'],
    ['application/json;q=0, application/xml', 'xml'],
    ['application/json; q=0.0', 'xml'],
    ['application/problem+json', 'xml'],
    ['*/*', 'xml'],
    ['', 'xml'],
  ])('should answer Accept %p in %s', (accept, encoding) => {
    const res = handler().handle(de4a.fault(10102, ['/r', 'id']), { headers: { accept } });
    expect(res.headers['content-type']).toBe(encoding === 'json' ? JSON_TYPE : XML_TYPE);
  });

  it('should answer XML without an Accept header', () => {
    expect(handler().handle(de4a.fault(10102, ['/r', 'id']), {}).headers['content-type']).toBe(
      XML_TYPE,
    );
  });

  it('should send ack, code as a string and text', () => {
    const res = handler().handle(de4a.fault(10102, ['/r', '"id"\n']), {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toBe(
      '{"ack":false,"errors":[{"code":"10102","text":"Arguments missing or invalid at /r - \\"id\\"\\n"}]}',
    );
  });

  it('should add the stack and causes only with debug', () => {
    const request: RequestInfo = { headers: { accept: 'application/json' } };
    const thrown = new Error('boom', { cause: new Error('root') });
    const plain = JSON.parse(handler().handle(thrown, request).body) as Record<string, unknown>;
    const debug = JSON.parse(handler({ debug: true }).handle(thrown, request).body) as {
      debug: { causes: string[]; stack: string };
    };
    expect(Object.keys(plain)).toEqual(['ack', 'errors']);
    expect(debug.debug.causes).toEqual(['Error: root']);
    expect(debug.debug.stack).toContain('boom');
  });

  describe('when the dialect option json is false', () => {
    it('should always answer XML', () => {
      const options = { dialect: de4a, logger: false as const, de4a: { json: false } };
      const res = createFaultHandler(options).handle(de4a.fault(10102, ['/r', 'id']), {
        headers: { accept: 'application/json' },
      });
      expect(res.headers['content-type']).toBe(XML_TYPE);
      expect(res.body).toBe(iem('10102', 'Arguments missing or invalid at /r - id'));
    });
  });

  it.each([{ json: 'yes' }, { json: 1 }])(
    'should reject the dialect option %j with a TypeError',
    (options) => {
      expect(() => de4a.configure(options as never)).toThrow(/de4a.json/);
    },
  );
});

describe('errors that are not DE4A faults', () => {
  class HttpError extends Error {
    constructor(
      readonly status: number,
      message: string,
      readonly headers?: Record<string, string>,
    ) {
      super(message);
    }
  }

  it.each([
    [
      'an unexpected error',
      new Error('db at 10.0.0.7 refused'),
      { url: '/request?id=1' },
      500,
      '99999',
      'Internal Connector Error',
    ],
    ['a thrown string', 'boom', { url: '/x' }, 500, '99999', 'Internal Connector Error'],
    [
      'an unknown route',
      routeNotFound('GET', '/nope?token=secret'),
      { method: 'GET', url: '/nope?token=secret' },
      404,
      '10001',
      'Service requested /nope not found',
    ],
    [
      'an http 404',
      new HttpError(404, 'No person 7'),
      { url: '/person/7' },
      404,
      '10001',
      'Service requested /person/7 not found',
    ],
    [
      'an http 405',
      new HttpError(405, 'Method Not Allowed'),
      { method: 'DELETE', url: '/request' },
      405,
      '10001',
      'Service requested DELETE /request not found',
    ],
    [
      'an http 400',
      new HttpError(400, 'Missing id'),
      { url: '/request' },
      400,
      '10007',
      'Scheme validation failed for /request message - Missing id',
    ],
    [
      'an http 401',
      new HttpError(401, 'Token expired'),
      { url: '/request' },
      401,
      '10007',
      'Scheme validation failed for /request message - Token expired',
    ],
    [
      'a body-parser error',
      Object.assign(withStatus('Unexpected token', 400), { type: 'entity.parse.failed' }),
      { url: '/request' },
      400,
      '10007',
      'Scheme validation failed for /request message - The request body could not be parsed',
    ],
    [
      'an http 503',
      new HttpError(503, 'database is down'),
      { url: '/request' },
      503,
      '99999',
      'Internal Connector Error',
    ],
    // The connector's wording of an exception with a message: `[ExceptionClass] message`.
    [
      'an exposed http 502',
      Object.assign(withStatus('upstream DO timed out', 502), { expose: true }),
      { url: '/request' },
      502,
      '99999',
      '[Error] upstream DO timed out',
    ],
    [
      'an X-Road fault',
      xroad.fault('Client.BadRequest', 'Bad id'),
      { url: '/r' },
      400,
      '10007',
      'Scheme validation failed for /r message - Bad id',
    ],
    [
      'a problem fault',
      problem.fault(404, 'Order 7'),
      { url: '/orders/7' },
      404,
      '10001',
      'Service requested /orders/7 not found',
    ],
  ])(
    'should answer %s with the seed code of its kind',
    (_name, thrown, request, status, code, text) => {
      const res = handler().handle(thrown, request as RequestInfo);
      expect(res.status).toBe(status);
      expect(res.body).toBe(iem(code, text));
      expect(res.fault).toMatchObject({
        dialect: 'de4a',
        code: Number(code),
        correlationId: 'id-1',
      });
    },
  );

  it('should keep the headers of an http error', () => {
    const res = handler().handle(new HttpError(429, 'Slow down', { 'retry-after': '3' }), {
      url: '/r',
    });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
  });

  it('should answer with the fixed IEM body when rendering fails', () => {
    const runtime = de4a.configure();
    expect(runtime.fallback).toEqual({
      status: 500,
      headers: { 'content-type': XML_TYPE },
      body: iem('99999', 'Internal Connector Error'),
    });
    expect(() => parseXml(runtime.fallback!.body)).not.toThrow();
  });
});

describe('de4a.logTo', () => {
  const FIXED = new Date(Date.UTC(2024, 4, 2, 10, 0, 0, 0));
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-de4a-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('when the destination is a file', () => {
    let lines: string[];
    const thrown = [
      de4a.fault(10102, ['/request', 'id']),
      de4a.fault(40515),
      new Error('db at 10.0.0.7 refused\nsecond line'),
      de4a.fault(40617),
      routeNotFound('GET', '/nope'),
    ];

    beforeAll(async () => {
      const file = join(dir, 'de4a.log');
      const stream = createWriteStream(file);
      const h = handler({
        onFault: de4a.logTo(stream, {
          participant: 'SGAD-ES',
          component: 'DR',
          clock: () => FIXED,
        }),
      });
      for (const t of thrown) h.handle(t, { method: 'GET', url: '/request' });
      stream.end();
      await once(stream, 'finish');
      lines = readFileSync(file, 'utf8').split('\n');
    });

    it('should write one line per fault, each ending with a line end', () => {
      expect(lines).toHaveLength(thrown.length + 1);
      expect(lines[thrown.length]).toBe('');
    });

    it('should write the seed format with the level and the message code numbered per log message', () => {
      // 10102 is MISSING_REQUIRED_ARGUMENTS (05) and 10001 SERVICE_NOT_FOUND (06) in the
      // connector's EFamilyErrorType; 40515 is ELogMessage DOE02 and 40617 DEI01, whatever the
      // logging component; 99999 has no log message of its own (00).
      expect(lines.slice(0, thrown.length)).toEqual([
        '[2024-05-02T10:00:00.000Z] [WARN] [DRW05] [SGAD-ES] Arguments missing or invalid at /request - id',
        '[2024-05-02T10:00:00.000Z] [ERROR] [DOE02] [SGAD-ES] Evidence not available yet (delayed)',
        '[2024-05-02T10:00:00.000Z] [ERROR] [DRE00] [SGAD-ES] [Error] db at 10.0.0.7 refused second line',
        '[2024-05-02T10:00:00.000Z] [INFO] [DEI01] [SGAD-ES] DE4A pilot process started',
        '[2024-05-02T10:00:00.000Z] [WARN] [DRW06] [SGAD-ES] Service requested /request not found',
      ]);
    });
  });

  describe('when the format is metrics', () => {
    it("should write the fault's code, the participant as origin and the code's module as destiny", async () => {
      const file = join(dir, 'metrics.log');
      const stream = createWriteStream(file);
      const h = handler({
        onFault: de4a.logTo(stream, {
          participant: 'CONNECTOR DR',
          format: 'metrics',
          useCase: (e) => (e.fault.code === 40515 ? '1.1' : undefined),
          clock: () => FIXED,
        }),
      });
      h.handle(de4a.fault(10503, ['DATA OWNER', 'timeout']));
      h.handle(de4a.fault(40515));
      h.handle(new Error('x'), { url: '/r' });
      stream.end();
      await once(stream, 'finish');
      expect(readFileSync(file, 'utf8')).toBe(
        'DE4A METRICS - [2024-05-02 10:00:00:000] [WARNING] [10503] [ ] [CONNECTOR DR] [DATA OWNER] Connection error with DATA OWNER - timeout\n' +
          'DE4A METRICS - [2024-05-02 10:00:00:000] [ERROR] [40515] [UC#1.1] [CONNECTOR DR] [DATA OWNER] Evidence not available yet (delayed)\n' +
          'DE4A METRICS - [2024-05-02 10:00:00:000] [ERROR] [99999] [ ] [CONNECTOR DR] [ ] [Error] x\n',
      );
    });
  });

  describe('when the destination throws', () => {
    it.each([
      [
        'a Writable',
        () =>
          new Writable({
            write() {
              throw new Error('disk full');
            },
          }),
      ],
      [
        'a plain object',
        () => ({
          write() {
            throw new Error('disk full');
          },
        }),
      ],
    ])('should not throw from %s, and the response goes out', (_name, make) => {
      const hook = de4a.logTo(make(), { participant: 'SGAD-ES' });
      const event = {
        fault: de4a.fault(40515),
        error: undefined,
        request: {},
        expected: true,
        level: 'error',
        durationMs: 0.1,
      } as FaultEvent;
      expect(() => hook(event)).not.toThrow();
      const res = handler({ onFault: hook }).handle(de4a.fault(40515));
      expect(res.body).toBe(iem('40515', 'Evidence not available yet (delayed)'));
    });
  });

  describe('when the stream has ended', () => {
    it('should write nothing, so the stream emits no error', async () => {
      const chunks: string[] = [];
      const errors: unknown[] = [];
      // autoDestroy off: an ended stream that is not destroyed emits 'error' on a late write.
      const stream = new Writable({
        autoDestroy: false,
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk.toString());
          done();
        },
      });
      stream.on('error', (e) => errors.push(e));
      const hook = de4a.logTo(stream, { participant: 'SGAD-ES' });
      hook({
        fault: de4a.fault(40515),
        error: undefined,
        request: {},
        expected: true,
        level: 'error',
        durationMs: 0.1,
      });
      stream.end();
      await once(stream, 'finish');
      hook({
        fault: de4a.fault(40515),
        error: undefined,
        request: {},
        expected: true,
        level: 'error',
        durationMs: 0.1,
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(chunks).toHaveLength(1);
      expect(errors).toEqual([]);
    });
  });

  it('should keep the line when the use-case function throws', () => {
    const written: string[] = [];
    const hook = de4a.logTo(
      { write: (s: string) => written.push(s) },
      {
        participant: 'MIZŠ-SI',
        component: 'DO',
        useCase: () => {
          throw new Error('no use case');
        },
        clock: () => FIXED.getTime(),
      },
    );
    hook({
      fault: de4a.fault(40515),
      error: undefined,
      request: {},
      expected: true,
      level: 'error',
      durationMs: 0.1,
    });
    expect(written).toEqual([
      '[2024-05-02T10:00:00.000Z] [ERROR] [DOE02] [MIZŠ-SI] Evidence not available yet (delayed)\n',
    ]);
  });

  it.each([
    ['no destination', undefined, { participant: 'P-ES' }, /destination/],
    ['a destination without write', {}, { participant: 'P-ES' }, /destination/],
    ['no options', { write() {} }, undefined, /options/],
    ['no participant', { write() {} }, {}, /participant/],
    ['an empty participant', { write() {} }, { participant: ' ' }, /participant/],
    ['a bad component', { write() {} }, { participant: 'P-ES', component: 'D' }, /component/],
    ['a bad format', { write() {} }, { participant: 'P-ES', format: 'csv' }, /format/],
    ['a bad use case', { write() {} }, { participant: 'P-ES', useCase: 1 }, /useCase/],
    ['a bad prefix', { write() {} }, { participant: 'P-ES', prefix: 1 }, /prefix/],
    ['a bad clock', { write() {} }, { participant: 'P-ES', clock: 'now' }, /clock/],
  ])('should reject %s with a TypeError', (_name, destination, options, message) => {
    expect(() => de4a.logTo(destination as never, options as never)).toThrow(message);
  });
});

describe('the DE4A level of a fault', () => {
  it.each([
    ['10102 with its 400', 'WARN', () => de4a.fault(10102, ['/r', 'id'])],
    ['10102 sent as 502', 'ERROR', () => de4a.fault(10102, ['/r', 'id'], { status: 502 })],
    ['20005 sent as 400', 'ERROR', () => de4a.fault(20005, ['/r', 'x'], { status: 400 })],
    ['30717 sent as 409', 'ERROR', () => de4a.fault(30717, ['x'], { status: 409 })],
    ['40515', 'ERROR', () => de4a.fault(40515)],
    ['40613', 'ERROR', () => de4a.fault(40613)],
    ['40617', 'INFO', () => de4a.fault(40617)],
    ['40618', 'INFO', () => de4a.fault(40618)],
    ['40618 sent as 500', 'ERROR', () => de4a.fault(40618, [], { status: 500 })],
    [
      'a team code of layer 2 sent as 400',
      'ERROR',
      () => de4a.fault(20901, [], { template: 't', status: 400 }),
    ],
    ['a problem 404', 'WARN', () => problem.fault(404)],
    ['a problem 500', 'ERROR', () => problem.fault(500)],
  ] as Array<[string, string, () => Fault]>)('should log %s at %s', (_name, level, make) => {
    expect(faultLevel(make())).toBe(level);
  });
});
