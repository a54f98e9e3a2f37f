// An API Gateway Lambda authorizer driven by the same policy.json as the containers. Its IAM
// policies are cache-safe: right for every route, because API Gateway reuses a cached result for
// every route the same token calls.

import {
  ConfigError,
  compileRoutePolicy,
  configFromEnv,
  createGuard,
  type Guard,
  type GuardConfig,
  isAuthError,
  type MatchedRoute,
  type Principal,
  type RequestLike,
  type RoutePolicy,
} from '@cognito-guard/core';
import { refuseMountedFactory } from '@cognito-guard/core/adapter';
import { closest } from '@cognito-guard/core/advanced';
import {
  type AuthorizerContext,
  RESERVED_CONTEXT_CLAIMS,
  writeAuthorizerContext,
} from './authorizer-context';
import { type HttpEventLike, readCaller, readEvent } from './events';
import { cacheSafeStatements, type PolicyStatement } from './iam-policy';
import { parseMethodArn } from './method-arn';

export type { AuthorizerContext } from './authorizer-context';
export type { PolicyStatement } from './iam-policy';

/** REST `TOKEN`, REST `REQUEST`, and HTTP API payload 1.0 and 2.0 authorizer events. */
export interface AuthorizerEventLike {
  readonly type?: string;
  readonly version?: string;
  readonly methodArn?: string;
  readonly routeArn?: string;
  readonly routeKey?: string;
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
    readonly routeKey?: string;
  } | null;
}

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
  /**
   * HTTP API payload 2.0 only: answer `{ isAuthorized, context }` for the requested method and
   * path. API Gateway caches that answer under the identity sources, so they must include the
   * method and the path (`$context.httpMethod`, `$context.path`) besides the token.
   */
  readonly simpleResponses?: boolean;
  /**
   * Further claims to pass to the backend in the context, each under `claim:<name>` (string,
   * number and boolean values; others are left out), so that a handler guard in trust mode can
   * check them with `requireClaim`. The context already carries `sub`, the groups, scopes,
   * username, client id, issuer, expiry and the revocation claims.
   */
  readonly contextClaims?: readonly string[];
}

type ChosenRoute = ReturnType<Guard['routeRule']>;

/** The authorizer handler, with `ready()` to fetch keys during init. */
export interface Authorizer {
  (event: AuthorizerEventLike): Promise<PolicyResult | SimpleResult>;
  ready(): Promise<void>;
}

