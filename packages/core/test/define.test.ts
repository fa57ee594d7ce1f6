/**
 * defineCatalog: a team's own codes, rendered by a dialect, with typed factories.
 */
import { createFaultHandler, defineCatalog } from '../src/index';

const orders = defineCatalog({
  codes: {
    OrderNotFound: {
      status: 404,
      message: 'Order {id} not found',
      description: 'No order has that id.',
    },
    OrderShipped: { status: 409, message: 'Order {id} was shipped on {date}', logLevel: 'warn' },
    Maintenance: { status: 503, message: 'Down for maintenance', retryAfter: 600 },
    LedgerBroken: { status: 500, message: 'Ledger {name} is inconsistent', expose: false },
  },
});

function handle(thrown: unknown, catalogs = [orders.catalog]) {
  const calls: { level: string }[] = [];
  const logger = Object.fromEntries(
    ['error', 'warn', 'info'].map((level) => [level, () => void calls.push({ level })]),
  );
  const res = createFaultHandler({ logger, correlationId: () => 'id-1', catalogs }).handle(thrown);
  return { res, calls };
}

describe('defineCatalog', () => {
  it('should build faults whose templates are filled from the parameters', () => {
    const { res } = handle(orders.fault('OrderShipped', { id: 7, date: '2026-11-22' }));
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'OrderShipped',
      detail: 'Order 7 was shipped on 2026-11-22',
      status: 409,
    });
  });

  it("should log a code at the catalogue's level", () => {
    expect(handle(orders.fault('OrderShipped', { id: 7, date: 'x' })).calls).toEqual([
      { level: 'warn' },
    ]);
  });

  it('should send Retry-After from the retry hint', () => {
    expect(handle(orders.fault('Maintenance')).res.headers['retry-after']).toBe('600');
  });

  it("should send the template's text without parameters when a code is not exposed", () => {
    const { res } = handle(orders.fault('LedgerBroken', { name: 'eu-1 at 10.0.0.7' }));
    expect(JSON.parse(res.body).detail).toBe('Ledger');
    expect(res.body).not.toContain('10.0.0.7');
  });

  it('should keep the cause out of the body', () => {
    const fault = orders.fault('OrderNotFound', { id: 7 }, { cause: new Error('db row missing') });
    expect(fault.cause).toBeInstanceOf(Error);
    expect(handle(fault).res.body).not.toContain('db row missing');
  });

  it('should reject a missing parameter at run time too (for JavaScript callers)', () => {
    expect(() =>
      (orders.fault as (name: string, params?: object) => unknown)('OrderShipped', { id: 7 }),
    ).toThrow('faultline: OrderShipped needs the parameter(s) date');
    expect(() => (orders.fault as (name: string) => unknown)('OrderLost')).toThrow(
      /not a code of this catalogue/,
    );
  });

  it('should carry the template and whether clients read the message into the catalogue', () => {
    const signed = defineCatalog({
      codes: {
        Gone: { status: 410, message: 'Order {id} is gone', clientsReadMessage: true },
        Busy: { status: 503, message: 'Busy' },
      },
    });
    expect(signed.catalog.entries).toEqual([
      {
        code: 'Gone',
        status: 410,
        name: 'Gone',
        message: 'Order',
        examples: [{ message: 'Order {id} is gone' }],
        template: 'Order {id} is gone',
        clientsReadMessage: true,
      },
      { code: 'Busy', status: 503, name: 'Busy', message: 'Busy' },
    ]);
  });

  it.each([
    [
      { codes: { A: { status: 404, message: 'x', clientsReadMessage: 'yes' } } },
      /A\.clientsReadMessage must be true or false/,
    ],
    [
      { codes: { A: { status: 404, message: 'x' }, B: { code: 'A', status: 404, message: 'y' } } },
      /defines code 'A' twice/,
    ],
    [{ codes: { A: { status: 200, message: 'x' } } }, /A\.status must be an integer in 400-599/],
    [{ codes: { A: { status: 404, message: '' } } }, /A\.message must be a non-empty template/],
    [{ codes: { A: { status: 404, message: 'x', retryAfter: -1 } } }, /A\.retryAfter/],
    [{ dialect: 'soap', codes: {} }, /unknown dialect 'soap'/],
    [{}, /needs \{ codes/],
  ])('should reject %j at definition time', (definition, message) => {
    expect(() => defineCatalog(definition as never)).toThrow(message);
  });
});

describe('catalogues that extend a dialect', () => {
  it("should give X-Road codes X-Road's status rule and rendering", () => {
    const registry = defineCatalog({
      dialect: 'xroad',
      codes: { 'Server.ServerProxy.RegistryDown': { message: 'Registry {name} is down' } },
    });
    const res = createFaultHandler({
      dialect: 'xroad',
      logger: false,
      correlationId: () => 'id-1',
    }).handle(registry.fault('Server.ServerProxy.RegistryDown', { name: 'EE' }));
    expect(res.status).toBe(500);
    expect(res.body).toBe(
      '{"type":"Server.ServerProxy.RegistryDown","message":"Registry EE is down","detail":"id-1"}',
    );
  });

  it("should render a team's own AST subsystem 516", () => {
    const sign = defineCatalog({
      dialect: 'ast',
      codes: {
        SignatureInvalid: {
          code: 51610,
          status: 403,
          message: 'The signature over {document} is not valid',
        },
      },
    });
    const res = createFaultHandler({ dialect: 'ast', logger: false }).handle(
      sign.fault('SignatureInvalid', { document: 'contract.pdf' }),
    );
    expect([res.status, res.body]).toEqual([
      403,
      '{"code":51610,"name":"SignatureInvalid","message":"The signature over contract.pdf is not valid"}',
    ]);
  });

  it("should render a team's own DE4A module", () => {
    const mor = defineCatalog({
      dialect: 'de4a',
      codes: {
        MorDown: { code: 10803, status: 400, message: 'Connection error with MOR - {reason}' },
      },
    });
    const res = createFaultHandler({ dialect: 'de4a', logger: false }).handle(
      mor.fault('MorDown', { reason: 'refused' }),
    );
    expect(res.body).toContain(
      '<ct:Code>10803</ct:Code><ct:Text>Connection error with MOR - refused</ct:Text>',
    );
  });
});
