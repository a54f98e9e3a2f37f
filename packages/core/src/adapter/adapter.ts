// What every framework adapter shares: its options (validated once, here), the one rendering of
// a denial, and the headers that keep a guarded answer out of shared caches.

import { ConfigError, type ConfigIssue } from '../config/config-error';
import type { TokenSource } from '../config/types';
import { describeValue } from '../config/zod-issues';
import type { AuthError } from '../errors/errors';

/** How an adapter hands a denial over. */
export type ErrorMode = 'respond' | 'next' | 'throw';

/** Options every adapter takes beside the core configuration. */
export interface AdapterOptions {
  /**
   * `'respond'` (default): answer denials with the status, headers and JSON body below.
   * `'next'` (Express) / `'throw'` (Koa, Fastify, Hono): hand the error (it carries `status`,
   * `statusCode`, `expose` and `headers`) to the framework's own error handling.
   */
  readonly errors?: ErrorMode | undefined;
  /**
   * Mark allowed answers to authenticated requests `Cache-Control: private` (unless the
   * application sets its own) and `Vary` with the headers a token is read from (`Authorization`,
   * and `Cookie` for a cookie or the ALB's session), so a CDN or proxy never replays one caller's
   * answer to another. Default true.
   */
  readonly privateCache?: boolean | undefined;
}

/** Adapter options after validation. */
export interface ResolvedAdapterOptions {
  readonly errors: ErrorMode;
  readonly privateCache: boolean;
  /**
   * The fields an answer decided for a caller names in `Vary`: every header the guard reads a
   * token (or, under `albUserClaims`, user claims) from, as {@link varyFor} lists them.
   */
  readonly vary: string;
}

/** The adapter options when none are given (and for the environment-configured exports). */
export const DEFAULT_ADAPTER_OPTIONS: ResolvedAdapterOptions = Object.freeze({
  errors: 'respond',
  privateCache: true,
  vary: 'Authorization',
});

/** A denial as every surface sends it. */
export interface DenialResponse {
  readonly status: number;
  /** `WWW-Authenticate` or `Retry-After`, `Content-Type`, `Cache-Control: no-store`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, as text: `{"message":"Forbidden"}`. */
  readonly body: string;
}

/** Content type of every denial body. */
export const DENIAL_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Splits an adapter's configuration into its own options (validated) and the core
 * configuration. Throws a `ConfigError` naming every bad field, including options that were
 * removed: `allowCorsPreflight` passed tokenless preflights to handlers that `app.all` or a
 * later middleware could run.
 *
 * @example
 * ```ts
 * const { adapter, core } = splitAdapterOptions(config, ['respond', 'next']);
 * ```
 */
export function splitAdapterOptions<T extends object>(
  config: T & AdapterOptions,
  errorModes: readonly ErrorMode[],
): { adapter: Omit<ResolvedAdapterOptions, 'vary'>; core: Omit<T, keyof AdapterOptions> } {
  const { errors, privateCache, ...core } = config as AdapterOptions & Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  if (errors !== undefined && !errorModes.includes(errors)) {
    issues.push({
      field: 'errors',
      message: `must be ${errorModes.map((mode) => `"${mode}"`).join(' or ')}, got ${describeValue(errors)}`,
    });
  }
  if (privateCache !== undefined && typeof privateCache !== 'boolean') {
    issues.push({ field: 'privateCache', message: 'must be true or false' });
  }
  if ('allowCorsPreflight' in core) {
    issues.push({
      field: 'allowCorsPreflight',
      message:
        'was removed: a tokenless preflight must not reach handlers. Mount your CORS middleware before the guard (it answers preflights itself), or make OPTIONS routes public in a route policy',
    });
  }
  if (issues.length > 0) throw new ConfigError('cognito-guard config', issues);
  return {
    adapter: {
      errors: errors ?? DEFAULT_ADAPTER_OPTIONS.errors,
      privateCache: privateCache ?? DEFAULT_ADAPTER_OPTIONS.privateCache,
    },
    core: core as unknown as Omit<T, keyof AdapterOptions>,
  };
}

/**
 * The response that denies a request: the same status, headers and body on every surface.
 *
 * @example
 * ```ts
 * const { status, headers, body } = renderDenial(decision.error);
 * res.writeHead(status, headers).end(body);
 * ```
 */
export function renderDenial(error: AuthError): DenialResponse {
  return {
    status: error.status,
    headers: {
      ...error.headers,
      'Content-Type': DENIAL_CONTENT_TYPE,
      'Cache-Control': 'no-store',
    },
    body: JSON.stringify(error.body),
  };
}

