/**
 * Help links: a catalogue entry's documentation URL is the problem `type` of its faults.
 */
import { createFaultHandler, defineCatalog, makeCatalog, problem } from '../../../src/index';

const ID = 'c0ffee00-0000-4000-8000-000000000003';
const DOCS = 'https://errors.example.com/orders.html';

const orders = defineCatalog({
  codes: {
    OrderNotFound: { status: 404, message: 'Order {id} not found', docs: `${DOCS}#OrderNotFound` },
    StoreClosed: { status: 503, message: 'The store is closed', docs: `${DOCS}#StoreClosed` },
  },
});

const handler = (typeBase?: string) =>
  createFaultHandler({
    logger: false,
    correlationId: () => ID,
    catalogs: [orders.catalog],
    ...(typeBase === undefined ? {} : { problem: { typeBase } }),
  });

describe('help links', () => {
  it("should send the entry's docs URL as type, with the status's phrase as title for a template", () => {
    expect(handler().handle(orders.fault('OrderNotFound', { id: 7 })).body).toBe(
      `{"type":"${DOCS}#OrderNotFound","title":"Not Found","status":404,"detail":"Order 7 not found","instance":"urn:uuid:${ID}","code":"OrderNotFound"}`,
    );
  });

  it("should take the entry's message as title when it has no parameters, over typeBase", () => {
    expect(handler('https://other.example/').handle(orders.fault('StoreClosed')).body).toBe(
      `{"type":"${DOCS}#StoreClosed","title":"The store is closed","status":503,"detail":"The store is closed","instance":"urn:uuid:${ID}","code":"StoreClosed"}`,
    );
  });

  it("should leave a fault's own type alone", () => {
    const own = problem.fault(404, 'Gone', {
      code: 'OrderNotFound',
      type: 'https://own.example/x',
    });
    expect(JSON.parse(handler().handle(own).body)).toMatchObject({
      type: 'https://own.example/x',
      title: 'Not Found',
    });
  });

  it('should reject a docs URL that is not absolute, at start-up', () => {
    expect(() =>
      defineCatalog({ codes: { A: { status: 400, message: 'x', docs: '/errors#A' } } }),
    ).toThrow("faultline: catalogue 'problem' code 'A' docs must be an absolute URL");
    expect(() =>
      makeCatalog('mine', [{ code: 'A', status: 400, name: 'A', message: 'x', docs: 'http://' }]),
    ).toThrow(TypeError);
    expect(
      makeCatalog('mine', [{ code: 'A', status: 400, name: 'A', message: 'x', docs: 'urn:x:a' }])
        .entries[0]?.docs,
    ).toBe('urn:x:a');
  });
});
