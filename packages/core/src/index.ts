/**
 * faultline core: turns anything a Node.js service throws into the exact error response an
 * enterprise convention prescribes, without importing any framework.
 *
 * ```ts
 * import { createFaultHandler, xroad } from '@faultline/core';
 *
 * const handler = createFaultHandler({ dialect: 'xroad' });
 * const { status, headers, body } = handler.handle(
 *   xroad.fault('Server.ServerProxy.UnknownService', 'Unknown service: SERVICE:EE/GOV/123/app/x'),
 *   { method: 'POST', url: '/r1/EE/GOV/123/app/x', headers: { accept: 'application/json' } },
 * );
 * ```
 *
 * @module
 */
export { Fault, isFault, copyFault, FAULT_BRAND } from './fault.js';
export type { FaultDetail, FaultExtensions, FaultHeaders, FaultInit } from './fault.js';
export { createFaultHandler } from './handler/index.js';
export { FALLBACK_RESPONSE } from './handler/types.js';
export { answerClientError } from './handler/client-error.js';
export { STALE_HEADERS, mergeVary } from './headers.js';
export type { CorrelationSource, FaultHandlerOptions, LocaleOptions } from './handler/options.js';
export { DIALECTS } from './dialects/registry.js';
export type { DialectName, DialectOptionsByName } from './dialects/registry.js';
export type { FaultEvent, FaultTelemetry } from './pipeline/report.js';
export type { FaultHandler, FaultResponse } from './handler/types.js';
export { LOG_LEVELS, RESERVED_MEMBERS, checkExtensions, makeCatalog } from './catalog.js';
export { defineCatalog } from './define.js';
export type {
  CatalogDefinition,
  CheckedMessages,
  CodeDefinition,
  DefinedCatalog,
  DefinedFaultOptions,
  FactoryArguments,
  ParamsArgument,
  SameParams,
  TemplateParams,
} from './define.js';
export type { Catalog, CatalogEntry, CatalogExample, LogLevel, RetryClass } from './catalog.js';
export {
  routeNotFound,
  ROUTE_NOT_FOUND,
  STATUS_PAGE,
  statusPageError,
} from './pipeline/recognise/framework.js';
export { pathOfTarget } from './request.js';
export type { FaultLogger, RequestHeaders, RequestInfo } from './request.js';
export type {
  MappingMatch,
  MappingOptions,
  MappingRule,
  MappingTarget,
  UpstreamMatch,
} from './handler/mappings.js';
export type { DialectChoice, DialectOption, DialectRoutes } from './handler/select.js';
export type { FaultLogEvent, LoggedError, UpstreamLogEvent } from './pipeline/report.js';
export { toStatus } from './status.js';
export { DEFAULT_LIMITS } from './pipeline/limits.js';
export type { FaultLimits } from './pipeline/limits.js';
export { BUILTIN_NAMES } from './pipeline/recognise/index.js';
export type { BuiltinName } from './pipeline/recognise/index.js';
export { escapeXml } from './encode/xml.js';
export { parseFault, explain } from './parse-fault.js';
export type { ExplainOptions, ParseFaultOptions } from './parse-fault.js';
export { faultFromResponse, throwIfFault } from './upstream.js';
export type { UpstreamOptions, UpstreamResponseLike } from './upstream.js';
export { UPSTREAM_BRAND, UpstreamFault, isUpstreamFault } from './pipeline/upstream.js';
export type { UpstreamFaultInit, UpstreamResponse } from './pipeline/upstream.js';
export type {
  CodePart,
  Explanation,
  FaultFormat,
  FaultOrigin,
  FaultReading,
  ParsedFault,
  RecognisedFault,
  UnrecognisedFault,
} from './read/types.js';
export type { FaultDocument, XmlElement } from './read/document.js';
export { dialectSchemas } from './schemas.js';
export type {
  DialectSchemas,
  JsonSchema,
  JsonValue,
  SchemaOptions,
  XmlSchemaRef,
} from './schemas.js';
export type { DialectBodies, SchemaPin } from './dialects/schema-kit.js';
export { openApiResponses } from './openapi.js';
export type { OpenApiMediaType, OpenApiOptions, OpenApiResponse } from './openapi.js';
export { ast, AST_ENTRIES, AST_SUBSYSTEM, AST_UNAUTHORIZED_CASES } from './dialects/ast/index.js';
export type {
  AstCatalogCode,
  AstCatalogEntry,
  AstCodeParts,
  AstFaultOptions,
  AstName,
  AstOptions,
} from './dialects/ast/index.js';
export { de4a } from './dialects/de4a/index.js';
export type {
  De4aCatalog,
  De4aCatalogEntry,
  De4aCodeInfo,
  De4aCodeParts,
  De4aDestination,
  De4aFamily,
  De4aFaultOptions,
  De4aLayer,
  De4aLevel,
  De4aLogHook,
  De4aLogLine,
  De4aLogMessage,
  De4aLogTable,
  De4aLogToOptions,
  De4aMessageOptions,
  De4aMessageCodeParts,
  De4aMetricsLine,
  De4aModule,
  De4aOptions,
  De4aParam,
  De4aTemplate,
} from './dialects/de4a/index.js';
export { esb } from './dialects/esb/index.js';
export type {
  ContextValue,
  CustomSequence,
  EsbCatalogCode,
  EsbCatalogEntry,
  EsbCode,
  EsbFaultOptions,
  EsbOptions,
  EsbProfile,
  MessageType,
  ProtocolState,
  SequenceArg,
  SequenceName,
  TransportBase,
  TransportCandidate,
  TransportFaultOptions,
} from './dialects/esb/index.js';
export { problem } from './dialects/problem/index.js';
export type { ProblemBody, ProblemFaultOptions, ProblemOptions } from './dialects/problem/index.js';
export { xks, XKS_FALLBACK } from './dialects/xks/index.js';
export type {
  XksCatalog,
  XksCatalogEntry,
  XksErrorName,
  XksFaultOptions,
  XksOperation,
  XksOptions,
  XksPolicy,
  XksProfile,
  XksRoute,
} from './dialects/xks/index.js';
export { xroad } from './dialects/xroad/index.js';
export type {
  XRoadCatalogCode,
  XRoadCode,
  XRoadFaultOptions,
  XRoadOptions,
  XRoadProfile,
  XRoadSide,
} from './dialects/xroad/index.js';
export { defineDialect } from './dialects/kit.js';
export type {
  DefinedDialect,
  DialectFaultOptions,
  DialectParts,
  FaultFields,
  RuntimeParts,
} from './dialects/kit.js';
export type {
  DebugInfo,
  Dialect,
  DialectRuntime,
  Encoding,
  EncodingExample,
  FaultSpec,
  ForeignOrigin,
  RenderContext,
  Rendered,
  ResolveContext,
  RetryHint,
} from './dialects/contract.js';
export type { Problem, ProblemKind, UpstreamProblem } from './pipeline/types.js';
