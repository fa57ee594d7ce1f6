/**
 * Compile-time checks of the public API: handler options, the dialects' factories, the
 * Express middleware and the Fastify plugin. Type-checked by `pnpm typecheck` (part of
 * `pnpm test`); each `@ts-expect-error` line must fail to compile, or the type check fails.
 * Nothing here runs.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { ast, createFaultHandler, de4a, esb, problem, xks, xroad } from '@faultline/core';
import type {
  DialectName,
  Fault,
  FaultHandler,
  FaultHandlerOptions,
  FaultResponse,
} from '@faultline/core';
import { faultline as expressFaultline, notFound } from '@faultline/express';
import fastifyFaultline, { faultline as namedFastifyFaultline } from '@faultline/fastify';
import type { FaultlineFastifyOptions } from '@faultline/fastify';
import { expectEqual, expectType } from './expect.js';

// --- createFaultHandler and its options --------------------------------------------------

export const dialectNames = expectEqual<
  DialectName,
  'problem' | 'xroad' | 'ast' | 'xks' | 'de4a' | 'esb'
>(true);

export const handlers: FaultHandler[] = [
  createFaultHandler(),
  createFaultHandler({ dialect: 'xroad', xroad: { side: 'client' } }),
  createFaultHandler({ dialect: xks }),
  createFaultHandler({ dialect: { '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' } }),
  createFaultHandler({
    dialect: (request) => (request.url?.startsWith('/soap') ? 'xroad' : 'problem'),
  }),
  createFaultHandler({
    dialect: 'esb',
    mappings: [{ code: 'ENOENT', to: { code: 900901 } }],
    debug: false,
  }),
  createFaultHandler({
    logger: false,
    builtins: { zod: false },
    correlationId: { header: 'x-request-id' },
  }),
];

// @ts-expect-error: not a dialect name
createFaultHandler({ dialect: 'soap' });
// @ts-expect-error: a route table maps prefixes to dialects
createFaultHandler({ dialect: { '/soap': 'soap' } });
// @ts-expect-error: X-Road has two sides only
createFaultHandler({ dialect: 'xroad', xroad: { side: 'both' } });
// @ts-expect-error: SOAP faults go out as 200 or 500
createFaultHandler({ dialect: 'xroad', xroad: { soapStatus: 400 } });
// @ts-expect-error: an unknown built-in recogniser
createFaultHandler({ builtins: { yup: false } });
// @ts-expect-error: a mapping needs a target
createFaultHandler({ mappings: [{ code: 'ENOENT' }] });
// @ts-expect-error: debug is a boolean
createFaultHandler({ debug: 'yes' });

// --- FaultResponse ------------------------------------------------------------------------

declare const response: FaultResponse;
export const status = expectEqual<typeof response.status, number>(true);
export const headers = expectEqual<typeof response.headers, Readonly<Record<string, string>>>(true);
export const body = expectEqual<typeof response.body, string>(true);
export const responseFault = expectEqual<typeof response.fault, Fault>(true);
export const handled: FaultResponse = createFaultHandler().handle(new Error('boom'), {
  method: 'GET',
  url: '/',
});
export const reported: Fault = createFaultHandler().report('anything');
// @ts-expect-error: the response is read-only
response.status = 200;

// --- the dialects' factories --------------------------------------------------------------

export const faults: Fault[] = [
  xroad.fault('Server.ClientProxy.UnknownMember', "Client 'SUBSYSTEM:EE/GOV/123/app' not found"),
  xroad.fault('UnknownService'),
  xroad.fault(
    'Server.ServerProxy.ServiceFailed.Timeout',
    'codes outside the catalogue are well-formed strings',
    { status: 504 },
  ),
  xks.fault('KeyNotFoundException', 'Key k-1 is not known'),
  esb.fault(900901),
  esb.fault(900950, { message: 'a code of the team' }),
  esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE'),
  de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']),
  de4a.fault(40515),
  ast.fault('InvalidCsrSignature'),
  ast.fault(51010),
  problem.fault(404, 'Order 7 does not exist', { code: 'OrderNotFound' }),
];
export const transportCode: number = esb.transportCode('CONNECTION_TIMEOUT', 'REQUEST_DONE');
export const de4aCode: number = de4a.code({ layer: 'Communications', module: 'IDK', type: 2 });
export const messageCode: string = de4a.messageCode({
  component: 'DR',
  level: 'ERROR',
  template: 5,
});
export const astCode: number = ast.code(510, 4001);

// X-Road codes are any well-formed string (checked at run time), but never a number.
// @ts-expect-error: X-Road codes are strings
xroad.fault(500);
// @ts-expect-error: X-Road sides are 'client' and 'server'
xroad.fault('UnknownService', 'x', { side: 'provider' });
// @ts-expect-error: XKS error names are the seed's twelve
xks.fault('KeyMissingException');
// @ts-expect-error: XKS statuses are fixed by the XKS proxy API specification
xks.fault('KeyNotFoundException', 'x', { status: 404 });
// @ts-expect-error: ESB codes are numbers
esb.fault('900901');
// @ts-expect-error: not a transport base
esb.transportCode('CONNECTION_LOST');
// @ts-expect-error: not a protocol state
esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_SENT');
// @ts-expect-error: AST names are the catalogue's
ast.fault('InvalidSignature');
// @ts-expect-error: template parameters are text-like values
de4a.fault(10102, [{ path: '/request' }]);
// @ts-expect-error: a problem's status is a number
problem.fault('404');

// --- Express ------------------------------------------------------------------------------

const errorMiddleware = expressFaultline({ dialect: 'xroad' });
export const isErrorHandler = expectEqual<typeof errorMiddleware, ErrorRequestHandler>(true);
export const fourArguments = expectEqual<Parameters<typeof errorMiddleware>['length'], 4>(true);
expectType<RequestHandler>(notFound());
expectType<RequestHandler>(notFound({ dialect: 'problem' }));
expectType<ErrorRequestHandler>(expressFaultline());
// @ts-expect-error: not a dialect name
expressFaultline({ dialect: 'soap' });

// --- Fastify ------------------------------------------------------------------------------

export const sameFastifyPlugin = expectEqual<typeof fastifyFaultline, typeof namedFastifyFaultline>(
  true,
);

export async function registerFastify(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyFaultline, { dialect: 'xks', notFound: false });
  expectType<FaultHandler>(app.faultline);
  expectType<FaultResponse>(app.faultline.handle(new Error('boom')));
  // @ts-expect-error: not a dialect name
  await app.register(fastifyFaultline, { dialect: 'soap' });
  // @ts-expect-error: notFound is a boolean
  await app.register(fastifyFaultline, { notFound: 'no' });
  return app;
}

export const fastifyOptions = expectType<FaultHandlerOptions>({
  dialect: 'xroad',
} satisfies FaultlineFastifyOptions);
