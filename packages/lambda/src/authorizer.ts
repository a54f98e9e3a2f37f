// An API Gateway Lambda authorizer driven by the same policy.json as the containers. Its IAM
// policies are cache-safe: right for every route, because API Gateway reuses a cached result for
// every route the same token calls.

import {
  type AuthError,
  type CompiledRoutePolicy,
  createGuard,
  type Guard,
  type GuardConfig,
  isAuthError,
  type MatchedRoute,
  type Principal,
  type RequestLike,
  type RoutePolicy,
  splitRequestPath,
} from '@cognito-guard/core';
import { readEvent } from './events';
import {
  MAX_RESOURCE_LENGTH,
  type MethodArn,
  methodArnPattern,
  parseMethodArn,
  patternsOverlap,
  routeKeyPattern,
} from './method-arn';

/** REST `TOKEN`, REST `REQUEST`, and HTTP API payload 1.0 and 2.0 authorizer events. */
export interface AuthorizerEventLike {
  readonly type?: string;
  readonly version?: string;
  readonly methodArn?: string;
  readonly routeArn?: string;
  readonly authorizationToken?: string;
  readonly identitySource?: string | readonly string[];
  readonly httpMethod?: string;
  readonly path?: string;
  readonly rawPath?: string;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly cookies?: readonly string[] | null;
  readonly requestContext?: {
    readonly http?: { readonly method?: string; readonly path?: string };
    readonly stage?: string;
  } | null;
}

/** One IAM statement of an authorizer policy. */
export interface PolicyStatement {
  Action: 'execute-api:Invoke';
  Effect: 'Allow' | 'Deny';
  Resource: string[];
}

/** The context values API Gateway passes on: strings, numbers and booleans only. */
export type AuthorizerContext = Record<string, string | number | boolean>;

/** An IAM-policy authorizer result. */
export interface PolicyResult {
  principalId: string;
  policyDocument: { Version: '2012-10-17'; Statement: PolicyStatement[] };
  context: AuthorizerContext;
}

/** An HTTP API simple response. */
export interface SimpleResult {
  isAuthorized: boolean;
  context: AuthorizerContext;
}

/** Options of {@link createAuthorizer}. */
export interface AuthorizerOptions extends GuardConfig {
  /** The route policy (API Gateway route keys); list every route of the API. */
  readonly policy: RoutePolicy;
  /** HTTP API payload 2.0 only: answer `{ isAuthorized, context }` instead of an IAM policy. */
  readonly simpleResponses?: boolean;
}

/** The authorizer handler, with `ready()` to fetch keys during init. */
export interface Authorizer {
  (event: AuthorizerEventLike): Promise<PolicyResult | SimpleResult>;
  ready(): Promise<void>;
}

interface CompiledRoute {
  readonly routeKey: string;
  readonly pattern: string;
}

/**
 * Creates one handler for REST `TOKEN` and `REQUEST` events and HTTP API payloads 1.0 and 2.0.
 *
 * - A missing or invalid token throws exactly `Error('Unauthorized')` (API Gateway answers 401;
 *   any other message would be a 500).
 * - A valid token gets an IAM policy with `principalId = sub`: Allow for exactly the routes of
 *   the policy the principal may call, explicit Deny for denied routes that an Allow's wildcard
 *   would otherwise cover, implicit deny for the rest. The same cached policy is therefore right
 *   for every route.
 * - Signing keys that cannot be fetched throw `Error('Signing keys unavailable')`: API Gateway
 *   answers 500 and caches nothing, rather than logging the user out with a 401.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer({ policy, userPoolId, clientId, tokenUse: 'access' });
 * await authorizer.ready();
 * export const handler = authorizer;
 * ```
 */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const { policy, simpleResponses, ...config } = options;
  const guard = createGuard(config);
  const compiled = guard.compilePolicy(policy);
  const routes: CompiledRoute[] = compiled.routeKeys
    .filter((key) => key !== '$default')
    .map((routeKey) => {
      const [method, path] = routeKeyPattern(routeKey);
      return { routeKey, pattern: `${method}/${path}` };
    });

  const authorizer = async (event: AuthorizerEventLike): Promise<PolicyResult | SimpleResult> => {
    let principal: Principal;
    try {
      principal = await guard.authenticate(tokenRequest(event));
    } catch (err) {
      throw failure(err);
    }
    if (simpleResponses && event.version === '2.0') {
      return {
        isAuthorized: await allowedHere(event, principal, compiled, guard),
        context: contextOf(principal),
      };
    }
    const arn = parseMethodArn(event.methodArn ?? event.routeArn);
    if (!arn) throw new Error('Unauthorized');
    const statements = await statementsFor(principal, arn, routes, compiled, guard);
    return {
      principalId: principal.sub,
      policyDocument: { Version: '2012-10-17', Statement: statements },
      context: contextOf(principal),
    };
  };
  return Object.assign(authorizer, { ready: () => guard.ready() });
}

