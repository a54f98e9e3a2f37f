// Whatever verification throws becomes one answer: the reason, the status and the
// error_description a client reads. aws-jwt-verify's errors are built here as the library builds
// them, so the table pins the mapping for each class, including those only an outage or a
// library upgrade would raise.

import {
  AlbJwtInvalidSignerError,
  CognitoJwtInvalidClientIdError,
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
  NonRetryableFetchError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { InvalidTokenError, KeysUnavailableError, TokenExpiredError } from '../src';
import { JwksFetchError } from '../src/token/jwks-fetcher';
import { toAuthError } from '../src/token/map-error';

const URI = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool/.well-known/jwks.json';
const claim = (message: string) => [message, 'raw', 'expected'] as const;

describe('toAuthError', () => {
  it('maps each verification failure to its reason, status and description', () => {
    const cases: [string, Error, string, number, string][] = [
      [
        'not a JWT',
        new JwtParseError('Invalid JWT'),
        'token_malformed',
        401,
        'The token is not a well-formed JWT',
      ],
      [
        'algorithm',
        new JwtInvalidSignatureAlgorithmError('alg', 'HS256', 'RS256'),
        'alg_not_allowed',
        401,
        'The token signature algorithm is not allowed',
      ],
      [
        'signature',
        new JwtInvalidSignatureError('Invalid signature'),
        'signature_invalid',
        401,
        'The token signature is invalid',
      ],
      [
        'kid not in the JWKS',
        new KidNotFoundInJwksError('kid'),
        'kid_unknown',
        401,
        'The token was signed with an unknown key',
      ],
      [
        'no kid',
        new JwtWithoutValidKidError('no kid'),
        'kid_unknown',
        401,
        'The token was signed with an unknown key',
      ],
      [
        'unknown kid in its cooldown',
        new WaitPeriodNotYetEndedJwkError('wait'),
        'kid_unknown',
        401,
        'The token was signed with an unknown key',
      ],
      [
        'not yet valid',
        new JwtNotBeforeError(...claim('nbf')),
        'token_not_yet_valid',
        401,
        'The token is not valid yet',
      ],
      [
        'issuer',
        new JwtInvalidIssuerError(...claim('iss')),
        'issuer_invalid',
        401,
        'The token was issued by an unexpected issuer',
      ],
      [
        'issuer missing (aws-jwt-verify 5.2)',
        new ParameterValidationError('iss'),
        'issuer_invalid',
        401,
        'The token was issued by an unexpected issuer',
      ],
      [
        'a claim the core checks first',
        new CognitoJwtInvalidClientIdError(...claim('client_id')),
        'token_invalid',
        401,
        'The token is invalid',
      ],
      [
        'an ALB claim',
        new AlbJwtInvalidSignerError(...claim('signer')),
        'token_invalid',
        401,
        'The token is invalid',
      ],
      ['anything else', new TypeError('boom'), 'token_invalid', 401, 'The token is invalid'],
      [
        'expired',
        new JwtExpiredError(...claim('exp')),
        'token_expired',
        401,
        'The token has expired',
      ],
      [
        "the core's fetcher failed",
        new JwksFetchError(URI, 'status 500', 7),
        'keys_unavailable',
        503,
        'The signing keys could not be fetched',
      ],
      [
        "aws-jwt-verify's fetcher failed",
        new FetchError(URI, 'ECONNRESET'),
        'keys_unavailable',
        503,
        'The signing keys could not be fetched',
      ],
      [
        'a fetch it will not retry',
        new NonRetryableFetchError(URI, 'status 404'),
        'keys_unavailable',
        503,
        'The signing keys could not be fetched',
      ],
      [
        'keys that are not a JWKS',
        new JwksValidationError('not a JWKS'),
        'keys_unavailable',
        503,
        'The signing keys could not be fetched',
      ],
      [
        'keys not fetched yet (verifySync)',
        new JwksNotAvailableInCacheError('not cached'),
        'keys_unavailable',
        503,
        'The signing keys could not be fetched',
      ],
    ];
    const got = cases.map(([name, err]) => {
      const mapped = toAuthError(err, 'movies');
      return [name, mapped.reason, mapped.status, mapped.description];
    });
    expect(got).toEqual(cases.map(([name, , ...rest]) => [name, ...rest]));
  });

  it('keeps the cause, and the realm in a challenge, for the operator and the client', () => {
    const cause = new JwtInvalidSignatureError('Invalid signature');
    const mapped = toAuthError(cause, 'movies');
    expect(mapped).toBeInstanceOf(InvalidTokenError);
    expect(mapped.cause).toBe(cause);
    expect(mapped.headers['WWW-Authenticate']).toContain('realm="movies"');
    const expired = new JwtExpiredError(...claim('exp'));
    expect(toAuthError(expired, 'movies')).toBeInstanceOf(TokenExpiredError);
    expect(toAuthError(expired, 'movies').cause).toBe(expired);
    for (const outage of [
      new FetchError(URI, 'ECONNRESET'),
      new JwksValidationError('not a JWKS'),
      new JwksNotAvailableInCacheError('not cached'),
    ]) {
      const unavailable = toAuthError(outage, 'movies');
      expect(unavailable).toBeInstanceOf(KeysUnavailableError);
      expect(unavailable.cause).toBe(outage);
      // No challenge on a 503: the token was never judged. The default wait, as no window is known.
      expect(unavailable.headers['WWW-Authenticate']).toBeUndefined();
      expect(unavailable.headers['Retry-After']).toBe('5');
    }
  });

  it("tells a client when to retry from the fetcher's own window", () => {
    const mapped = toAuthError(new JwksFetchError(URI, 'status 500', 7), 'api');
    expect(mapped.headers['Retry-After']).toBe('7');
  });

  it('passes an answer already decided through unchanged', () => {
    const decided = new InvalidTokenError({ reason: 'token_revoked', description: 'Revoked' });
    expect(toAuthError(decided, 'api')).toBe(decided);
  });
});
