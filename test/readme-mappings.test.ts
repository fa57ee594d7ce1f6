/**
 * The README's "Mapping your errors" example is examples/mappings/server.mjs, byte for byte,
 * and it runs as written (against the built packages) and answers what the README shows.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './support/servers';

const ROOT = join(__dirname, '..');
const FILE = join(ROOT, 'examples', 'mappings', 'server.mjs');

describe('the README mapping example', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [FILE], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`the example exited with ${code}`)));
    });
  });
  afterAll(() => {
    child.kill();
  });

  it('should be the code block of the README section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Mapping your errors'));
    const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(FILE, 'utf8'));
  });

  it.each([
    [
      'POST',
      '/kms/xks/v1/keys/old/encrypt',
      '{}',
      400,
      '{"errorName":"InvalidStateException","errorMessage":"Key old is disabled"}',
    ],
    [
      'POST',
      '/kms/xks/v1/keys/k1/encrypt',
      '{}',
      400,
      '{"errorName":"ValidationException","errorMessage":"plaintext: Invalid input: expected string, received undefined"}',
    ],
    [
      'POST',
      '/kms/xks/v1/keys/k1/encrypt',
      '{"plaintext":"aGk="}',
      404,
      '{"errorName":"KeyNotFoundException","errorMessage":"No key k1"}',
    ],
  ])('should answer %s %s as the README shows', async (method, path, body, status, text) => {
    const res = await call(url, method, path, { 'content-type': 'application/json' }, body);
    expect([res.status, res.text]).toEqual([status, text]);
  });

  it.each([
    ['/orders/7', 404, 'No such order', 'NotFound'],
    ['/orders/99999999', 422, 'The order id is out of range', 'UnprocessableEntity'],
  ])('should answer GET %s in problem+json', async (path, status, detail, code) => {
    const res = await call(url, 'GET', path);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({ status, detail, code });
  });
});

describe('the README built-ins example', () => {
  it('should run as written and print the internal error code', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Errors that need no rule'));
    const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toContain('builtins: { network: false }');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', block!], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toBe('Server.ServerProxy.ServiceFailed.InternalError\n');
  });
});