function failure(err: unknown): Error {
  if (isAuthError(err) && (err as AuthError).status === 503)
    return new Error('Signing keys unavailable');
  return new Error('Unauthorized');
}

function tokenRequest(event: AuthorizerEventLike): RequestLike {
  if (event.type === 'TOKEN') {
    return { method: 'GET', path: '/', headers: { authorization: event.authorizationToken } };
  }
  const { request } = readEvent({
    ...event,
    headers: event.headers ?? undefined,
    requestContext: { ...(event.requestContext ?? {}), authorizer: undefined },
  });
  return request;
}

async function allows(guard: Guard, principal: Principal, route: MatchedRoute): Promise<boolean> {
  if (route.rule === undefined) return true;
  const decision = await guard.authorize(principal, route.rule, { route: route.routeKey });
  return decision.allowed;
}

async function allowedHere(
  event: AuthorizerEventLike,
  principal: Principal,
  compiled: CompiledRoutePolicy,
  guard: Guard,
): Promise<boolean> {
  const method = event.requestContext?.http?.method ?? event.httpMethod ?? 'GET';
  const { request } = readEvent({
    version: '2.0',
    rawPath: event.rawPath,
    requestContext: { ...event.requestContext },
  });
  const split = splitRequestPath(request.path, compiled.caseSensitive);
  if (!split.ok) return false;
  return allows(guard, principal, compiled.match(method, split.segments));
}

async function statementsFor(
  principal: Principal,
  arn: MethodArn,
  routes: readonly CompiledRoute[],
  compiled: CompiledRoutePolicy,
  guard: Guard,
): Promise<PolicyStatement[]> {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const route of routes) {
    const own = compiled.route(route.routeKey) as MatchedRoute;
    ((await allows(guard, principal, own)) ? allowed : denied).push(route.pattern);
  }
  // Whatever no route matches falls to $default or the defaultAction.
  if (await allows(guard, principal, compiled.unmatched)) allowed.push('*/*');

  const allowResources = allowed
    .map((pattern) => methodArnPattern(arn, ...splitPattern(pattern)))
    .filter((resource) => resource.length <= MAX_RESOURCE_LENGTH);
  const denyResources = denied
    .filter((pattern) => allowed.some((allow) => patternsOverlap(allow, pattern)))
    .map((pattern) => clamp(methodArnPattern(arn, ...splitPattern(pattern))));

  const statements: PolicyStatement[] = [];
  if (allowResources.length)
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: allowResources });
  if (denyResources.length)
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: denyResources });
  if (!statements.length) {
    statements.push({
      Action: 'execute-api:Invoke',
      Effect: 'Deny',
      Resource: [methodArnPattern(arn, '*', '*')],
    });
  }
  return statements;
}

function splitPattern(pattern: string): [string, string] {
  const slash = pattern.indexOf('/');
  return [pattern.slice(0, slash), pattern.slice(slash + 1)];
}

// A Deny too long for IAM is shortened to a prefix wildcard: broader, so still safe.
function clamp(resource: string): string {
  return resource.length <= MAX_RESOURCE_LENGTH
    ? resource
    : `${resource.slice(0, MAX_RESOURCE_LENGTH - 1)}*`;
}

function contextOf(principal: Principal): AuthorizerContext {
  const context: AuthorizerContext = {
    sub: principal.sub,
    groups: principal.groups.join(','),
    scopes: principal.scopes.join(' '),
    tokenUse: principal.tokenUse,
    iss: principal.issuer,
    exp: principal.expiresAt,
  };
  if (principal.username !== undefined) context['username'] = principal.username;
  if (principal.clientId !== undefined) context['clientId'] = principal.clientId;
  return context;
}
