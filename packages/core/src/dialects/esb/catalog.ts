/**
 * The ESB / API gateway catalogue: every code of WSO2 API Manager's documented error tables
 * ("Error Handling" in the WSO2 API Manager documentation) with their HTTP status, the
 * gateway's `message` constant and `ERROR_DETAIL` text (the gateway handlers of
 * wso2/carbon-apimgt), the documentation's description and example, and the fault sequence
 * the code is answered by. Transport codes live in `codes.ts`.
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { ERROR_IN_SENDER } from './passthrough.js';
import { TRANSPORT_ENTRIES } from './codes.js';

/**
 * The gateway's named fault sequences. `_api_blocked_sequence_` is the blocked-API sequence
 * (shipped as `_block_api_handler_.xml`).
 *
 * @example
 * ```ts
 * SEQUENCE_NAMES.includes('_auth_failure_handler_'); // true
 * ```
 */
export const SEQUENCE_NAMES = [
  'fault',
  'main',
  '_auth_failure_handler_',
  '_throttle_out_handler_',
  '_resource_mismatch_handler_',
  '_token_fault_',
  '_threat_fault_',
  '_production_key_error_',
  '_sandbox_key_error_',
  '_api_blocked_sequence_',
] as const;

/**
 * The name of a built-in fault sequence.
 *
 * @example
 * ```ts
 * const replaced: SequenceName = '_auth_failure_handler_';
 * createFaultHandler({ dialect: 'esb', esb: { sequences: { convert: { status: 401 } }, use: { [replaced]: 'convert' } } });
 * ```
 */
export type SequenceName = (typeof SEQUENCE_NAMES)[number];

/**
 * A catalogue entry with the gateway's own data.
 *
 * @example
 * ```ts
 * const entry = esb.catalog.get(900901) as EsbCatalogEntry | undefined;
 * entry?.sequence; // '_auth_failure_handler_'
 * ```
 */
export interface EsbCatalogEntry extends CatalogEntry<number> {
  /** The sequence that answers the code. */
  readonly sequence: SequenceName;
  /** Auth codes: the text the gateway appends to the message after `". "` in `description`. */
  readonly extra?: string;
  /**
   * Auth codes: the exception message `description` starts with, where it is not the code's
   * message (`getError` pairs 900902 with "Invalid Credentials").
   */
  readonly exception?: string;
  /** Throttling and blocked-API codes: the fixed `description` (`ERROR_DETAIL`) text. */
  readonly detail?: string;
  /**
   * The text WSO2's documentation gives for the code (its "Error Message" column), where it
   * differs from the `message` constant the gateway sends.
   */
  readonly documentedMessage?: string;
  /** The documentation's "Example" column: the situation that causes the code. */
  readonly example?: string;
}

type Row = [
  code: number,
  status: number,
  name: string,
  message: string,
  description: string,
  example?: string,
  documentedMessage?: string,
];

/**
 * The `description` of the quota throttle-outs, the ones that carry the next access time.
 *
 * @example
 * ```ts
 * ESB_ENTRIES.filter((e) => e.detail === QUOTA).length; // 6
 * ```
 */
export const QUOTA = 'You have exceeded your quota';
const AUTH_HEADER = 'Authorization';

function rows(
  sequence: SequenceName,
  list: readonly Row[],
  more: Readonly<Record<number, Partial<EsbCatalogEntry>>> = {},
): EsbCatalogEntry[] {
  return list.map(([code, status, name, message, description, example, documentedMessage]) => ({
    code,
    status,
    name,
    message,
    description,
    sequence,
    ...(example === undefined ? {} : { example }),
    ...(documentedMessage === undefined ? {} : { documentedMessage }),
    ...more[code],
  }));
}

// Throttling: the documented statuses (900805 → 429, where the gateway's code sends 403: profile apim-4-runtime), the gateway's texts.
const THROTTLE = rows(
  '_throttle_out_handler_',
  [
    [
      900800,
      429,
      'API_THROTTLE_OUT',
      'Message throttled out',
      'The maximum number of requests that can be made to the API within a designated time period is reached and the API is throttled for the user.',
      'Invoke an API exceeding the tier limit',
    ],
    [
      900801,
      503,
      'HARD_LIMIT_EXCEEDED',
      'API Limit Reached',
      'Hard throttle limit has been reached',
      'Invoke an API exceeding the hard throttle limit',
      'Hard limit exceeded',
    ],
    [
      900802,
      429,
      'RESOURCE_THROTTLE_OUT',
      'Message throttled out',
      'Message is throttled out because resource level has exceeded',
      'Sending/Receiving messages beyond authorized resource level',
      'Resource level throttle out',
    ],
    [
      900803,
      429,
      'APPLICATION_THROTTLE_OUT',
      'Message throttled out',
      'Message is throttled out because application level is exceeded',
      'Sending/Receiving messages beyond authorized application level',
      'Application level throttle out',
    ],
    [
      900804,
      429,
      'SUBSCRIPTION_THROTTLE_OUT',
      'Message throttled out',
      'Message throttled out due to subscription level throttling limit reached.',
      'Sending/Receiving messages beyond configured throttling limit of subscription level policy.',
      'Subscription level throttled out',
    ],
    [
      900805,
      429,
      'BLOCKED',
      'Message blocked',
      'Accessing an API which is blocked on user, IP, application, or API Context.',
      'An admin user can block API invocations in real time by user, IP, application, or API context. The API invocation meets the blocked condition.',
    ],
    [
      900806,
      429,
      'CUSTOM_POLICY_THROTTLE_OUT',
      'Message throttled out',
      'Message throttled out due to exceeding the limit configured through the custom throttling policy rules.',
      'The API invocations meet custom throttle policy rules, exceeding the limits of the configured custom policy.',
      'Custom policy throttled out',
    ],
    [
      900807,
      429,
      'SUBSCRIPTION_BURST_THROTTLE_OUT',
      'Message throttled out',
      'Messaged throttled out because of exceeding the burst control/rate limit (requests per second) in the subscription level policy.',
      'Sending/Receiving messages exceeding the configured burst control/rate limit within second.',
    ],
  ],
  {
    900800: { detail: QUOTA },
    900801: { detail: 'API not accepting requests' },
    900802: { detail: QUOTA },
    900803: { detail: QUOTA },
    900804: { detail: QUOTA },
    900805: { detail: 'You have been blocked from accessing the resource' },
    900806: { detail: QUOTA },
    900807: { detail: QUOTA },
  },
);

