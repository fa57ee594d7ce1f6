/**
 * The `faultline` command, run as users run it: the built executable in a child process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ast, de4a, esb, xks, xroad } from '@faultline/core';
import type { EsbCatalogEntry } from '@faultline/core';
import { styles } from '../packages/cli/src/text';
import { CONVERT_RESPONSE } from './fixtures/esb-seed';
import { SEED_ROWS as XKS_ROWS } from './fixtures/xks-seed';
import { SEED } from './fixtures/xroad-seed';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'packages/cli/dist/esm/bin.js');
const TMP = mkdtempSync(join(tmpdir(), 'faultline-cli-'));

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function faultline(args: readonly string[], input?: string): Result {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env,
  });
  return { status, stdout, stderr };
}

function file(name: string, content: string): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

describe('faultline explain', () => {
  it("101507: the base entry and every (base, state) pair PassThrough sends, as an aligned table, with the documentation's texts", () => {
    const { status, stdout, stderr } = faultline(['explain', '101507']);
    expect([status, stderr]).toEqual([0, '']);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('esb 101507  CONNECT_CANCEL  HTTP 500');
    expect(lines[1]).toBe('  Message          Error connecting to the back end');
    const start = lines.indexOf('  Candidates (5): base + state');
    expect(lines.slice(start + 1, start + 6)).toEqual([
      '    101500 + 7  CLOSING        SND_IO_ERROR_SENDING: Sender input/output error sending',
      '    101504 + 3  REQUEST_DONE   CONNECTION_TIMEOUT: Connection timed out (no input was detected on this connection over the maximum period of inactivity)',
      '    101505 + 2  REQUEST_BODY   CONNECTION_CLOSED: Connection closed',
      '    101506 + 1  REQUEST_HEAD   PROTOCOL_VIOLATION: NHTTP protocol violation',
      '    101507 + 0  REQUEST_READY  CONNECT_CANCEL: Connection canceled',
    ]);
    expect(stdout).not.toContain('\u001b[');
  });

  it('10102: layer, module and type', () => {
    const { status, stdout } = faultline(['explain', '10102']);
    expect(status).toBe(0);
    expect(stdout).toContain('de4a 10102  HTTP 400\n');
    expect(stdout).toContain(
      '  Parts\n    layer   1   Communications\n    module  01  IDK\n    type    02  Arguments missing or invalid\n',
    );
  });

  it('DOE02, DRE05, DTI07: message codes numbered per log message, as the DE4A connector numbers them', () => {
    expect(faultline(['explain', 'DOE02']).stdout).toContain(
      'de4a DOE02  LOG_DO_ERROR_EVIDENCE_NOT_AVAILABLE\n  Origin           a DE4A component (connector, Data Owner or Data Evaluator)\n  Check\n    - Text: Evidence not available yet (delayed)\n    - The same event as error code 40515.\n',
    );
    expect(faultline(['explain', 'DRE05']).stdout).toContain(
      '    number     05  MISSING_REQUIRED_ARGUMENTS (Arguments missing or invalid)\n',
    );
    expect(faultline(['explain', 'DTI07']).stdout.split('\n')[0]).toBe(
      'de4a DTI07  LOG_RES_EVIDENCE_DO_DT',
    );
    expect(faultline(['explain', '0302']).stdout).toContain(
      '    - Text: Processing the request received via AS4 gateway\n',
    );
  });

  it('5104001: subsystem and error code', () => {
    const { stdout } = faultline(['explain', '5104001']);
    expect(stdout).toContain('ast 5104001  MissingField  HTTP 400\n');
    expect(stdout).toContain(
      '    subsystem  510   AST Certificate Authority\n    error      4001\n',
    );
  });

  it('Server.ClientProxy.SslAuthenticationFailed: origin, log and every documented situation', () => {
    const { stdout } = faultline(['explain', 'Server.ClientProxy.SslAuthenticationFailed']);
    expect(stdout.split('\n')[0]).toBe(
      'xroad Server.ClientProxy.SslAuthenticationFailed  SslAuthenticationFailed  HTTP 500',
    );
    expect(stdout).toContain(
      '  Origin           the consumer-side Security Server (client proxy) (2)',
    );
    const examples =
      xroad.catalog.get('Server.ClientProxy.SslAuthenticationFailed')?.examples ?? [];
    expect(examples.length).toBeGreaterThan(1);
    const flat = stdout.replace(/\n\s+/g, ' ');
    for (const example of examples) expect(flat).toContain(`- "${example.message}"`);
  });

  it('catalogue codes of every dialect, through the process (parse-fault.test.ts explains every one through the library)', () => {
    const codes = [xroad, xks, esb, de4a, ast].flatMap((d) =>
      d.catalog.entries.map((e) => [d.id, String(e.code)] as const),
    );
    const sample = codes.filter((_, i) => i % 7 === 0);
    for (const [dialect, code] of sample) {
      const { status, stdout } = faultline(['explain', code, '--json']);
      expect(status).toBe(0);
      const found = JSON.parse(stdout) as { dialect: string; code: string | number }[];
      expect(found.some((e) => e.dialect === dialect && String(e.code) === code)).toBe(true);
    }
  });

  it('a code nobody knows: exit 1 and one line', () => {
    expect(faultline(['explain', 'NoSuchCode'])).toEqual({
      status: 1,
      stdout: '',
      stderr: "faultline: no dialect knows 'NoSuchCode'\n",
    });
    expect(faultline(['explain', 'NoSuchCode', '--json'])).toEqual({
      status: 1,
      stdout: '[]\n',
      stderr: '',
    });
  });

  it("a team's own catalogue module", () => {
    const { status, stdout } = faultline([
      'explain',
      'OrderShipped',
      '--catalog',
      'test/fixtures/orders-catalog.mjs',
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain(
      'problem OrderShipped  HTTP 409\n  Message          Order\n  Meaning          Shipped orders cannot change | be cancelled.\n  Check\n    - "Order {id} was shipped on {date}"\n',
    );
  });
});

describe('faultline parse', () => {
  it('an X-Road 7.5–7.8 REST XML capture: literal apostrophes and a decimal reference', () => {
    const capture = file(
      'xroad-7.5.txt',
      'HTTP/1.1 500 Server Error\r\nContent-Type: application/xml;charset=utf-8\r\nX-Road-Error: Server.ClientProxy.UnknownMember\r\n\r\n' +
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error><type>Server.ClientProxy.UnknownMember</type>' +
        "<message>Client 'SUBSYSTEM:EE/GOV/123/app' not found &#128512;</message><detail>9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5</detail></error>",
    );
    const { status, stdout } = faultline(['parse', capture]);
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      'xroad fault (XML), HTTP 500',
      '  Code             Server.ClientProxy.UnknownMember (UnknownMember)',
      "  Message          Client 'SUBSYSTEM:EE/GOV/123/app' not found \uD83D\uDE00",
    ]);
  });

  it('a whole HTTP response, as curl -i prints it', () => {
    const capture = file(
      'xroad.txt',
      'HTTP/1.1 500 Server Error\r\nContent-Type: application/json;charset=utf-8\r\nX-Road-Error: Server.ServerProxy.AccessDenied\r\n\r\n' +
        '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed","detail":"9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5"}',
    );
    const { status, stdout, stderr } = faultline(['parse', capture]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout.split('\n').slice(0, 4)).toEqual([
      'xroad fault (JSON), HTTP 500',
      '  Code             Server.ServerProxy.AccessDenied (AccessDenied)',
      '  Message          Request is not allowed',
      '  Correlation id   9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5',
    ]);
    expect(stdout.replace(/\n\s+/g, ' ')).toContain(
      'Search the proxy application log /var/log/xroad/proxy.log of the provider-side Security Server (3) for 9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5',
    );
  });

  it.each([
    ['X-Road REST JSON', SEED.json],
    ['X-Road REST XML', SEED.xml],
    ['X-Road SOAP', SEED.soap],
  ])('the seed body %s from standard input, as JSON', (_name, body) => {
    const { status, stdout } = faultline(['parse', '-', '--json'], body);
    expect(status).toBe(0);
    const parsed = JSON.parse(stdout) as {
      recognised: boolean;
      dialect: string;
      fault: { code: string; message: string };
      origin: { component: number };
    };
    expect(parsed).toMatchObject({
      recognised: true,
      dialect: 'xroad',
      fault: { code: SEED.code, message: SEED.message },
      origin: { component: 2 },
    });
  });

  it("the ESB seed's converted fault with its status line", () => {
    const head = [
      `HTTP/1.1 ${CONVERT_RESPONSE.status} `,
      ...CONVERT_RESPONSE.headers.map(([k, v]) => `${k}: ${v}`),
    ].join('\r\n');
    const { status, stdout } = faultline(
      ['parse', '--json'],
      `${head}\r\n\r\n${CONVERT_RESPONSE.body}`,
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      dialect: 'esb',
      fault: {
        code: 900901,
        status: 555,
        message: 'Invalid Credentials',
        name: 'API_AUTH_INVALID_CREDENTIALS',
      },
    });
  });

  it('skips an interim 100 Continue response', () => {
    const { stdout } = faultline(
      ['parse', '--json'],
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"errorName":"KeyNotFoundException"}',
    );
    expect(JSON.parse(stdout)).toMatchObject({
      dialect: 'xks',
      fault: { code: 'KeyNotFoundException', status: 404 },
    });
  });

  it("what is not a fault: exit 1 with the reason; through X-Road it is the provider's", () => {
    expect(faultline(['parse', '-'], '<html>Bad Gateway</html>')).toEqual({
      status: 1,
      stdout: 'Not a recognised fault: the XML body has the structure of no known fault\n',
      stderr: '',
    });
    const { stdout } = faultline(['parse', '--via', 'xroad'], '{"error":"no such person"}');
    expect(stdout).toContain("  Origin           the service provider's information system (4)");
  });

  it('control characters of a capture never reach the terminal', () => {
    const { stdout } = faultline(
      ['parse'],
      '{"errorName":"KeyNotFoundException","errorMessage":"a\\u001b[2Jb"}',
    );
    expect(stdout).toContain('  Message          a\uFFFD[2Jb\n');
  });
});

describe('faultline translate', () => {
  const capture =
    'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nX-Road-Error: Server.ServerProxy.AccessDenied\r\n\r\n' +
    '{"type":"Server.ServerProxy.AccessDenied","message":"Request is not allowed","detail":"2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3"}';

  it('an X-Road fault as problem+json: the mapping, then the whole response', () => {
    expect(faultline(['translate', file('xroad-500.txt', capture), '--to', 'problem'])).toEqual({
      status: 0,
      stderr: '',
      stdout:
        'xroad Server.ServerProxy.AccessDenied (500) -> problem BadGateway (502)\n\n' +
        'HTTP/1.1 502\ncache-control: no-store\nvary: Accept\ncontent-type: application/problem+json\n' +
        'x-content-type-options: nosniff\ncontent-length: 159\n\n' +
        '{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Bad Gateway","instance":"urn:uuid:2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3","code":"BadGateway"}\n',
    });
  });

  it('from standard input, as ESB JSON, with the upstream message when exposed', () => {
    const { status, stdout } = faultline(
      ['translate', '-', '--to', 'esb', '--accept', 'application/json', '--json'],
      capture,
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      from: {
        dialect: 'xroad',
        code: 'Server.ServerProxy.AccessDenied',
        status: 500,
        correlationId: '2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3',
      },
      to: {
        dialect: 'esb',
        code: 102514,
        status: 500,
        correlationId: '2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3',
      },
      response: {
        status: 500,
        headers: {
          'cache-control': 'no-store',
          vary: 'Accept',
          'content-type': 'application/json; charset=UTF-8',
          'x-content-type-options': 'nosniff',
          'content-length': '98',
        },
        body: '{"code":"102514","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
      },
    });
    const exposed = faultline(
      ['translate', '-', '--to', 'problem', '--expose', '--status', '404'],
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Order 7 is gone","instance":"urn:uuid:o-7","code":"NotFound"}',
    );
    expect(exposed.stdout).toContain('"detail":"Order 7 is gone","instance":"urn:uuid:o-7"');
  });

  it('garbage is a bad gateway with none of its text; a success is nothing to translate', () => {
    const { status, stdout } = faultline(
      ['translate', '-', '--to', 'problem', '--status', '502'],
      '<html>secret-token-4711</html>',
    );
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      'no fault (the upstream answered 502 with a body that is no fault) -> problem BadGateway (502)',
    );
    expect(stdout).not.toContain('secret-token-4711');
    expect(faultline(['translate', '-', '--to', 'problem', '--status', '200'], '{}')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'faultline: a 200 response that is no fault: nothing to translate\n',
    });
  });

  it.each([
    [
      ['translate', '-'],
      'faultline: faultline translate needs --to with a dialect (xroad, xks, esb, de4a, ast, problem)\n',
    ],
    [
      ['translate', '-', '--to', 'kong'],
      'faultline: faultline translate needs --to with a dialect (xroad, xks, esb, de4a, ast, problem)\n',
    ],
    [
      ['translate', 'a', 'b', '--to', 'xks'],
      'faultline: faultline translate reads one file (or - for standard input)\n',
    ],
    [
      ['translate', '-', '--to', 'xks', '--format', 'md'],
      'faultline: faultline translate does not take --format\n',
    ],
  ])('%j is a usage error', (args, stderr) => {
    expect(faultline(args, '{}')).toEqual({ status: 2, stdout: '', stderr });
  });
});

describe('faultline catalog', () => {
  it("xks: the seed's table, row by row, applicability included", () => {
    const { status, stdout } = faultline(['catalog', 'xks']);
    expect(status).toBe(0);
    const rows = stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Code') && !l.startsWith('| ---'));
    const cells = rows.map((r) =>
      r
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    );
    expect(
      cells.map(
        ([, status, name, message, apis]) => `${status} | ${name} | ${message} | ${apis} |`,
      ),
    ).toEqual(XKS_ROWS.map((row) => row.replace('Decrypt, Encrypt', 'Encrypt, Decrypt')));
  });

  it('json is the catalogue itself', () => {
    const { stdout } = faultline(['catalog', 'esb', '--format', 'json']);
    const data = JSON.parse(stdout) as { dialect: string; entries: EsbCatalogEntry[] };
    expect(data).toEqual({
      dialect: 'esb',
      entries: JSON.parse(JSON.stringify(esb.catalog.entries)),
    });
  });

  it('html is a page with one escaped row per entry', () => {
    const { stdout } = faultline([
      'catalog',
      'test/fixtures/orders-catalog.mjs',
      '--format',
      'html',
    ]);
    expect(stdout.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const table = /<table>[\s\S]*<\/table>/.exec(stdout)?.[0] ?? '';
    const parsed = new XMLParser().parse(table) as { table: { tbody: { tr: { td: string[] }[] } } };
    expect(parsed.table.tbody.tr.map((r) => r.td.slice(0, 3))).toEqual([
      ['OrderNotFound', 404, 'OrderNotFound'],
      ['OrderShipped', 409, 'OrderShipped'],
    ]);
    expect(stdout).toContain('<td>Shipped orders cannot change | be cancelled.</td>');
  });

  it('html with --base-url: one anchor per code, each code linking to its URL there', () => {
    const { status, stdout } = faultline([
      'catalog',
      'test/fixtures/help-catalog.json',
      '--format',
      'html',
      '--base-url',
      'https://errors.example.com/orders.html',
    ]);
    expect(status).toBe(0);
    const rows = stdout.split('\n').filter((l) => l.startsWith('<tr id='));
    expect(rows).toEqual([
      '<tr id="OrderNotFound"><td><a href="https://errors.example.com/orders.html#OrderNotFound">OrderNotFound</a></td><td>404</td><td>OrderNotFound</td><td>Order {id} not found</td><td>https://errors.example.com/orders.html#OrderNotFound</td></tr>',
      '<tr id="Order-Locked"><td><a href="https://errors.example.com/orders.html#Order-Locked">Order Locked</a></td><td>423</td><td>OrderLocked</td><td>Order is locked</td><td></td></tr>',
    ]);
    const table = /<table>[\s\S]*<\/table>/.exec(stdout)?.[0] ?? '';
    expect(() => new XMLParser().parse(table, true)).not.toThrow();
  });

  it('md with --base-url: an anchor and a link in each code cell; several catalogues share one page', () => {
    const { status, stdout } = faultline([
      'catalog',
      'test/fixtures/help-catalog.json',
      'problem',
      '--base-url',
      'https://errors.example.com/all.html',
    ]);
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain(
      '| <a id="OrderNotFound"></a>[OrderNotFound](https://errors.example.com/all.html#OrderNotFound) | 404    | OrderNotFound | Order {id} not found | https://errors.example.com/orders.html#OrderNotFound |',
    );
    expect(stdout).toMatch(
      /^\| <a id="NotFound"><\/a>\[NotFound\]\(https:\/\/errors\.example\.com\/all\.html#NotFound\) +\| 404 /m,
    );
  });

  it.each([
    [
      ['--format', 'json', '--base-url', 'https://x.example/'],
      '--base-url is for --format html or md',
    ],
    [['--base-url', 'errors.html'], "--base-url must be an absolute URL, got 'errors.html'"],
  ])('%j: exit 2', (args, message) => {
    expect(faultline(['catalog', 'problem', ...args])).toEqual({
      status: 2,
      stdout: '',
      stderr: `faultline: ${message}\n`,
    });
  });

  it('markdown escapes pipes; a JSON definition works too', () => {
    expect(faultline(['catalog', 'test/fixtures/orders-catalog.mjs']).stdout).toContain(
      'Shipped orders cannot change \\| be cancelled.',
    );
    const { status, stdout } = faultline(['catalog', 'test/fixtures/orders-catalog.json']);
    expect(status).toBe(0);
    expect(stdout).toContain(
      '| Server.ServerProxy.OrderNotFound | 500    | OrderNotFound | Order {id} not found | No order has this id. | server proxy (3) |',
    );
  });
});

describe('usage', () => {
  it('--help', () => {
    const { status, stdout } = faultline(['--help']);
    expect(status).toBe(0);
    expect(stdout.startsWith('Usage: faultline <command> [options]\n')).toBe(true);
  });

  it.each([
    [
      [],
      'faultline: a command is missing: explain, parse, translate or catalog (faultline --help)',
    ],
    [
      ['frobnicate'],
      "faultline: unknown command 'frobnicate': explain, parse, translate or catalog (faultline --help)",
    ],
    [
      ['explain'],
      'faultline: faultline explain needs a code or a name, e.g. faultline explain 101507',
    ],
    [['explain', 'x', '--format', 'md'], 'faultline: faultline explain does not take --format'],
    [
      ['catalog', 'xks', '--format', 'pdf'],
      "faultline: --format takes md, json or html, got 'pdf'",
    ],
    [
      ['catalog', 'nope'],
      "faultline: 'nope' is not a dialect (xroad, xks, esb, de4a, ast, problem) or a .js, .mjs, .cjs or .json file",
    ],
    [['catalog', 'missing.mjs'], 'faultline: cannot load missing.mjs: '],
    [['parse', 'no-such-file.txt'], 'faultline: no-such-file.txt: no such file'],
    [
      ['parse', '--status', 'abc'],
      "faultline: --status must be an HTTP status such as 500, got 'abc'",
    ],
    [['explain', '101507', '--bogus'], "faultline: Unknown option '--bogus'"],
  ])('%j: exit 2 and one line', (args, message) => {
    const { status, stdout, stderr } = faultline(args as string[], '');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n') && stderr.indexOf('\n') === stderr.length - 1).toBe(true);
    expect(stderr.startsWith(message)).toBe(true);
  });
});

describe('colour', () => {
  it('only when asked for: plain text otherwise', () => {
    expect(styles(false).bold('x')).toBe('x');
    expect(styles(true).bold('x')).toBe('\u001b[1mx\u001b[22m');
  });
});
