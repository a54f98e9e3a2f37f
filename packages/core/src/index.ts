// @cognito-guard/core: verify Cognito tokens, evaluate rules and route policies, produce RFC 6750 errors.

export { normaliseGroups, normaliseScopes } from './claims';
export type { ListClaimEncoding } from './claims';
export { resolveConfig } from './config';
export type {
  CacheConfig,
  GuardConfig,
  JwksConfig,
  PoolConfig,
  ResolvedConfig,
  ResolvedPool,
  SignatureAlgorithm,
  TokenSource,
  TokenUseSetting,
} from './config';
export { ConfigError } from './config-error';
export type { ConfigIssue } from './config-error';
export { isCorsPreflight } from './cors';
export { allowDecision, denyDecision } from './decision';
export type { AllowDecision, Decision, DecisionContext, DenyDecision } from './decision';
export { configFromEnv } from './env';
export type { CognitoEnv } from './env';
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
export type { BearerErrorCode, ErrorBody } from './errors';
export { extractToken } from './extract-token';
export type { ExtractOptions, HeaderMap, RequestLike } from './extract-token';
export { createGuard } from './guard';
export { bindHandlers, defaultGuard } from './handlers';
export type { Evaluate, GuardHandlers } from './handlers';
export type { Guard } from './guard';
export { cognitoIssuers, isAwsUserPoolId } from './issuer';
export { JwksFetcher, JwksFetchError } from './jwks-fetcher';
export { toAuthError } from './map-error';
export { createPrincipal, isPrincipal } from './principal';
export type { Claims, CognitoTokenUse, Principal, PrincipalSource } from './principal';
export type { AllowReason, DecisionReason, DenyReason } from './reasons';
export { splitRequestPath } from './request-path';
export type { PathSegments } from './request-path';
export { compileRoutePolicy, DENY_ALL, parseRouteKey, ROUTE_METHODS } from './route-policy';
export type { CompiledRoutePolicy, DefaultAction, MatchedRoute, RoutePolicy } from './route-policy';
export { compileRule, ruleFromJson, ruleJsonSchema } from './rule-json';
export type { RuleJson } from './rule-json';
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
export type { NameList, Predicate, Rule, RuleFailure, RuleResult } from './rules';
export { VerifiedTokenCache } from './token-cache';
export type { VerifiedTokenCacheOptions } from './token-cache';
export { TokenVerifier } from './token-verifier';
