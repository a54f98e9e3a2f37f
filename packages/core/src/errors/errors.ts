// HTTP-shaped authorization errors (RFC 6750): every failure on the auth path becomes one of these.
//
// They follow the `http-errors` convention (`status`, `statusCode`, `expose`, `headers`) so that
// Express's finalhandler, Koa's `ctx.onerror` and Middy's http-error-handler render them correctly
// without any glue code.

import type { DenyReason } from './reasons';

/** The RFC 6750 §3.1 error code carried in the `WWW-Authenticate` challenge. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** Realm used in `WWW-Authenticate` challenges unless the config names another one. */
export const DEFAULT_REALM = 'api';

/** JSON body an adapter sends for an error, matching what API Gateway answers. */
export interface ErrorBody {
  readonly message: string;
}

interface AuthErrorInit {
  readonly reason: DenyReason;
  readonly description?: string;
  readonly realm?: string;
  readonly cause?: unknown;
  /** What was expected and what arrived, for the operator's debug log only. */
  readonly detail?: string;
}

/**
 * Base class of every error cognito-guard produces on the request path.
 *
 * @example
 * ```ts
 * try {
 *   await guard.authenticate(request);
 * } catch (err) {
 *   if (err instanceof AuthError) res.writeHead(err.status, err.headers).end(JSON.stringify(err.body));
 * }
 * ```
 */
export abstract class AuthError extends Error {
  /** HTTP status code. */
  abstract readonly status: number;
  /** The RFC 6750 error code, or `undefined` when the challenge carries none. */
  abstract readonly code: BearerErrorCode | undefined;
  /** Machine-readable reason, stable across versions; safe to log. */
  readonly reason: DenyReason;
  /** Human-readable reason for logs and `error_description`; never contains the token. */
  readonly description: string | undefined;
  /** Realm of the `WWW-Authenticate` challenge. */
  readonly realm: string;
  /**
   * Expected and received values (issuer, client, token use, the rule and the caller's groups)
   * for the operator's debug log. Never sent to the client; never contains the token.
   */
  readonly detail: string | undefined;

  protected constructor(publicMessage: string, init: AuthErrorInit) {
    super(publicMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.reason = init.reason;
    this.description = init.description;
    this.realm = init.realm ?? DEFAULT_REALM;
    this.detail = init.detail;
  }

  /** Alias of `status`, for frameworks (Middy, finalhandler) that read `statusCode`. */
  get statusCode(): number {
    return this.status;
  }

  /** Whether the message may be shown to the client (`http-errors` convention: 4xx only). */
  get expose(): boolean {
    return this.status < 500;
  }

  /**
   * Response headers: a ready `WWW-Authenticate` challenge where one applies, and
   * `Cache-Control: no-store`, so that a framework's own error handler (`errors: 'throw'`) keeps a
   * denial out of caches in front as the guard's own answer does.
   */
  get headers(): Record<string, string> {
    return { ...this.challengeHeaders(), 'Cache-Control': 'no-store' };
  }

  /** The header that tells the client what to do next. */
  protected challengeHeaders(): Record<string, string> {
    return { 'WWW-Authenticate': this.challenge() };
  }

  /** The JSON body to send, as API Gateway words it. */
  get body(): ErrorBody {
    return { message: this.message };
  }

  /** Serialises to the response body, so `JSON.stringify(err)` leaks no internals. */
  toJSON(): ErrorBody {
    return this.body;
  }

  protected challenge(extra: readonly (readonly [string, string])[] = []): string {
    const params: (readonly [string, string])[] = [['realm', this.realm]];
    if (this.code !== undefined) params.push(['error', this.code]);
    if (this.code !== undefined && this.description !== undefined) {
      params.push(['error_description', this.description]);
    }
    params.push(...extra);
    return `Bearer ${params.map(([key, value]) => `${key}="${quote(value)}"`).join(', ')}`;
  }
}

/**
 * 401 without an error code: the request carried no bearer token at all (RFC 6750 §3.1 says the
 * challenge SHOULD NOT include an error code then).
 *
 * @example
 * ```ts
 * throw new MissingTokenError();
 * ```
 */
export class MissingTokenError extends AuthError {
  readonly status = 401;
  readonly code = undefined;
  constructor(init: Partial<AuthErrorInit> = {}) {
    super('Unauthorized', { reason: 'token_missing', ...init });
  }
}

/**
 * 400 `invalid_request`: the request is malformed (`Bearer` without a token, several tokens).
 *
 * @example
 * ```ts
 * throw new InvalidRequestError({ reason: 'multiple_tokens', description: 'More than one token was sent' });
 * ```
 */
export class InvalidRequestError extends AuthError {
  readonly status = 400;
  readonly code = 'invalid_request' as const;
  constructor(init: AuthErrorInit) {
    super('Bad Request', init);
  }
}

/**
 * 401 `invalid_token`: signature, format, algorithm, key, issuer, token use, client or `nbf`.
 *
 * @example
 * ```ts
 * throw new InvalidTokenError({ reason: 'signature_invalid', description: 'The token signature is invalid' });
 * ```
 */
export class InvalidTokenError extends AuthError {
  readonly status = 401;
  readonly code = 'invalid_token' as const;
  constructor(init: AuthErrorInit) {
    super('Unauthorized', init);
  }
}

/**
 * 401 `invalid_token` for an expired token, with API Gateway's own wording in the body.
 *
 * @example
 * ```ts
 * throw new TokenExpiredError();
 * ```
 */
export class TokenExpiredError extends AuthError {
  readonly status = 401;
  readonly code = 'invalid_token' as const;
  constructor(init: Partial<AuthErrorInit> = {}) {
    super('The incoming token has expired', {
      reason: 'token_expired',
      description: 'The token has expired',
      ...init,
    });
  }
}

/**
 * 403 without an error code: a token the browser sends by itself (a cookie, or the session an
 * ALB turns into `x-amzn-oidc-accesstoken`) came with a request another site's page made: one
 * that changes state, or its script's read. The token is not at fault, so the challenge names no
 * error; the caller's remedy is to send it from a trusted origin, or in the `Authorization`
 * header, which no other site's page can set.
 *
 * @example
 * ```ts
 * throw new CrossSiteRequestError({ detail: 'Sec-Fetch-Site cross-site; Origin https://evil.example' });
 * ```
 */
export class CrossSiteRequestError extends AuthError {
  readonly status = 403;
  readonly code = undefined;
  constructor(init: Partial<AuthErrorInit> = {}) {
    super('Forbidden', {
      reason: 'cross_site_request',
      description: 'A request from another site carried a credential the browser sent by itself',
      ...init,
    });
  }
}

/**
 * 403 `insufficient_scope`: the token is valid but the rule is not met.
 *
 * @example
 * ```ts
 * throw new InsufficientScopeError({ reason: 'scope_missing', scopes: ['movies/read'] });
 * ```
 */
export class InsufficientScopeError extends AuthError {
  readonly status = 403;
  readonly code = 'insufficient_scope' as const;
  /** Scopes that would have satisfied the rule; advertised in the challenge when present. */
  readonly scopes: readonly string[];
  constructor(init: AuthErrorInit & { readonly scopes?: readonly string[] }) {
    super('Forbidden', init);
    this.scopes = init.scopes ?? [];
  }

