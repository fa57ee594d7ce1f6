// Hand-written X-Road error handlers, as a careful engineer writes them without faultline:
// the status-to-code mapping the service needs, `JSON.stringify` for REST JSON and an escaped
// string template for the SOAP 1.1 fault. They send exactly the bytes faultline sends for the
// same error (the bench checks this before it measures), and they are the bar faultline's
// error path is held to.
import { randomUUID } from 'node:crypto';

const CLIENT_CODES = {
  400: 'Client.BadRequest',
  401: 'Client.AccessDenied',
  403: 'Client.AccessDenied',
  404: 'Client.NotFound',
  405: 'Client.InvalidHttpMethod',
};
const INTERNAL = 'Server.ServerProxy.ServiceFailed.InternalError';

/** The X-Road code and message sent for an error: its own message for a 4xx, a generic one otherwise. */
function classify(err) {
  const status = err?.statusCode ?? err?.status;
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    return { code: CLIENT_CODES[status] ?? 'Client.BadRequest', message: String(err.message) };
  }
  return { code: INTERNAL, message: 'Internal Server Error' };
}

const MARKUP = /[&<>"'\r]/;
const MARKUP_ALL = /[&<>"'\r]/g;
const ENTITIES = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};
// XML 1.0 forbids C0 controls other than tab, LF and CR.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const entity = (c) => ENTITIES[c];
function escapeXml(text) {
  const valid = text.replace(INVALID, '\uFFFD');
  return MARKUP.test(valid) ? valid.replace(MARKUP_ALL, entity) : valid;
}

/** The REST JSON answer: `{"type","message","detail"}`, status 400 for `Client.*`, else 500. */
export function xroadJson(err) {
  const { code, message } = classify(err);
  return {
    status: code.startsWith('Client.') ? 400 : 500,
    code,
    body: JSON.stringify({ type: code, message, detail: randomUUID() }),
  };
}

/** The SOAP 1.1 fault envelope, one line, as the security server writes it; status 200. */
export function xroadSoap(err) {
  const { code, message } = classify(err);
  return (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${escapeXml(code)}</faultcode><faultstring>${escapeXml(message)}</faultstring>` +
    `<faultactor></faultactor><detail><faultDetail xmlns="">${randomUUID()}</faultDetail></detail>` +
    '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

/** Fastify: `app.setErrorHandler(fastifyJson)`. */
export function fastifyJson(err, _request, reply) {
  const { status, code, body } = xroadJson(err);
  reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('vary', 'Accept')
    .header('content-type', 'application/json')
    .header('x-road-error', code)
    .header('x-content-type-options', 'nosniff')
    // A Buffer: Fastify would append `; charset=utf-8` to a string sent as application/json.
    .send(Buffer.from(body));
}

/** Fastify: `app.setErrorHandler(fastifySoap)`. */
export function fastifySoap(err, _request, reply) {
  reply
    .code(200)
    .header('cache-control', 'no-store')
    .header('vary', 'Accept')
    .header('content-type', 'text/xml;charset=utf-8')
    .header('soapaction', '')
    .header('x-content-type-options', 'nosniff')
    .send(xroadSoap(err));
}

/** Express: `app.use(expressJson)`, a four-argument error middleware. */
export function expressJson(err, _req, res, _next) {
  const { status, code, body } = xroadJson(err);
  res.statusCode = status;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('vary', 'Accept');
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-road-error', code);
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(body);
}

/** Express: `app.use(expressSoap)`, a four-argument error middleware. */
export function expressSoap(err, _req, res, _next) {
  const body = xroadSoap(err);
  res.statusCode = 200;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('vary', 'Accept');
  res.setHeader('content-type', 'text/xml;charset=utf-8');
  res.setHeader('soapaction', '');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(body);
}
