// Step 3 of a request's path: the route. The policy's `basePath` is stripped, the path split
// (request/request-path) and every reading of it matched (policy/route-policy); the stricter
// rule applies. A path that cannot be matched safely is a 400 here.
//
// A `;` gives a path two readings: a character of its segment (Express, Koa, Hono, API Gateway)
// or the end of the path (find-my-way, so Fastify 4 by default and Fastify 5 with
// `useSemicolonDelimiter`, where `/admin;x` is served by `/admin`). So does white space at the
// end of a path (lambda-api trims it: `/admin ` is served by `/admin`). And a URL a middleware
// rewrote before the guard is served by its new path, while API Gateway and the policy's author
// read the one received. Every such path is matched, and so is every method a method override
// may serve the request as.

import { type AuthError, InvalidRequestError } from '../errors/errors';
import type { CompiledRoutePolicy, MatchedRoute } from '../policy/route-policy';
import { allOf, type Rule } from '../policy/rules';
import { otherSpellings, relativeTo, splitRequestPath } from '../request/request-path';

/** The rule a policy applies to a request (`undefined`: public), with the route it reports. */
export interface ChosenRoute {
  readonly rule: Rule | undefined;
  readonly route: string | undefined;
}

/**
 * Chooses the rule for a method and path under a compiled policy.
 *
 * @example
 * ```ts
 * const chosen = chooseRoute(compiled, 'GET', '/movies/42', 'api');
 * if ('rule' in chosen) chosen.route; // 'GET /movies/{id}'
 * ```
 */
export function chooseRoute(
  policy: CompiledRoutePolicy,
  method: string,
  path: string,
  realm: string,
  routedPath?: string,
): ChosenRoute | AuthError {
  const chosen = choosePathRoute(policy, method, path, realm);
  const spellings = otherSpellings(path);
  const routed = isBaseRelative(policy, path, routedPath) ? undefined : routedPath;
  if (!('rule' in chosen) || (spellings.length === 0 && routed === undefined)) return chosen;
  // The other paths a router may serve this request by: the path's other spellings (up to its
  // first `;`, without the white space it ends in), and the path a middleware rewrote the URL to
  // (and its own other spellings).
  const others = [
    ...spellings,
    ...(routed === undefined ? [] : [routed, ...otherSpellings(routed)]),
  ].map((other) => choosePathRoute(policy, method, other, realm));
  return stricterOf(chosen, others);
}

/**
 * Adds the rule of the route API Gateway selected (a Lambda event's route key) to a chosen
 * route, the stricter applying. The policy's key for that route's path is looked up for the
 * request's method as the policy reads methods (a named method, `GET` for `HEAD`, then `ANY`),
 * whatever method the selected route was written with, under any parameter names. A path the
 * policy has no key for (`$default`) adds nothing.
 *
 * @example
 * ```ts
 * withSelectedRoute(compiled, chooseRoute(compiled, 'GET', '/v1/admin', 'api'), 'GET', 'ANY /admin');
 * ```
 */
export function withSelectedRoute(
  policy: CompiledRoutePolicy,
  chosen: ChosenRoute | AuthError,
  method: string,
  routeKey: string | undefined,
): ChosenRoute | AuthError {
  if (routeKey === undefined || !('rule' in chosen)) return chosen;
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  const upper = method.toUpperCase();
  const methods = upper === 'HEAD' ? ['HEAD', 'GET', 'ANY'] : [upper, 'ANY'];
  for (const candidate of methods) {
    const selected = policy.sameRoute(`${candidate} ${path}`);
    if (selected !== undefined) return stricterOf(chosen, [selected]);
  }
  return chosen;
}

/**
 * Joins other readings of a request (another path it may be served by, the route API Gateway
 * selected, another method it names: see `otherMethods`) to the route chosen first: the stricter
 * rule applies, the route reported stays the first. An error in any reading is the answer.
 *
 * @example
 * ```ts
 * const own = chooseRoute(compiled, 'POST', '/items', 'api');
 * stricterOf(own, [chooseRoute(compiled, 'DELETE', '/items', 'api')]);
 * ```
 */
export function stricterOf(
  chosen: ChosenRoute | AuthError,
  others: readonly ({ readonly rule: Rule | undefined } | AuthError)[],
): ChosenRoute | AuthError {
  if (!('rule' in chosen)) return chosen;
  for (const other of others) if (!('rule' in other)) return other;
  const readings = others as readonly { readonly rule: Rule | undefined }[];
  return { rule: stricter([chosen, ...readings]), route: chosen.route };
}

// A routed path that is the received one without the policy's basePath (a rewrite, or a Lambda
// bridge's stage strip, that takes off the very prefix the policy names) is the reading
// choosePathRoute makes of the received path: the same route, not a path outside the base.
function isBaseRelative(
  policy: CompiledRoutePolicy,
  path: string,
  routedPath: string | undefined,
): boolean {
  if (routedPath === undefined || policy.basePath === undefined) return false;
  const under = relativeTo(path, policy.basePath, policy.caseSensitive);
  return under.inside && under.path === routedPath;
}

function choosePathRoute(
  policy: CompiledRoutePolicy,
  method: string,
  path: string,
  realm: string,
): ChosenRoute | AuthError {
  let relative = path;
  let foldedBase = false;
  // Checked before the base path, which a path not starting at `/` is never under.
  if (!path.startsWith('/')) return nonCanonical('path must start with /', realm);
  if (policy.basePath !== undefined) {
    const under = relativeTo(path, policy.basePath, policy.caseSensitive);
    if (!under.inside) return { rule: policy.unmatched.rule, route: policy.unmatched.routeKey };
    relative = under.path;
    foldedBase = under.foldedCase;
  }
  const split = splitRequestPath(relative, policy.caseSensitive);
  if (!split.ok) return nonCanonical(split.problem, realm);
  const readings = policy.readings(method, split);
  // A case-sensitive mount would not have handed this path to these routes at all.
  const all = foldedBase ? [...readings, policy.unmatched] : readings;
  return { rule: stricter(all), route: (readings[0] as MatchedRoute).routeKey };
}

function nonCanonical(problem: string, realm: string): AuthError {
  return new InvalidRequestError({
    reason: 'non_canonical_path',
    description: `The request path is not canonical (${problem})`,
    realm,
  });
}

// Public readings (no rule) yield to any reading that needs a token; two rules must both hold.
function stricter(readings: readonly { readonly rule: Rule | undefined }[]): Rule | undefined {
  // Most paths have one reading: its rule, with no list built for it.
  if (readings.length === 1) return (readings[0] as { readonly rule: Rule | undefined }).rule;
  const rules = readings.flatMap((reading) => (reading.rule === undefined ? [] : [reading.rule]));
  if (rules.length <= 1) return rules[0];
  return allOf(...rules);
}
