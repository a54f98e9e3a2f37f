// @cognito-guard/fastify: Fastify 4 and 5 hooks and a plugin over the cognito-guard core. It only
// translates: Fastify request in, core decision out, the reply (or a thrown error) back.

import type { Decision, GuardConfig, Principal, RoutePolicy } from '@cognito-guard/core';
import {
  type AdapterOptions,
  type BoundGuard,
  bindGuard,
  defineAdapter,
  type Evaluate,
  envReady,
  envRoutes,
  envRules,
  isPromise,
  keepVaryOnWriteHead,
  needsPrivateCache,
  type ResolvedAdapterOptions,
  type RuleGuard,
  readCaller,
  readIncoming,
  renderDenial,
  type SelectedRouteEvent,
  varyWith,
} from '@cognito-guard/core/adapter';
import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
import type { onRequestHookHandler, RawServerBase } from 'fastify';
import { markGuardHook } from './hook-phase';
import { pluginFor } from './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified Cognito caller, set by cognito-guard. */
    auth?: Principal | undefined;
  }
}

/** How a Fastify callback hook goes on (no argument) or fails (the error). */
export type Done = (error?: Error) => void;

// Fastify's own hook on any server it runs (HTTP/1.1, HTTPS, HTTP/2, whose raw request and reply
// are not Node's HTTP/1 ones): its request and reply, in Fastify 4's and 5's order alike.
type HookRequest = Parameters<onRequestHookHandler<RawServerBase>>[0];
type HookReply = Parameters<onRequestHookHandler<RawServerBase>>[1];

/** A Fastify hook, for `onRequest` or `preHandler`, per route or with `app.addHook`. */
export type FastifyHook = (request: HookRequest, reply: HookReply, done: Done) => void;

/**
 * How the hooks behave, beside the core configuration: `errors: 'respond' | 'throw'` (`'throw'`
 * throws the error, which carries `statusCode` and `headers`, to Fastify's error handler) and
 * `privateCache`.
 */
export interface FastifyOptions extends AdapterOptions {
  readonly errors?: 'respond' | 'throw';
}

/** Everything {@link cognitoGuard} returns: the hook factories and a plugin, on one guard. */
export interface FastifyGuard extends BoundGuard<FastifyHook> {
  /** Declares `request.auth`; with `{ policy }`, guards every route of the app by it. */
  readonly plugin: ReturnType<typeof pluginFor>;
}

/**
 * Binds the hook factories to an explicit configuration.
 *
 * @example
 * ```ts
 * const { requireGroups, ready } = cognitoGuard({ userPoolId, clientId, errors: 'throw' });
 * app.get('/movies', { onRequest: requireGroups('movies-group') }, listMovies);
 * await ready();
 * ```
 */
export function cognitoGuard(config: GuardConfig & FastifyOptions): FastifyGuard {
  const bound = bindGuard(adapter, config);
  return { ...bound, plugin: pluginFor(bound.guardRoutes) };
}

/** @fastify/aws-lambda's decoration: the event the request came in. */
type OnLambda = { readonly awsLambda?: { readonly event?: SelectedRouteEvent } };

// Read the request, let it through, or answer the denial: all the rest is core's.
const adapter = defineAdapter<FastifyHook, FastifyOptions>(
  ['respond', 'throw'],
  hook,
  undefined,
  verifyInWorkersFromEnv,
);

function hook(evaluate: Evaluate, options: ResolvedAdapterOptions, guard: RuleGuard): FastifyHook {
  // A callback hook, not an async one: on a cached token the request goes on with no promise.
  const settle = (decision: Decision, request: HookRequest, reply: HookReply, done: Done) => {
    if (!decision.allowed) {
      if (options.errors === 'throw') return done(decision.error);
      const denial = renderDenial(decision.error);
      reply
        .code(denial.status)
        .headers({ ...denial.headers })
        .send(denial.body);
      return;
    }
    if (decision.principal) request.auth = decision.principal;
    if (needsPrivateCache(decision, options)) {
      reply.header('cache-control', 'private');
      reply.header('vary', varyWith(reply.getHeader('vary'), options.vary));
      reply.hijack = hijackKeepingPrivate;
      keepVaryOnWriteHead(reply.raw, options.vary);
    }
    done();
  };
  const handler: FastifyHook = (request, reply, done) => {
    // As received, and as `rewriteUrl` gave it to the router; on @fastify/aws-lambda, the event.
    const received = request.originalUrl ?? request.raw.url ?? '/';
    const read = evaluate.readsRoute
      ? readIncoming(
          request.raw,
          received,
          request.raw.url,
          undefined,
          (request as OnLambda).awsLambda?.event,
        )
      : readCaller(request.raw, received);
    const decision = evaluate(read, { previous: request.auth });
    if (!isPromise(decision)) return settle(decision, request, reply, done);
    decision.then((settled) => settle(settled, request, reply, done)).catch(done);
  };
  return markGuardHook(handler, guard.config.logger);
}

