// The IAM policy an authorizer returns, built so that API Gateway's cache can replay it on any
// later request of the same token without ever allowing more than the route policy does.
//
// IAM matching is not route matching: `*` crosses `/` and matches nothing at all, `?` is any one
// character, matching is case-sensitive and nothing is percent-decoded. So:
// - a route without parameters is allowed only as exact resources, each decided by evaluating
//   the route policy on that very path;
// - a route with `{param}` or `{proxy+}` is allowed as a pattern, and every string that pattern
//   matches but the route policy would not allow is cut out by an explicit Deny: paths the
//   policy refuses as non-canonical (`%`, `//`, dot segments, `\`) or also reads by one of core's
//   `otherSpellings` (`;`, a raw space), a parameter spanning several segments, an empty
//   remainder, and every denied route the pattern reaches (letters as `?`, so that case variants
//   are denied too);
// - method `ANY` is spelled out method by method, so `*` never matches across the method.
// Where IAM cannot say something exactly, the policy says less: a refusal, never a widening.

import type { CompiledRoutePolicy, MatchedRoute } from '@cognito-guard/core';
import { parseRouteKey } from '@cognito-guard/core/policy';
import {
  MAX_RESOURCE_LENGTH,
  type MethodArn,
  methodArnPattern,
  patternsOverlap,
} from './method-arn';

/** One IAM statement of an authorizer policy. */
export interface PolicyStatement {
  Action: 'execute-api:Invoke';
  Effect: 'Allow' | 'Deny';
  Resource: string[];
}

/** What building a cache-safe policy needs to ask of the route policy. */
export interface PolicyQuestions {
  readonly policy: CompiledRoutePolicy;
  /** Does the route policy allow this principal `method` on this concrete `path`? */
  allowedAt(method: string, path: string): Promise<boolean>;
  /** Does this route's rule allow this principal? */
  routeAllows(route: MatchedRoute): Promise<boolean>;
}

/** The methods an IAM resource names one by one (`ANY` is spelled out as these). */
export const IAM_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

// Paths denied wherever they occur: those the route policy refuses as non-canonical or could
// decode to another route, and those it also reads by another path (core's otherSpellings), at
// any depth: up to a `;` (find-my-way), without the white space it ends in (lambda-api; a raw
// space, which no client sends unencoded, is refused wherever it is).
const DENIED_ANYWHERE = ['*%*', '*//*', '*/./*', '*/../*', '*/.', '*/..', '*\\*', '*;*', '* *'];

// Any method, any path of at least one segment that ends in `/`.
const TRAILING_SLASH = '*/?*/';

interface Shape {
  readonly route: MatchedRoute;
  readonly method: string;
  readonly segments: readonly string[];
  readonly greedy: boolean;
}

interface WildcardAllow {
  /** Method and path pattern, `GET/movies/*`. */
  readonly pattern: string;
  /** Segments of the route it came from, or undefined for "everything no route matches". */
  readonly shape: Shape | undefined;
}

/**
 * Builds the statements for one principal: right for the request in hand and for every later
 * request API Gateway replays them on.
 *
 * @example
 * ```ts
 * const statements = await cacheSafeStatements(arn, { policy, allowedAt, routeAllows });
 * ```
 */
export async function cacheSafeStatements(
  arn: MethodArn,
  questions: PolicyQuestions,
): Promise<PolicyStatement[]> {
  const { policy } = questions;
  const shapes = routeShapes(policy);
  const exact = new Set<string>();
  const wildcards: WildcardAllow[] = [];
  const denies = new Set<string>();

  const allows = new Map<Shape, boolean>();
  for (const shape of shapes) allows.set(shape, await questions.routeAllows(shape.route));

  for (const shape of shapes) {
    for (const method of IAM_METHODS) {
      if (!serves(shape.method, method) || !selected(policy, method, shape)) continue;
      if (!shape.segments.some(isParam) && !shape.greedy) {
        const path = `/${shape.segments.join('/')}`;
        if (!safeLiteral(path)) continue;
        if (await questions.allowedAt(method, path)) exact.add(`${method}/${path.slice(1)}`);
        if (path !== '/' && (await questions.allowedAt(method, `${path}/`))) {
          exact.add(`${method}/${path.slice(1)}/`);
        }
        continue;
      }
      if (!allows.get(shape) || !shape.segments.every((s) => isParam(s) || safeLiteral(s))) {
        continue;
      }
      const parts = wild(shape.segments);
      wildcards.push({ pattern: patternOf(method, parts, shape.greedy), shape });
      // A parameter's `*` may span several segments: those paths belong to other routes.
      shape.segments.forEach((segment, index) => {
        if (!isParam(segment)) return;
        const spill = parts.map((part, i) => (i === index ? '*/*' : part));
        denies.add(patternOf(method, spill, shape.greedy));
      });
      // The last `*` may match nothing: `/movies/` is read as `/movies`, a route of its own.
      if (shape.greedy || isParam(shape.segments[shape.segments.length - 1] as string)) {
        const stem = shape.greedy ? shape.segments : shape.segments.slice(0, -1);
        if (stem.every((s) => !isParam(s))) {
          const path = stem.length ? `/${stem.join('/')}/` : '/';
          if (!(await questions.allowedAt(method, path))) denies.add(`${method}/${path.slice(1)}`);
        } else {
          denies.add(`${method}/${wild(stem).join('/')}/`);
        }
      }
    }
  }

  if (await questions.routeAllows(policy.unmatched)) {
    for (const method of IAM_METHODS) {
      wildcards.push({ pattern: `${method}/*`, shape: undefined });
      if (!(await questions.allowedAt(method, '/'))) denies.add(`${method}/`);
    }
  }

  if (wildcards.length > 0) {
    for (const pattern of DENIED_ANYWHERE) denies.add(pattern);
    // A path ending in `/` is also read as matching no route (a strict router's reading).
    if (!(await questions.routeAllows(policy.unmatched))) denies.add(TRAILING_SLASH);
    for (const shape of shapes) {
      if (allows.get(shape)) continue;
      for (const method of IAM_METHODS) {
        if (!serves(shape.method, method)) continue;
        for (const cover of coversOf(shape, method, policy.caseSensitive)) {
          if (wildcards.some((allow) => mustCut(allow, shape, cover, method))) denies.add(cover);
        }
      }
    }
  }

  const allowResources = [...exact, ...wildcards.map((w) => w.pattern)]
    .map((resource) => arnOf(arn, resource))
    .filter((resource) => resource.length <= MAX_RESOURCE_LENGTH);
  const statements: PolicyStatement[] = [];
  if (allowResources.length > 0) {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: allowResources });
    if (denies.size > 0) {
      const denyResources = [
        ...new Set([...denies].map((resource) => clamp(arnOf(arn, resource)))),
      ];
      statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: denyResources });
    }
  } else {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [arnOf(arn, '*')] });
  }
  return statements;
}

