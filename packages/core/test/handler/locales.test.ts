/**
 * Localised messages: translations in catalogue entries and in the `locales` option, chosen by
 * RFC 4647 lookup from `Accept-Language`, sent with `Content-Language`; an application's own
 * message is sent as given.
 */
import { createFaultHandler, defineCatalog, makeCatalog, problem, xroad } from '../../src/index';
import type { FaultHandlerOptions } from '../../src/index';
import { languageRanges, lookupLanguage } from '../../src/locale';

const ID = 'c0ffee00-0000-4000-8000-000000000005';
const DENIED = 'Server.ServerProxy.AccessDenied';
const REST = { method: 'GET', url: '/r1/EE/GOV/1/app/x' };

const orders = defineCatalog({
  codes: {
    OrderNotFound: {
      status: 404,
      message: 'Order {id} not found',
      messages: { de: 'Bestellung {id} nicht gefunden', et: 'Tellimust {id} ei leitud' },
    },
    Ledger: {
      status: 500,
      message: 'Ledger {name} is broken',
      expose: false,
      messages: { de: 'Hauptbuch {name} ist defekt' },
    },
  },
});

function xroadHandler(options: Partial<FaultHandlerOptions> = {}) {
  return createFaultHandler({
    dialect: 'xroad',
    logger: false,
    correlationId: () => ID,
    locales: {
      translations: {
        xroad: { [DENIED]: { de: 'Anfrage ist nicht erlaubt', et: 'Päring ei ole lubatud' } },
      },
    },
    ...options,
  });
}

function asking(language: string) {
  return { ...REST, headers: { accept: 'application/json', 'accept-language': language } };
}

describe('an X-Road fault in the request’s language', () => {
  it.each([
    ['de', 'de', 'Anfrage ist nicht erlaubt'],
    ['et-EE, en;q=0.5', 'et', 'Päring ei ole lubatud'],
    ['fr, de;q=0.3, et;q=0.2', 'de', 'Anfrage ist nicht erlaubt'],
    ['fr', 'en', 'Request is not allowed'],
    ['de;q=0, en', 'en', 'Request is not allowed'],
  ])('Accept-Language %s: %s', (header, language, text) => {
    const res = xroadHandler().handle(xroad.fault(DENIED), asking(header));
    expect(res.body).toBe(`{"type":"${DENIED}","message":"${text}","detail":"${ID}"}`);
    expect(res.headers['content-language']).toBe(language);
    expect(res.headers.vary).toBe('Accept, Accept-Language');
  });

  it('should send the default language when none matches', () => {
    const h = xroadHandler({
      locales: {
        default: 'et',
        translations: { xroad: { [DENIED]: { et: 'Päring ei ole lubatud' } } },
      },
    });
    const res = h.handle(xroad.fault(DENIED), asking('fr'));
    expect([res.headers['content-language'], JSON.parse(res.body).message]).toEqual([
      'et',
      'Päring ei ole lubatud',
    ]);
  });

  it("should send an application's own message as given, with no Content-Language", () => {
    const res = xroadHandler().handle(xroad.fault(DENIED, 'Not for you'), asking('de'));
    expect(JSON.parse(res.body).message).toBe('Not for you');
    expect(res.headers['content-language']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept');
  });

  it('should translate the SOAP fault string too', () => {
    const res = xroadHandler().handle(xroad.fault(DENIED), {
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'text/xml', 'accept-language': 'et' },
      body: '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"/>',
    });
    expect(res.body).toContain('<faultstring>Päring ei ole lubatud</faultstring>');
    expect(res.headers['content-language']).toBe('et');
  });
});

