// @cognito-guard/core: verify Cognito tokens, evaluate rules and route policies, produce RFC 6750
// errors. The root export is what applications call: a guard, rules, route policies, errors and
// their types. Pieces for writing adapters are under `@cognito-guard/core/adapter`; the pipeline's
// parts (verifier, key fetcher, cache, path splitting, …) under `@cognito-guard/core/advanced`.

export type { UpgradeGuard, UpgradeRequest, UpgradeSocket, UpgradeTarget } from './adapter/upgrade';
export { createUpgradeGuard } from './adapter/upgrade';
export type { ConfigIssue } from './config/config-error';
export { ConfigError } from './config/config-error';
export type { CognitoEnv } from './config/env';
export { configFromEnv } from './config/env';
export type {
  AlbUserClaims,
  AlbUserClaimsStep,
  CacheConfig,
  GuardConfig,
  JwksConfig,
  Logger,
  ObservedGuard,
  PoolConfig,
  PoolResolver,
  ResolvedConfig,
  ResolvedPool,
  RevocationConfig,
  SignatureAlgorithm,
  Telemetry,
  TokenSource,
  TokenUseSetting,
} from './config/types';
export type { AllowDecision, Decision, DecisionContext, DenyDecision } from './decision/decision';
export type { CheckOptions, Guard } from './decision/guard';
export { createGuard } from './decision/guard';
export type { BearerErrorCode, ErrorBody } from './errors/errors';
export {
  AuthError,
  CrossSiteRequestError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MissingTokenError,
  RevocationUnavailableError,
  ServiceUnavailableError,
  TokenExpiredError,
  VerifierUnavailableError,
} from './errors/errors';
export type { AllowReason, DecisionReason, DenyReason } from './errors/reasons';
export type {
  CompiledRoutePolicy,
  DefaultAction,
  MatchedRoute,
  RoutePolicy,
  SplitPath,
} from './policy/route-policy';
export { compileRoutePolicy } from './policy/route-policy';
export type { RuleJson } from './policy/rule-json';
export { compileRule, ruleFromJson } from './policy/rule-json';
export type { NameList, Predicate, Rule, RuleFailure, RuleResult } from './policy/rules';
export {
  allOf,
  anyOf,
  authenticated,
  denyGroups,
  predicate,
  requireAllGroups,
  requireAllScopes,
  requireCaller,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
  toRule,
} from './policy/rules';
export type { HeaderMap, RequestLike } from './request/extract-token';
export { memoryRevocationStore } from './revocation/memory-store';
export type {
  RevocationEntry,
  RevocationKind,
  RevocationLifetime,
} from './revocation/revocation-entry';
export type { RevocationStore, RevocationWriter } from './revocation/revocation-store';
export type {
  CallerKind,
  Claims,
  CognitoTokenUse,
  Principal,
  PrincipalSource,
} from './token/principal';
