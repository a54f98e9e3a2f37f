// @cognito-guard/koa: Koa 2 and 3 middleware and @koa/router guards over the cognito-guard core.
// It only translates: Koa context in, core decision out, status/headers/body (or a throw) back.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision, GuardConfig, Principal, RoutePolicy } from '@cognito-guard/core';
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
  expressMount,
  isPromise,
  keepPrivate,
  needsPrivateCache,
  type ResolvedAdapterOptions,
  type RuleGuard,
  readCaller,
  readIncoming,
  renderDenial,
} from '@cognito-guard/core/adapter';
import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
import type { DefaultContext, DefaultState, Middleware } from 'koa';
import { paramCallbackCheck } from './param-callbacks';
import { keepPrivateOnError, privateErrorAnswer } from './private-errors';
import { routerCaseCheck } from './router-case';

declare module 'koa' {
  interface DefaultState {
    /** The verified Cognito caller, set by cognito-guard. */
    auth?: Principal;
  }
}

/** The context fields this adapter reads and writes; Koa's context has them all. */
export interface KoaContextLike {
  readonly originalUrl: string;
  /** The URL as routers now match it (a middleware may have rewritten it). */
  readonly url: string;
  /** Set by koa-mount: where this middleware is mounted. */
  readonly mountPath?: string | undefined;
  /** The @koa/router router dispatching this request, if any. */
  readonly router?: unknown;
  /** Koa's request, with `body` once a body parser ran before the guard (koa-bodyparser, …). */
  readonly request: object;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  state: { auth?: Principal };
  status: number;
  body: unknown;
  set(field: Record<string, string>): void;
}

// A type with only optional fields would refuse Koa's own request type, which declares no `body`.
interface ParsedRequest {
  readonly body?: unknown;
}

/**
 * A Koa middleware, usable with `app.use` and as a `@koa/router` route guard. Typed as Koa's own,
 * so that an app or router infers from it what it infers from any middleware: a route's other
 * middleware typed with the router's defaults (`RouterMiddleware`) fits beside it, and a typed
 * state gains `auth`.
 */
export type KoaMiddleware = Middleware<DefaultState, DefaultContext>;

/**
 * How the middleware behaves, beside the core configuration: `errors: 'respond' | 'throw'`
 * (`'throw'` throws the error, which carries `status`, `expose` and `headers`, for the app's
 * error middleware or Koa's own `ctx.onerror`) and `privateCache`.
 */
export interface KoaOptions extends AdapterOptions {
  readonly errors?: 'respond' | 'throw';
}

/** Everything {@link cognitoGuard} returns: the handler factories bound to one guard. */
export type KoaGuard = BoundGuard<KoaMiddleware>;

/**
 * Binds the middleware factories to an explicit configuration.
 *
 * @example
 * ```ts
 * const { requireGroups, ready } = cognitoGuard({ userPoolId, clientId, errors: 'throw' });
 * router.get('/shows', requireGroups('shows-group'), listShows);
 * await ready();
 * ```
 */
export function cognitoGuard(config: GuardConfig & KoaOptions): KoaGuard {
  return bindGuard(adapter, config);
}

// Read the request, let it through, or answer the denial: all the rest is core's.
const adapter = defineAdapter<KoaMiddleware, KoaOptions>(
  ['respond', 'throw'],
  middleware,
  undefined,
  verifyInWorkersFromEnv,
);

