/**
 * The ESB dialect byte for byte with WSO2 API Manager's gateway: every fact read from the real
 * source (wso2/product-apim 4.x sequences, carbon-apimgt's gateway handlers, wso2/wso2-synapse's
 * PassThrough transport, FaultMediator and PayloadFactoryMediator), and the releases of the named
 * profiles. Each expected body and header below is written out as the gateway sends it, not
 * built by faultline, and is compared whole through `createFaultHandler().handle()` and through
 * real Express 4, Express 5 and Fastify 5 servers. Every XML body is read with a real XML parser.
 * Hostile text goes through every text field of every encoding.
 */
import { createFaultHandler, esb, routeNotFound } from '@faultline/core';
import type { EsbProfile, FaultHandlerOptions, RequestInfo } from '@faultline/core';
import { ADAPTERS, call } from './support/servers';
import type { FailingRoute, Running } from './support/servers';
import { parseXml } from './support/xml';

const JSON_TYPE = 'application/json; charset=UTF-8';
const SOAP_TYPE = 'text/xml; charset=UTF-8';
// carbon-apimgt APIAuthenticationHandler (4.x): getAuthenticatorsChallengeString joins
// InternalAPIKeyAuthenticator's and OAuthAuthenticator's challenges with ", ".
const CHALLENGE_4 =
  'Internal API Key realm="WSO2 API Manager", Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';
// APIM 3.2: OAuthAuthenticator's challenge alone, and "The access token expired".
const CHALLENGE_3_2 =
  'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The access token expired"';
const NEXT = new Date(Date.UTC(2026, 1, 10, 16, 20, 0));
const SOAP_ENVELOPE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>';
const SOAP_REQUEST = { soapaction: '"urn:getQuote"', 'content-type': 'text/xml; charset=utf-8' };

interface Golden {
  readonly name: string;
  readonly profile?: EsbProfile;
  /** What the route throws; `undefined`: no route matches (the main sequence). */
  readonly error?: () => unknown;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly status: number;
  readonly contentType: string;
  readonly wwwAuthenticate?: string;
  readonly retryAfter?: string;
  /** The response body, byte for byte. */
  readonly text: string;
}

