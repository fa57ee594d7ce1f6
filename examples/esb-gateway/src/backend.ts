/**
 * The demo backend behind the gateway: the PizzaShack kitchen (menu and orders, JSON), a
 * stock quote SOAP service, and `/flaky/*` routes that fail the way real backends do: hang
 * after reading the request, crash before answering, close the connection in the middle of
 * the body, stall in the middle of the body, send a response head that is not HTTP, or label
 * a plain body as gzip.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the backend received, as the gateway forwarded it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A running backend. */
export interface RunningBackend {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** The last requests received, oldest first (at most 100). */
  readonly received: readonly RecordedRequest[];
  /** Stops listening and drops every connection, hanging ones included. */
  close(): Promise<void>;
}

const MENU = [
  {
    name: 'Chicken Parmesan',
    description: 'Grilled chicken, fresh tomatoes, feta and mozzarella cheese',
    price: '14.99',
    icon: '/images/6.png',
  },
  {
    name: 'Tuscan Six Cheese',
    description: 'Six cheese blend of mozzarella, Parmesan, Romano, Asiago and Fontina',
    price: '12.99',
    icon: '/images/7.png',
  },
  {
    name: 'Hawaiian BBQ Chicken',
    description:
      'Grilled white chicken, hickory-smoked bacon and fresh sliced onions in barbeque sauce',
    price: '15.99',
    icon: '/images/8.png',
  },
];
const PRICES = new Map(MENU.map((item) => [item.name, Number(item.price)]));
const QUOTES = new Map([
  ['WSO2', 42.5],
  ['IBM', 187.25],
  ['ORCL', 121.1],
]);
const PARTIAL = '{"items":[{"name":"Chicken Parmesan","pri';

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function soapQuote(symbol: string, price: number | undefined): string {
  const body =
    price === undefined
      ? `<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>Unknown symbol ${symbol}</faultstring></soapenv:Fault>`
      : `<ns:getQuoteResponse xmlns:ns="http://services.samples"><ns:symbol>${symbol}</ns:symbol><ns:last>${price}</ns:last></ns:getQuoteResponse>`;
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function kitchen(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  orders: Map<string, object>,
): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const order = /^\/pizzashack\/order\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && path === '/pizzashack/menu') return json(res, 200, MENU);
  if (req.method === 'POST' && path === '/pizzashack/order') {
    let parsed: { pizzaType?: unknown; quantity?: unknown; customerName?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return json(res, 400, { error: 'the order must be JSON' });
    }
    const price = typeof parsed.pizzaType === 'string' ? PRICES.get(parsed.pizzaType) : undefined;
    const quantity = Number(parsed.quantity ?? 1);
    if (price === undefined || !Number.isInteger(quantity) || quantity < 1)
      return json(res, 400, { error: 'unknown pizzaType or bad quantity' });
    const placed = {
      orderId: `ord-${orders.size + 1}`,
      pizzaType: parsed.pizzaType,
      quantity,
      total: (price * quantity).toFixed(2),
      status: 'received',
    };
    orders.set(placed.orderId, placed);
    return json(res, 201, placed);
  }
  if (req.method === 'GET' && order !== null) {
    const found = orders.get(decodeURIComponent(order[1] ?? ''));
    return found === undefined ? json(res, 404, { error: 'no such order' }) : json(res, 200, found);
  }
  if (req.method === 'POST' && path === '/stockquote/quote') {
    const symbol = /<(?:\w+:)?symbol>\s*([^<\s]*)\s*</.exec(body)?.[1] ?? '';
    const price = QUOTES.get(symbol);
    const xml = soapQuote(symbol, price);
    res.writeHead(price === undefined ? 500 : 200, {
      'content-type': 'text/xml; charset=UTF-8',
      'content-length': Buffer.byteLength(xml),
    });
    res.end(xml);
    return;
  }
  json(res, 404, { error: `no route for ${req.method} ${path}` });
}

// The misbehaving routes. Each one breaks HTTP on purpose, below the level of `res`.
function flaky(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const socket = req.socket;
  switch (path) {
    case '/flaky/hang':
      return true; // read the request, never answer
    case '/flaky/crash':
      socket.destroy(); // the process "died" before writing anything
      return true;
    case '/flaky/cut':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 256 });
      res.write(PARTIAL, () => socket.destroy());
      return true;
    case '/flaky/stall':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 256 });
      res.write(PARTIAL); // and nothing more
      return true;
    case '/flaky/garbage':
      // A hand-written server forgot the colon: not HTTP/1.1.
      socket.end('HTTP/1.1 200 OK\r\nContent-Type application/json\r\nContent-Length: 2\r\n\r\n{}');
      return true;
    case '/flaky/gzip':
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': 2,
      });
      res.end('{}');
      return true;
    default:
      return false;
  }
}

/**
 * Starts the demo backend.
 *
 * @param options - `port` (default 0: a free port) and `host` (default 127.0.0.1)
 * @returns the running backend
 * @example
 * ```ts
 * const backend = await startBackend();
 * createApp({ backendUrl: backend.url });
 * ```
 */
export async function startBackend(
  options: { readonly port?: number; readonly host?: string } = {},
): Promise<RunningBackend> {
  const received: RecordedRequest[] = [];
  const orders = new Map<string, object>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (received.length > 100) received.shift();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (!flaky(req, res, path)) kitchen(req, res, body, orders);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
