import inject from 'light-my-request';
import { buildServer } from './lib/apps.mjs';
import { PATH, variant } from './lib/variants.mjs';
const id = process.argv[2];
const server = await buildServer(id, { logFile: '/tmp/x.log' });
const [dispatch] = server.listeners('request');
const opts = { method: 'GET', url: PATH, headers: variant(id).headers ?? {} };
const turn = () => new Promise((r) => setImmediate(r));
for (let i = 0; i < 40000; i++) {
  await inject(dispatch, opts);
  if (i % 32 === 31) await turn();
}