function middleware(
  evaluate: Evaluate,
  options: ResolvedAdapterOptions,
  guard: RuleGuard,
): KoaMiddleware {
  const answerError = privateErrorAnswer(options.vary);
  // Not async: on a cached token the request goes on with next()'s own promise, no other.
  const settle = (
    decision: Decision,
    ctx: KoaContextLike,
    next: () => Promise<unknown>,
  ): Promise<unknown> => {
    if (!decision.allowed) {
      if (options.errors === 'throw') return Promise.reject(decision.error);
      const denial = renderDenial(decision.error);
      ctx.status = denial.status;
      ctx.set(denial.headers as Record<string, string>);
      ctx.body = denial.body;
      return Promise.resolve();
    }
    if (decision.principal) ctx.state.auth = decision.principal;
    if (needsPrivateCache(decision, options)) {
      keepPrivate(ctx.res, decision, options);
      keepPrivateOnError(ctx, answerError);
    }
    return next();
  };
  // An Express app that mounted this Koa app took its prefix off Node's URL before Koa saw it.
  const readRoute = (ctx: KoaContextLike) => {
    const outer = expressMount(ctx.req);
    const received = outer?.target ?? ctx.originalUrl;
    return evaluate(readIncoming(ctx.req, received, ctx.url, (ctx.request as ParsedRequest).body), {
      previous: ctx.state.auth,
      mountPath: outer ? outer.mountPath + (ctx.mountPath ?? '') : ctx.mountPath,
    });
  };
  const handler: KoaMiddleware = (ctx, next) => {
    checkRouter(ctx.router);
    const decision = evaluate.readsRoute
      ? readRoute(ctx)
      : evaluate(readCaller(ctx.req, ctx.originalUrl), { previous: ctx.state.auth });
    return isPromise(decision)
      ? decision.then((settled) => settle(settled, ctx, next))
      : settle(decision, ctx, next);
  };
  const checkRouter = diagnoseOnce(
    routerCaseCheck(guard.config.logger, handler),
    paramCallbackCheck(guard.config.logger, handler),
  );
  return handler;
}

const fromEnv = envRules(adapter);

/**
 * Any-of group check, configured from environment variables (`COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_ID`, …). Verifies the token unless an earlier cognito-guard middleware did.
 *
 * @example
 * ```ts
 * router.get('/shows', requireGroups('shows-group'), listShows);
 * ```
 */
export const requireGroups = fromEnv.requireGroups;

/**
 * All-of group check (env-configured).
 *
 * @example
 * ```ts
 * router.delete('/shows/:id', requireAllGroups('shows-group', 'editors'), deleteShow);
 * ```
 */
export const requireAllGroups = fromEnv.requireAllGroups;

/**
 * Any-of scope check (env-configured).
 *
 * @example
 * ```ts
 * router.post('/shows', requireScopes('shows/write'), createShow);
 * ```
 */
export const requireScopes = fromEnv.requireScopes;

/**
 * Claim check (env-configured).
 *
 * @example
 * ```ts
 * router.get('/premium', requireClaim('custom:tier', 'gold'), premium);
 * ```
 */
export const requireClaim = fromEnv.requireClaim;

/**
 * Any core rule or predicate (env-configured).
 *
 * @example
 * ```ts
 * app.use(authorize((principal) => principal.groups.length > 0));
 * ```
 */
export const authorize = fromEnv.authorize;

/**
 * Verification only (env-configured): 401 without a valid token, `ctx.state.auth` set.
 *
 * @example
 * ```ts
 * app.use(authenticate());
 * ```
 */
export const authenticate = fromEnv.authenticate;

/**
 * A route policy in API Gateway route-key form (env-configured).
 *
 * @example
 * ```ts
 * app.use(guardRoutes(policy));
 * ```
 */
export function guardRoutes(policy: RoutePolicy): KoaMiddleware {
  return envRoutes(adapter, policy);
}

/**
 * Fetches the signing keys of the env-configured guards before the first request, so that none
 * pays for the fetch. Rejects with the `ConfigError` naming the variable on a bad environment,
 * and with a 503 `AuthError` when the keys cannot be fetched.
 *
 * @example
 * ```ts
 * router.get('/shows', requireGroups('shows-group'), listShows);
 * await ready();
 * app.listen(3000);
 * ```
 */
export const ready = (): Promise<void> => envReady(adapter);

export type { GuardConfig, Principal, RoutePolicy, Rule, UpgradeGuard } from '@cognito-guard/core';
export { AuthError, ConfigError, createUpgradeGuard, isAuthError } from '@cognito-guard/core';
