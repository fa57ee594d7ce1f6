// One variant's server, started by ./run.mjs as a child process with an IPC channel:
//   node bench/server.mjs <variant> <log file>
// It listens on 127.0.0.1 (a free port), says `{ type: 'ready', port }`, and then answers
//   'begin' → starts a measuring window;
//   'end'   → `{ type: 'window', cpuUs, requests }`: the CPU time (user + system) this process
//             used and the requests it received since 'begin'.
import { buildServer } from './lib/apps.mjs';

const [id, logFile] = process.argv.slice(2);

function fail(error) {
  process.send?.({ type: 'error', message: String(error?.stack ?? error) });
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const server = await buildServer(id, { logFile });
let requests = 0;
server.on('request', () => {
  requests += 1;
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});

let window;
process.on('message', (message) => {
  if (message === 'begin') {
    window = { cpu: process.cpuUsage(), requests };
  } else if (message === 'end' && window !== undefined) {
    const cpu = process.cpuUsage(window.cpu);
    process.send({
      type: 'window',
      cpuUs: cpu.user + cpu.system,
      requests: requests - window.requests,
    });
    window = undefined;
  }
});
// The parent going away ends the server too.
process.on('disconnect', () => process.exit(0));
