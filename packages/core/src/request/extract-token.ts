// Finds the bearer token in a request, from the configured sources, refusing anything ambiguous.

import type { TokenSource } from '../config/types';
import { InvalidRequestError, InvalidTokenError, MissingTokenError } from '../errors/errors';
import { crossSiteRefusal } from './cross-site';
import { headerValueCount } from './raw-headers';

/** Header values as Node and most frameworks give them: lower-cased names. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The framework-neutral view of a request that adapters build and the core reads.
 *
 * @example
 * ```ts
 * const request: RequestLike = { method: req.method, path: req.originalUrl, headers: req.headers, rawHeaders: req.rawHeaders };
 * ```
 */
export interface RequestLike {
  /** HTTP method, any case. */
  readonly method: string;
  /** Path as received, percent-encoded, optionally with a query string. */
  readonly path: string;
  /** Headers with lower-cased names. */
  readonly headers: HeaderMap;
  /**
   * Node's alternating name/value list. Node keeps only the first of several `Authorization`
   * headers in `headers`; this list lets the core refuse the request instead.
   */
  readonly rawHeaders?: readonly string[] | undefined;
  /**
   * The URL the framework's router will match, below the mount path (`CheckOptions.mountPath`),
   * where a middleware may have rewritten it since the request arrived: Express's `req.url`.
   * Route policies read it beside `path` and apply the stricter rule.
   */
  readonly routedUrl?: string | undefined;
  /**
   * The route API Gateway selected for this request (`GET /movies/{id}`; a REST API's method and
   * resource), when a Lambda event names it. A route policy's rule for it joins the stricter
   * reading: the path a Lambda receives may carry a custom domain's base path that API Gateway's
   * own selection did not see.
   */
  readonly routeKey?: string | undefined;
  /**
   * The method the request arrived with, when a method override that ran before the guard
   * changed `method` (Express's `req.originalMethod`). Route policies read both.
   */
  readonly originalMethod?: string | undefined;
  /**
   * The parsed body, when a body parser ran before the guard (`req.body`, `ctx.request.body`):
   * a `_method` field in it is a method override that route policies read too.
   */
  readonly body?: unknown;
}

/** Options of {@link extractToken}. */
export interface ExtractOptions {
  readonly tokenSources: readonly TokenSource[];
  readonly maxTokenBytes: number;
  readonly realm: string;
  /**
   * Origins whose pages may send any request with a token the browser attaches by itself (a
   * cookie, the ALB's session); see {@link crossSiteRefusal}. Default none.
   */
  readonly trustedOrigins?: readonly string[] | undefined;
}

// What reads as a token sent without a scheme, not yet a valid one (that is decompose-token's
// stricter JWT_SHAPE): empty segments included, so an unsigned `header.payload.` is taken as the
// caller's token and refused as invalid (401) rather than ignored as "no token".
const TOKEN_LIKE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const BEARER = /^bearer$/i;

/**
 * Returns the one bearer token a request carries.
 * Throws {@link MissingTokenError} (401) when there is none, {@link InvalidRequestError} (400)
 * when the request is ambiguous (several tokens, `Bearer` without a token),
 * {@link InvalidTokenError} (401) when the token exceeds the size cap, and
 * `CrossSiteRequestError` (403) when another site's page sent a request that changes state, or
 * its script a read, with a token the browser attaches by itself.
 *
 * @example
 * ```ts
 * extractToken({ method: 'GET', path: '/', headers: { authorization: 'Bearer eyJ…' } },
 *   { tokenSources: ['authorization'], maxTokenBytes: 16384, realm: 'api' }); // 'eyJ…'
 * ```
 */
export function extractToken(request: RequestLike, options: ExtractOptions): string {
  return findToken(request, options, true);
}

/**
 * {@link extractToken} less its scan of a `Bearer` token for whitespace and commas (a second
 * token): the one check a cache hit makes redundant, since only a token equal to one that
 * verified can hit, and a verified token has neither. Whoever calls this must answer any
 * failure that follows with {@link strictRefusal}, so that a request reads as it would have
 * through `extractToken` (a 400 for two tokens, not a 401 for a malformed one).
 *
 * @example
 * ```ts
 * const token = extractCandidate(request, options); // then verify, or refuse with strictRefusal
 * ```
 */
export function extractCandidate(request: RequestLike, options: ExtractOptions): string {
  return findToken(request, options, false);
}

/**
 * What {@link extractToken} refuses this request with, or `undefined` when it finds a token: the
 * answer to a request whose unscanned candidate failed, which the scan may explain better.
 *
 * @example
 * ```ts
 * const error = strictRefusal(request, options) ?? verificationError;
 * ```
 */
export function strictRefusal(request: RequestLike, options: ExtractOptions): unknown {
  try {
    extractToken(request, options);
    return undefined;
  } catch (err) {
    return err;
  }
}

function findToken(request: RequestLike, options: ExtractOptions, scan: boolean): string {
  const { realm } = options;
  let found: string | undefined;
  let ambient = false;
  for (const source of options.tokenSources) {
    const token = fromSource(request, source, options, scan);
    if (token === undefined) continue;
    if (found !== undefined) {
      throw new InvalidRequestError({
        reason: 'multiple_tokens',
        description: 'The request carries a token in more than one place',
        realm,
      });
    }
    found = token;
    ambient = source !== 'authorization';
  }
  if (found === undefined) throw new MissingTokenError({ realm });
  // Only a page of the app's own can set Authorization; a cookie, or the ALB's session, any
  // site's page sends.
  const refusal = ambient
    ? crossSiteRefusal(request, options.trustedOrigins ?? [], realm)
    : undefined;
  if (refusal !== undefined) throw refusal;
  return found;
}

