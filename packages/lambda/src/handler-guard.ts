// Guards around Lambda handlers, for every HTTP event source, usable as plain wrappers or as
// Middy middleware. It only translates: event in, core decision out, proxy response back.

import {
  ConfigError,
  type ConfigIssue,
  type Guard,
  type GuardConfig,
  InvalidRequestError,
  isAuthError,
  type Principal,
  type RequestLike,
  type RoutePolicy,
} from '@cognito-guard/core';
import {
  type AdapterOptions,
  bindGuard,
  defineAdapter,
  type Evaluate,
  envChoice,
  envRoutes,
  envRules,
  type GuardHandlers,
  isRequestLike,
  type OwnOptions,
  type ResolvedAdapterOptions,
  type RuleGuard,
} from '@cognito-guard/core/adapter';
import { eventBodyMethods } from './event-body';
import { detectSource, type HttpEventLike, type ReadEvent, readCaller, readEvent } from './events';
import { markPrivate } from './private-answer';
import {
  isResponseStream,
  keepStreamingMarks,
  markingAnswer,
  type ResponseStreamLike,
  writeStreamedDenial,
} from './response-stream';
import { denyResponse, type HttpResponse } from './responses';
import { principalFromAuthorizer } from './trust';

/** Where the principal comes from. */
export type ClaimsSource =
  /** Verify the bearer token (default). */
  | 'token'
  /** Trust claims an API Gateway authorizer already verified. */
  | 'api-gateway';

/**
 * How the guard behaves, beside the core configuration (whose `logger` also gets trust mode's
 * refusals) and `privateCache`.
 */
export interface LambdaOptions extends Pick<AdapterOptions, 'privateCache'> {
  /** Default `'token'`, or env `COGNITO_CLAIMS_SOURCE`. */
  readonly claimsSource?: ClaimsSource;
  /**
   * Trust mode: the pool's group names contain no comma, so a REST Cognito authorizer's
   * comma-joined groups read one way only (env `COGNITO_GROUP_NAMES_COMMA_FREE=true`). Without
   * it, such groups are ambiguous: group allow-rules fail closed, deny-rules match any reading.
   */
  readonly commaFreeGroupNames?: boolean;
}

/**
 * The Lambda context, as the guarded handler sees it: with the verified principal. Under
 * `guardRoutes`, a public route passes without one (`auth` is then `undefined`).
 */
export type GuardedContext<C, A = Principal> = C & { readonly auth: A };

// What the guard wraps: a handler called with a context, or with a response stream and one.
type AnyHandler = (event: HttpEventLike, ...rest: unknown[]) => unknown;

/** A Middy request, as far as the guard reads it. */
export interface MiddyRequestLike {
  readonly event: HttpEventLike;
  context: object;
  response?: unknown;
}

/**
 * Wraps a handler so that it runs only for allowed requests, and receives the principal on
 * `context.auth`. Also a Middy middleware: `middy(handler).use(requireGroups('movies-group'))`.
 */
export interface HandlerGuard<A = Principal> {
  <E extends HttpEventLike, C extends object, R>(
    handler: (event: E, context: GuardedContext<C, A>) => Promise<R> | R,
  ): (event: E, context: Omit<C, 'auth'>) => Promise<R | HttpResponse>;
  /**
   * A response-streaming handler (`awslambda.streamifyResponse`, either side of the guard): a
   * denial is written to the stream and ends it; a pass's prelude is marked private.
   */
  <E extends HttpEventLike, S extends ResponseStreamLike, C extends object>(
    handler: (event: E, responseStream: S, context: GuardedContext<C, A>) => Promise<void>,
  ): (event: E, responseStream: S, context: Omit<C, 'auth'>) => Promise<void>;
  /**
   * The same guard around a response-streaming handler, with its parameters' types inferred
   * (the plain call recognises the stream at run time too, and types it when annotated).
   *
   * @example
   * ```ts
   * export const handler = awslambda.streamifyResponse(
   *   requireGroups('movies-group').streaming(async (event, responseStream, context) => {
   *     const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200 });
   *     await pipeline(moviesFor(context.auth), out);
   *   }),
   * );
   * ```
   */
  streaming<E extends HttpEventLike, C extends object>(
    handler: (
      event: E,
      responseStream: ResponseStreamLike,
      context: GuardedContext<C, A>,
    ) => Promise<void>,
  ): (event: E, responseStream: ResponseStreamLike, context: Omit<C, 'auth'>) => Promise<void>;
  /** Middy `before` step: answers denials itself, sets `request.context.auth` otherwise. */
  before(request: MiddyRequestLike): Promise<HttpResponse | undefined>;
  /** Middy `after` step: marks the response for a caller private, as the wrapper does. */
  after(request: MiddyRequestLike): Promise<void>;
}

