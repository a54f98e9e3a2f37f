// Step 2b of a request's path, right after the caller is established: is the token revoked?
// A lookup in the store's local list, so it costs no I/O; when the store cannot vouch that its
// list is current, the request fails closed with 503 unless the operator opted out.

import type { Logger } from '../config/types';
import { type AuthError, InvalidTokenError, RevocationUnavailableError } from '../errors/errors';
import type { Principal } from '../token/principal';
import type { RevocationKind } from './revocation-entry';
import type { RevocationStore } from './revocation-store';

/** `revocation` of a guard's configuration, with defaults applied. */
export interface RevocationSettings {
  readonly store: RevocationStore;
  readonly maxStalenessSeconds: number;
  readonly onStoreUnavailable: 'deny' | 'allow';
}

/** Why a principal may not pass (a revoked token, or a list that is not current), or `undefined`. */
export type RevocationCheck = (
  principal: Principal,
) => AuthError | undefined | Promise<AuthError | undefined>;

const WHAT_WAS_REVOKED: Readonly<Record<RevocationKind, string>> = {
  origin: 'its session (origin_jti) was revoked',
  jti: 'the token (jti) was revoked',
  sub: 'its user was signed out at or after auth_time',
};

/**
 * Builds the revocation step of a guard.
 *
 * @example
 * ```ts
 * const check = createRevocationCheck({ store, maxStalenessSeconds: 5, onStoreUnavailable: 'deny' }, 'api', console);
 * const refusal = await check(principal); // InvalidTokenError (token_revoked), a 503, or undefined
 * ```
 */
export function createRevocationCheck(
  { store, maxStalenessSeconds, onStoreUnavailable }: RevocationSettings,
  realm: string,
  logger: Logger,
): RevocationCheck {
  const maxStalenessMs = maxStalenessSeconds * 1000;
  let warnedAllow = false;
  const judge = (principal: Principal): AuthError | undefined => {
    const kind = store.lookup(principal.claims);
    if (kind === undefined) return undefined;
    return new InvalidTokenError({
      reason: 'token_revoked',
      description: 'The token has been revoked',
      realm,
      detail: WHAT_WAS_REVOKED[kind],
    });
  };
  const unavailable = (cause?: unknown) =>
    new RevocationUnavailableError({ realm, retryAfterSeconds: maxStalenessSeconds, cause });
  const current = () => store.stalenessMs() <= maxStalenessMs;

  return (principal) => {
    if (current()) {
      warnedAllow = false;
      return judge(principal);
    }
    if (onStoreUnavailable === 'allow') {
      if (!warnedAllow) {
        warnedAllow = true;
        logger.warn(
          `cognito-guard: the revocation list has not been confirmed current for over ${maxStalenessSeconds} s; requests pass on what it last knew (revocation.onStoreUnavailable: 'allow')`,
        );
      }
      return judge(principal);
    }
    // A frozen Lambda, or a heartbeat not yet due: one refresh may show the list is current.
    return store.refresh().then(
      () => (current() ? judge(principal) : unavailable()),
      (err: unknown) => unavailable(err),
    );
  };
}
