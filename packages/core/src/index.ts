// @cognito-guard/core: verify Cognito tokens, evaluate rules and route policies, produce RFC 6750 errors.

export type {
  AdapterOptions,
  DenialResponse,
  ErrorMode,
  ResolvedAdapterOptions,
} from './adapter';
export {
  DEFAULT_ADAPTER_OPTIONS,
  DENIAL_CONTENT_TYPE,
  needsPrivateCache,
  renderDenial,
  splitAdapterOptions,
  varyWith,
} from './adapter';

export type { ListClaimEncoding } from './claims';
export { normaliseGroups, normaliseScopes } from './claims';
export type {
  CacheConfig,
  GuardConfig,
  JwksConfig,
  Logger,
  PoolConfig,
  ResolvedConfig,
  ResolvedPool,
  SignatureAlgorithm,
  TokenSource,
  TokenUseSetting,
} from './config';
export { resolveConfig } from './config';
export type { ConfigIssue } from './config-error';
export { ConfigError } from './config-error';
export type { AllowDecision, Decision, DecisionContext, DenyDecision } from './decision';
export { allowDecision, denyDecision } from './decision';
export { decomposeToken } from './decompose-token';
export { closest, editDistance } from './did-you-mean';
export type { CognitoEnv } from './env';
export { configFromEnv, envChoice } from './env';
export type { BearerErrorCode, ErrorBody } from './errors';
export {
  AuthError,
  DEFAULT_REALM,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MissingTokenError,
  TokenExpiredError,
} from './errors';
export type { ExtractOptions, HeaderMap, RequestLike } from './extract-token';
export { extractToken } from './extract-token';
export type { CheckOptions, Guard } from './guard';
export { createGuard } from './guard';
export type {
  AdapterExports,
  AuthenticateOptions,
  BoundGuard,
  Evaluate,
  EvaluateFrom,
  GuardHandlers,
} from './handlers';
export { bindHandlers, defaultGuard, defineAdapter } from './handlers';
export { cognitoIssuers, isAwsUserPoolId } from './issuer';
export { JwksFetchError, JwksFetcher } from './jwks-fetcher';
export { toAuthError } from './map-error';
export type {
  Claims,
  CognitoTokenUse,
  Principal,
  PrincipalSource,
  Provenance,
} from './principal';
export { createPrincipal, isPrincipal, provenanceOf } from './principal';
export type { AllowReason, DecisionReason, DenyReason } from './reasons';
export type { PathSegments, RelativePath } from './request-path';
export { relativeTo, splitRequestPath } from './request-path';
export type {
  CompiledRoutePolicy,
  DefaultAction,
  MatchedRoute,
  RoutePolicy,
  SplitPath,
} from './route-policy';
export { compileRoutePolicy, DENY_ALL, parseRouteKey, ROUTE_METHODS } from './route-policy';
export type { RuleJson } from './rule-json';
export { compileRule, ruleFromJson, ruleJsonSchema } from './rule-json';
export type { NameList, Predicate, Rule, RuleFailure, RuleResult } from './rules';
export {
  allOf,
  anyOf,
  authenticated,
  denyGroups,
  predicate,
  requireAllGroups,
  requireAllScopes,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
  toRule,
} from './rules';
export type { VerifiedTokenCacheOptions } from './token-cache';
export { VerifiedTokenCache } from './token-cache';
export { TokenVerifier } from './token-verifier';
export type { UpgradeGuard, UpgradeRequest, UpgradeSocket, UpgradeTarget } from './upgrade';
export { createUpgradeGuard } from './upgrade';
