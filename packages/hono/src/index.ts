// @cognito-guard/hono: Hono 4 middleware over the cognito-guard core, the same in a container
// (@hono/node-server) and in a Lambda (hono/aws-lambda). It only translates: Hono context in,
// core decision out, `c.set('auth')` and `next()` or the denial's Response back.

import type { GuardConfig, Principal, RoutePolicy } from '@cognito-guard/core';
import {
  type AdapterOptions,
  type BoundGuard,
  bindGuard,
  defineAdapter,
  diagnoseOnce,
  type Evaluate,
  envReady,
  envRoutes,
  envRules,
  isNodeResponse,
  isPromise,
  keepHeadersPrivate,
  keepPrivate,
  needsPrivateCache,
  type ReceivedFrom,
  type ResolvedAdapterOptions,
  type RuleGuard,
  readFetchRequest,
  receivedTarget,
  renderDenial,
  type SelectedRouteEvent,
  selectedRouteKey,
} from '@cognito-guard/core/adapter';
import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { exactPathCheck } from './exact-path';

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified Cognito caller, set by cognito-guard. */
    auth?: Principal | undefined;
  }
}

/** Hono middleware, for `app.use` or a route. */
export type HonoMiddleware = MiddlewareHandler;

/** What the adapter reads of @hono/node-server's Node request (`c.env.incoming`). */
interface NodeIncoming {
  readonly rawHeaders?: string[];
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * How the middleware behaves, beside the core configuration: `errors: 'respond' | 'throw'`
 * (`'throw'` throws an `HTTPException` whose response is the denial and whose `cause` is the
 * `AuthError`, for `app.onError`) and `privateCache`.
 */
export interface HonoOptions extends AdapterOptions {
  readonly errors?: 'respond' | 'throw';
}

/** Everything {@link cognitoGuard} returns: the middleware factories bound to one guard. */
export type HonoGuard = BoundGuard<HonoMiddleware>;

/**
 * Binds the middleware factories to an explicit configuration.
 *
 * @example
 * ```ts
 * const { requireGroups, ready } = cognitoGuard({ userPoolId, clientId });
 * app.use('/movies/*', requireGroups('movies-group'));
 * await ready();
 * ```
 */
export function cognitoGuard(config: GuardConfig & HonoOptions): HonoGuard {
  return bindGuard(adapter, config);
}

// Read the request, let it through, or answer the denial: all the rest is core's.
const adapter = defineAdapter<HonoMiddleware, HonoOptions>(
  ['respond', 'throw'],
  middleware,
  undefined,
  verifyInWorkersFromEnv,
);

function middleware(
  evaluate: Evaluate,
  options: ResolvedAdapterOptions,
  guard: RuleGuard,
): HonoMiddleware {
  const checkRoute = diagnoseOnce(exactPathCheck(guard.config.logger));
  return async (c, next) => {
    checkRoute(c.req);
    // On @hono/node-server the Node request is at c.env.incoming: its raw headers show repeats,
    // and its parsed headers spare building a Headers object per request.
    // On hono/aws-lambda the event is at c.env.event: the route API Gateway selected joins the
    // path's reading, as in the Lambda guard. A route policy reads the target the server or
    // bridge received beside the URL routed, which app.mount takes its prefix off (an Express
    // mount around the server names its prefix: that is the mount path).
    const env = c.env as
      | (ReceivedFrom & { incoming?: NodeIncoming; outgoing?: unknown; event?: SelectedRouteEvent })
      | undefined;
    const incoming = env?.incoming;
    const received = evaluate.readsRoute ? receivedTarget(env) : undefined;
    const read = readFetchRequest(
      c.req.raw,
      incoming?.rawHeaders,
      incoming?.headers,
      received?.target,
    );
    const request = env?.event ? { ...read, routeKey: selectedRouteKey(env.event) } : read;
    const pending = evaluate(request, { previous: c.get('auth'), mountPath: received?.mountPath });
    const decision = isPromise(pending) ? await pending : pending;
    if (!decision.allowed) {
      const denial = renderDenial(decision.error);
      const res = new Response(denial.body, { status: denial.status, headers: denial.headers });
      if (options.errors === 'throw')
        throw new HTTPException(denial.status as 401, { res, cause: decision.error });
      return res;
    }
    if (decision.principal) c.set('auth', decision.principal);
    if (!needsPrivateCache(decision, options)) return next();
    // Every answer @hono/node-server sends leaves through its Node response's writeHead, so the
    // marks go there, as on Express, sparing a Response rebuilt per request.
    const outgoing = env?.outgoing;
    if (isNodeResponse(outgoing)) {
      keepPrivate(outgoing, decision, options);
      return next();
    }
    // Elsewhere, marked after the handler: a Response it returns itself never carries
    // c.header()'s headers.
    await next();
    if (!keepHeadersPrivate(c.res.headers, options.vary)) {
      c.res = new Response(c.res.body, c.res);
      keepHeadersPrivate(c.res.headers, options.vary);
    }
  };
}

const fromEnv = envRules(adapter);

/**
 * Any-of group check, configured from environment variables (`COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_ID`, …). Verifies the token unless an earlier cognito-guard middleware did.
 *
 * @example
 * ```ts
 * app.use('/movies/*', requireGroups('movies-group'));
 * app.get('/shows', requireGroups('shows-group'), (c) => c.json({ user: c.get('auth')?.username }));
 * ```
 */
export const requireGroups = fromEnv.requireGroups;

/**
 * All-of group check (env-configured).
 *
 * @example
 * ```ts
 * app.delete('/movies/:id', requireAllGroups('movies-group', 'editors'), deleteMovie);
 * ```
 */
export const requireAllGroups = fromEnv.requireAllGroups;

/**
 * Any-of scope check (env-configured); a failure advertises the scopes in `WWW-Authenticate`.
 *
 * @example
 * ```ts
 * app.post('/movies', requireScopes('movies/write'), createMovie);
 * ```
 */
export const requireScopes = fromEnv.requireScopes;

/**
 * Claim check (env-configured), e.g. a custom attribute.
 *
 * @example
 * ```ts
 * app.get('/premium', requireClaim('custom:tier', ['gold', 'platinum']), premium);
 * ```
 */
export const requireClaim = fromEnv.requireClaim;

/**
 * Any core rule or predicate (env-configured).
 *
 * @example
 * ```ts
 * app.use(authorize((p) => p.username === 'root'));
 * ```
 */
export const authorize = fromEnv.authorize;

/**
 * Verification only (env-configured): 401 without a valid token, and `c.get('auth')` set.
 *
 * @example
 * ```ts
 * app.use(authenticate());
 * app.get('/me', (c) => c.json({ user: c.get('auth')?.username }));
 * ```
 */
export const authenticate = fromEnv.authenticate;

/**
 * A route policy in API Gateway route-key form (env-configured), for every request through it.
 *
 * @example
 * ```ts
 * app.use(guardRoutes(policy));
 * ```
 */
export function guardRoutes(policy: RoutePolicy): HonoMiddleware {
  return envRoutes(adapter, policy);
}

/**
 * Fetches the signing keys of the env-configured guards before the first request, so that none
 * pays for the fetch. Rejects with the `ConfigError` naming the variable on a bad environment,
 * and with a 503 `AuthError` when the keys cannot be fetched.
 *
 * @example
 * ```ts
 * app.use('/movies/*', requireGroups('movies-group'));
 * await ready();
 * serve(app);
 * ```
 */
export const ready = (): Promise<void> => envReady(adapter);

export type { GuardConfig, Principal, RoutePolicy, Rule } from '@cognito-guard/core';
export { AuthError, ConfigError, isAuthError } from '@cognito-guard/core';