/** Everything {@link cognitoGuard} returns: the guard factories bound to one configuration. */
export interface LambdaGuard
  extends Omit<GuardHandlers<HandlerGuard>, 'guardRoutes' | 'authenticate'> {
  /** Verification only; with `{ optional: true }` a request without a token passes, `auth` undefined. */
  authenticate(options?: { readonly optional?: false }): HandlerGuard;
  authenticate(options: { readonly optional: true }): HandlerGuard<Principal | undefined>;
  /** A route policy for a handler serving several routes; public routes pass with `auth` undefined. */
  guardRoutes(policy: RoutePolicy): HandlerGuard<Principal | undefined>;
  readonly guard: Guard;
  /** Fetches signing keys; `await guard.ready()` at module top level so no request pays for it. */
  ready(): Promise<void>;
}

/** The Lambda options, validated from a configuration or read from the environment. */
interface LambdaOwn {
  readonly claimsSource: ClaimsSource;
  readonly commaFreeGroupNames: boolean;
}

const lambdaOptions: OwnOptions<LambdaOwn> = {
  keys: ['claimsSource', 'commaFreeGroupNames'],
  fromConfig({ claimsSource = 'token', commaFreeGroupNames = false }) {
    const issues: ConfigIssue[] = [];
    if (claimsSource !== 'token' && claimsSource !== 'api-gateway') {
      issues.push({
        field: 'claimsSource',
        message: `must be "token" or "api-gateway", got ${JSON.stringify(claimsSource)}`,
      });
    }
    if (typeof commaFreeGroupNames !== 'boolean') {
      issues.push({ field: 'commaFreeGroupNames', message: 'must be true or false' });
    }
    if (issues.length > 0) throw new ConfigError('cognito-guard config', issues);
    return { claimsSource, commaFreeGroupNames } as LambdaOwn;
  },
  fromEnv: (env) => ({
    claimsSource: envChoice(env, 'COGNITO_CLAIMS_SOURCE', ['token', 'api-gateway'], 'token'),
    commaFreeGroupNames:
      envChoice(env, 'COGNITO_GROUP_NAMES_COMMA_FREE', ['true', 'false'], 'false') === 'true',
  }),
};

// Read the event, let it through, or answer the denial: all the rest is core's. Only route
// policies read the body, so the env-bound rule guards are built without the body reader, and a
// bundle of rule guards leaves it out.
const ruleAdapter = defineAdapter<HandlerGuard, LambdaOptions, LambdaOwn>(
  ['respond'],
  (evaluate, options, guard) => handlerGuard(evaluate, options, guard, undefined),
  lambdaOptions,
);
const adapter = /* @__PURE__ */ defineAdapter<HandlerGuard, LambdaOptions, LambdaOwn>(
  ['respond'],
  (evaluate, options, guard) => handlerGuard(evaluate, options, guard, eventBodyMethods),
  lambdaOptions,
);

/** The env-configured guards (`COGNITO_*`, `COGNITO_CLAIMS_SOURCE`, …). */
export const fromEnv = envRules(ruleAdapter) as unknown as Pick<
  LambdaGuard,
  | 'requireGroups'
  | 'requireAllGroups'
  | 'requireScopes'
  | 'requireClaim'
  | 'authorize'
  | 'authenticate'
>;

/**
 * The env-configured route-policy guard; public routes pass with `auth` undefined.
 *
 * @example
 * ```ts
 * export const handler = guardRoutesFromEnv(policy)(async (event, context) => ok(context.auth));
 * ```
 */
export function guardRoutesFromEnv(policy: RoutePolicy): HandlerGuard<Principal | undefined> {
  return envRoutes(adapter, policy) as unknown as HandlerGuard<Principal | undefined>;
}

/**
 * Binds the handler guards to an explicit configuration.
 *
 * @example
 * ```ts
 * const { requireGroups, ready } = cognitoGuard({ userPoolId, clientId, claimsSource: 'token' });
 * await ready();
 * export const handler = requireGroups('movies-group')(async (event, context) => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ user: context.auth.username }),
 * }));
 * ```
 */
export function cognitoGuard(config: GuardConfig & LambdaOptions): LambdaGuard {
  // authenticate({ optional }) and guardRoutes pass without a principal: typed as such here.
  return bindGuard(adapter, config) as unknown as LambdaGuard;
}

const NOT_STREAMED =
  'cognito-guard: a .streaming() handler was called without a stream: export it through awslambda.streamifyResponse';

// What the refusal of an event that could not be read is recorded against.
const UNREAD_REQUEST: RequestLike = { method: '-', path: '-', headers: {} };

