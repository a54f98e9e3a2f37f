// @cognito-guard/core: verify Cognito tokens, evaluate rules and route policies, produce RFC 6750 errors.

export type {
  AdapterOptions,
  DenialResponse,
  ErrorMode,
  ResolvedAdapterOptions,
} from './adapter/adapter';
export {
  DEFAULT_ADAPTER_OPTIONS,
  DENIAL_CONTENT_TYPE,
  needsPrivateCache,
  renderDenial,
  splitAdapterOptions,
  varyWith,
} from './adapter/adapter';
export type {
  AdapterExports,
  AuthenticateOptions,
  BoundGuard,
  Evaluate,
  EvaluateFrom,
  GuardHandlers,
} from './adapter/handlers';
export { bindHandlers, defaultGuard, defineAdapter } from './adapter/handlers';
export type { UpgradeGuard, UpgradeRequest, UpgradeSocket, UpgradeTarget } from './adapter/upgrade';
export { createUpgradeGuard } from './adapter/upgrade';
export type { ConfigIssue } from './config/config-error';
export { ConfigError } from './config/config-error';
export { closest, editDistance } from './config/did-you-mean';
export type { CognitoEnv } from './config/env';
export { configFromEnv, envChoice } from './config/env';
export { resolveConfig } from './config/resolve-config';
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
} from './config/types';
export type { AllowDecision, Decision, DecisionContext, DenyDecision } from './decision/decision';
export { allowDecision, denyDecision } from './decision/decision';
export type { CheckOptions, Guard } from './decision/guard';
export { createGuard } from './decision/guard';
export type { BearerErrorCode, ErrorBody } from './errors/errors';
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
} from './errors/errors';
export type { AllowReason, DecisionReason, DenyReason } from './errors/reasons';
export type {
  CompiledRoutePolicy,
  DefaultAction,
  MatchedRoute,
  RoutePolicy,
  SplitPath,
} from './policy/route-policy';
export { compileRoutePolicy, DENY_ALL, parseRouteKey, ROUTE_METHODS } from './policy/route-policy';
export type { RuleJson } from './policy/rule-json';
export { compileRule, ruleFromJson, ruleJsonSchema } from './policy/rule-json';
export type { NameList, Predicate, Rule, RuleFailure, RuleResult } from './policy/rules';
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
} from './policy/rules';
export type { ExtractOptions, HeaderMap, RequestLike } from './request/extract-token';
export { extractToken } from './request/extract-token';
export type { PathSegments, RelativePath } from './request/request-path';
export { relativeTo, splitRequestPath } from './request/request-path';
export type { ListClaimEncoding } from './token/claims';
export { normaliseGroups, normaliseScopes } from './token/claims';
export { decomposeToken } from './token/decompose-token';
export { cognitoIssuers, isAwsUserPoolId } from './token/issuer';
export { JwksFetchError, JwksFetcher } from './token/jwks-fetcher';
export { toAuthError } from './token/map-error';
export type {
  Claims,
  CognitoTokenUse,
  Principal,
  PrincipalSource,
  Provenance,
} from './token/principal';
export { createPrincipal, isPrincipal, provenanceOf } from './token/principal';
export type { VerifiedTokenCacheOptions } from './token/token-cache';
export { VerifiedTokenCache } from './token/token-cache';
export { TokenVerifier } from './token/token-verifier';
