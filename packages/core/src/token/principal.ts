// The verified caller that adapters hand to request handlers.

import { isListItem, type ListClaimEncoding, normaliseGroups, normaliseScopes } from './claims';

/** Which Cognito token a principal was built from. */
export type CognitoTokenUse = 'access' | 'id';

/** Who a token was issued to: a user, or an app client acting for itself (client credentials). */
export type CallerKind = 'user' | 'client';

/** Claims as they arrived; values are JSON (raw token) or strings (API Gateway claims). */
export type Claims = Readonly<Record<string, unknown>>;

/**
 * The authenticated caller. Typed and deeply frozen: a handler cannot widen its own rights.
 */
export interface Principal {
  /** The user's stable id (`sub`). */
  readonly sub: string;
  /** `username` for access tokens, `cognito:username` for ID tokens. */
  readonly username: string | undefined;
  /** `cognito:groups`, normalised; `[]` when the user is in no group. */
  readonly groups: readonly string[];
  /**
   * True when the groups arrived comma-joined (a REST API Cognito authorizer's claims) and a
   * comma could be part of a name as well as a separator. Allow-rules on groups then fail closed
   * and deny-rules match every reading (see `denyGroups`).
   */
  readonly groupsAmbiguous: boolean;
  /** OAuth scopes (`scope`, space-separated), normalised. */
  readonly scopes: readonly string[];
  /** `'access'` or `'id'`. */
  readonly tokenUse: CognitoTokenUse;
  /**
   * `'client'` for a machine-to-machine (client credentials) access token: its `sub` is the app
   * client's id and it has no `username` (nor groups). `'user'` for every other token.
   */
  readonly kind: CallerKind;
  /** `client_id` (access token) or `aud` (ID token). */
  readonly clientId: string | undefined;
  /** The token's `iss`. */
  readonly issuer: string;
  /** The user pool the issuer belongs to. */
  readonly userPoolId: string;
  /** Expiry, in seconds since the epoch (the `exp` claim). */
  readonly expiresAt: number;
  /** Every claim of the token. */
  readonly claims: Claims;
  /** The raw bearer token, when the principal came from one (not from API Gateway claims). */
  readonly token: string | undefined;
}

/** Inputs of {@link createPrincipal}. */
export interface PrincipalSource {
  readonly claims: Claims;
  readonly userPoolId: string;
  readonly issuer: string;
  readonly token?: string | undefined;
  /** Shape of `cognito:groups` when it is a string (API Gateway claims). */
  readonly groupsEncoding?: ListClaimEncoding;
  /** Scopes given separately from the claims (HTTP API `jwt.scopes`). */
  readonly scopes?: unknown;
  /** Expiry in seconds since the epoch, when `exp` is not a number in `claims`. */
  readonly expiresAt?: number;
  /** The signature algorithm that was verified (`alg` of the token header). */
  readonly algorithm?: string | undefined;
  /** The pool's group names are known to contain no comma, so a comma-joined list is unambiguous. */
  readonly commaFreeGroupNames?: boolean | undefined;
  /**
   * `claims` was parsed for this principal and nothing else holds it (the verifier's own
   * payload): it is frozen in place rather than copied, so a cached token keeps one claims object,
   * not two. Any other source is copied whole, nested values too, so that its owner can neither
   * change a principal nor find its own objects frozen.
   */
  readonly ownClaims?: boolean | undefined;
}

/** How a principal was obtained, for deciding whether another guard may reuse it. */
export interface Provenance {
  /** The verified signature algorithm, or `undefined` for claims an authorizer verified. */
  readonly algorithm: string | undefined;
}

/**
 * Builds a frozen {@link Principal} from verified claims.
 *
 * @example
 * ```ts
 * const principal = createPrincipal({ claims: payload, userPoolId: 'eu-west-1_abc', issuer: payload.iss, token });
 * principal.groups; // ['movies-group']
 * ```
 */
export function createPrincipal(source: PrincipalSource): Principal {
  const principal = buildPrincipal(source);
  issued.set(principal, provenance(source.algorithm));
  return principal;
}

