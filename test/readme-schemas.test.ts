/**
 * The README's "Schemas" example is examples/schemas/openapi.mjs, byte for byte, and it runs
 * as written against the built packages.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const FILE = join(ROOT, 'examples', 'schemas', 'openapi.mjs');

describe('the README schemas example', () => {
  it('should be the code block of the README section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Schemas'));
    expect(/```js\n([\s\S]*?)```/.exec(section)?.[1]).toBe(readFileSync(FILE, 'utf8'));
  });

  it('should print the documented response, the 12 XKS names and the route schema keys', () => {
    const out = execFileSync(process.execPath, [FILE], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n');
    const response = JSON.parse(out[0]!) as {
      'x-status': number;
      content: Record<string, { example: unknown }>;
    };
    expect(response['x-status']).toBe(404);
    expect(response.content['application/json']!.example).toEqual({
      errorName: 'KeyNotFoundException',
      errorMessage: 'The request was rejected because the specified external key is not found.',
    });
    expect(out[1]).toBe('12');
    expect(out[2]).toBe("[ '4xx', '5xx' ]");
  });
});