/**
 * Whether an allowed answer must be kept out of shared caches: it was decided for a caller.
 *
 * @example
 * ```ts
 * if (needsPrivateCache(decision, options)) res.setHeader('Cache-Control', 'private');
 * ```
 */
export function needsPrivateCache(
  decision: { readonly principal: unknown },
  options: ResolvedAdapterOptions,
): boolean {
  return options.privateCache && decision.principal !== undefined;
}

/**
 * A copy of a header record, marked so that no shared cache stores the answer it goes with:
 * `Cache-Control: private` unless the record, or another record the same answer carries
 * (`alongside`), names one (in any casing), and the `vary` fields (`options.vary`) in `Vary`
 * beside the fields already there.
 *
 * @example
 * ```ts
 * withPrivateMarks({ vary: 'Origin' }, 'Authorization'); // { vary: 'Origin, Authorization', 'Cache-Control': 'private' }
 * withPrivateMarks({ 'cache-control': 'no-cache' }, 'Cookie'); // keeps it; adds Vary: Cookie
 * withPrivateMarks(result.multiValueHeaders, options.vary, result.headers); // REST merges the two maps
 * ```
 */
export function withPrivateMarks(
  headers: Readonly<Record<string, unknown>> | undefined,
  vary: string,
  alongside?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const marked: Record<string, unknown> = { ...headers };
  if (
    keyOf(marked, 'cache-control') === undefined &&
    keyOf(alongside, 'cache-control') === undefined
  )
    marked['Cache-Control'] = 'private';
  const varyKey = keyOf(marked, 'vary') ?? 'Vary';
  marked[varyKey] = varyWith(marked[varyKey], vary);
  return marked;
}

// The key a header record uses for a lower-case header name, in whatever casing it has.
const keyOf = (headers: Readonly<Record<string, unknown>> | undefined, name: string) =>
  Object.keys(headers ?? {}).find((key) => key.toLowerCase() === name);

/**
 * A `Vary` header value that names `fields` (one, or several as {@link varyFor} lists them:
 * `'Authorization, Cookie'`) too, keeping every field already there.
 *
 * @example
 * ```ts
 * varyWith('Origin', 'Authorization'); // 'Origin, Authorization'
 * varyWith(undefined, 'Authorization, Cookie'); // 'Authorization, Cookie'
 * varyWith('cookie', 'Authorization, Cookie'); // 'cookie, Authorization'
 * varyWith('*', 'Authorization'); // '*'
 * ```
 */
export function varyWith(current: unknown, fields: string): string {
  // The answer's own Vary is often just the guard's fields: spared the parsing below.
  if (current === undefined || current === '' || current === fields) return fields;
  const text = Array.isArray(current) ? current.join(', ') : String(current ?? '');
  const named = text
    .toLowerCase()
    .split(',')
    .map((item) => item.trim());
  // `*` already keeps every later request from matching: naming more would only weaken it.
  if (named.includes('*')) return text;
  const missing = fields.split(', ').filter((field) => !named.includes(field.toLowerCase()));
  return [text, ...missing].filter((part) => part !== '').join(', ');
}

/**
 * The `Vary` fields of an answer decided for a caller: every request header the guard reads the
 * caller from (its `tokenSources`, and `x-amzn-oidc-data` under `albUserClaims`). An answer to a
 * cookie varies with `Cookie`: keyed on `Authorization` alone, which no such request carries, a
 * shared cache would replay it to callers without the cookie. The ALB writes its `x-amzn-oidc-*`
 * headers from its session cookie, which is what a cache in front of it sees.
 *
 * @example
 * ```ts
 * varyFor({ tokenSources: ['authorization'] }); // 'Authorization'
 * varyFor({ tokenSources: ['authorization', { cookie: 'id_token' }] }); // 'Authorization, Cookie'
 * varyFor({ tokenSources: ['alb'] }); // 'X-Amzn-Oidc-Accesstoken, Cookie'
 * ```
 */
export function varyFor(config: {
  readonly tokenSources: readonly TokenSource[];
  readonly albUserClaims?: unknown;
}): string {
  const fields = new Set<string>();
  for (const source of config.tokenSources) {
    if (source === 'authorization') fields.add('Authorization');
    else if (source === 'alb') fields.add('X-Amzn-Oidc-Accesstoken').add('Cookie');
    else fields.add('Cookie');
  }
  if (config.albUserClaims !== undefined) fields.add('X-Amzn-Oidc-Data').add('Cookie');
  return [...fields].join(', ');
}