// One frozen record per algorithm, shared by every principal verified with it.
const provenances = new Map<string | undefined, Provenance>();
function provenance(algorithm: string | undefined): Provenance {
  let known = provenances.get(algorithm);
  if (known === undefined) {
    known = Object.freeze({ algorithm });
    provenances.set(algorithm, known);
  }
  return known;
}

// Principals this library built, with how. A guard reuses `req.auth` only when it is one of
// these (a value another middleware put there is never trusted) and only when it meets that
// guard's own settings (see TokenVerifier.refusal).
const issued = new WeakMap<object, Provenance>();

/**
 * How cognito-guard built a principal, or `undefined` for any other value.
 *
 * @example
 * ```ts
 * provenanceOf(req.auth)?.algorithm; // 'RS256'
 * ```
 */
export function provenanceOf(value: unknown): Provenance | undefined {
  // A WeakMap answers undefined for a value that cannot be a key (null, a string, …).
  return issued.get(value as object);
}

/**
 * Tells whether a value is a principal built by cognito-guard (not merely shaped like one).
 *
 * @example
 * ```ts
 * const known = isPrincipal(req.auth) ? req.auth : undefined;
 * ```
 */
export function isPrincipal(value: unknown): value is Principal {
  return issued.has(value as object);
}

function buildPrincipal(source: PrincipalSource): Principal {
  const { claims } = source;
  const tokenUse: CognitoTokenUse = claims['token_use'] === 'id' ? 'id' : 'access';
  const username = tokenUse === 'id' ? claims['cognito:username'] : claims['username'];
  const clientId = tokenUse === 'id' ? claims['aud'] : claims['client_id'];
  const scopes =
    source.scopes !== undefined && source.scopes !== null ? source.scopes : claims['scope'];
  const rawGroups = claims['cognito:groups'];
  const encoding = source.groupsEncoding ?? 'json';
  const commaJoined =
    typeof rawGroups === 'string' &&
    (encoding === 'comma' || (encoding === 'auto' && !rawGroups.trim().startsWith('[')));
  const principal: Principal = {
    sub: typeof claims['sub'] === 'string' ? claims['sub'] : '',
    username: typeof username === 'string' ? username : undefined,
    groups:
      ownedGroups(rawGroups, source.ownClaims) ??
      Object.freeze([...normaliseGroups(rawGroups, encoding)]),
    groupsAmbiguous: commaJoined && source.commaFreeGroupNames !== true && rawGroups.includes(','),
    scopes: scopeList(scopes),
    tokenUse,
    kind:
      tokenUse === 'access' && username === undefined && claims['sub'] === clientId
        ? 'client'
        : 'user',
    clientId: typeof clientId === 'string' ? clientId : undefined,
    issuer: source.issuer,
    userPoolId: source.userPoolId,
    expiresAt: source.expiresAt ?? (typeof claims['exp'] === 'number' ? claims['exp'] : 0),
    claims: deepFreeze(source.ownClaims === true ? claims : structuredClone(claims)),
    token: source.token,
  };
  return Object.freeze(principal);
}

// An app's tokens carry one of a few scope strings: each one's list is built once and shared,
// frozen, by every principal with it (up to a bound, past which lists are built per principal).
const MAX_SHARED_SCOPE_LISTS = 256;
const sharedScopeLists = new Map<string, readonly string[]>();
function scopeList(value: unknown): readonly string[] {
  if (typeof value !== 'string') return Object.freeze([...normaliseScopes(value)]);
  let list = sharedScopeLists.get(value);
  if (list === undefined) {
    list = Object.freeze([...normaliseScopes(value)]);
    if (sharedScopeLists.size < MAX_SHARED_SCOPE_LISTS) sharedScopeLists.set(value, list);
  }
  return list;
}

// A verified token's own `cognito:groups` array, when it is already normalised (non-empty strings
// only): frozen with the claims, it serves as `groups` too, one array per cached token, not two.
function ownedGroups(value: unknown, owned: boolean | undefined): readonly string[] | undefined {
  return owned === true && Array.isArray(value) && value.every(isListItem) ? value : undefined;
}

// null and primitives count as frozen, so only objects not yet frozen are walked.
function deepFreeze<T>(value: T): T {
  if (!Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
