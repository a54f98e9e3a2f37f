// @cognito-guard/core/policy: route policies without a guard, for tools that read, check or
// translate them (the CLI, the API Gateway exporter): compile, parse route keys, the rule JSON
// schema. Applications use `guardRoutes` instead. Kept apart from the guards so that a bundle
// using only rule guards never carries the policy compiler.

export type {
  CompiledRoutePolicy,
  DefaultAction,
  MatchedRoute,
  RoutePolicy,
  SplitPath,
} from '../policy/route-policy';
export {
  compileRoutePolicy,
  DENY_ALL,
  parseRouteKey,
  ROUTE_METHODS,
} from '../policy/route-policy';
export type { RuleJson } from '../policy/rule-json';
export { compileRule, ruleFromJson, ruleJsonSchema } from '../policy/rule-json';
