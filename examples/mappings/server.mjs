// README "Mapping your errors": one Express app, two dialects, errors mapped in one place.
import express from 'express';
import { z } from 'zod';
import { xks } from '@faultline/core';
import { faultline, notFound } from '@faultline/express';

class KeyDisabledError extends Error {}

const app = express();
app.use(express.json());
app.post('/kms/xks/v1/keys/:id/encrypt', (req) => {
  if (req.params.id === 'old') throw new KeyDisabledError(`Key ${req.params.id} is disabled`);
  z.object({ plaintext: z.string() }).parse(req.body); // a ZodError needs no rule
  throw xks.fault('KeyNotFoundException', `No key ${req.params.id}`);
});
app.get('/orders/:id', (req) => {
  if (Number(req.params.id) > 1e6) throw new RangeError(`order id ${req.params.id} out of range`);
  throw Object.assign(new Error('Record to find does not exist.'), { code: 'P2025' }); // Prisma's "not found"
});
app.use(notFound());
app.use(
  faultline({
    dialect: { '/kms/xks/v1': 'xks', '*': 'problem' },
    mappings: [
      { class: KeyDisabledError, to: { dialect: 'xks', code: 'InvalidStateException', message: (e) => (e instanceof Error ? e.message : String(e)) } },
      { code: 'P2025', to: { dialect: 'problem', code: 404, message: 'No such order' } },
      { when: (e) => e instanceof RangeError, to: { dialect: 'problem', code: 422, message: 'The order id is out of range' } },
    ],
  }),
);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`listening on http://127.0.0.1:${port}`);
});