/**
 * Creates one handler for REST `TOKEN` and `REQUEST` events and HTTP API payloads 1.0 and 2.0.
 * With no pool in the options, the pool comes from the environment (`COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_ID`, …), as for every other guard.
 *
 * - A missing or invalid token throws exactly `Error('Unauthorized')` (API Gateway answers 401;
 *   any other message would be a 500).
 * - A valid token gets an IAM policy with `principalId = sub` that API Gateway may cache and
 *   replay on any route: it never allows a request the route policy would refuse (see
 *   iam-policy.ts for how, and SECURITY.md for where it refuses more).
 * - Signing keys that cannot be fetched throw `Error('Signing keys unavailable')`, a
 *   revocation list that is not current throws `Error('Revocation list unavailable')`, and
 *   `offload` workers that answer nothing throw `Error('Verifying workers unavailable')`: API
 *   Gateway answers 500 (an authorizer cannot answer 503) and caches nothing, rather than
 *   logging the user out with a 401. A REST API can map `AUTHORIZER_FAILURE` to 503.
 * - A revoked token throws `Error('Unauthorized')`, but API Gateway replays a cached Allow for
 *   the authorizer's TTL: with `revocation` set, keep that TTL short (it warns once).
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer({ policy, userPoolId, clientId, tokenUse: 'access' });
 * await authorizer.ready();
 * export const handler = authorizer;
 * ```
 */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  refuseMountedFactory('createAuthorizer', options);
  // `createAuthorizer(policy, config)`, or nothing at all: say how it is called.
  if (options === null || typeof options !== 'object' || 'routes' in options) {
    throw new ConfigError('cognito-guard authorizer', [
      { field: '', message: 'must be one object: createAuthorizer({ policy, ...config })' },
    ]);
  }
  const { policy, simpleResponses, contextClaims: claimNames = [], ...given } = options;
  const contextClaims = checkOwnOptions(options, claimNames, Object.keys(given));
  const logger = given.logger ?? console;
  const config =
    given.userPoolId === undefined && given.pools === undefined
      ? { ...configFromEnv(process.env), ...given }
      : given;
  const guard = createGuard(config);
  // Read as API Gateway and the routers IAM can cut do: lambda-api's single walk stops at paths
  // no IAM pattern names (a literal `*` segment), so the guard in such a function reads those.
  const compiled = compileRoutePolicy(policy, {
    caseSensitive: guard.config.caseSensitivePaths,
    lambdaApiWalk: false,
  });
  const warned = new Set<string>();
  // A token the browser attaches by itself (a cookie, the ALB's session) is the one checked for
  // the page that sent the request.
  if (guard.config.tokenSources.some((source) => source !== 'authorization')) {
    logger.warn(
      "cognito-guard: API Gateway caches an authorizer's answer per identity source and replays it to requests from any page, so a cookie or ALB token's cross-site check holds only for the request that called the authorizer. With a cookie or ALB token source, set the authorizer's result TTL to 0.",
    );
  }
  if (guard.config.revocation !== undefined) {
    logger.warn(
      "cognito-guard: API Gateway caches an authorizer's Allow per token for its TTL (up to 1 h), and no revocation can recall it. Where revocation matters, set the authorizer's result TTL to at most a few seconds (0 turns caching off).",
    );
  }

  async function allows(principal: Principal, route: MatchedRoute): Promise<boolean> {
    if (route.rule === undefined) return true;
    return (await guard.authorize(principal, route.rule, { route: route.routeKey })).allowed;
  }

  // What the route policy decides for this principal on a concrete request.
  function allowedBy(principal: Principal, chosen: ChosenRoute): Promise<boolean> {
    if (!('rule' in chosen)) return Promise.resolve(false);
    return allows(principal, { routeKey: chosen.route, rule: chosen.rule });
  }

  // A cached simple answer is replayed for every request with the same identity sources: warn
  // when API Gateway's route is coarser than the policy's, so the operator adds method and path.
  function warnIfCoarse(event: AuthorizerEventLike, chosen: ChosenRoute): void {
    const routeKey: unknown = event.routeKey ?? event.requestContext?.routeKey;
    const policyRoute = 'rule' in chosen ? chosen.route : undefined;
    if (typeof routeKey !== 'string' || routeKey === policyRoute || warned.has(routeKey)) return;
    warned.add(routeKey);
    logger.warn(
      `cognito-guard: API Gateway route "${routeKey}" covers policy route "${policyRoute ?? 'defaultAction'}"; a cached simple response would be replayed across them. Add $context.httpMethod and $context.path to the authorizer's identity sources, or turn its cache off.`,
    );
  }

  const authorizer = async (event: AuthorizerEventLike): Promise<PolicyResult | SimpleResult> => {
    let principal: Principal;
    try {
      principal = await guard.authenticate(tokenRequest(event));
    } catch (err) {
      throw failure(err);
    }
    if (simpleResponses && event.version === '2.0') {
      let request: RequestLike;
      try {
        request = httpRequest(event);
      } catch (err) {
        throw failure(err);
      }
      const chosen = guard.routeRule(compiled, request.method, request.path);
      warnIfCoarse(event, chosen);
      return {
        isAuthorized: await allowedBy(principal, chosen),
        context: writeAuthorizerContext(principal, contextClaims),
      };
    }
    const arn = parseMethodArn(event.methodArn ?? event.routeArn);
    if (!arn) throw new Error('Unauthorized');
    const statements = await cacheSafeStatements(arn, {
      policy: compiled,
      allowedAt: (method, path) => allowedBy(principal, guard.routeRule(compiled, method, path)),
      routeAllows: (route) => allows(principal, route),
    });
    return {
      principalId: principal.sub,
      policyDocument: { Version: '2012-10-17', Statement: statements },
      context: writeAuthorizerContext(principal, contextClaims),
    };
  };
  return Object.assign(authorizer, { ready: () => guard.ready() });
}

