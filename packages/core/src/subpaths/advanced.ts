// @cognito-guard/core/advanced: the pipeline's parts, for tools and tests that need one step on
// its own (the CLI, benchmarks, a custom surface). Applications need only the root export.

export { checkOptions, optionIssues, positiveNumberOf } from '../config/check-options';
export { DEFAULTS } from '../config/defaults';
export { closest, editDistance } from '../config/did-you-mean';
export { resolveConfig } from '../config/resolve-config';
export { issuesOf } from '../config/zod-issues';
export type { ChosenRoute } from '../decision/choose-route';
export { allowDecision, denyDecision } from '../decision/decision';
export { withRoutes } from '../decision/guard';
export type { RuleGuard } from '../decision/rule-guard';
export { createRuleGuard } from '../decision/rule-guard';
export { DEFAULT_REALM } from '../errors/errors';
export { crossSiteRefusal } from '../request/cross-site';
export type { ExtractOptions } from '../request/extract-token';
export { extractToken } from '../request/extract-token';
export { otherMethods } from '../request/method-override';
export type { PathSegments, RelativePath } from '../request/request-path';
export {
  originForm,
  otherSpellings,
  pathBeforeSemicolon,
  relativeTo,
  rewrittenPath,
  splitRequestPath,
} from '../request/request-path';
export type { ListClaimEncoding } from '../token/claims';
export { normaliseGroups, normaliseScopes } from '../token/claims';
export { decomposeToken } from '../token/decompose-token';
export { cognitoIssuers, isAwsUserPoolId } from '../token/issuer';
export { JwksFetchError, JwksFetcher } from '../token/jwks-fetcher';
export { toAuthError } from '../token/map-error';
export type { Provenance } from '../token/principal';
export { createPrincipal, isPrincipal, provenanceOf } from '../token/principal';
export type { CacheStats, VerifiedTokenCacheOptions } from '../token/token-cache';
export { VerifiedTokenCache } from '../token/token-cache';
export { TokenVerifier } from '../token/token-verifier';
