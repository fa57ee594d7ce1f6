/**
 * Reason phrases and problem+json titles come from RFC 9110 §15 and, for the statuses other
 * RFCs define, from IANA's HTTP Status Code Registry
 * (https://www.iana.org/assignments/http-status-codes). Every status a fault can carry,
 * 400–599, is checked against the table below: the registered phrase, or for a status the
 * registry does not assign, the phrase of its class.
 */
import { PassThrough } from 'node:stream';
import { answerClientError, createFaultHandler, explain, problem } from '@faultline/core';

const REGISTERED: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

const pascal = (phrase: string): string =>
  phrase
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

const STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);
const ROWS = STATUSES.map((status) => {
  const registered = REGISTERED[status];
  const phrase = registered ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
  return { status, phrase, code: pascal(phrase), registered: registered !== undefined };
});

const handler = createFaultHandler({
  dialect: 'problem',
  logger: false,
  correlationId: () => 'id-1',
});

describe('problem+json', () => {
  it.each(ROWS)('should title $status "$phrase" with code $code', ({ status, phrase, code }) => {
    const body = JSON.parse(handler.handle(problem.fault(status)).body) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'about:blank',
      title: phrase,
      status,
      detail: phrase,
      instance: 'urn:uuid:id-1',
      code,
    });
  });

  it.each(ROWS)(
    'should title an error with status $status "$phrase", whatever its message',
    ({ status, phrase }) => {
      const thrown = Object.assign(new Error('the service said so'), {
        status,
        expose: status < 500,
      });
      expect(JSON.parse(handler.handle(thrown).body)).toMatchObject({ title: phrase, status });
    },
  );

  it('should hold one catalogue code per registered status, named after its phrase', () => {
    const statuses = problem.catalog.entries
      .filter((e) => e.code !== 'InvalidBody' && e.code !== 'ValidationFailed')
      .map((e) => [e.status, e.code, e.message]);
    expect(statuses).toEqual(
      ROWS.filter((r) => r.registered).map((r) => [r.status, r.code, r.phrase]),
    );
  });

  it.each([
    'RequestEntityTooLarge',
    'RequestURITooLong',
    'RequestedRangeNotSatisfiable',
    'UnprocessableEntity',
    'IMATeapot',
    'MethodFailure',
  ])('should no longer know the obsolete code %s', (code) => {
    expect(problem.catalog.get(code)).toBeUndefined();
    expect(explain(code).filter((e) => e.dialect === 'problem')).toEqual([]);
  });
});

describe('the status line of a request Node could not parse', () => {
  it.each([
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Content Too Large\r\n'],
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large\r\n'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout\r\n'],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad Request\r\n'],
  ])('should carry the registered phrase for %s', (code, statusLine) => {
    const socket = new PassThrough();
    let written = '';
    // What the socket is given, before it is closed.
    socket.write = (chunk: string | Uint8Array): boolean => {
      written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      return true;
    };
    answerClientError(handler, Object.assign(new Error('parser'), { code }), socket);
    expect(socket.destroyed).toBe(true);
    expect(written.startsWith(statusLine)).toBe(true);
  });
});