// Authentication: APISecurityConstants messages (900908 keeps its trailing space) and extra texts.
const AUTH = rows(
  '_auth_failure_handler_',
  [
    [
      900900,
      500,
      'API_AUTH_GENERAL_ERROR',
      'Unclassified Authentication Failure',
      'An unspecified error has occurred',
      'Backend service for key validation is not accessible when trying to invoke an API',
      'Unclassified authentication failure',
    ],
    [
      900901,
      401,
      'API_AUTH_INVALID_CREDENTIALS',
      'Invalid Credentials',
      'Invalid authentication information provided.',
      'When the access token is invalid, inactive or expired.',
      'Invalid credentials',
    ],
    [
      900902,
      401,
      'API_AUTH_MISSING_CREDENTIALS',
      'Missing Credentials',
      'No authentication information provided',
      'Accessing an API without Authorization: Bearer header',
      'Missing credentials',
    ],
    [
      900903,
      401,
      'API_AUTH_ACCESS_TOKEN_EXPIRED',
      'Access Token Expired',
      'The access token has expired (not in the documented tables; the gateway constant, sent with 401).',
    ],
    [
      900904,
      401,
      'API_AUTH_ACCESS_TOKEN_INACTIVE',
      'Access Token Inactive',
      'The access token is inactive (not in the documented tables; the gateway constant, sent with 401).',
    ],
    [
      900905,
      401,
      'API_AUTH_INCORRECT_ACCESS_TOKEN_TYPE',
      'Incorrect Access Token Type is provided',
      'The access token type used is not supported when invoking the API. The supported access token types are application and user accesses tokens. See Access Tokens.',
      'Invoke an API with application token, where the resource only allows application user tokens',
      'Incorrect access token type is provided',
    ],
    [
      900907,
      401,
      'API_BLOCKED',
      'The requested API is temporarily blocked',
      'Happens when the API user is blocked.',
      'Invoke API resource with a subscription that has been blocked by the API publisher',
    ],
    [
      900908,
      403,
      'API_AUTH_FORBIDDEN',
      'Resource forbidden ',
      'The user invoking the API has not been granted access to the required resource.',
      'Invoke an unsubscribed API',
      'Resource forbidden',
    ],
    [
      900909,
      401,
      'SUBSCRIPTION_INACTIVE',
      'The subscription to the API is inactive',
      'The status of the API has changed to an inaccessible/unavailable state.',
      'Invoke an API resource with a subscription that has not yet been approved by the administrator.',
    ],
    [
      900910,
      403,
      'INVALID_SCOPE',
      'The access token does not allow you to access the requested resource',
      'Can not access the required resource with the provided access token. Check the valid resources that can be accessed with this token.',
      "Invoke API resource with an access token that is not generated to be used with the resource's scope.",
    ],
    [
      900911,
      401,
      'API_AUTH_MISSING_OPEN_API_DEF',
      'Internal Server Error',
      "The API has no OpenAPI definition (only in the documented status table, as 401; the gateway's code sends 500, as profile apim-4-runtime does).",
    ],
  ],
  {
    900901: { extra: 'Make sure you have provided the correct security credentials' },
    900902: {
      exception: 'Invalid Credentials',
      extra: `Make sure your API invocation call has a header: '${AUTH_HEADER} : Bearer ACCESS_TOKEN' or '${AUTH_HEADER} : Basic ACCESS_TOKEN' or 'apikey: API_KEY'`,
    },
    900903: { extra: 'Renew the access token and try again' },
    900904: { extra: 'Generate a new access token and try again' },
  },
);

