/**
 * Starts the certificate authority on 127.0.0.1 (`PORT`, default 8510), mints bearer tokens for
 * three users of the tenant `acme`, and prints a curl walk-through that shows the AST faults
 * one after another. Stops on Ctrl-C.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { signToken } from './auth.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8510);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

// A new secret each run: the printed tokens work for this process only.
const secret = randomBytes(32);
const server = createServer(createApp({ tokenSecret: secret }));

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

let port: number;
try {
  port = await listen(wanted);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  port = await listen(0);
  console.log(`Port ${wanted} is in use, so the example listens on the free port ${port} instead.`);
}

const iat = Math.floor(Date.now() / 1000);
const exp = iat + 8 * 60 * 60;
const token = (sub: string, roles: string[], amr: string[]) =>
  signToken({ sub, tenant: 'acme', roles, amr, iat, exp }, secret);

// RFC 7638's example key: its thumbprint, and so its kid, is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
const JWK =
  '{"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}';

const json = `-H 'Content-Type: application/json'`;
const alice = `-H "Authorization: Bearer $ALICE"`;
const admin = `-H "Authorization: Bearer $ADMIN"`;
const enrol = (profile: string, cn: string, keyArgs: string) =>
  `curl -i ${alice} ${json} --data "{\\"profile\\":\\"${profile}\\",\\"csr\\":\\"$(pem ${cn} ${keyArgs})\\"}" $CA/v1/certificates`;

const steps: readonly (readonly [title: string, command: string])[] = [
  ['No token (401 510401 Unauthorized)', 'curl -i $CA/v1/sdk-config'],
  [
    'SDK config before the tenant has a signer (412 51030 SignerNotYetIssued)',
    `curl -i ${alice} $CA/v1/sdk-config`,
  ],
  [
    'Alice may not manage signers (403 510403 Forbidden)',
    `curl -i -X POST ${alice} $CA/v1/signers`,
  ],
  [
    'The admin creates the signer sgn-1 for tls-client and tls-server (201)',
    `curl -i -X POST ${admin} $CA/v1/signers`,
  ],
  ['Again (409 51040 SignerAlreadyExists)', `curl -i -X POST ${admin} $CA/v1/signers`],
  [
    'No fields (400 5104001 MissingField, with details)',
    `curl -i ${alice} ${json} --data '{}' $CA/v1/certificates`,
  ],
  [
    'Broken JSON (400 5104005 MalformedBody)',
    `curl -i ${alice} ${json} --data '{"csr":' $CA/v1/certificates`,
  ],
  [
    'Not a CSR (400 5104002 MalformedField)',
    `curl -i ${alice} ${json} --data '{"profile":"tls-client","csr":"hello"}' $CA/v1/certificates`,
  ],
  [
    'A profile this endpoint does not issue (403 51014 BadProfile)',
    enrol('sub-ca', 'demo.example', '-newkey rsa:2048'),
  ],
  [
    "A profile sgn-1 doesn't allow (500 51015 UnsupportedProfile)",
    enrol('code-signing', 'demo.example', '-newkey rsa:2048'),
  ],
  ['An RSA-1024 key (400 51012 BadKey)', enrol('tls-client', 'weak.example', '-newkey rsa:1024')],
  [
    'A P-192 key (400 51012 BadKey)',
    enrol('tls-client', 'weak.example', '-newkey ec -pkeyopt ec_paramgen_curve:prime192v1'),
  ],
  [
    'An Ed448 key (400 51011 UnsupportedKeyType)',
    enrol('tls-client', 'edwards.example', '-newkey ed448'),
  ],
  [
    'Signed with SHA-1 (400 51013 UnsupportedAlgorithm)',
    enrol('tls-client', 'old.example', '-newkey rsa:2048 -sha1'),
  ],
  [
    'A good request, EC P-256 (202, pending as crt-1)',
    enrol('tls-server', 'demo.example', '-newkey ec -pkeyopt ec_paramgen_curve:P-256'),
  ],
  [
    'Fetch it before it is signed (409 51020 NotYetSigned)',
    `curl -i ${alice} $CA/v1/certificates/crt-1`,
  ],
  [
    'Alice may not sign (403 510403 Forbidden)',
    `curl -i -X POST ${alice} $CA/v1/certificates/crt-1/sign`,
  ],
  ['The operator signs it (200)', `curl -i -X POST ${admin} $CA/v1/certificates/crt-1/sign`],
  ['Fetch the certificate and its chain (200)', `curl -i ${alice} $CA/v1/certificates/crt-1`],
  ['Fetch it again (410 51021 AlreadyDelivered)', `curl -i ${alice} $CA/v1/certificates/crt-1`],
  [
    'Delete the signer that signed crt-1 (409 51045 SignerAlreadyInUse)',
    `curl -i -X DELETE ${admin} $CA/v1/signers/sgn-1`,
  ],
  [
    'Another request (202, pending as crt-2)',
    enrol('tls-client', 'later.example', '-newkey rsa:2048'),
  ],
  ['Revoke sgn-1 (200)', `curl -i -X POST ${admin} $CA/v1/signers/sgn-1/revoke`],
  [
    'Sign crt-2 with the revoked signer (409 51041 SignerRevoked)',
    `curl -i -X POST ${admin} $CA/v1/certificates/crt-2/sign`,
  ],
  ['Fetch crt-2 (410 51022 IssuanceFailed)', `curl -i ${alice} $CA/v1/certificates/crt-2`],
  [
    'Register a key without a password sign-in (403 51050 PasswordAuthMissing)',
    `curl -i -H "Authorization: Bearer $SSO" ${json} --data '{"jwk":${JWK}}' $CA/v1/keys`,
  ],
  [
    "Register RFC 7638's example key (201, kid NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs)",
    `curl -i ${alice} ${json} --data '{"jwk":${JWK}}' $CA/v1/keys`,
  ],
  [
    'The same key again (409 51051 KeyAlreadyExists)',
    `curl -i ${alice} ${json} --data '{"jwk":${JWK}}' $CA/v1/keys`,
  ],
  [
    'An unknown key (404 5104045 KeyNotFound)',
    `curl -i ${alice} $CA/v1/keys/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
  ],
  [
    "An unknown route (404 5104041 SignerNotFound, the dialect's default not-found code)",
    'curl -i $CA/nowhere',
  ],
];

console.log(`faultline AST example: a certificate authority on Express 5, listening on http://${HOST}:${port}

First paste this into a POSIX shell (bash, zsh). The tokens are valid for 8 hours, for this run only:

export CA=http://${HOST}:${port}
export ADMIN=${token('carol', ['ca-admin', 'ca-operator'], ['pwd', 'otp'])}
export ALICE=${token('alice', [], ['pwd'])}
export SSO=${token('bob', [], ['hwk'])}
pem() { cn=$1; shift; openssl req -new -nodes -subj "/CN=$cn" -keyout /dev/null "$@" 2>/dev/null | awk '{printf "%s\\\\n", $0}'; }

ADMIN is carol (ca-admin, ca-operator), ALICE is a tenant member who signed in with a password,
SSO is bob, who signed in with a smart card only. \`pem CN -newkey ...\` makes a fresh CSR with
openssl, as one JSON-escaped line. Then run these in order (ids count from 1 in each run):
${steps.map(([title, command], i) => `\n${i + 1}. ${title}:\n  ${command}`).join('\n')}

Each fault is logged as one JSON line on stderr; its correlationId is the one in the response.
Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
