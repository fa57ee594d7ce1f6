/**
 * Compile-time checks of defineCatalog's typed factories. This file is type-checked by
 * `pnpm typecheck` (part of `pnpm test`); each `@ts-expect-error` line must fail to compile,
 * or the type check itself fails.
 */
import { defineCatalog } from '@faultline/core';
import type { Fault, TemplateParams } from '@faultline/core';

const orders = defineCatalog({
  codes: {
    OrderNotFound: { status: 404, message: 'Order {id} not found' },
    OrderShipped: { status: 409, message: 'Order {id} was shipped on {date}' },
    Maintenance: { status: 503, message: 'Down for maintenance', retryAfter: 600 },
  },
});

export const ok: Fault[] = [
  orders.fault('OrderNotFound', { id: 7 }),
  orders.fault('OrderShipped', { id: '7', date: '2026-11-22' }),
  orders.fault('Maintenance'),
  orders.fault('Maintenance', {}, { cause: new Error('x') }),
  orders.fault('Maintenance', { retryAfter: new Date() }),
  orders.fault('Maintenance', { retryAfter: 30, extensions: { window: 'nightly' } }),
  orders.fault('OrderNotFound', { id: 7 }, { retryAfter: 5 }),
  orders.fault('OrderNotFound', { id: 7 }, { headers: { 'x-a': '1' } }),
];

// @ts-expect-error: a code the catalogue does not have
orders.fault('OrderLost', { id: 7 });
// @ts-expect-error: the template's parameters are required
orders.fault('OrderNotFound');
// @ts-expect-error: a parameter is missing
orders.fault('OrderShipped', { id: 7 });
// @ts-expect-error: a parameter the template does not have
orders.fault('OrderNotFound', { id: 7, idd: 8 });
// @ts-expect-error: a retry time that is neither seconds nor a Date
orders.fault('Maintenance', { retryAfter: '30' });
// @ts-expect-error: a retry class that does not exist
defineCatalog({ codes: { Busy: { status: 503, message: 'Busy', retry: 'often' } } });
// @ts-expect-error: a parameter value that is not text-like
orders.fault('OrderNotFound', { id: { nested: true } });

// Translations use exactly the template's parameters.
export const translated = defineCatalog({
  codes: {
    OrderNotFound: {
      status: 404,
      message: 'Order {id} not found',
      messages: { de: 'Bestellung {id} nicht gefunden', et: 'Tellimust {id} ei leitud' },
    },
  },
});
defineCatalog({
  codes: {
    OrderNotFound: {
      status: 404,
      message: 'Order {id} not found',
      // @ts-expect-error: a translation that drops the parameter
      messages: { de: 'Bestellung nicht gefunden' },
    },
  },
});
defineCatalog({
  codes: {
    OrderNotFound: {
      status: 404,
      message: 'Order {id} not found',
      // @ts-expect-error: a translation that renames the parameter
      messages: { et: 'Tellimust {nr} ei leitud' },
    },
  },
});

// The parameter names of a template, as a type.
export const names: TemplateParams<'Order {id} was shipped on {date}'>[] = ['id', 'date'];
// @ts-expect-error: not a parameter of the template
export const wrong: TemplateParams<'Order {id}'> = 'date';