function fromSource(
  request: RequestLike,
  source: TokenSource,
  options: ExtractOptions,
  scan: boolean,
): string | undefined {
  if (source === 'authorization') {
    const value = singleHeader(request, 'authorization', options.realm);
    return value === undefined ? undefined : parseAuthorization(value, options, scan);
  }
  if (source === 'alb') {
    const value = singleHeader(request, 'x-amzn-oidc-accesstoken', options.realm);
    return value === undefined ? undefined : checkToken(value.trim(), options);
  }
  const value = cookie(request, source.cookie, options.realm);
  return value === undefined ? undefined : checkToken(value, options);
}

/**
 * The one value of a header, or `undefined` when absent or blank; several values (also as
 * repeated raw header lines) are a 400, since two readings of a request must not exist.
 *
 * @example
 * ```ts
 * const data = singleHeader(request, 'x-amzn-oidc-data', 'api');
 * ```
 */
export function singleHeader(
  request: RequestLike,
  name: string,
  realm: string,
): string | undefined {
  const value = request.headers[name];
  if (headerValueCount(request, name) > 1) {
    throw new InvalidRequestError({
      reason: 'multiple_tokens',
      description: `The request carries more than one ${name} header`,
      realm,
    });
  }
  const first = typeof value === 'string' ? value : value?.[0];
  return first === undefined || first.trim() === '' ? undefined : first;
}

function parseAuthorization(
  header: string,
  options: ExtractOptions,
  scan: boolean,
): string | undefined {
  const { realm } = options;
  // Cap before any parsing, so a megabyte header costs nothing but this comparison.
  if (header.length > options.maxTokenBytes + 64) throw tooLarge(realm);
  if (isPlainBearer(header)) return checkToken(header.slice(BEARER_PREFIX), options, scan);
  const value = header.trim();
  const space = value.search(/\s/);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (BEARER.test(scheme)) {
    const rest = space === -1 ? '' : value.slice(space).trim();
    if (rest === '') {
      throw new InvalidRequestError({
        reason: 'malformed_authorization',
        description: 'The Bearer scheme was sent without a token',
        realm,
      });
    }
    return checkToken(rest, options, scan);
  }
  // API Gateway accepts a bare JWT without a scheme; so do we.
  if (TOKEN_LIKE.test(value)) {
    return checkToken(value, options);
  }
  if (value.split(',').some((part) => looksLikeToken(part.trim()))) {
    throw severalTokens(realm);
  }
  // Another scheme (Basic, Digest…): no bearer token at all.
  return undefined;
}

function looksLikeToken(part: string): boolean {
  const [scheme, rest] = part.split(/\s/, 2);
  return (
    TOKEN_LIKE.test(part) || (scheme !== undefined && BEARER.test(scheme) && rest !== undefined)
  );
}

function cookie(request: RequestLike, name: string, realm: string): string | undefined {
  const header = request.headers['cookie'];
  const lines = typeof header === 'string' ? [header] : (header ?? []);
  let found: string | undefined;
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
      if (found !== undefined) {
        throw new InvalidRequestError({
          reason: 'multiple_tokens',
          description: `The request carries more than one ${name} cookie`,
          realm,
        });
      }
      found = decodeCookie(pair.slice(eq + 1).trim());
    }
  }
  return found === '' ? undefined : found;
}

function decodeCookie(value: string): string {
  const unquoted = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return unquoted;
  }
}

function checkToken(token: string, options: ExtractOptions, scan = false): string {
  if (scan && /[\s,]/.test(token)) throw severalTokens(options.realm);
  if (token.length > options.maxTokenBytes) throw tooLarge(options.realm);
  return token;
}

const BEARER_PREFIX = 'Bearer '.length;

// `Bearer <token>` as clients send it: the scheme in any case, one space, and a token that
// neither starts nor ends with whitespace. It reads exactly as the general path below would, with
// no trimmed or sliced copies beyond the token itself, on every request that carries one.
function isPlainBearer(header: string): boolean {
  if (header.length <= BEARER_PREFIX || header.charCodeAt(BEARER_PREFIX - 1) !== SPACE)
    return false;
  if (!isVisibleAscii(header.charCodeAt(BEARER_PREFIX))) return false;
  if (!isVisibleAscii(header.charCodeAt(header.length - 1))) return false;
  for (let i = 0; i < BEARER_PREFIX - 1; i++) {
    // Setting bit 0x20 lower-cases an ASCII letter and maps nothing else onto one: /bearer/i.
    if ((header.charCodeAt(i) | 0x20) !== LOWER_BEARER.charCodeAt(i)) return false;
  }
  return true;
}

const LOWER_BEARER = 'bearer';
const SPACE = 0x20;
const isVisibleAscii = (code: number) => code > SPACE && code < 0x7f;

/**
 * The refusal of a token longer than `maxTokenBytes`: here, and in the verifier for tokens
 * handed to it directly.
 *
 * @example
 * ```ts
 * if (token.length > maxTokenBytes) throw tooLarge('api');
 * ```
 */
export function tooLarge(realm: string): InvalidTokenError {
  return new InvalidTokenError({
    reason: 'token_too_large',
    description: 'The token exceeds the size limit',
    realm,
  });
}

function severalTokens(realm: string): InvalidRequestError {
  return new InvalidRequestError({
    reason: 'multiple_tokens',
    description: 'The Authorization header carries more than one token',
    realm,
  });
}
