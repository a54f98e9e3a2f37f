// @cognito-guard/lambda: AWS Lambda handler guard and API Gateway authorizer (in progress).
// Until the adapter lands, this package re-exports the core so that imports resolve.

export type { GuardConfig, Principal, RoutePolicy } from '@cognito-guard/core';
export {
  configFromEnv,
  createGuard,
  normaliseGroups,
  normaliseScopes,
  requireGroups as requireGroupsRule,
} from '@cognito-guard/core';
