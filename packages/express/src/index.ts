// @cognito-guard/express: Express 4 and 5 middleware over the cognito-guard core. It only
// translates: Express request in, core decision out, Express response or next(err) back.

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
  isPromise,
  keepPrivate,
  needsPrivateCache,
  type ResolvedAdapterOptions,
  type RuleGuard,
  readCaller,
  readIncoming,
  sendDenial,
} from '@cognito-guard/core/adapter';
import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
import { paramCallbackCheck } from './param-callbacks';
import { responseCacheCheck } from './response-caches';
import { routerCaseCheck } from './router-case';
import { staticMountCheck } from './static-mounts';

declare global {
  namespace Express {
    interface Request {
      /** The verified Cognito caller, set by cognito-guard. */
      auth?: Principal;
    }
  }
}

/** The request fields this adapter reads; Express's `Request` has them all. */
export interface ExpressRequestLike extends IncomingMessage {
  auth?: Principal;
  originalUrl?: string;
  /** Where the router running this middleware is mounted. */
  baseUrl?: string;
  /** The Express application handling the request. */
  app?: unknown;
}

/** An Express middleware: `(req, res, next)`. Assignable to Express's `RequestHandler`. */
export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * How the middleware behaves, beside the core configuration: `errors: 'respond' | 'next'`
 * (`'next'` passes the error to `next(err)` for the app's error handler) and `privateCache`.
 */
export interface ExpressOptions extends AdapterOptions {
  readonly errors?: 'respond' | 'next';
}

/** Everything {@link cognitoGuard} returns: the handler factories bound to one guard. */
export type ExpressGuard = BoundGuard<ExpressMiddleware>;

/**
 * Binds the middleware factories to an explicit configuration.
 *
 * @example
 * ```ts
 * const { requireGroups, guardRoutes, ready } = cognitoGuard({ userPoolId, clientId, errors: 'next' });
 * app.get('/movies', requireGroups('movies-group'), listMovies);
 * await ready();
 * ```
 */
export function cognitoGuard(config: GuardConfig & ExpressOptions): ExpressGuard {
  return bindGuard(adapter, config);
}

// Read the request, let it through, or answer the denial: all the rest is core's.
const adapter = defineAdapter<ExpressMiddleware, ExpressOptions>(
  ['respond', 'next'],
  middleware,
  undefined,
  verifyInWorkersFromEnv,
);

function middleware(
  evaluate: Evaluate,
  options: ResolvedAdapterOptions,
  guard: RuleGuard,
): ExpressMiddleware {
  const settle = (
    decision: Decision,
    req: ExpressRequestLike,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void => {
    if (!decision.allowed) {
      keepOutOfResponseCaches(res);
      if (options.errors === 'next') next(decision.error);
      else sendDenial(res, decision.error);
      return;
    }
    if (decision.principal) req.auth = decision.principal;
    if (needsPrivateCache(decision, options)) {
      keepPrivate(res, decision, options);
      keepOutOfResponseCaches(res);
    }
    next();
  };
  const handler: ExpressMiddleware = (req, res, next) => {
    checkApp(req.app);
    const path = req.originalUrl ?? req.url ?? '/';
    const request = evaluate.readsRoute ? readIncoming(req, path, req.url) : readCaller(req, path);
    const decision = evaluate(request, { previous: req.auth, mountPath: req.baseUrl });
    if (!isPromise(decision)) return settle(decision, req, res, next);
    decision.then((settled) => settle(settled, req, res, next)).catch(next);
  };
  const { logger } = guard.config;
  const keepOutOfResponseCaches = responseCacheCheck(logger);
  const checkApp = diagnoseOnce(
    routerCaseCheck(logger, handler),
    paramCallbackCheck(logger, handler),
    staticMountCheck(logger, handler),
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
 * app.use(requireGroups('movies-group'));
 * app.get('/shows', requireGroups('shows-group'), listShows);
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
 * app.use(authorize(anyOf(requireGroupsRule('admins'), (p) => p.username === 'root')));
 * ```
 */
export const authorize = fromEnv.authorize;

/**
 * Verification only (env-configured): 401 without a valid token, and `req.auth` set.
 *
 * @example
 * ```ts
 * app.use(authenticate());
 * app.get('/me', (req, res) => res.json({ user: req.auth?.username }));
 * ```
 */
export const authenticate = fromEnv.authenticate;

/**
 * A route policy in API Gateway route-key form (env-configured), for every request through it.
 *
 * @example
 * ```ts
 * app.use(guardRoutes(JSON.parse(readFileSync('policy.json', 'utf8'))));
 * ```
 */
export function guardRoutes(policy: RoutePolicy): ExpressMiddleware {
  return envRoutes(adapter, policy);
}

/**
 * Fetches the signing keys of the env-configured guards before the first request, so that none
 * pays for the fetch. Rejects with the `ConfigError` naming the variable on a bad environment,
 * and with a 503 `AuthError` when the keys cannot be fetched.
 *
 * @example
 * ```ts
 * app.use(requireGroups('movies-group'));
 * await ready();
 * app.listen(3000);
 * ```
 */
export const ready = (): Promise<void> => envReady(adapter);

export type { GuardConfig, Principal, RoutePolicy, Rule, UpgradeGuard } from '@cognito-guard/core';
export { AuthError, ConfigError, createUpgradeGuard, isAuthError } from '@cognito-guard/core';
