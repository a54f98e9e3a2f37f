// What lambda-api's walk (a literal before a parameter, never back) reads a request by that API
// Gateway's routing does not: the readings a policy compiled without the walk lacks. No IAM
// pattern names them (IAM's `*` matches a literal `*` as any character), so the authorizer's
// cached policy cannot cut them: `lint` warns of them, and `explain` says so.

import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type RoutePolicy,
  type SplitPath,
} from '@cognito-guard/core';

/**
 * Builds the question "which routes does only lambda-api's walk read this request by?" for a
 * compiled policy: route keys, none when the walk agrees with API Gateway.
 *
 * @example
 * ```ts
 * const walkOnly = walkReadings(policy, compiled);
 * walkOnly('GET', split); // ['ANY /{proxy+}'] beside GET /movies/top and GET /{type}/{id}
 * ```
 */
export function walkReadings(
  policy: RoutePolicy,
  compiled: CompiledRoutePolicy,
): (method: string, path: SplitPath) => string[] {
  const unwalked = compileRoutePolicy(policy, {
    caseSensitive: compiled.caseSensitive,
    lambdaApiWalk: false,
  });
  return (method, path) => {
    const without = new Set(unwalked.readings(method, path).map((route) => route.routeKey));
    const walked = compiled.readings(method, path).map((route) => route.routeKey);
    return [...new Set(walked)].filter(
      (key): key is string => key !== undefined && !without.has(key),
    );
  };
}
