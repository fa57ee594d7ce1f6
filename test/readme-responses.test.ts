/**
 * Every response the README shows is what a real server sends for it, as `curl -i` prints it:
 * the status line, every header (Express's and Node's included) in the order sent, and the body.
 * Each sample is reproduced with the README's own code on Express 5 on 127.0.0.1; only the date
 * and the correlation ids are masked. The examples' README samples are checked by the tests of
 * each example.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { de4a, problem, xroad } from '@faultline/core';
import { faultline, notFound } from '@faultline/express';
import { curl, masked, responseSamples } from './support/samples';

const SAMPLES = responseSamples('README.md');

// What each sample shows, in the README's order: the app that sends it and the request.
const CASES = [
  {
    name: 'the Express quick start',
    app() {
      const app = express();
      app.get('/r1/EE/GOV/70000310/population/persons/:id', (req) => {
        throw xroad.fault(
          'UnknownService',
          `Unknown service: SERVICE:EE/GOV/70000310/population/${req.params.id}`,
        );
      });
      app.use(notFound());
      app.use(faultline({ dialect: 'xroad', logger: false }));
      return app;
    },
    path: '/r1/EE/GOV/70000310/population/persons/1',
  },
  {
    name: 'problem+json',
    app() {
      const app = express();
      app.post('/orders/7/cancel', () => {
        throw problem.fault(409, 'Order 7 was already shipped', { code: 'OrderShipped' });
      });
      app.use(notFound());
      app.use(faultline({ logger: false }));
      return app;
    },
    method: 'POST',
    path: '/orders/7/cancel',
  },
  {
    name: 'DE4A',
    app() {
      const app = express();
      app.get('/request', () => {
        throw de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']);
      });
      app.use(notFound());
      app.use(faultline({ dialect: 'de4a', logger: false }));
      return app;
    },
    path: '/request',
  },
] as const;

describe('the README response samples', () => {
  it('should be the ones this test reproduces', () => {
    expect(SAMPLES.length).toBe(CASES.length);
  });

  describe.each(CASES.map((c, i) => ({ ...c, sample: SAMPLES[i]! })))(
    '$name ($sample.where)',
    (c) => {
      let server: Server;
      let url: string;
      beforeAll(async () => {
        server = c.app().listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      afterAll(() => new Promise((resolve) => server.close(resolve)));

      it('should show every header the server sends, in its order, and the body', async () => {
        const method = 'method' in c ? c.method : 'GET';
        expect(c.sample.command).toBe(
          `curl -i ${method === 'GET' ? '' : `-X ${method} `}http://127.0.0.1:8080${c.path}`,
        );
        const sent = await curl(url, method, c.path);
        expect(masked(c.sample)).toEqual(masked(sent));
      });
    },
  );
});