describe('defineCatalog translations', () => {
  const h = createFaultHandler({
    logger: false,
    correlationId: () => ID,
    catalogs: [orders.catalog],
  });

  it('should fill the translated template with the fault’s parameters', () => {
    const res = h.handle(orders.fault('OrderNotFound', { id: 7 }), {
      headers: { 'accept-language': 'de-AT' },
    });
    expect(res.body).toBe(
      `{"type":"about:blank","title":"Not Found","status":404,"detail":"Bestellung 7 nicht gefunden","instance":"urn:uuid:${ID}","code":"OrderNotFound"}`,
    );
    expect(res.headers['content-language']).toBe('de');
  });

  it('should translate the generic text of a hidden fault, never its parameters', () => {
    const res = h.handle(orders.fault('Ledger', { name: 'eu-1' }), {
      headers: { 'accept-language': 'de' },
    });
    expect(JSON.parse(res.body).detail).toBe('Hauptbuch');
  });

  it('should send the source language when asked for nothing', () => {
    const res = h.handle(orders.fault('OrderNotFound', { id: 7 }));
    expect([res.headers['content-language'], JSON.parse(res.body).detail]).toEqual([
      'en',
      'Order 7 not found',
    ]);
  });

  it('should leave faults of codes without translations alone', () => {
    const res = h.handle(problem.fault(404, 'Gone'), { headers: { 'accept-language': 'de' } });
    expect(res.headers['content-language']).toBeUndefined();
  });
});

describe('parameter-exact translations, checked at start-up', () => {
  it('should reject a translation of a data catalogue that drops or renames a parameter', () => {
    expect(() =>
      makeCatalog('mine', [
        {
          code: 'A',
          status: 404,
          name: 'A',
          message: 'Order not found',
          template: 'Order {id} not found',
          messages: { de: 'Bestellung {nr} nicht gefunden' },
        },
      ]),
    ).toThrow(
      "faultline: catalogue 'mine' code 'A' messages.de must use exactly the parameters of its source ({id}), not {nr}",
    );
    expect(() =>
      defineCatalog(
        JSON.parse(
          '{"codes":{"A":{"status":404,"message":"Order {id}","messages":{"et":"Tellimus"}}}}',
        ) as never,
      ),
    ).toThrow('messages.et must use exactly the parameters of its source ({id}), not none');
  });

  it.each([
    [
      { translations: { xroad: { [DENIED]: { de: 'Nein {x}' } } } },
      'must use exactly the parameters',
    ],
    [{ translations: { xroad: { 'Server.Nope': { de: 'x' } } } }, "'Server.Nope' is no code"],
    [{ translations: { kong: {} } }, 'no dialect or catalogue of that name is in use'],
    [{ translations: { xroad: { [DENIED]: { 'not a tag': 'x' } } } }, 'is not a language tag'],
    [{ translations: { xroad: { [DENIED]: { de: '' } } } }, 'messages.de must be a non-empty text'],
    [{ translations: { xroad: { [DENIED]: 'x' } } }, 'messages must be an object'],
    [{ default: 'german language' }, 'options.locales.default must be a language tag'],
    [{ source: 1 }, 'options.locales.source must be a language tag'],
    ['de', 'options.locales must be an object'],
    [{ translations: 'x' }, 'translations must be an object by dialect'],
  ])('should reject the locales option %j', (locales, message) => {
    expect(() => xroadHandler({ locales: locales as never })).toThrow(message);
  });
});

describe('RFC 4647 lookup', () => {
  it('should order ranges by weight, dropping q=0, wildcards and junk', () => {
    expect(languageRanges('en;q=0.5, de-CH, *, fr;q=0, x y, et;q=0.9')).toEqual([
      'de-CH',
      'et',
      'en',
    ]);
    expect(languageRanges(undefined)).toEqual([]);
  });

  it('should cut subtags from the end, singletons with what follows', () => {
    expect(lookupLanguage(['zh-Hant-CN-x-private1'], ['zh-Hant', 'zh'])).toBe('zh-Hant');
    expect(lookupLanguage(['DE-ch'], ['de'])).toBe('de');
    expect(lookupLanguage(['fr'], ['de'])).toBeUndefined();
  });
});
