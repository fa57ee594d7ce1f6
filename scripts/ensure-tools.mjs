// The test suite runs some Debian programs for real (redis-server: the gateway example's
// shared quota across two instances; xmllint: every XML body checked against its XSD; Python's
// zeep: a SOAP client nobody here wrote, calling the example services).
// Installs the missing ones with apt-get when it can (root on Debian, as on a fresh machine
// of this project's kind), else stops with the command to run.
import { execFileSync, spawnSync } from 'node:child_process';

// `check` is a shell test of a tool that is no command (a Python module of Debian's python3).
const TOOLS = [
  { command: 'redis-server', package: 'redis-server' },
  { command: 'xmllint', package: 'libxml2-utils' },
  { command: 'zeep', check: '/usr/bin/python3 -c "import zeep"', package: 'python3-zeep' },
];

const sh = (script) => spawnSync('sh', ['-c', script], { stdio: 'ignore' }).status === 0;
const has = (command) => sh(`command -v ${command}`);
const missing = TOOLS.filter(
  (tool) => !(tool.check === undefined ? has(tool.command) : sh(tool.check)),
);
if (missing.length === 0) process.exit(0);

const packages = missing.map((tool) => tool.package);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !root && has('sudo') ? ['sudo', '-n'] : [];
if (!has('apt-get') || (!root && sudo.length === 0)) {
  console.error(
    `The tests need ${packages.join(', ')}. Install it first: apt-get install ${packages.join(' ')}`,
  );
  process.exit(1);
}
console.error(`Installing ${packages.join(', ')} with apt-get (needed by the tests)…`);
const run = (args) => {
  const [command, ...rest] = [...sudo, ...args];
  execFileSync(command, rest, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
try {
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
} catch {
  console.error(
    `apt-get could not install ${packages.join(', ')}: install it yourself, then run the tests again.`,
  );
  process.exit(1);
}
