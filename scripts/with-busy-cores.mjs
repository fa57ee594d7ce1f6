// Runs a command while every core of the machine is kept busy by another process, to prove the
// test suite does not depend on how fast anything runs: `node scripts/with-busy-cores.mjs jest`.
// The busy loops are started before the command and stopped after it, whatever its outcome; the
// exit status is the command's.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node scripts/with-busy-cores.mjs <command> [args…]');
  process.exit(2);
}

const cores = availableParallelism();
const loops = Array.from({ length: cores }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stop = () => {
  for (const loop of loops) loop.kill('SIGKILL');
};
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stop();
    process.exit(130);
  });
}

console.error(`--- ${cores} busy loop(s) running beside: ${[command, ...args].join(' ')}`);
const child = spawn(command, args, { stdio: 'inherit' });
child.on('error', (error) => {
  console.error(`could not run ${command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  stop();
  process.exit(code ?? (signal === null ? 1 : 128));
});