// A hijacked reply (server-sent events) writes none of the reply's headers, only Node's: when a
// route takes the response over, the marks move there. Node's headers stay untouched otherwise,
// which spares every other answer Node's slower merge of the two.
function hijackKeepingPrivate(this: HookReply): HookReply {
  for (const name of ['cache-control', 'vary']) {
    const value = this.getHeader(name);
    if (value !== undefined) this.raw.setHeader(name, value);
  }
  return (Object.getPrototypeOf(this) as HookReply).hijack.call(this);
}

const fromEnv = envRules(adapter);

/**
 * Any-of group check, configured from environment variables (`COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_ID`, …). Verifies the token unless an earlier cognito-guard hook did.
 *
 * @example
 * ```ts
 * app.addHook('onRequest', requireGroups('movies-group'));
 * app.get('/shows', { onRequest: requireGroups('shows-group') }, listShows);
 * ```
 */
export const requireGroups = fromEnv.requireGroups;

/**
 * All-of group check (env-configured).
 *
 * @example
 * ```ts
 * app.delete('/movies/:id', { onRequest: requireAllGroups('movies-group', 'editors') }, remove);
 * ```
 */
export const requireAllGroups = fromEnv.requireAllGroups;

/**
 * Any-of scope check (env-configured); a failure advertises the scopes in `WWW-Authenticate`.
 *
 * @example
 * ```ts
 * app.post('/movies', { onRequest: requireScopes('movies/write') }, createMovie);
 * ```
 */
export const requireScopes = fromEnv.requireScopes;

/**
 * Claim check (env-configured), e.g. a custom attribute.
 *
 * @example
 * ```ts
 * app.get('/premium', { onRequest: requireClaim('custom:tier', ['gold', 'platinum']) }, premium);
 * ```
 */
export const requireClaim = fromEnv.requireClaim;

/**
 * Any core rule or predicate (env-configured).
 *
 * @example
 * ```ts
 * app.addHook('onRequest', authorize((p) => p.username === 'root'));
 * ```
 */
export const authorize = fromEnv.authorize;

/**
 * Verification only (env-configured): 401 without a valid token, and `request.auth` set.
 *
 * @example
 * ```ts
 * app.addHook('onRequest', authenticate());
 * app.get('/me', async (request) => ({ user: request.auth?.username }));
 * ```
 */
export const authenticate = fromEnv.authenticate;

/**
 * A route policy in API Gateway route-key form (env-configured), for every request it sees.
 *
 * @example
 * ```ts
 * app.addHook('onRequest', guardRoutes(JSON.parse(readFileSync('policy.json', 'utf8'))));
 * ```
 */
export function guardRoutes(policy: RoutePolicy): FastifyHook {
  return envRoutes(adapter, policy);
}

/**
 * Fetches the signing keys of the env-configured guards before the first request, so that none
 * pays for the fetch. Rejects with the `ConfigError` naming the variable on a bad environment,
 * and with a 503 `AuthError` when the keys cannot be fetched.
 *
 * @example
 * ```ts
 * app.get('/movies', { onRequest: requireGroups('movies-group') }, listMovies);
 * await ready();
 * await app.listen({ port: 3000 });
 * ```
 */
export const ready = (): Promise<void> => envReady(adapter);

/**
 * Declares `request.auth` on every request of the app; with `{ policy }`, also guards every
 * route by it (env-configured).
 *
 * @example
 * ```ts
 * await app.register(authPlugin, { policy });
 * ```
 */
export const authPlugin = pluginFor(guardRoutes);

export type { GuardConfig, Principal, RoutePolicy, Rule, UpgradeGuard } from '@cognito-guard/core';
export { AuthError, ConfigError, createUpgradeGuard, isAuthError } from '@cognito-guard/core';
export type { AuthPluginOptions } from './plugin';