  protected override challengeHeaders(): Record<string, string> {
    const extra: [string, string][] = this.scopes.length ? [['scope', this.scopes.join(' ')]] : [];
    return { 'WWW-Authenticate': this.challenge(extra) };
  }
}

/**
 * 503: something the decision depends on cannot be reached, so no request can be judged. Never
 * reported as an invalid token, so clients retry instead of logging the user out.
 *
 * @example
 * ```ts
 * if (err instanceof ServiceUnavailableError) res.set('Retry-After', String(err.retryAfterSeconds));
 * ```
 */
export abstract class ServiceUnavailableError extends AuthError {
  readonly status = 503;
  readonly code = undefined;
  /** Seconds after which a retry may succeed; sent as `Retry-After`. */
  readonly retryAfterSeconds: number;
  protected constructor(init: AuthErrorInit & { readonly retryAfterSeconds?: number | undefined }) {
    super('Service Unavailable', init);
    this.retryAfterSeconds = Math.max(1, Math.ceil(init.retryAfterSeconds ?? 5));
  }

  protected override challengeHeaders(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * 503: the signing keys could not be fetched, so no token can be judged.
 *
 * @example
 * ```ts
 * throw new KeysUnavailableError({ retryAfterSeconds: 5 });
 * ```
 */
export class KeysUnavailableError extends ServiceUnavailableError {
  constructor(init: Partial<AuthErrorInit> & { readonly retryAfterSeconds?: number } = {}) {
    super({
      reason: 'keys_unavailable',
      description: 'The signing keys could not be fetched',
      ...init,
    });
  }
}

/**
 * 503: the revocation list could not be kept current (its store was unreachable for longer than
 * `revocation.maxStalenessSeconds`), so a revoked token could pass unnoticed.
 *
 * @example
 * ```ts
 * throw new RevocationUnavailableError({ retryAfterSeconds: 5 });
 * ```
 */
export class RevocationUnavailableError extends ServiceUnavailableError {
  constructor(init: Partial<AuthErrorInit> & { readonly retryAfterSeconds?: number } = {}) {
    super({
      reason: 'revocation_unavailable',
      description: 'The revocation list is not current',
      ...init,
    });
  }
}

/**
 * 503: the worker threads verifying tokens (`verifyInWorkers`) did not answer in time, or one
 * stopped with the token in hand. The token is not at fault, so clients retry.
 *
 * @example
 * ```ts
 * throw new VerifierUnavailableError({ detail: 'worker 2 answered nothing in 1000 ms' });
 * ```
 */
export class VerifierUnavailableError extends ServiceUnavailableError {
  constructor(init: Partial<AuthErrorInit> & { readonly retryAfterSeconds?: number } = {}) {
    super({
      reason: 'verifier_unavailable',
      description: 'The token could not be verified in time',
      retryAfterSeconds: 1,
      ...init,
    });
  }
}

/**
 * Tells whether a value is an {@link AuthError}, also across duplicated package copies.
 *
 * @example
 * ```ts
 * if (isAuthError(err)) return reply(err.status, err.headers, err.body);
 * ```
 */
export function isAuthError(value: unknown): value is AuthError {
  return (
    value instanceof AuthError ||
    (value instanceof Error &&
      typeof (value as Partial<AuthError>).status === 'number' &&
      typeof (value as Partial<AuthError>).reason === 'string' &&
      'body' in value)
  );
}

// Quoted-string per RFC 7230 §3.2.6: backslash-escape `"` and `\`, drop control characters.
function quote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, '\\$&');
}
