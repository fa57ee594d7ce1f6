/**
 * Faults built by catalogue factories carry no stack frames unless a handler asks for them
 * (`captureStack: true`, or `debug: true`); `new Fault` and every other error keep theirs. The
 * choice is the process's, so each case loads its own copy of the package.
 */
import type * as Core from '../src/index';

/** A fresh copy of the package: the stack choice of another case does not reach it. */
function freshCore(): typeof Core {
  let core: typeof Core | undefined;
  jest.isolateModules(() => {
    core = jest.requireActual<typeof Core>('../src/index');
  });
  return core!;
}

// A frame line as V8 writes it.
const FRAME = /\n {4}at /;

/** Every built-in factory and a defined catalogue's, each building one fault. */
function factories(core: typeof Core): [string, () => Core.Fault][] {
  const orders = core.defineCatalog({
    codes: { OrderNotFound: { status: 404, message: 'Order {id} not found' } },
  });
  const kong = core.defineDialect({
    id: 'kong',
    catalog: core.makeCatalog('kong', [
      { code: 'NotFound', status: 404, name: 'NotFound', message: 'no Route matched' },
    ]),
    fromProblem: () => ({ code: 'NotFound' }),
    negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
    render: (fault) => ({ status: fault.status, headers: {}, body: fault.message }),
  });
  return [
    ['xroad.fault', () => core.xroad.fault('Client.NotFound', 'Person 42 not found')],
    ['xks.fault', () => core.xks.fault('KeyNotFoundException', 'no key foo')],
    ['esb.fault', () => core.esb.fault(900901)],
    ['esb.transportFault', () => core.esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE')],
    ['de4a.fault', () => core.de4a.fault(40515)],
    ['ast.fault', () => core.ast.fault('InvalidCsrSignature')],
    ['problem.fault', () => core.problem.fault(404, 'Person 42 not found')],
    ['defineCatalog factory', () => orders.fault('OrderNotFound', { id: 7 })],
    ['defineDialect factory', () => kong.fault!('NotFound')],
  ];
}

describe('faults built by catalogue factories', () => {
  it('carry their first line and no frames by default', () => {
    const core = freshCore();
    for (const [name, make] of factories(core)) {
      const fault = make();
      expect([name, fault.stack]).toEqual([name, `${fault.name}: ${fault.message}`]);
      expect(fault).toBeInstanceOf(Error);
    }
    expect(core.xroad.fault('Client.NotFound', 'Person 42 not found').stack).toBe(
      'NotFound: Person 42 not found',
    );
  });

  it('leave Error.stackTraceLimit as it was, after a fault and after a refused code', () => {
    const core = freshCore();
    const before = Error.stackTraceLimit;
    core.xroad.fault('Client.NotFound');
    expect(Error.stackTraceLimit).toBe(before);
    expect(() => core.xks.fault('NoSuchException' as never)).toThrow(TypeError);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('while `new Fault` and plain errors keep their frames', () => {
    const core = freshCore();
    const made = new core.Fault({ dialect: 'xroad', code: 'Client.X', status: 400, message: 'm' });
    expect(made.stack).toMatch(FRAME);
    expect(made.stack).toContain('factory-stacks.test.ts');
    expect(new Error('plain').stack).toMatch(FRAME);
  });

  it.each([
    ['captureStack: true', { captureStack: true }],
    ['debug: true', { debug: true }],
  ])('capture frames once a handler is created with %s', (_label, options) => {
    const core = freshCore();
    expect(core.xroad.fault('Client.NotFound').stack).not.toMatch(FRAME);
    core.createFaultHandler({ ...options, logger: false });
    for (const [name, make] of factories(core)) {
      const stack = make().stack;
      expect([name, FRAME.test(stack ?? '')]).toEqual([name, true]);
      expect(stack).toContain('factory-stacks.test.ts');
    }
  });

  it('stay frameless when the handler asking for frames fails to build', () => {
    const core = freshCore();
    expect(() =>
      core.createFaultHandler({ captureStack: true, dialect: 'nonesuch' as never }),
    ).toThrow(TypeError);
    expect(core.xroad.fault('Client.NotFound').stack).not.toMatch(FRAME);
  });

  it('refuse a captureStack that is not a boolean', () => {
    const core = freshCore();
    expect(() => core.createFaultHandler({ captureStack: 'yes' as never })).toThrow(/captureStack/);
  });

  it('answer with the same body with and without frames; debug bodies show the frames', () => {
    const plain = freshCore();
    const request = { method: 'GET', url: '/x', headers: {} };
    const fault = plain.xroad.fault('Client.NotFound', 'Person 42 not found');
    const quiet = plain
      .createFaultHandler({ dialect: 'xroad', logger: false, correlationId: () => 'id-1' })
      .handle(fault, request);
    expect(quiet.body).toBe(
      '{"type":"Client.NotFound","message":"Person 42 not found","detail":"id-1"}',
    );

    const debugging = freshCore();
    const handler = debugging.createFaultHandler({
      dialect: 'problem',
      debug: true,
      logger: false,
      correlationId: () => 'id-2',
    });
    const body = JSON.parse(
      String(handler.handle(debugging.problem.fault(404, 'gone'), request).body),
    ) as { debug?: { stack?: string } };
    expect(body.debug?.stack).toMatch(FRAME);
    expect(body.debug?.stack).toContain('factory-stacks.test.ts');
  });
});
