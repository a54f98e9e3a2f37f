// What a worker sends for a refusal, and the error the main thread rebuilds from it, agree: for
// every error verification can throw, the rebuilt error is the one the main thread would have
// thrown, in every field a client or an operator sees. Anything but a 401 is not sent at all. A
// cause is carried by its name and message, which is all a log or the CLI shows of it; one that
// is not an Error (no verification step throws one) is not carried.

import {
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
import fc from 'fast-check';
import {
  type AuthError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  KeysUnavailableError,
  MissingTokenError,
  TokenExpiredError,
  VerifierUnavailableError,
} from '../src';
import { refusalError, refusalOf } from '../src/offload/verify-protocol';
import { toAuthError } from '../src/subpaths/advanced';

const seen = (error: AuthError) => {
  const { name, status, code, reason, description, detail, realm, headers, body, expose } = error;
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return {
    name,
    status,
    code,
    reason,
    description,
    detail,
    realm,
    headers,
    body,
    expose,
    message: error.message,
    cause: cause && { name: cause.name, message: cause.message },
  };
};

describe('a worker refusal, sent and rebuilt', () => {
  const text = fc.string({ maxLength: 30 });
  const thrown = fc.oneof(
    text.map((m) => new JwtExpiredError(m, 1)),
    text.map((m) => new JwtNotBeforeError(m, 1)),
    text.map((m) => new JwtParseError(m)),
    text.map((m) => new JwtInvalidSignatureError(m)),
    text.map((m) => new JwtInvalidSignatureAlgorithmError(m, 'RS512')),
    text.map((m) => new JwtInvalidIssuerError(m, 'x')),
    text.map((m) => new ParameterValidationError(m)),
    text.map((m) => new Error(m)),
    fc.constant('not an error'),
    fc
      .record({
        reason: fc.constantFrom('claims_invalid', 'wrong_token_use', 'client_invalid' as const),
        description: fc.option(text, { nil: undefined }),
        detail: fc.option(text, { nil: undefined }),
      })
      .map((init) => (realm: string) => new InvalidTokenError({ ...init, realm })),
    fc
      .option(text, { nil: undefined })
      .map((detail) => (realm: string) => new TokenExpiredError({ detail, realm })),
  );

  it('is the error the main thread would have thrown', () => {
    fc.assert(
      fc.property(thrown, fc.constantFrom('api', 'shows', 'a "quoted" realm'), (made, realm) => {
        // The guard's own checks throw errors in the guard's realm, as every step does.
        const error = toAuthError(typeof made === 'function' ? made(realm) : made, realm);
        const refusal = refusalOf(error);
        expect(refusal).toBeDefined();
        // Structured clone is what crosses between threads.
        const rebuilt = refusalError(structuredClone(refusal) as never, realm);
        expect(seen(rebuilt)).toEqual(seen(error));
        expect(rebuilt).toBeInstanceOf(error.constructor);
      }),
    );
  });

  it.each<[string, AuthError]>([
    ['keys unavailable', new KeysUnavailableError()],
    ['a verifier unavailable', new VerifierUnavailableError()],
    ['a malformed request', new InvalidRequestError({ reason: 'multiple_tokens' })],
    ['no token', new MissingTokenError()],
    ['a forbidden caller', new InsufficientScopeError({ reason: 'group_missing' })],
  ])('is not sent for %s: the main thread decides', (_, error) => {
    expect(refusalOf(error)).toBeUndefined();
  });
});
