/**
 * The X-Road catalogue: every code X-Road's "How to interpret Security Server proxy error
 * messages" lists for the consumer-side (client proxy) and provider-side (server proxy)
 * Security Server, the provider-side network error, and faultline's own `Client.*` codes for
 * a caller's mistakes. `Server.*` codes are sent with status 500, `Client.*` codes with 400.
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { isQualified } from './codes.js';

/**
 * The form of an X-Road code: dotted identifiers, e.g. `Server.ServerProxy.AccessDenied`.
 *
 * @example
 * ```ts
 * XROAD_CODE.test('Server.ClientProxy.NetworkError'); // true
 * ```
 */
export const XROAD_CODE = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

/**
 * The entries, in that document's order: client proxy, server proxy, then faultline's own.
 *
 * @example
 * ```ts
 * XROAD_ENTRIES.find((e) => e.code === 'Server.ServerProxy.AccessDenied')?.description;
 * ```
 */
export const XROAD_ENTRIES = [
  // Client proxy (consumer-side Security Server)
  {
    code: 'Server.ClientProxy.UnknownMember',
    status: 500,
    name: 'UnknownMember',
    message: 'The request contains invalid client or service identifier',
    description: 'The request contains invalid client or service identifier.',
    examples: [
      {
        message:
          "Client 'SUBSYSTEM:instanceIdentifier/memberClass/memberCode/subsystemCode' not found",
        description:
          'In case the client is not found, the client specified in the request is not registered on the consumer side Security Server (2).',
      },
      {
        message:
          "Could not find addresses for service provider 'SERVICE:instanceIdentifier/memberClass/memberCode/subsystemCode/serviceCode'",
        description:
          "In case addresses for service provider are not found, there's an error in the service identifier. Please make sure that the value of the service identifier in the request is correct and corresponds to the information registered on the service provider's Security Server (3).",
      },
    ],
  },
  {
    code: 'Server.ClientProxy.NetworkError',
    status: 500,
    name: 'NetworkError',
    message: 'Network error',
    description:
      'The consumer side Security Server (2) is not able to establish a network connection to the provider side Security Server (3).',
    examples: [
      {
        message: 'Could not connect to any target host ([https://<TARGET_HOST>:5500/])',
        description:
          "The consumer side Security Server (2) is not able to establish a network connection to the provider side Security Server (3). The problem is usually caused by incorrect firewall configurations. On the consumer side Security Server (2), outgoing traffic to the provider side Security Server's (3) ports 5500 and 5577 must be allowed. On the provider side Security Server (3), incoming traffic to ports 5500 and 5577 from the consumer side Security Server (2) must be allowed. More information about required firewall configurations can be found in the Security Server installation guides for Ubuntu and RHEL.",
      },
      {
        message: 'Name or service not known. No address associated with hostname.',
        description:
          'DNS lookup of the provider side Security Server (3) fails, because the server is registered with a wrong public FQDN name. Contact the administrator of the provider side Security Server (3).',
      },
    ],
  },
  {
    code: 'Server.ClientProxy.CannotCreateSignature.Signer.TokenNotActive',
    status: 500,
    name: 'CannotCreateSignature.Signer.TokenNotActive',
    message: 'Token not active',
    description:
      'The signing token of the consumer side Security Server (2) is not active (logged in), so the request cannot be signed.',
    examples: [{ message: "Token 'softToken' not active" }],
  },
  {
    code: 'Server.ClientProxy.ServiceFailed.InternalError',
    status: 500,
    name: 'ServiceFailed.InternalError',
    message: 'Internal Server Error',
    description:
      'Processing the request failed because of an internal error on the consumer side Security Server (2). Check the proxy (2) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (2) logging levels.',
    examples: [
      {
        message: 'Invalid instance identifier: instanceIdentifier',
        description:
          'Processing the request failed because of an internal error on the consumer side Security Server (2). Check the proxy (2) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (2) logging levels.',
      },
    ],
  },
  {
    code: 'Server.ClientProxy.SslAuthenticationFailed',
    status: 500,
    name: 'SslAuthenticationFailed',
    message: 'SSL authentication failed',
    description:
      'TLS authentication failed on the consumer side Security Server (2): the consumer side (2) or provider side (3) Security Server has no valid authentication certificate, or the service consumer (1) did not connect as the connection type of its client subsystem requires.',
    examples: [
      {
        message: 'Security server has no valid authentication certificate',
        description:
          "The consumer side Security Server (2) does not have a valid authentication certificate. The authentication certificate may not exist, it may be disabled, it may not be registered or it may not have a valid OCSP status. To fix the problem, please try the following actions: Make sure the authentication certificate is imported into the Security Server (2). Make sure the certificate is active. Make sure the certificate is registered. If the OCSP status of the authentication certificate is not in the 'good' state, then the Security Server (2) cannot use the certificate. The OCSP status can be checked in the Keys & Certificates view of the Security Server (2). Verify that the soft token holding the authentication certificate is available and logged in. The token status can be checked in the Keys & Certificates view of the Security Server (2).",
      },
      {
        message: 'Service provider did not send correct authentication certificate',
        description:
          "The provider side Security Server (3) does not have a valid authentication certificate. The authentication certificate may not exist, it may be disabled, it may not be registered or it may not have a valid OCSP status. To fix the problem, please try the following actions: Make sure the authentication certificate is imported into the Security Server (3). Make sure the certificate is active. Make sure the certificate is registered. If the OCSP status of the authentication certificate is not in the 'good' state, then the Security Server (3) cannot use the certificate. The OCSP status can be checked in the Keys & Certificates view of the Security Server (3). Verify that the soft token holding the authentication certificate is available and logged in. The token status can be checked in the Keys & Certificates view of the Security Server (3). Alternatively, the authentication certificate returned by the provider side Security Server (3) does not match with the authentication certificate that has been registered to that Security Server in the global configuration. This may happen when the provider side Security Server (3) uses an external load balancer that has not been configured to use SSL passthrough.",
      },
      {
        message:
          'Client (SUBSYSTEM:instanceIdentifier/memberClass/memberCode/subsystemCode) specifies HTTPS but did not supply TLS certificate',
      },
      {
        message:
          'Client (SUBSYSTEM:instanceIdentifier/memberClass/memberCode/subsystemCode) specifies HTTPS NO AUTH but client made plaintext connection',
        description:
          'The connection type of the client subsystem used by the service consumer (1) is set to HTTPS NO AUTH on the consumer side Security Server (2), but the service consumer (1) tried to establish a connection using http. The HTTPS NO AUTH connection type enforces the use of https, but the client TLS certificate is not verified by the Security Server (2). In other words, https is used without mutual TLS authentication (mTLS).',
      },
    ],
  },
  {
    code: 'Server.ClientProxy.IOError',
    status: 500,
    name: 'IOError',
    message: 'I/O error',
    description:
      "The member owning the subsystem that's used as a client of the request does not have a valid sign certificate on the consumer side Security Server (2). The sign certificate may not exist, it may be disabled or it may not have a valid OCSP status. To fix the problem, please try the following actions: Make sure the sign certificate is imported into the Security Server (2). Make sure the certificate is active. If the OCSP status of the sign certificate is not in the 'good' state, then the Security Server (2) cannot use the certificate. The OCSP status can be checked in the Keys & Certificates view of the Security Server (2). Verify that the token holding the sign certificate is available and logged in. The token status can be checked in the Keys & Certificates view of the Security Server (2).",
    examples: [
      {
        message:
          "Could not find any certificates for member 'SUBSYSTEM:instanceIdentifier/memberClass/memberCode/subsystemCode'. Are you sure tokens containing the certifications are logged in?",
        description:
          "The member owning the subsystem that's used as a client of the request does not have a valid sign certificate on the consumer side Security Server (2). The sign certificate may not exist, it may be disabled or it may not have a valid OCSP status. To fix the problem, please try the following actions: Make sure the sign certificate is imported into the Security Server (2). Make sure the certificate is active. If the OCSP status of the sign certificate is not in the 'good' state, then the Security Server (2) cannot use the certificate. The OCSP status can be checked in the Keys & Certificates view of the Security Server (2). Verify that the token holding the sign certificate is available and logged in. The token status can be checked in the Keys & Certificates view of the Security Server (2).",
      },
    ],
  },
  {
    code: 'Server.ClientProxy.LoggingFailed.TimestamperFailed',
    status: 500,
    name: 'LoggingFailed.TimestamperFailed',
    message: 'Cannot time-stamp messages',
    description:
      'Time-stamping of messagelog records failed on the consumer side Security Server (2).',
    examples: [
      {
        message: 'Cannot time-stamp messages: no timestamping services configured',
        description:
          'Time-stamping of messagelog records failed, because no time-stamping service has been configured on the consumer side Security Server (2).',
      },
      {
        message: 'Cannot time-stamp messages',
        description:
          'Time-stamping of messagelog records may fail because of multiple reasons: the consumer side Security Server (2) is not able to establish network connection to the time-stamping service, e.g., invalid firewall configurations; the time-stamping service is not currently available. Check the proxy (2) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (2) logging levels.',
      },
    ],
  },
  {
    code: 'Server.ClientProxy.OutdatedGlobalConf',
    status: 500,
    name: 'OutdatedGlobalConf',
    message: 'Global configuration is expired',
    description:
      'The consumer side Security Server (2) is not able to download global configuration from the Central Server and the local copy of the global configuration has expired. Check the configuration client (2) application log (/var/log/xroad/configuration_client.log) for details. In case more detailed logging is required, adjust the configuration client (2) logging levels. You can also try to restart the "xroad-confclient" process. Also, it is possible that the consumer side Security Server (2) is not able to establish network connection to the Central Server, e.g., invalid firewall configurations.',
    examples: [
      {
        message: 'Global configuration is expired',
        description:
          'The consumer side Security Server (2) is not able to download global configuration from the Central Server and the local copy of the global configuration has expired. Check the configuration client (2) application log (/var/log/xroad/configuration_client.log) for details. In case more detailed logging is required, adjust the configuration client (2) logging levels. You can also try to restart the "xroad-confclient" process. Also, it is possible that the consumer side Security Server (2) is not able to establish network connection to the Central Server, e.g., invalid firewall configurations.',
      },
    ],
  },
  {
    code: 'Server.ClientProxy.LoggingFailed.InternalError',
    status: 500,
    name: 'LoggingFailed.InternalError',
    message: 'Writing messages to the message log database failed',
    description:
      'Writing messages to the message log database fails on the consumer side Security Server (2).',
    examples: [
      {
        message:
          'Ask timed out on [Actor [ akka: // Proxy / user / LogManager # 2110275378 ]] after [40000 ms]. Sender [null] sent message of type "ee.ria.xroad.common.messagelog.LogMessage"',
        description:
          'This may happen because the Security Server (2) is overloaded or the hard disk is full. Check the CPU load and free disk space of the server (2). Restarting the server may also help.',
      },
      {
        message: 'Futures timed out after [40 seconds]',
        description:
          'This may happen because the Security Server (2) is overloaded. Check the CPU load of the server (2). Restarting the server (2) may also help.',
      },
    ],
  },
  // Server proxy (provider-side Security Server)
  {
    code: 'Server.ServerProxy.AccessDenied',
    status: 500,
    name: 'AccessDenied',
    message: 'Request is not allowed',
    description:
      'The provider side Security Server (3) denied the request, because the client has not been granted access rights to the requested service.',
    examples: [
      {
        message:
          'Request is not allowed: SERVICE:instanceIdentifier/memberClass/memberCode/subsystemCode/serviceCode',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.ServiceFailed.MissingHeaderField',
    status: 500,
    name: 'ServiceFailed.MissingHeaderField',
    message: 'Malformed SOAP message: header missing',
    description:
      'The response message returned by the service provider information system (4) is missing one or more mandatory SOAP headers. SOAP request and response messages must contain some X-Road specific headers.',
    examples: [
      {
        message: 'Malformed SOAP message: header missing',
        description:
          'The response message returned by the service provider information system (4) is missing one or more mandatory SOAP headers. SOAP request and response messages must contain some X-Road specific headers.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.ServiceFailed.InvalidSoap',
    status: 500,
    name: 'ServiceFailed.InvalidSoap',
    message: 'The service provider returned a malformed SOAP message',
    description:
      'The service provider information system (4) returned a malformed SOAP message as a response. Check the proxy (3) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.',
    examples: [
      {
        message: 'org.xml.sax.SAXParseException; Premature end of file.',
        description:
          'The service provider information system (4) returned a malformed SOAP message as a response. Check the proxy (3) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.UnknownService',
    status: 500,
    name: 'UnknownService',
    message: 'Unknown service',
    description:
      "The service identified by the service code included in the request does not exist on the service provider's Security Server (3). Please make sure that the value of the service code in the request is correct and corresponds to the information registered on the service provider's Security Server (3).",
    examples: [
      {
        message:
          'Unknown service: SERVICE:instanceIdentifier/memberClass/memberCode/subsystemCode/serviceCode',
        description:
          "The service identified by the service code included in the request does not exist on the service provider's Security Server (3). Please make sure that the value of the service code in the request is correct and corresponds to the information registered on the service provider's Security Server (3).",
      },
    ],
  },
  {
    code: 'Server.ServerProxy.ServiceFailed.HttpError',
    status: 500,
    name: 'ServiceFailed.HttpError',
    message: 'Connecting to the service provider failed',
    description:
      "The service provider side Security Server (3) wasn't able to successfully connect to the service provider information system (4). Check the proxy (3) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.",
    examples: [
      {
        message: 'Server responded with error 301: Moved Permanently',
        description:
          "The service provider side Security Server (3) wasn't able to successfully connect to the service provider information system (4). Check the proxy (3) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.",
      },
    ],
  },
  {
    code: 'Server.ServerProxy.ServiceFailed.InternalError',
    status: 500,
    name: 'ServiceFailed.InternalError',
    message: 'Internal Server Error',
    description:
      'Processing the request failed because of an internal error on the provider side Security Server (3).',
    examples: [
      {
        message:
          "Signer.UnknownMember: Could not find any certificates for member 'SUBSYSTEM:instanceIdentifier/memberClass/memberCode/subsystemCode'. Are you sure tokens containing the certifications are logged in?",
        description:
          "On the provider side Security Server (3) there's a problem with the sign certificate of the member owning the service that is invoked. The sign certificate may not exist, it may be disabled or it may not have a valid OCSP status. To fix the problem, please try the following actions: Make sure the sign certificate is imported into the Security Server (3). Make sure the certificate is active. If the OCSP status of the sign certificate is not in the 'good' state, then the Security Server (3) cannot use the certificate. The OCSP status can be checked in the Keys & Certificates view of the Security Server (3). Verify that the token holding the sign certificate is available. The token status can be checked in the Keys & Certificates view of the Security Server (3).",
      },
      {
        message: 'Connection pool shut down',
        description:
          'The provider side Security Server (3) is not able to access its database. Check the proxy (3) application log (/var/log/xroad/proxy.log) and Postgres log (/var/log/postgresql/) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.ServiceFailed.CannotCreateSignature',
    status: 500,
    name: 'ServiceFailed.CannotCreateSignature',
    message: 'Cannot create signature',
    description:
      'There\'s a problem with signer on the provider side Security Server (3). Check the signer (3) application log (/var/log/xroad/signer.log) for details. In case more detailed logging is required, adjust the signer (3) logging levels. You can also try to restart the "xroad-signer" process.',
    examples: [
      {
        message:
          'Failed to get signing info for member HttpError: Connection to Signer (port 5558) timed out',
        description:
          'There\'s a problem with signer on the provider side Security Server (3). Check the signer (3) application log (/var/log/xroad/signer.log) for details. In case more detailed logging is required, adjust the signer (3) logging levels. You can also try to restart the "xroad-signer" process.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.CannotCreateSignature.Signer.TokenNotActive',
    status: 500,
    name: 'CannotCreateSignature.Signer.TokenNotActive',
    message: 'Token not active',
    description:
      'The signing token of the provider side Security Server (3) is not active (logged in), so the response cannot be signed.',
    examples: [{ message: "Token 'softToken' not active" }],
  },
  {
    code: 'Server.ServerProxy.SslAuthenticationFailed',
    status: 500,
    name: 'SslAuthenticationFailed',
    message: 'SSL authentication failed',
    description:
      'SSL authentication between the service provider side Security Server (3) and the service provider information system (4) failed.',
    examples: [
      {
        message: 'Server certificate is not trusted',
        description:
          'SSL authentication between the service provider side Security Server (3) and the service provider information system (4) failed. The error occurs when the "Verify TLS certificate" option is selected in the service configuration, but the service certificate hasn\'t been uploaded to the provider side Security Server (3). The error can be resolved by unchecking the "Verify TLS certificate" option or uploading the service certificate to the provider side Security Server (3).',
      },
      {
        message:
          "Client 'SUBSYSTEM:<instanceIdentifier>/<memberClass>/<memberCode>/<subsystemCode>' has no IS certificates",
        description:
          'SSL authentication between the service provider side Security Server (3) and the service provider information system (4) failed. The error occurs when the "Verify TLS certificate" option is selected in the service configuration, but the service certificate hasn\'t been uploaded to the provider side Security Server (3). The error can be resolved by unchecking the "Verify TLS certificate" option or uploading the service certificate to the provider side Security Server (3).',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.LoggingFailed.TimestamperFailed',
    status: 500,
    name: 'LoggingFailed.TimestamperFailed',
    message: 'Cannot time-stamp messages',
    description:
      'Time-stamping of messagelog records failed on the service provider side Security Server (3).',
    examples: [
      {
        message: 'Cannot time-stamp messages: no timestamping services configured',
        description:
          'Time-stamping of messagelog records failed, because no time-stamping service has been configured on the service provider side Security Server (3).',
      },
      {
        message: 'Cannot time-stamp messages',
        description:
          'Time-stamping of messagelog records may fail because of multiple reasons: the service provider side Security Server (3) is not able to establish network connection to the time-stamping service, e.g., invalid firewall configurations; the time-stamping service is not currently available. Check the proxy (3) application log (/var/log/xroad/proxy.log) for details. In case more detailed logging is required, adjust the proxy (3) logging levels.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.OutdatedGlobalConf',
    status: 500,
    name: 'OutdatedGlobalConf',
    message: 'Global configuration is expired',
    description:
      'The service provider side Security Server (3) is not able to download global configuration from the Central Server and the local copy of the global configuration has expired. Check the configuration client (3) application log (/var/log/xroad/configuration_client.log) for details. In case more detailed logging is required, adjust the configuration client (3) logging levels. You can also try to restart the "xroad-confclient" process. Also, it is possible that the service provider side Security Server (3) is not able to establish network connection to the Central Server, e.g., invalid firewall configurations.',
    examples: [
      {
        message: 'Global configuration is expired',
        description:
          'The service provider side Security Server (3) is not able to download global configuration from the Central Server and the local copy of the global configuration has expired. Check the configuration client (3) application log (/var/log/xroad/configuration_client.log) for details. In case more detailed logging is required, adjust the configuration client (3) logging levels. You can also try to restart the "xroad-confclient" process. Also, it is possible that the service provider side Security Server (3) is not able to establish network connection to the Central Server, e.g., invalid firewall configurations.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.LoggingFailed.InternalError',
    status: 500,
    name: 'LoggingFailed.InternalError',
    message: 'Writing messages to the message log database failed',
    description:
      'Writing messages to the message log database fails on the service provider side Security Server (3).',
    examples: [
      {
        message:
          'Ask timed out on [Actor [ akka: // Proxy / user / LogManager # 2110275378 ]] after [40000 ms]. Sender [null] sent message of type "ee.ria.xroad.common.messagelog.LogMessage"',
        description:
          'This may happen because the Security Server (3) is overloaded or the hard disk is full. Check the CPU load and free disk space of the server (3). Restarting the server may also help.',
      },
      {
        message: 'Futures timed out after [40 seconds]',
        description:
          'This may happen because the Security Server (3) is overloaded. Check the CPU load of the server (3). Restarting the server (3) may also help.',
      },
    ],
  },
  {
    code: 'Server.ServerProxy.IOError',
    status: 500,
    name: 'IOError',
    message: 'I/O error',
    description:
      "TLS handshake between the Security Server (3) and the service provider information system (4) failed. This may happen because the Security Server (3) and the service provider information system (4) don't support the same TLS ciphers and/or TLS protocol versions. By default, the Security Server supports TLSv1.2 and the supported ciphers are listed here. Supported TLS versions and ciphers can be configured using the proxy.client-tls-ciphers and proxy.client-tls-protocols properties.",
    examples: [
      {
        message: 'Received fatal alert: handshake_failure',
        description:
          "TLS handshake between the Security Server (3) and the service provider information system (4) failed. This may happen because the Security Server (3) and the service provider information system (4) don't support the same TLS ciphers and/or TLS protocol versions. By default, the Security Server supports TLSv1.2 and the supported ciphers are listed here. Supported TLS versions and ciphers can be configured using the proxy.client-tls-ciphers and proxy.client-tls-protocols properties.",
      },
    ],
  },
  // Server proxy, not in that document's table
  {
    code: 'Server.ServerProxy.NetworkError',
    status: 500,
    name: 'NetworkError',
    message: 'Network error',
    description:
      'The provider side Security Server (3) is not able to establish a network connection to the service provider information system (4).',
  },
  // faultline's own codes for a caller's mistakes
  {
    code: 'Client.BadRequest',
    status: 400,
    name: 'BadRequest',
    message: 'Bad Request',
    description:
      'Sent by faultline when the request fails validation (schema validation errors, a bad URL, a too-large body), or when the service throws any other 4xx error without a more specific code.',
  },
  {
    code: 'Client.InvalidBody',
    status: 400,
    name: 'InvalidBody',
    message: 'Invalid request body',
    description: 'Sent by faultline when the request body cannot be parsed (invalid JSON or XML).',
  },
  {
    code: 'Client.NotFound',
    status: 400,
    name: 'NotFound',
    message: 'Not Found',
    description: 'Sent by faultline when no route matches the request method and path.',
  },
  {
    code: 'Client.InvalidContentType',
    status: 400,
    name: 'InvalidContentType',
    message: 'Unsupported content type',
    description:
      "Sent by faultline when the request's content type or encoding is not supported (HTTP 415 from the framework).",
  },
  {
    code: 'Client.InvalidHttpMethod',
    status: 400,
    name: 'InvalidHttpMethod',
    message: 'Invalid HTTP method',
    description:
      "Sent by faultline when the route exists but does not accept the request's HTTP method (HTTP 405).",
  },
  {
    code: 'Client.AccessDenied',
    status: 400,
    name: 'AccessDenied',
    message: 'Access denied',
    description:
      "Sent by faultline when the service rejects the caller's credentials or permissions (HTTP 401/403 errors).",
  },
] as const satisfies readonly CatalogEntry<string>[];

/**
 * Every code of the built-in X-Road catalogue.
 *
 * @example
 * ```ts
 * const code: XRoadCatalogCode = 'Server.ClientProxy.UnknownMember';
 * throw xroad.fault(code, "Client 'SUBSYSTEM:EE/GOV/123/app' not found");
 * ```
 */
export type XRoadCatalogCode = (typeof XROAD_ENTRIES)[number]['code'];

/** The dialect's id, `xroad`. */
export const DIALECT = 'xroad';

/**
 * The X-Road catalogue.
 *
 * @example
 * ```ts
 * catalog.get('Server.ServerProxy.AccessDenied')?.status; // 500
 * ```
 */
export const catalog = makeCatalog<string>(DIALECT, XROAD_ENTRIES);
// Unprefixed names (`UnknownService`) of `Server.*` entries, for default messages of codes
// that the side's prefix completes later.
const byName = new Map<string, CatalogEntry<string>>();
for (const entry of catalog.entries) {
  if (entry.code.startsWith('Server.') && !byName.has(entry.name)) byName.set(entry.name, entry);
}

/**
 * The entry of a code, or of an unprefixed name (`UnknownService`) of a `Server.*` entry.
 *
 * @example
 * ```ts
 * entryOf('UnknownService')?.code; // 'Server.ClientProxy.UnknownService'
 * ```
 */
export function entryOf(code: string): CatalogEntry<string> | undefined {
  return catalog.get(code) ?? (isQualified(code) ? undefined : byName.get(code));
}