const OTHER: EsbCatalogEntry[] = [
  // OAuthAuthenticator's "no matching auth scheme": an authentication failure, not the resource mismatch.
  ...rows(
    '_auth_failure_handler_',
    [
      [
        900906,
        403,
        'API_AUTH_INCORRECT_API_RESOURCE',
        'No matching resource found in the API for the given request',
        'A resource with the name in the request can not be found in the API.',
        'Invoke an API resource that is not available',
      ],
    ],
    {
      900906: {
        extra:
          'Check the API documentation and add a proper REST resource path to the invocation URL',
      },
    },
  ),
  // CORSRequestHandler.handleResourceNotFound: the API matched, its resources did not (404 with the
  // code 404 is `esb.fault(404, { sequence: '_resource_mismatch_handler_' })`).
  ...rows('_resource_mismatch_handler_', [
    [
      403,
      403,
      'NO_MATCHING_RESOURCE',
      'No matching resource found in the API for the given request',
      'No matching resource found in the API for the given request (the documentation\'s "Sequences error codes").',
    ],
    [
      405,
      405,
      'METHOD_NOT_ALLOWED',
      'Method not allowed for given API resource',
      "The API has a resource with the request's path but not its method (the gateway's CORSRequestHandler; not in the documentation's tables).",
    ],
  ]),
  ...rows(
    '_api_blocked_sequence_',
    [
      [
        700700,
        503,
        'API_BLOCKED_LIFECYCLE',
        'API blocked',
        'This API has been blocked temporarily. Please try again later or contact the system administrators.',
        'Invoke an API which is in the BLOCKED lifecycle state',
      ],
    ],
    {
      700700: {
        detail:
          'This API has been blocked temporarily. Please try again later or contact the system administrators.',
      },
    },
  ),
  ...rows('fault', [
    [
      900422,
      422,
      'GRAPHQL_INVALID_QUERY',
      'INVALID QUERY',
      'Syntax of the provided GraphQL query is invalid',
      'Invoking a GraphQL API which has a invalid query',
      'Invalid GraphQL query',
    ],
    // SND_HTTP_ERROR + REQUEST_HEAD: PassThrough's TargetHandler sends it as "Error in Sender".
    [
      102511,
      400,
      'INCOMPLETE_PAYLOAD',
      ERROR_IN_SENDER,
      'The payload sent with the request is too large and the client is unable to keep the connection alive until the payload is completely transferred to the API Gateway',
      'Sending a large PDF file with the POST request',
      'Incomplete payload',
    ],
  ]),
  ...rows('_threat_fault_', [
    [
      400,
      400,
      'BAD_REQUEST',
      'Bad Request',
      'Server cannot process the request due to an error in the request sent by the client (the documentation\'s "Sequences error codes").',
    ],
  ]),
  ...rows(
    'main',
    [
      [
        404,
        404,
        'NOT_FOUND',
        'Not Found',
        "No API matches the request (the gateway's main sequence; not in the documented tables).",
      ],
    ],
    { 404: { detail: 'The requested resource is not available.' } },
  ),
];

/**
 * Every entry: the documented API-handler codes (throttling, authentication, the others), the
 * codes of the documentation's "Sequences error codes" table and the main sequence's 404, then
 * the transport codes.
 *
 * @example
 * ```ts
 * ESB_ENTRIES.find((e) => e.code === 900901)?.sequence; // '_auth_failure_handler_'
 * ```
 */
export const ESB_ENTRIES: readonly EsbCatalogEntry[] = [
  ...THROTTLE,
  ...AUTH,
  ...OTHER,
  ...TRANSPORT_ENTRIES.map((entry) => ({ ...entry, sequence: 'fault' as const })),
];

/**
 * The codes with a catalogue entry.
 *
 * @example
 * ```ts
 * const code: EsbCatalogCode = 900901; // Invalid Credentials
 * throw esb.fault(code);
 * ```
 */
export type EsbCatalogCode =
  | 700700
  | 900422
  | 900800
  | 900801
  | 900802
  | 900803
  | 900804
  | 900805
  | 900806
  | 900807
  | 900900
  | 900901
  | 900902
  | 900903
  | 900904
  | 900905
  | 900906
  | 900907
  | 900908
  | 900909
  | 900910
  | 900911
  | 102511
  | 400
  | 403
  | 404
  | 405
  | 101000
  | 101001
  | 101500
  | 101501
  | 101503
  | 101504
  | 101505
  | 101506
  | 101507
  | 101508
  | 101509
  | 101510
  | 102510;

/** The dialect's id, `esb`. */
export const DIALECT = 'esb';

/**
 * The ESB catalogue: the documented codes and the transport codes.
 *
 * @example
 * ```ts
 * catalog.get(900805)?.status; // 429
 * ```
 */
export const catalog = makeCatalog<number>(DIALECT, ESB_ENTRIES);
const entries: ReadonlyMap<number, EsbCatalogEntry> = new Map(ESB_ENTRIES.map((e) => [e.code, e]));

/**
 * The catalogue entry of a code, with the gateway's data.
 *
 * @param code - an ESB code
 * @returns the entry, or `undefined`
 * @example
 * ```ts
 * entryOf(900901)?.extra; // 'Make sure you have provided the correct security credentials'
 * ```
 */
export function entryOf(code: number): EsbCatalogEntry | undefined {
  return entries.get(code);
}
