// Translates whatever verification threw into one of our HTTP errors. Anything unrecognised is an
// invalid token: the auth path fails closed and never surfaces as a 500.

import {
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import {
  type AuthError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  TokenExpiredError,
} from '../errors/errors';
import type { DenyReason } from '../errors/reasons';
import { JwksFetchError } from './jwks-fetcher';

/**
 * Maps an error thrown while verifying a token to the {@link AuthError} to answer with.
 *
 * @example
 * ```ts
 * try { await verifier.verify(token); } catch (err) { throw toAuthError(err, 'api'); }
 * ```
 */
export function toAuthError(err: unknown, realm: string): AuthError {
  if (isAuthError(err)) return err;
  if (err instanceof JwtExpiredError) return new TokenExpiredError({ realm, cause: err });
  if (err instanceof JwksFetchError) {
    return new KeysUnavailableError({
      realm,
      cause: err,
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }
  if (err instanceof FetchError || err instanceof JwksValidationError) {
    return new KeysUnavailableError({ realm, cause: err });
  }
  if (err instanceof JwksNotAvailableInCacheError) {
    return new KeysUnavailableError({ realm, cause: err });
  }
  const [reason, description] = classify(err);
  return new InvalidTokenError({ reason, description, realm, cause: err });
}

function classify(err: unknown): [DenyReason, string] {
  if (err instanceof JwtParseError)
    return ['token_malformed', 'The token is not a well-formed JWT'];
  if (err instanceof JwtInvalidSignatureAlgorithmError) {
    return ['alg_not_allowed', 'The token signature algorithm is not allowed'];
  }
  if (err instanceof JwtInvalidSignatureError) {
    return ['signature_invalid', 'The token signature is invalid'];
  }
  if (
    err instanceof KidNotFoundInJwksError ||
    err instanceof JwtWithoutValidKidError ||
    err instanceof WaitPeriodNotYetEndedJwkError
  ) {
    return ['kid_unknown', 'The token was signed with an unknown key'];
  }
  if (err instanceof JwtNotBeforeError)
    return ['token_not_yet_valid', 'The token is not valid yet'];
  // aws-jwt-verify 5.2 throws ParameterValidationError for a missing or unconfigured `iss`.
  if (err instanceof JwtInvalidIssuerError || err instanceof ParameterValidationError) {
    return ['issuer_invalid', 'The token was issued by an unexpected issuer'];
  }
  return ['token_invalid', 'The token is invalid'];
}