// The authorizer's own options, beside the guard's configuration.
const OWN_OPTIONS = ['policy', 'simpleResponses', 'contextClaims'];

// The authorizer's own options; the rest are the guard's, checked by createGuard. Answers a copy
// of the claim names checked: a caller changing its array later changes nothing here.
function checkOwnOptions(
  { policy, simpleResponses }: AuthorizerOptions,
  names: unknown,
  configKeys: readonly string[],
): readonly string[] {
  // A misspelt own option lands among the guard's: name it here, with the option it is near.
  const misspelt = configKeys.flatMap((key) => {
    const near = closest(key, OWN_OPTIONS);
    return near ? [{ field: key, message: `is not a known option; did you mean "${near}"?` }] : [];
  });
  const required =
    policy === undefined
      ? [{ field: 'policy', message: 'is required: the route policy the authorizer decides by' }]
      : [];
  // Read as truthy, `"false"` would have answered simple responses to an API that expects IAM.
  const simple =
    simpleResponses === undefined || typeof simpleResponses === 'boolean'
      ? []
      : [{ field: 'simpleResponses', message: 'must be true or false' }];
  const claims = !Array.isArray(names)
    ? [{ field: 'contextClaims', message: 'must be an array of claim names' }]
    : names.flatMap((name: unknown, index) => {
        const field = `contextClaims.${index}`;
        if (typeof name !== 'string' || name === '') {
          return [{ field, message: 'must be a claim name (a non-empty string)' }];
        }
        return RESERVED_CONTEXT_CLAIMS.has(name)
          ? [{ field, message: `"${name}" is always in the context; list only other claims` }]
          : [];
      });
  const issues = [...misspelt, ...required, ...simple, ...claims];
  if (issues.length > 0) throw new ConfigError('cognito-guard authorizer', issues);
  return Object.freeze([...(names as readonly string[])]);
}

// What each 503 is called in the authorizer's failure, which API Gateway logs and answers 500.
// A Map, not an object: a reason is never looked up among an object's inherited names.
const UNAVAILABLE: ReadonlyMap<string, string> = new Map([
  ['revocation_unavailable', 'Revocation list unavailable'],
  ['verifier_unavailable', 'Verifying workers unavailable'],
]);

function failure(err: unknown): Error {
  if (!isAuthError(err) || err.status !== 503) return new Error('Unauthorized');
  return new Error(UNAVAILABLE.get(err.reason) ?? 'Signing keys unavailable');
}

// Authentication reads the token; the method and path are judged afterwards, under the route
// policy, from the ARN or the event. A request event's method and query go along all the same:
// with a cookie token source, a request another site's page made is judged by them too.
function tokenRequest(event: AuthorizerEventLike): RequestLike {
  if (event.type === 'TOKEN') {
    return { method: 'GET', path: '/', headers: { authorization: event.authorizationToken } };
  }
  return readCaller({ ...event, headers: event.headers ?? undefined } as HttpEventLike).request;
}

// The request an HTTP API authorizer judges, read as the handler guard reads it: an event without
// a method or a path is refused rather than judged as `GET /`.
function httpRequest(event: AuthorizerEventLike): RequestLike {
  return readEvent({
    version: '2.0',
    rawPath: event.rawPath,
    requestContext: { ...event.requestContext },
  }).request;
}