const GOLDEN: readonly Golden[] = [
  // wso2/product-apim 4.x: every sequence's payloadFactory is media-type="json"; neither an XML
  // Accept nor an XML request changes that.
  {
    name: 'an invalid token asking for XML: still JSON, with the 4.x challenge',
    error: () => esb.fault(900901),
    headers: { accept: 'application/xml' },
    status: 401,
    contentType: JSON_TYPE,
    wwwAuthenticate: CHALLENGE_4,
    text: '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}',
  },
  {
    name: 'an XML request asking for text/xml: still JSON',
    error: () => esb.fault(101503),
    method: 'POST',
    headers: { accept: 'text/xml', 'content-type': 'application/xml' },
    body: '<order><item>1</item></order>',
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101503","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
  },
  // getError pairs 900902 with the Invalid Credentials exception message (wso2/product-apim#11049).
  {
    name: 'missing credentials (900902)',
    error: () => esb.fault(900902),
    status: 401,
    contentType: JSON_TYPE,
    wwwAuthenticate: CHALLENGE_4,
    text:
      '{"code":"900902","message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: ' +
      "'Authorization : Bearer ACCESS_TOKEN' or 'Authorization : Basic ACCESS_TOKEN' or 'apikey: API_KEY'\"}",
  },
  // CORSRequestHandler.handleResourceNotFound, through _resource_mismatch_handler_ and fault.
  {
    name: 'a path the matched API has no resource for (404 through fault)',
    error: () => esb.fault(404, { sequence: '_resource_mismatch_handler_' }),
    status: 404,
    contentType: JSON_TYPE,
    text: '{"code":"404","type":"Status report","message":"Runtime Error","description":"No matching resource found for given API Request"}',
  },
  {
    name: 'a method the resource does not have (405 through fault)',
    error: () => esb.fault(405),
    method: 'DELETE',
    status: 405,
    contentType: JSON_TYPE,
    text: '{"code":"405","type":"Status report","message":"Runtime Error","description":"Method not allowed for given API resource"}',
  },
  {
    name: "a framework's 405 (the resource mismatch's 405)",
    error: () => Object.assign(new Error('Method Not Allowed'), { status: 405 }),
    method: 'PATCH',
    status: 405,
    contentType: JSON_TYPE,
    text: '{"code":"405","type":"Status report","message":"Runtime Error","description":"Method not allowed for given API resource"}',
  },
  {
    name: "a request that matches no API (the main sequence's 404)",
    status: 404,
    contentType: JSON_TYPE,
    text: '{"code":"404","type":"Status report","message":"Not Found","description":"The requested resource is not available."}',
  },
  // OAuthAuthenticator's 900906 is an authentication failure: _auth_failure_handler_'s members, 403.
  {
    name: 'no matching auth scheme (900906)',
    error: () => esb.fault(900906),
    status: 403,
    contentType: JSON_TYPE,
    text:
      '{"code":"900906","message":"No matching resource found in the API for the given request",' +
      '"description":"No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL"}',
  },
  // Synapse's ERROR_MESSAGE: DeliveryAgent.errorConnecting, TimeoutHandler, TargetHandler.
  {
    name: 'a refused connection (101503, connect phase)',
    error: () =>
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:8080'), {
          code: 'ECONNREFUSED',
          syscall: 'connect',
        }),
      }),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101503","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
  },
  {
    name: 'a cancelled connect (101507, connect phase)',
    error: () => esb.transportFault('CONNECT_CANCEL'),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101507","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
  },
  {
    name: 'a connect timeout (101508, connect phase)',
    error: () => esb.transportFault('CONNECT_TIMEOUT'),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101508","type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}',
  },
  {
    name: 'the endpoint timeout (101504)',
    error: () => esb.transportFault('CONNECTION_TIMEOUT'),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101504","type":"Status report","message":"Runtime Error","description":"Send timeout"}',
  },
  {
    name: 'a connection closed while reading the response head (101505 + RESPONSE_HEAD = 101509)',
    error: () => esb.transportFault('CONNECTION_CLOSED', 'RESPONSE_HEAD'),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"101509","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
  },
  {
    name: "the documentation's incomplete payload (102510 + REQUEST_HEAD = 102511, its 400)",
    error: () => esb.transportFault('SND_HTTP_ERROR', 'REQUEST_HEAD'),
    method: 'POST',
    status: 400,
    contentType: JSON_TYPE,
    text: '{"code":"102511","type":"Status report","message":"Runtime Error","description":"Error in Sender"}',
  },
  // FaultMediator with Axiom's SOAP 1.1 factory: soapenv, no faultactor, Axiom's declaration.
  {
    name: 'a SOAP client with an invalid token',
    error: () => esb.fault(900901),
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 401,
    contentType: SOAP_TYPE,
    wwwAuthenticate: CHALLENGE_4,
    text:
      "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
      '<faultcode>soapenv:Client</faultcode><faultstring>Authentication Failure</faultstring><detail>Invalid Credentials</detail>' +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  },
  {
    name: 'a SOAP client whose backend refused the connection',
    error: () => esb.fault(101503),
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 500,
    contentType: SOAP_TYPE,
    text:
      "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
      '<faultcode>soapenv:Server</faultcode><faultstring>Error connecting to the back end</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  },
  {
    name: 'a SOAP client over its quota',
    error: () => esb.fault(900800, { nextAccessTime: NEXT }),
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 429,
    contentType: SOAP_TYPE,
    retryAfter: 'Tue, 10 Feb 2026 16:20:00 GMT',
    text:
      "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
      '<faultcode>soapenv:Server</faultcode><faultstring>Message throttled out</faultstring>' +
      '<detail>You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  },
  {
    name: 'a SOAP client calling no API (the main sequence)',
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 404,
    contentType: SOAP_TYPE,
    text:
      "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>" +
      '<faultcode>soapenv:Server</faultcode><faultstring>The requested endpoint is not available.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  },
  {
    name: 'a SOAP client the threat protection refused (no SOAP branch: JSON)',
    error: () => esb.fault(400, { description: 'JSON depth exceeds 10' }),
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 400,
    contentType: JSON_TYPE,
    text: '{"code":"400","message":"Bad Request","description":"JSON depth exceeds 10"}',
  },
  // The documentation's status table, kept as the default: 900805 with 429, 900911 with 401.
  {
    name: 'a blocked request (900805, the documented 429)',
    error: () => esb.fault(900805),
    status: 429,
    contentType: JSON_TYPE,
    text: '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}',
  },
  {
    name: 'an API without an OpenAPI definition (900911, the documented 401)',
    error: () => esb.fault(900911),
    status: 401,
    contentType: JSON_TYPE,
    wwwAuthenticate: CHALLENGE_4,
    text: '{"code":"900911","message":"Internal Server Error","description":"Internal Server Error"}',
  },
  // PayloadFactory's JSON escaping: \ " \b \f \n \r \t only, / as it is; trim() only around the payload.
  {
    name: 'a message with every character payloadFactory escapes, a slash and edge spaces',
    error: () => esb.fault(123456, { message: ' a\\b"c"/d\be\ff\ng\rh\ti ' }),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"123456","type":"Status report","message":"Runtime Error","description":" a\\\\b\\"c\\"/d\\be\\ff\\ng\\rh\\ti "}',
  },
  {
    name: "900908's trailing space, which the constant carries",
    error: () => esb.fault(900908),
    status: 403,
    contentType: JSON_TYPE,
    text: '{"code":"900908","message":"Resource forbidden ","description":"Resource forbidden "}',
  },
  // Profile apim-3.2 (WSO2 API Manager 3.2.0): the am:/ams:/amt: bodies on an XML Accept, its challenge.
  {
    name: 'apim-3.2: an invalid token asking for XML (ams:fault)',
    profile: 'apim-3.2',
    error: () => esb.fault(900901),
    headers: { accept: 'application/xml' },
    status: 401,
    contentType: 'application/xml; charset=UTF-8',
    wwwAuthenticate: CHALLENGE_3_2,
    text:
      '<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900901</ams:code><ams:message>Invalid Credentials</ams:message>' +
      '<ams:description>Invalid Credentials. Make sure you have provided the correct security credentials</ams:description></ams:fault>',
  },
  {
    name: 'apim-3.2: an invalid token asking for JSON (the 3.2 challenge)',
    profile: 'apim-3.2',
    error: () => esb.fault(900901),
    headers: { accept: 'application/json' },
    status: 401,
    contentType: JSON_TYPE,
    wwwAuthenticate: CHALLENGE_3_2,
    text: '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}',
  },
  {
    name: 'apim-3.2: a throttle-out asking for text/xml (amt:fault)',
    profile: 'apim-3.2',
    error: () => esb.fault(900800, { nextAccessTime: NEXT }),
    headers: { accept: 'text/xml' },
    status: 429,
    contentType: 'text/xml; charset=UTF-8',
    retryAfter: 'Tue, 10 Feb 2026 16:20:00 GMT',
    text:
      '<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>Message throttled out</amt:message>' +
      '<amt:description>You have exceeded your quota .You can access API after 2026-Feb-10 16:20:00+0000 UTC</amt:description>' +
      '<amt:nextAccessTime>2026-Feb-10 16:20:00+0000 UTC</amt:nextAccessTime></amt:fault>',
  },
  {
    name: 'apim-3.2: a refused connection asking for XML (am:fault)',
    profile: 'apim-3.2',
    error: () => esb.fault(101503),
    headers: { accept: 'application/xml' },
    status: 500,
    contentType: 'application/xml; charset=UTF-8',
    text:
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>101503</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message>' +
      '<am:description>Error connecting to the back end</am:description></am:fault>',
  },
  {
    name: 'apim-3.2: a request that matches no API, asking for XML',
    profile: 'apim-3.2',
    headers: { accept: 'application/xml' },
    status: 404,
    contentType: 'application/xml; charset=UTF-8',
    text:
      '<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>404</am:code><am:type>Status report</am:type><am:message>Not Found</am:message>' +
      '<am:description>The requested resource is not available.</am:description></am:fault>',
  },
  // Profile apim-4-runtime: what ThrottleHandler and APIAuthenticationHandler send.
  {
    name: 'apim-4-runtime: a blocked request (900805 with 403)',
    profile: 'apim-4-runtime',
    error: () => esb.fault(900805),
    status: 403,
    contentType: JSON_TYPE,
    text: '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}',
  },
  {
    name: 'apim-4-runtime: an API without an OpenAPI definition (900911 with 500, no challenge)',
    profile: 'apim-4-runtime',
    error: () => esb.fault(900911),
    status: 500,
    contentType: JSON_TYPE,
    text: '{"code":"900911","message":"Internal Server Error","description":"Internal Server Error"}',
  },
];

/** A hostile text and what each encoding makes of it, written out. */
interface Hostile {
  readonly label: string;
  readonly text: string;
  /** JSON string contents (JSON.stringify's escapes, C0 controls included: upstream writes them raw, which is not JSON). */
  readonly json: string;
  /** XML text as Axiom and Woodstox write it (what XML 1.0 forbids becomes U+FFFD). */
  readonly xml: string;
}

const HOSTILE: readonly Hostile[] = [
  {
    label: 'quotes, apostrophes and markup',
    text: `He said "no" & it's <b>`,
    json: `He said \\"no\\" & it's <b>`,
    xml: `He said "no" &amp; it's &lt;b>`,
  },
  { label: 'a CDATA end and a leading >', text: '>x]]>y', json: '>x]]>y', xml: '&gt;x]]&gt;y' },
  {
    label: 'CR, LF and TAB',
    text: 'a\r\nb\tc\r',
    json: 'a\\r\\nb\\tc\\r',
    xml: 'a&#xd;\nb\tc&#xd;',
  },
  {
    label: 'C0 controls',
    text: 'x\u0000\u0001\u0008\u000b\u000c\u001fy',
    json: 'x\\u0000\\u0001\\b\\u000b\\f\\u001fy',
    xml: 'x\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDy',
  },
  {
    label: 'DEL, C1 controls and line separators',
    text: '\u007f\u0080\u0085\u009f\u2028\u2029',
    json: '\u007f\u0080\u0085\u009f\u2028\u2029',
    xml: '&#x7f;&#x80;&#x85;&#x9f;\u2028\u2029',
  },
  {
    label: 'astral characters',
    text: 'Schlüssel 😀𝄞',
    json: 'Schlüssel 😀𝄞',
    xml: 'Schlüssel 😀𝄞',
  },
  {
    label: 'lone surrogates',
    text: 'a\ud800b\udfffc',
    json: 'a\\ud800b\\udfffc',
    xml: 'a\uFFFDb\uFFFDc',
  },
  { label: 'U+FFFE and U+FFFF', text: '\ufffe\uffff', json: '\ufffe\uffff', xml: '\uFFFD\uFFFD' },
  {
    label: 'a 5000-character text',
    text: 'z'.repeat(5000),
    json: 'z'.repeat(5000),
    xml: 'z'.repeat(5000),
  },
];
// The client gets at most 4096 characters of a message (limits.message), marked; descriptions are sent whole.
const cut = (text: string): string =>
  text.length > 4096 ? `${text.slice(0, 4096 - 13)}… [truncated]` : text;

const SOAP_HEAD =
  "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>";
const SOAP_TAIL = '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';

// Each hostile text as message and description of an auth failure, a throttle-out and a fault-sequence fault, in JSON, SOAP and 3.2 XML.
const HOSTILE_CASES: readonly Golden[] = HOSTILE.flatMap((h): Golden[] => {
  const [jm, jd, xm, xd] = [cut(h.json), h.json, cut(h.xml), h.xml];
  const auth = () => esb.fault(900901, { message: h.text, description: h.text });
  const quota = () => esb.fault(900800, { message: h.text, description: h.text });
  const failed = () => esb.fault(123456, { message: h.text });
  const xmlAccept = { accept: 'application/xml' };
  const soap = {
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    contentType: SOAP_TYPE,
  };
  return [
    {
      name: `${h.label}: auth failure, JSON`,
      error: auth,
      status: 401,
      contentType: JSON_TYPE,
      wwwAuthenticate: CHALLENGE_4,
      text: `{"code":"900901","message":"${jm}","description":"${jd}"}`,
    },
    {
      name: `${h.label}: throttle-out, JSON`,
      error: quota,
      status: 429,
      contentType: JSON_TYPE,
      text: `{"code":"900800","message":"${jm}","description":"${jd}"}`,
    },
    {
      name: `${h.label}: fault sequence, JSON`,
      error: failed,
      status: 500,
      contentType: JSON_TYPE,
      text: `{"code":"123456","type":"Status report","message":"Runtime Error","description":"${jm}"}`,
    },
    {
      name: `${h.label}: auth failure, SOAP`,
      error: auth,
      ...soap,
      status: 401,
      wwwAuthenticate: CHALLENGE_4,
      text: `${SOAP_HEAD}<faultcode>soapenv:Client</faultcode><faultstring>Authentication Failure</faultstring><detail>${xm}</detail>${SOAP_TAIL}`,
    },
    {
      name: `${h.label}: throttle-out, SOAP`,
      error: quota,
      ...soap,
      status: 429,
      text: `${SOAP_HEAD}<faultcode>soapenv:Server</faultcode><faultstring>${xm}</faultstring><detail>${xd}</detail>${SOAP_TAIL}`,
    },
    {
      name: `${h.label}: fault sequence, SOAP`,
      error: failed,
      ...soap,
      status: 500,
      text: `${SOAP_HEAD}<faultcode>soapenv:Server</faultcode><faultstring>${xm}</faultstring>${SOAP_TAIL}`,
    },
    {
      name: `${h.label}: auth failure, 3.2 XML`,
      profile: 'apim-3.2',
      error: auth,
      headers: xmlAccept,
      status: 401,
      contentType: 'application/xml; charset=UTF-8',
      wwwAuthenticate: CHALLENGE_3_2,
      text: `<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900901</ams:code><ams:message>${xm}</ams:message><ams:description>${xd}</ams:description></ams:fault>`,
    },
    {
      name: `${h.label}: throttle-out, 3.2 XML`,
      profile: 'apim-3.2',
      error: quota,
      headers: xmlAccept,
      status: 429,
      contentType: 'application/xml; charset=UTF-8',
      text: `<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>${xm}</amt:message><amt:description>${xd}</amt:description></amt:fault>`,
    },
    {
      name: `${h.label}: fault sequence, 3.2 XML`,
      profile: 'apim-3.2',
      error: failed,
      headers: xmlAccept,
      status: 500,
      contentType: 'application/xml; charset=UTF-8',
      text: `<am:fault xmlns:am="http://wso2.org/apimanager"><am:code>123456</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message><am:description>${xm}</am:description></am:fault>`,
    },
  ];
});

// An empty description is sent empty, in every encoding.
const EMPTY_CASES: readonly Golden[] = [
  {
    name: 'an empty description, JSON',
    error: () => esb.fault(900800, { description: '' }),
    status: 429,
    contentType: JSON_TYPE,
    text: '{"code":"900800","message":"Message throttled out","description":""}',
  },
  {
    name: 'an empty description, SOAP',
    error: () => esb.fault(900800, { description: '' }),
    method: 'POST',
    headers: SOAP_REQUEST,
    body: SOAP_ENVELOPE,
    status: 429,
    contentType: SOAP_TYPE,
    text: `${SOAP_HEAD}<faultcode>soapenv:Server</faultcode><faultstring>Message throttled out</faultstring><detail></detail>${SOAP_TAIL}`,
  },
  {
    name: 'an empty description, 3.2 XML',
    profile: 'apim-3.2',
    error: () => esb.fault(900800, { description: '' }),
    headers: { accept: 'text/xml' },
    status: 429,
    contentType: 'text/xml; charset=UTF-8',
    text: '<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>Message throttled out</amt:message><amt:description></amt:description></amt:fault>',
  },
];

const ALL = [...GOLDEN, ...HOSTILE_CASES, ...EMPTY_CASES].map((c, index) => ({
  ...c,
  path: `/golden/${index}`,
}));
const PROFILES: readonly (EsbProfile | undefined)[] = [undefined, 'apim-3.2', 'apim-4-runtime'];

function optionsOf(profile: EsbProfile | undefined): FaultHandlerOptions {
  return { dialect: 'esb', logger: false, ...(profile === undefined ? {} : { esb: { profile } }) };
}

/** The headers that carry upstream bytes, as a handler or a server sent them. */
function wire(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  text: string,
): object {
  return {
    status,
    'content-type': headers['content-type'],
    'content-length': headers['content-length'],
    'www-authenticate': headers['www-authenticate'],
    'retry-after': headers['retry-after'],
    text,
  };
}

function expected(c: Golden): object {
  return {
    status: c.status,
    'content-type': c.contentType,
    'content-length': String(Buffer.byteLength(c.text)),
    'www-authenticate': c.wwwAuthenticate,
    'retry-after': c.retryAfter,
    text: c.text,
  };
}

// Every XML body is well-formed XML 1.0 (fast-xml-parser's validator, and no forbidden character).
function expectWellFormed(c: Golden, text: string): void {
  if (c.contentType.includes('xml')) expect(() => parseXml(text)).not.toThrow();
  else expect(() => JSON.parse(text) as unknown).not.toThrow();
}

describe('the ESB dialect through createFaultHandler().handle()', () => {
  const handlers = new Map(PROFILES.map((p) => [p, createFaultHandler(optionsOf(p))]));

  it.each(ALL)('$name', (c) => {
    const request: RequestInfo = {
      method: c.method ?? 'GET',
      url: c.path,
      headers: c.headers ?? {},
      ...(c.body === undefined ? {} : { body: c.body }),
    };
    const thrown =
      c.error === undefined ? routeNotFound(request.method ?? 'GET', c.path) : c.error();
    const response = handlers.get(c.profile)!.handle(thrown, request);
    expect(wire(response.status, response.headers, response.body)).toEqual(expected(c));
    expectWellFormed(c, response.body);
  });
});

describe.each(ADAPTERS)('the ESB dialect through $name', (adapter) => {
  const servers = new Map<EsbProfile | undefined, Running>();

  beforeAll(async () => {
    for (const profile of PROFILES) {
      const routes: FailingRoute[] = ALL.filter(
        (c) => c.profile === profile && c.error !== undefined,
      ).map((c) => ({ path: c.path, error: c.error! }));
      servers.set(profile, await adapter.start(routes, optionsOf(profile)));
    }
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
  });

  it.each(ALL)('$name', async (c) => {
    // A request that matches no API goes to a path no route serves.
    const path = c.error === undefined ? `/no-such-api${c.path}` : c.path;
    const res = await call(servers.get(c.profile)!.url, c.method ?? 'GET', path, c.headers, c.body);
    expect(wire(res.status, res.headers, res.text)).toEqual(expected(c));
    expectWellFormed(c, res.text);
  });
});

describe('decodeTransportCode: only the pairs PassThrough sends', () => {
  it.each([
    [
      101507,
      [
        'SND_IO_ERROR_SENDING+CLOSING',
        'CONNECTION_TIMEOUT+REQUEST_DONE',
        'CONNECTION_CLOSED+REQUEST_BODY',
        'PROTOCOL_VIOLATION+REQUEST_HEAD',
        'CONNECT_CANCEL+REQUEST_READY',
      ],
    ],
    [102510, ['SND_HTTP_ERROR+REQUEST_READY']],
    [102511, ['SND_HTTP_ERROR+REQUEST_HEAD']],
    [101501, ['SND_IO_ERROR_SENDING+REQUEST_HEAD']],
    [101503, ['SND_IO_ERROR_SENDING+REQUEST_DONE', 'CONNECTION_FAILED+REQUEST_READY']],
    [101504, ['SND_IO_ERROR_SENDING+RESPONSE_HEAD', 'CONNECTION_TIMEOUT+REQUEST_READY']],
    [101000, []],
  ] as Array<[number, string[]]>)('should read %p as %p', (code, pairs) => {
    expect(esb.decodeTransportCode(code).map((c) => `${c.base}+${c.state}`)).toEqual(pairs);
  });
});
