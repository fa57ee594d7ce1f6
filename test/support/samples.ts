/**
 * The response samples of the READMEs, and the response a server really sends, as `curl -i`
 * prints it: the status line, every header line in the order and the case it was sent, and the
 * body. Tests compare the two line by line; only what changes from one run to the next is
 * masked: the `Date` header's value and UUIDs (correlation ids).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** One sample: the lines of a README code block that shows an HTTP response. */
export interface Sample {
  /** The README and the line its block starts on, for messages. */
  readonly where: string;
  /** The `$ curl …` line above the response, if the sample shows one (without the `$ `). */
  readonly command?: string;
  /** `HTTP/1.1 400 Bad Request`, then each header line, as written. */
  readonly head: readonly string[];
  readonly body: string;
}

/** The code blocks of a README that show a response, in order: those whose first line (or the line after a `$ curl` line) starts with `HTTP/1.1 `. */
export function responseSamples(file: string): Sample[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\w*)\s*$/.exec(lines[i]!);
    if (fence === null) continue;
    const start = i;
    const block: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) block.push(lines[i]!);
    if (fence[1] !== '') continue;
    const command = block[0]?.startsWith('$ ') ? block.shift()!.slice(2) : undefined;
    if (!block[0]?.startsWith('HTTP/1.1 ')) continue;
    const blank = block.indexOf('');
    samples.push({
      where: `${file}:${start + 1}`,
      ...(command === undefined ? {} : { command }),
      head: blank < 0 ? block : block.slice(0, blank),
      body: blank < 0 ? '' : block.slice(blank + 1).join('\n'),
    });
  }
  return samples;
}

/** What `curl -i` shows of a response. */
export interface Curled {
  readonly head: readonly string[];
  readonly body: string;
}

/**
 * Sends one HTTP/1.1 request as curl does (`Host`, `User-Agent`, `Accept: *\/*`, then the given
 * headers, which replace those of the same name; a body with its `Content-Length`) on a new
 * connection, and reads the response as
 * sent: the head's lines exactly, the body by its `Content-Length`.
 */
export function curl(
  url: string,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  body?: string,
): Promise<Curled> {
  const { hostname, port } = new URL(url);
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'User-Agent: curl/8.14.1',
    'Accept: */*',
  ];
  for (const [name, value] of Object.entries(headers)) {
    // A header curl sends by itself is replaced where curl writes it.
    const own = lines.findIndex((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    if (own > 0) lines[own] = `${name}: ${value}`;
    else lines.push(`${name}: ${value}`);
  }
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    // Written, not ended: like curl, the client keeps its side open until the answer is in.
    const socket = connect(Number(port), hostname, () =>
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`),
    );
    let received = Buffer.alloc(0);
    const finish = (): boolean => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const head = received.subarray(0, end).toString('latin1').split('\r\n');
      const length = head.find((line) => /^content-length:/i.test(line));
      const rest = received.subarray(end + 4);
      if (length !== undefined && rest.length < Number(length.split(':')[1])) return false;
      socket.destroy();
      resolve({ head, body: rest.toString('utf8') });
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('end', () => {
      if (!finish())
        reject(
          new Error(
            `the connection ended before a whole response:\n${received.toString('latin1')}`,
          ),
        );
    });
    socket.on('error', reject);
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A response's lines with what changes from run to run masked. */
export function masked({
  head,
  body,
}: {
  readonly head: readonly string[];
  readonly body: string;
}): { head: string[]; body: string } {
  return {
    head: head.map((line) => line.replace(/^(date): .*$/i, '$1: <date>').replace(UUID, '<uuid>')),
    body: body.replace(UUID, '<uuid>'),
  };
}
