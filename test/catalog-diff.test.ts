/**
 * `faultline catalog diff OLD NEW`: one test per breaking and per compatible change, the text,
 * Markdown and JSON outputs and the exit statuses, run as users run it (the built executable in
 * a child process); and the released catalogues against today's, as `.ci/run` checks them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffCatalogs, paramsOf } from '../packages/cli/src/diff';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'packages/cli/dist/esm/bin.js');
const TMP = mkdtempSync(join(tmpdir(), 'faultline-diff-'));

function faultline(args: readonly string[]): { status: number | null; out: string; err: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status, out: stdout, err: stderr };
}

let files = 0;
function file(data: unknown): string {
  const path = join(TMP, `catalogue-${++files}.json`);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

type Entry = Record<string, unknown> & { code: string | number };

const ORDER_NOT_FOUND: Entry = {
  code: 'OrderNotFound',
  status: 404,
  name: 'OrderNotFound',
  message: 'Order not found',
  template: 'Order {id} not found',
};
const ORDER_SHIPPED: Entry = {
  code: 'OrderShipped',
  status: 409,
  name: 'OrderShipped',
  message: 'Order was shipped',
  template: 'Order {id} was shipped on {date}',
  retry: 'no',
};
const BUSY: Entry = {
  code: 'Busy',
  status: 503,
  name: 'Busy',
  message: 'Try again later',
  retry: 'yes',
  retryAfter: 30,
};

const orders = (...entries: Entry[]) => [{ dialect: 'problem', entries }];
const BEFORE = orders(ORDER_NOT_FOUND, ORDER_SHIPPED, BUSY);

// Runs the command on BEFORE and a changed copy; returns its exit status and text.
function diffWith(after: unknown, format?: string) {
  return faultline([
    'catalog',
    'diff',
    file(BEFORE),
    file(after),
    ...(format === undefined ? [] : ['--format', format]),
  ]);
}

describe('faultline catalog diff', () => {
  describe('when a change breaks clients', () => {
    it.each<[string, unknown, string]>([
      [
        'a code removed',
        orders(ORDER_NOT_FOUND, BUSY),
        'breaking  problem OrderShipped: code removed',
      ],
      [
        'a catalogue removed',
        [{ dialect: 'xks', entries: [] }],
        'breaking  problem OrderNotFound: removed with its catalogue',
      ],
      [
        'a status changed',
        orders({ ...ORDER_NOT_FOUND, status: 410 }, ORDER_SHIPPED, BUSY),
        'breaking  problem OrderNotFound: status changed from 404 to 410',
      ],
      [
        'a name changed',
        orders({ ...ORDER_NOT_FOUND, name: 'NoSuchOrder' }, ORDER_SHIPPED, BUSY),
        'breaking  problem OrderNotFound: name changed from "OrderNotFound" to "NoSuchOrder"',
      ],
      [
        'a parameter removed',
        orders(
          ORDER_NOT_FOUND,
          { ...ORDER_SHIPPED, template: 'Order {id} was shipped', message: 'Order was shipped' },
          BUSY,
        ),
        'breaking  problem OrderShipped: parameters removed: {date}',
      ],
      [
        'a parameter renamed',
        orders({ ...ORDER_NOT_FOUND, template: 'Order {orderId} not found' }, ORDER_SHIPPED, BUSY),
        'breaking  problem OrderNotFound: parameters renamed: {id} became {orderId}',
      ],
      [
        'a message changed that clients read',
        [
          {
            dialect: 'problem',
            entries: [{ ...ORDER_NOT_FOUND, message: 'No such order', clientsReadMessage: true }],
          },
        ],
        'breaking  problem OrderNotFound: message changed from "Order not found" to "No such order" (clients read this message)',
      ],
      [
        'a retry tightened from yes to no',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, { ...BUSY, retry: 'no' }),
        'breaking  problem Busy: retry changed from "yes" to "no" (tightened)',
      ],
      [
        'a retry tightened from yes to idempotent requests only',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, { ...BUSY, retry: 'idempotent' }),
        'breaking  problem Busy: retry changed from "yes" to "idempotent" (tightened)',
      ],
      [
        'a retry no longer said',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, { ...BUSY, retry: undefined }),
        'breaking  problem Busy: retry changed from "yes" to none (tightened)',
      ],
    ])('%s: lists it and exits 1', (_name, after, line) => {
      const before =
        _name === 'a message changed that clients read'
          ? [{ dialect: 'problem', entries: [{ ...ORDER_NOT_FOUND, clientsReadMessage: true }] }]
          : BEFORE;
      const { status, out, err } = faultline(['catalog', 'diff', file(before), file(after)]);
      expect([status, err]).toEqual([1, '']);
      expect(out.split('\n')).toContain(line);
      expect(out).toMatch(/\n\n\d+ changes?, [1-9]\d* breaking\.\n$/);
    });
  });

  describe('when every change is compatible', () => {
    it.each<[string, unknown, string]>([
      [
        'a code added',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, BUSY, {
          code: 'OrderLocked',
          status: 423,
          name: 'OrderLocked',
          message: 'Order is locked',
        }),
        'added  problem OrderLocked: code added (status 423, name "OrderLocked")',
      ],
      [
        'a catalogue added',
        [...BEFORE, { dialect: 'xks', entries: [{ code: 'X', status: 400, name: 'X' }] }],
        'added  xks: catalogue added with 1 code',
      ],
      [
        'a parameter added',
        orders(
          { ...ORDER_NOT_FOUND, template: 'Order {id} not found in {store}' },
          ORDER_SHIPPED,
          BUSY,
        ),
        'changed  problem OrderNotFound: parameters added: {store}',
      ],
      [
        'a message changed that clients do not read',
        orders({ ...ORDER_NOT_FOUND, message: 'No such order' }, ORDER_SHIPPED, BUSY),
        'changed  problem OrderNotFound: message changed from "Order not found" to "No such order"',
      ],
      [
        'a retry loosened',
        orders(ORDER_NOT_FOUND, { ...ORDER_SHIPPED, retry: 'idempotent' }, BUSY),
        'changed  problem OrderShipped: retry changed from "no" to "idempotent"',
      ],
      [
        'a retry said where none was',
        orders({ ...ORDER_NOT_FOUND, retry: 'no' }, ORDER_SHIPPED, BUSY),
        'changed  problem OrderNotFound: retry changed from none to "no"',
      ],
      [
        'a retry delay changed',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, { ...BUSY, retryAfter: 60 }),
        'changed  problem Busy: retryAfter changed from 30 to 60',
      ],
      [
        'a description added',
        orders({ ...ORDER_NOT_FOUND, description: 'No order has this id.' }, ORDER_SHIPPED, BUSY),
        'changed  problem OrderNotFound: description added: "No order has this id."',
      ],
      [
        'a translation added',
        orders(
          { ...ORDER_NOT_FOUND, messages: { de: 'Bestellung {id} nicht gefunden' } },
          ORDER_SHIPPED,
          BUSY,
        ),
        'changed  problem OrderNotFound: messages added: {"de":"Bestellung {id} nicht gefunden"}',
      ],
      [
        'a documentation link removed',
        orders(ORDER_NOT_FOUND, ORDER_SHIPPED, BUSY),
        'changed  problem Busy: docs removed (was "https://errors.example.com/#Busy")',
      ],
    ])('%s: lists it and exits 0', (name, after, line) => {
      const before =
        name === 'a documentation link removed'
          ? orders(ORDER_NOT_FOUND, ORDER_SHIPPED, {
              ...BUSY,
              docs: 'https://errors.example.com/#Busy',
            })
          : BEFORE;
      const { status, out, err } = faultline(['catalog', 'diff', file(before), file(after)]);
      expect([status, err]).toEqual([0, '']);
      expect(out.split('\n')).toContain(line);
      expect(out).toMatch(/\n\n\d+ changes?, 0 breaking\.\n$/);
    });

    it('no change at all: says so and exits 0', () => {
      expect(diffWith(BEFORE)).toEqual({ status: 0, out: 'No changes.\n', err: '' });
    });
  });

  it('orders breaking changes first, then codes added, then the other changes, each in the released order, whole text', () => {
    const after = orders(
      { ...ORDER_NOT_FOUND, description: 'No order has this id.' },
      { ...ORDER_SHIPPED, status: 410 },
      { code: 'OrderLocked', status: 423, name: 'OrderLocked', message: 'Order is locked' },
    );
    const { status, out } = diffWith(after);
    expect(status).toBe(1);
    expect(out).toBe(
      [
        'breaking  problem OrderShipped: status changed from 409 to 410',
        'breaking  problem Busy: code removed',
        'added     problem OrderLocked: code added (status 423, name "OrderLocked")',
        'changed   problem OrderNotFound: description added: "No order has this id."',
        '',
        '4 changes, 2 breaking.',
        '',
      ].join('\n'),
    );
  });

  it('--format md: a changelog section, whole', () => {
    const after = orders(
      { ...ORDER_NOT_FOUND, template: 'Order {orderId} not found' },
      ORDER_SHIPPED,
      { ...BUSY, retry: 'idempotent' },
      { code: 'Order_Locked', status: 423, name: 'Order_Locked', message: 'Order is locked' },
    );
    const { status, out } = diffWith(after, 'md');
    expect(status).toBe(1);
    expect(out).toBe(
      [
        '### Error codes',
        '',
        '#### Breaking changes',
        '',
        '- `problem` `OrderNotFound`: parameters renamed: {id} became {orderId}',
        '- `problem` `Busy`: retry changed from "yes" to "idempotent" (tightened)',
        '',
        '#### Added',
        '',
        '- `problem` `Order_Locked`: code added (status 423, name "Order\\_Locked")',
        '',
        '#### Changed',
        '',
        '- `problem` `OrderNotFound`: template changed from "Order {id} not found" to "Order {orderId} not found"',
        '',
      ].join('\n'),
    );
    expect(diffWith(BEFORE, 'md').out).toBe('### Error codes\n\nNo changes.\n');
  });

  it('--format json: the changes as data', () => {
    const { status, out } = diffWith(orders(ORDER_NOT_FOUND, ORDER_SHIPPED), 'json');
    expect(status).toBe(1);
    expect(JSON.parse(out)).toEqual([
      {
        kind: 'breaking',
        dialect: 'problem',
        code: 'Busy',
        what: 'code',
        text: 'code removed',
      },
    ]);
  });

  it.each<[string[], string]>([
    [['catalog', 'diff', 'one.json'], 'faultline catalog diff needs two catalogue JSON files'],
    [
      ['catalog', 'diff', 'a.json', 'b.json', '--format', 'html'],
      '--format takes text, md or json',
    ],
    [['catalog', 'diff', 'no-such.json', 'b.json'], 'cannot read '],
    [
      ['catalog', 'diff', 'a.json', 'b.json', '--base-url', 'https://x.example/'],
      'faultline catalog diff does not take --base-url',
    ],
  ])('%j: exit 2 and one line', (args, message) => {
    const { status, out, err } = faultline(args);
    expect([status, out]).toEqual([2, '']);
    expect(err).toContain(message);
    expect(err.indexOf('\n')).toBe(err.length - 1);
  });

  it('rejects a file that is no catalogue JSON, and a catalogue listed twice', () => {
    const good = file(BEFORE);
    const definition = file({ codes: {} });
    expect(faultline(['catalog', 'diff', definition, good])).toEqual({
      status: 2,
      out: '',
      err: `faultline: ${definition}: catalogue 1 is not { "dialect", "entries": [{ "code", … }] } (write it with faultline catalog --format json)\n`,
    });
    const twice = file([...BEFORE, ...BEFORE]);
    expect(faultline(['catalog', 'diff', twice, good])).toEqual({
      status: 2,
      out: '',
      err: `faultline: ${twice}: the problem catalogue appears twice\n`,
    });
  });

  it('compares what faultline catalog --format json writes, several catalogues at once', () => {
    const current = faultline(['catalog', 'xks', 'problem', '--format', 'json']);
    expect(current.status).toBe(0);
    const data = JSON.parse(current.out) as { dialect: string }[];
    expect(data.map((c) => c.dialect)).toEqual(['xks', 'problem']);
    const path = file(data);
    expect(faultline(['catalog', 'diff', path, path])).toEqual({
      status: 0,
      out: 'No changes.\n',
      err: '',
    });
  });

  it("the released catalogues: today's built-in catalogues break none of their codes", () => {
    const current = faultline([
      'catalog',
      'xroad',
      'xks',
      'esb',
      'de4a',
      'ast',
      'problem',
      '--format',
      'json',
    ]);
    const { status, out } = faultline([
      'catalog',
      'diff',
      'packages/core/catalogues/0.1.0.json',
      file(JSON.parse(current.out)),
    ]);
    expect(out).not.toContain('breaking  ');
    expect(status).toBe(0);
  });
});

describe('paramsOf and diffCatalogs', () => {
  it('reads parameters from params, else from the template', () => {
    expect(paramsOf({ params: ['a', 'b'], template: '{c}' })).toEqual(['a', 'b']);
    expect(paramsOf({ template: '{0} and {1} and {0}' })).toEqual(['0', '1']);
    expect(paramsOf({ message: '{x}' })).toEqual([]);
  });

  it('keys codes as text: a numeric code and its string are the same code', () => {
    expect(
      diffCatalogs(
        [{ dialect: 'ast', entries: [{ code: 51010, status: 403, name: 'X' }] }],
        [{ dialect: 'ast', entries: [{ code: '51010', status: 403, name: 'X' }] }],
      ),
    ).toEqual([]);
  });
});