function routeShapes(policy: CompiledRoutePolicy): Shape[] {
  const shapes: Shape[] = [];
  for (const routeKey of policy.routeKeys) {
    if (routeKey === '$default') continue;
    const parsed = parseRouteKey(routeKey, policy.caseSensitive);
    const route = policy.route(routeKey);
    if (typeof parsed === 'string' || route === undefined) continue;
    const last = parsed.segments[parsed.segments.length - 1];
    const greedy = last !== undefined && /^\{.+\+\}$/.test(last);
    shapes.push({
      route,
      method: parsed.method,
      segments: greedy ? parsed.segments.slice(0, -1) : parsed.segments,
      greedy,
    });
  }
  return shapes;
}

function isParam(segment: string): boolean {
  return segment.startsWith('{');
}

// Route segments as IAM sees them: every parameter a `*`.
function wild(segments: readonly string[]): string[] {
  return segments.map((segment) => (isParam(segment) ? '*' : segment));
}

// `GET/movies/*` from a method and path parts; a greedy route adds a trailing `*`.
function patternOf(method: string, parts: readonly string[], greedy: boolean): string {
  const path = parts.join('/');
  if (!greedy) return `${method}/${path}`;
  return parts.length ? `${method}/${path}/*` : `${method}/*`;
}

// A literal IAM would read as itself: no wildcard characters, nothing decoded, plain ASCII.
function safeLiteral(text: string): boolean {
  return /^[\x21-\x7e]*$/.test(text) && !/[*?%\\]/.test(text);
}

function serves(routeMethod: string, method: string): boolean {
  return (
    routeMethod === method || routeMethod === 'ANY' || (method === 'HEAD' && routeMethod === 'GET')
  );
}

// Whether this route is the one the policy selects for `method` on its own shape.
function selected(policy: CompiledRoutePolicy, method: string, shape: Shape): boolean {
  const probe = shape.segments.map((s) => (isParam(s) ? '{}' : s));
  if (shape.greedy) probe.push('{}');
  return policy.match(method, probe) === shape.route;
}

// Patterns that match every path the route policy could send to this route for `method`:
// letters become `?` (unless paths are case-sensitive), anything not plain ASCII becomes `*`.
function coversOf(shape: Shape, method: string, caseSensitive: boolean): string[] {
  const parts = shape.segments.map((segment) => {
    if (isParam(segment) || !/^[\x21-\x7e]*$/.test(segment)) return '*';
    return caseSensitive ? segment : segment.replace(/[A-Za-z]/g, '?');
  });
  const base = patternOf(method, parts, false);
  // A greedy route also decides its bare prefix (the empty-remainder reading of the path).
  if (shape.greedy) return parts.length ? [patternOf(method, parts, true), base] : [`${method}/*`];
  return [base, `${base}/`];
}

// Whether a denied route's cover must be cut out of an allowed pattern. Paths a route-derived
// pattern spills into are cut by its own spill denies, so only same-depth routes, routes below
// a greedy pattern, and anything under "everything else" need cutting. A GET route's HEAD
// pattern is cut by any HEAD or ANY route it meets: the route policy reads HEAD by both.
function mustCut(allow: WildcardAllow, denied: Shape, cover: string, method: string): boolean {
  if (!patternsOverlap(allow.pattern, cover)) return false;
  const shape = allow.shape;
  if (shape === undefined) return true;
  if (method === 'HEAD' && shape.method === 'GET' && denied.method !== 'GET') return true;
  if (denied.greedy) {
    const prefix = literalPrefix(shape);
    const inside =
      prefix.length >= denied.segments.length &&
      denied.segments.every((segment, i) => !isParam(segment) && prefix[i] === segment);
    return !inside;
  }
  if (shape.greedy) return true;
  return denied.segments.length === shape.segments.length;
}

function literalPrefix(shape: Shape): string[] {
  const prefix: string[] = [];
  for (const segment of shape.segments) {
    if (isParam(segment)) break;
    prefix.push(segment);
  }
  return prefix;
}

function arnOf(arn: MethodArn, resource: string): string {
  const slash = resource.indexOf('/');
  if (slash === -1) return methodArnPattern(arn, resource, '').replace(/\/$/, '');
  return methodArnPattern(arn, resource.slice(0, slash), resource.slice(slash + 1));
}

// A Deny too long for IAM is shortened to a prefix wildcard: broader, so still safe.
function clamp(resource: string): string {
  return resource.length <= MAX_RESOURCE_LENGTH
    ? resource
    : `${resource.slice(0, MAX_RESOURCE_LENGTH - 1)}*`;
}
