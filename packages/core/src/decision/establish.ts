// Steps 1–2 of a request's path: who is calling. The one token (request/extract-token), verified
// (token/token-verifier), or a principal already known and checked against this guard's
// settings; then, however it was established, not revoked (revocation/revocation-check). Every
// 401 (and the 400 for an ambiguous token) is decided here. Synchronous on a cached token.

import type { AlbUserClaimsStep } from '../config/types';
import { MissingTokenError } from '../errors/errors';
import type { ExtractOptions, RequestLike } from '../request/extract-token';
import { extractCandidate, strictRefusal } from '../request/extract-token';
import type { RevocationCheck } from '../revocation/revocation-check';
import { isPromise } from '../shared/is-promise';
import { toAuthError } from '../token/map-error';
import { isPrincipal, type Principal } from '../token/principal';
import type { TokenVerifier } from '../token/token-verifier';
import { allowDecision, type DecisionContext, denyDecision, type Pending } from './decision';

/** What establishing the caller needs from the guard. */
export interface Establishing {
  readonly verifier: TokenVerifier;
  readonly extractOptions: ExtractOptions;
  readonly realm: string;
  /** The revocation step, when the guard has one. */
  readonly revocation?: RevocationCheck | undefined;
  /** The ALB user-claims step, when the guard has one. */
  readonly albUserClaims?: AlbUserClaimsStep | undefined;
}

/** Where the caller may already be known from (see `CheckOptions`). */
export interface KnownCaller {
  readonly allowAnonymous?: boolean;
  readonly previous?: unknown;
  readonly principal?: Principal | undefined;
}

/**
 * Establishes the caller and continues with `then`, or denies (401/400/503).
 *
 * @example
 * ```ts
 * establish(deps, context, request, {}, (principal) => evaluateRule(realm, context, rule, principal));
 * ```
 */
export function establish(
  deps: Establishing,
  context: DecisionContext,
  request: RequestLike | undefined,
  options: KnownCaller,
  next: (principal: Principal) => Pending,
): Pending {
  const { verifier, extractOptions, realm, revocation, albUserClaims } = deps;
  // Every way of knowing the caller (a token, a reused principal, an authorizer's claims) passes
  // the revocation step, and a cached verification never skips it.
  const checked = revocation === undefined ? next : afterRevocation(revocation, context, next);
  const then =
    albUserClaims === undefined
      ? checked
      : withAlbUserClaims(albUserClaims, request, realm, context, checked);
  if (options.principal !== undefined) {
    const refused = verifier.refusal(options.principal);
    return refused ? denyDecision(refused, undefined, context) : then(options.principal);
  }
  let token: string;
  try {
    token = extractCandidate(request as RequestLike, extractOptions);
  } catch (err) {
    if (options.allowAnonymous && err instanceof MissingTokenError) {
      return allowDecision('anonymous', undefined, context);
    }
    return refuse(err, request, deps, context);
  }
  const previous = options.previous;
  if (isPrincipal(previous) && previous.token === token && !verifier.refusal(previous)) {
    return then(previous);
  }
  let verified: Principal | Promise<Principal>;
  try {
    verified = verifier.verify(token);
  } catch (err) {
    return refuse(err, request, deps, context);
  }
  if (!isPromise(verified)) return then(verified);
  return verified.then(then, (err: unknown) => refuse(err, request, deps, context));
}

// The candidate token is scanned for a second token only once it has failed: a token that hits
// the cache or verifies has no room for one, and any other is refused as extractToken refuses it
// (two tokens are a 400 before they are a malformed 401).
function refuse(
  err: unknown,
  request: RequestLike | undefined,
  { extractOptions, realm }: Establishing,
  context: DecisionContext,
): Pending {
  const strict = strictRefusal(request as RequestLike, extractOptions);
  return denyDecision(toAuthError(strict ?? err, realm), undefined, context);
}

// The ALB's user claims join the principal before anything else looks at it; a header that does
// not verify, or names another user, is a 401.
function withAlbUserClaims(
  step: AlbUserClaimsStep,
  request: RequestLike | undefined,
  realm: string,
  context: DecisionContext,
  next: (principal: Principal) => Pending,
): (principal: Principal) => Pending {
  const deny = (err: unknown) => denyDecision(toAuthError(err, realm), undefined, context);
  return (principal) => {
    let attached: Principal | Promise<Principal>;
    try {
      attached = step.attach(principal, request);
    } catch (err) {
      return deny(err);
    }
    return isPromise(attached) ? attached.then(next, deny) : next(attached);
  };
}

function afterRevocation(
  revocation: RevocationCheck,
  context: DecisionContext,
  next: (principal: Principal) => Pending,
): (principal: Principal) => Pending {
  return (principal) => {
    const refusal = revocation(principal);
    if (refusal === undefined) return next(principal);
    if (!isPromise(refusal)) return denyDecision(refusal, undefined, context);
    return refusal.then((late) =>
      late === undefined ? next(principal) : denyDecision(late, undefined, context),
    );
  };
}
