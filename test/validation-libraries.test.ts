/**
 * zod and ajv validation errors, thrown as they are, become one validation shape that every
 * dialect renders natively, identically in every adapter.
 */
import Ajv from 'ajv';
import { z } from 'zod';
import { ADAPTERS, call } from './support/servers';
import type { Running } from './support/servers';

const ID = 'a11da7ed-0000-4000-8000-000000000000';

function zodError(): unknown {
  try {
    z.object({ name: z.string(), age: z.number().int() }).parse({ age: 'x' });
  } catch (error) {
    return error;
  }
  throw new Error('zod accepted the input');
}

function ajvError(): unknown {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile({
    type: 'object',
    required: ['name'],
    properties: { age: { type: 'integer' } },
  });
  validate({ age: 'x' });
  return new Ajv.ValidationError(validate.errors ?? []);
}

const ZOD_SUMMARY =
  'name: Invalid input: expected string, received undefined; age: Invalid input: expected number, received string';
const AJV_SUMMARY = "name: must have required property 'name'; age: must be integer";

const EXPECTED = {
  problem: {
    zod: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"${ZOD_SUMMARY}","instance":"urn:uuid:${ID}","code":"ValidationFailed","errors":[{"detail":"Invalid input: expected string, received undefined","pointer":"#/name","keyword":"invalid_type"},{"detail":"Invalid input: expected number, received string","pointer":"#/age","keyword":"invalid_type"}]}`,
    ajv: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"${AJV_SUMMARY}","instance":"urn:uuid:${ID}","code":"ValidationFailed","errors":[{"detail":"must have required property 'name'","pointer":"#/name","keyword":"required"},{"detail":"must be integer","pointer":"#/age","keyword":"type"}]}`,
  },
  xroad: {
    zod: `{"type":"Client.BadRequest","message":"${ZOD_SUMMARY}","detail":"${ID}"}`,
    ajv: `{"type":"Client.BadRequest","message":"${AJV_SUMMARY}","detail":"${ID}"}`,
  },
  xks: {
    zod: `{"errorName":"ValidationException","errorMessage":"${ZOD_SUMMARY}"}`,
    ajv: `{"errorName":"ValidationException","errorMessage":"${AJV_SUMMARY}"}`,
  },
  ast: {
    zod: `{"code":510400,"name":"BadRequest","message":"${ZOD_SUMMARY}","details":[{"pointer":"/name","message":"Invalid input: expected string, received undefined","keyword":"invalid_type"},{"pointer":"/age","message":"Invalid input: expected number, received string","keyword":"invalid_type"}]}`,
    ajv: `{"code":510400,"name":"BadRequest","message":"${AJV_SUMMARY}","details":[{"pointer":"/name","message":"must have required property 'name'","keyword":"required"},{"pointer":"/age","message":"must be integer","keyword":"type"}]}`,
  },
} as const;

describe.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])(
  'validation errors in the %s dialect',
  (dialect) => {
    const servers: Running[] = [];
    beforeAll(async () => {
      for (const adapter of ADAPTERS) {
        servers.push(
          await adapter.start(
            [
              { path: '/kms/xks/v1/keys/k/encrypt', error: zodError },
              { path: '/kms/xks/v1/keys/k/decrypt', error: ajvError },
            ],
            { dialect, logger: false, correlationId: () => ID },
          ),
        );
      }
    });
    afterAll(() => Promise.all(servers.map((s) => s.close())));

    it.each([
      ['zod', '/kms/xks/v1/keys/k/encrypt'],
      ['ajv', '/kms/xks/v1/keys/k/decrypt'],
    ] as const)(
      'should render a %s error natively with status 400, identically',
      async (library, path) => {
        const all = await Promise.all(servers.map((s) => call(s.url, 'POST', path)));
        for (const res of all) {
          expect(res.status).toBe(400);
          expect(res.text).toBe(EXPECTED[dialect][library]);
        }
      },
    );
  },
);

describe('validation errors in the de4a and esb dialects', () => {
  it.each(['de4a', 'esb'] as const)('should carry the summary in %s', async (dialect) => {
    const server = await ADAPTERS[1]!.start([{ path: '/x', error: zodError }], {
      dialect,
      logger: false,
      correlationId: () => ID,
    });
    try {
      const res = await call(server.url, 'POST', '/x', { accept: 'application/json' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('name: Invalid input: expected string, received undefined');
    } finally {
      await server.close();
    }
  });
});
