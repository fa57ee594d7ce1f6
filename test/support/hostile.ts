/**
 * Hostile thrown values and the checks every reliability suite makes of an answer: no stack
 * frame, absolute path, `node_modules`, secret or getter text anywhere in the body or headers.
 */
import { parseFault } from '@faultline/core';
import type { ParsedFault } from '@faultline/core';
import type { DialectEncoding, DialectSetup } from './dialects';
import type { RawResponse } from './servers';
import { parseXml } from './xml';

/** `at fn (/path/file.js:1:2)` or `at /path/file.js:1:2`; prose such as "invalid at {0}" is no frame. */
export const STACK_FRAME = /\bat (?:[^\s()]+ \()?[^\s()]+:\d+:\d+\)?/;
/** An absolute path of the kind a stack or an error message would leak. */
export const ABSOLUTE_PATH = /(?:^|[\s"'(=:])\/(?:home|usr|work|root|tmp|var|opt|etc|app|srv)\//;
/** The text no answer may contain. */
export const SECRET = 'hunter2';
/** The text thrown by {@link throwingGetter} and {@link hostileProxy}. */
export const GETTER_TEXT = 'getter-exploded';

/** An Error whose `key` getter throws an error carrying the secret. */
export function throwingGetter(key: string): Error {
  const err = new Error(`plain ${SECRET}`);
  Object.defineProperty(err, key, {
    get() {
      throw new Error(`${GETTER_TEXT} ${SECRET}`);
    },
  });
  return err;
}

/** A Proxy over an Error whose every trap throws. */
export function hostileProxy(): object {
  const trap = () => {
    throw new Error(`${GETTER_TEXT} ${SECRET}`);
  };
  return new Proxy(new Error(SECRET), {
    get: trap,
    getPrototypeOf: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
  });
}

/** Fails when the body or a header carries a stack frame, a path, `node_modules`, the secret or getter text. */
export function expectSafe(res: RawResponse): void {
  const everything = res.text + JSON.stringify(res.headers);
  expect(everything).not.toMatch(STACK_FRAME);
  expect(everything).not.toMatch(ABSOLUTE_PATH);
  expect(everything).not.toContain('node_modules');
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain(GETTER_TEXT);
}

/**
 * Runs the suite with `NODE_ENV` unset (production must not depend on it) and collects every
 * unhandled rejection into the returned list.
 */
export function withoutNodeEnv(): unknown[] {
  const saved = process.env.NODE_ENV;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(() => {
    delete process.env.NODE_ENV;
    process.on('unhandledRejection', onRejection);
  });
  afterAll(() => {
    process.env.NODE_ENV = saved;
    process.off('unhandledRejection', onRejection);
  });
  return rejections;
}

/**
 * A well-formed fault of the dialect (or a SOAP fault for ESB's SOAP clients), answered with
 * the encoding's status, carrying nothing it must not. Returns the fault read back.
 */
export function expectDialectFault(
  res: RawResponse,
  setup: Pick<DialectSetup, 'dialect'>,
  encoding?: DialectEncoding,
): Extract<ParsedFault, { recognised: true }> {
  if (encoding?.fixedStatus !== undefined) expect(res.status).toBe(encoding.fixedStatus);
  else expect(res.status >= 400 && res.status <= 599).toBe(true);
  const read = parseFault(res.text, res.headers['content-type'], { status: res.status });
  if (!read.recognised) throw new Error(`not a fault: ${read.reason}\n${res.text.slice(0, 300)}`);
  // ESB's threat-protection sequence (its 400s) has no SOAP branch: its SOAP clients get the JSON body.
  const plainSoap =
    encoding?.name === 'SOAP' &&
    setup.dialect !== 'xroad' &&
    !(setup.dialect === 'esb' && res.status === 400);
  expect(read.dialect).toBe(plainSoap ? 'soap' : setup.dialect);
  expect(res.headers['content-type']).not.toMatch(/html/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  if (/xml/.test(res.headers['content-type'] ?? '')) parseXml(res.text);
  else JSON.parse(res.text);
  expectSafe(res);
  return read;
}