function handlerGuard(
  evaluate: Evaluate,
  options: ResolvedAdapterOptions & LambdaOwn,
  guard: RuleGuard,
  readBody: typeof eventBodyMethods | undefined,
): HandlerGuard {
  const trust = options.claimsSource === 'api-gateway';
  const { logger, realm } = guard.config;
  const trustOptions = {
    realm,
    commaFreeGroupNames: options.commaFreeGroupNames,
  };

  async function decide(
    event: HttpEventLike,
    previous: unknown,
  ): Promise<{ principal: Principal | undefined } | { response: HttpResponse }> {
    let read: ReadEvent | undefined;
    let principal: Principal | undefined;
    try {
      // Only a route policy reads the method and path; a rule reads the caller.
      read = evaluate.readsRoute ? readEvent(event, realm) : readCaller(event, realm);
      if (readBody !== undefined && evaluate.readsBody) {
        const { headers } = read.request;
        const body = await readBody(event, headers['content-type'], {
          realm,
          contentEncoding: headers['content-encoding'],
        });
        read = { ...read, request: { ...read.request, body } };
      }
      if (trust) {
        principal = principalFromAuthorizer(event, read.source, guard.verifier, trustOptions);
      }
    } catch (thrown) {
      // An event no reader foresaw still gets an answer: a failed invocation is a 502 the client
      // cannot act on. The hostile-events fuzz fails on this warning, so a reader's bug still shows.
      const err = isAuthError(thrown) ? thrown : unreadableEvent(realm);
      const refused = read ? `${read.request.method} ${read.request.path}` : 'an event';
      // A reader's failure names its cause, for the operator; the client learns only the kind.
      const cause = isAuthError(thrown) ? '' : ` (${causeOf(thrown)})`;
      logger.warn(`cognito-guard: refused ${refused}: ${err.description ?? err.reason}${cause}`);
      // Recorded as every other denial is, so that onDecision and telemetry see this one too.
      await guard.decideChosen(read?.request ?? UNREAD_REQUEST, err);
      return {
        response: denyResponse(read ?? { source: detectSource(event), multiValue: false }, err),
      };
    }
    const decision = await evaluate(read.request, { previous, principal });
    if (!decision.allowed) return { response: denyResponse(read, decision.error) };
    return { principal: decision.principal };
  }

  // A plain handler's result is the answer; a streaming handler answers through its stream.
  const wrap = (handler: AnyHandler) =>
    keepStreamingMarks(
      checkedHandler(handler),
      async (event: HttpEventLike, second: unknown, third: unknown) => {
        const streaming = isResponseStream(second);
        const context = (streaming ? third : second) as object | undefined;
        const outcome = await decide(event, (context as { auth?: unknown } | undefined)?.auth);
        if ('response' in outcome) {
          if (streaming) return writeStreamedDenial(second, outcome.response);
          return outcome.response;
        }
        const guarded = Object.assign(
          Object.create(Object.getPrototypeOf(context ?? {})),
          context,
          {
            auth: outcome.principal,
          },
        );
        const marks = options.privateCache && outcome.principal !== undefined;
        if (streaming) {
          // Only an HTTP event's answer is read as one: another invocation's bytes are its own.
          const http = typeof event.requestContext === 'object' && event.requestContext !== null;
          const stream = marks ? markingAnswer(second, options.vary, http) : second;
          return handler(event, stream, guarded);
        }
        const result = await handler(event, guarded);
        return marks ? markPrivate(result, event, options.vary) : result;
      },
    );

  return Object.assign(wrap as unknown as HandlerGuard, {
    // Called without a stream, a streaming handler would take its context for one: the function
    // was deployed without awslambda.streamifyResponse, which the error says before anything runs.
    streaming: (handler: AnyHandler) => {
      const guarded = wrap(handler);
      return keepStreamingMarks(handler, (event: HttpEventLike, second: unknown, third: unknown) =>
        isResponseStream(second)
          ? guarded(event, second, third)
          : Promise.reject(new TypeError(NOT_STREAMED)),
      );
    },
    async before(request: MiddyRequestLike): Promise<HttpResponse | undefined> {
      const outcome = await decide(request.event, (request.context as { auth?: unknown }).auth);
      if ('response' in outcome) return outcome.response;
      Object.assign(request.context, { auth: outcome.principal });
      return undefined;
    },
    // Middy runs no after step past a denial the before step answered.
    async after(request: MiddyRequestLike): Promise<void> {
      const { auth } = request.context as { auth?: unknown };
      if (options.privateCache && auth !== undefined)
        request.response = markPrivate(request.response, request.event, options.vary);
    },
  });
}

// Checked when the handler is wrapped, at start-up: otherwise the first allowed request would
// fail the invocation (a 502) calling something that is not a function.
function checkedHandler(handler: unknown): AnyHandler {
  if (typeof handler === 'function') return handler as AnyHandler;
  // `export const handler = requireGroups('g')`: the runtime hands the guard its event.
  const message = isRequestLike(handler)
    ? 'must be a function; got an event: export requireGroups(…)(handler), not the guard itself'
    : 'must be a function';
  throw new ConfigError('guarded handler', [{ field: 'handler', message }]);
}

// A reader's failure on an event: a 400 to the client, as for any event the guard cannot read.
function unreadableEvent(realm: string): InvalidRequestError {
  const description = 'The event could not be read';
  return new InvalidRequestError({ reason: 'request_unreadable', description, realm });
}

const causeOf = (thrown: unknown) =>
  thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown;
