import {
  AuthError,
  CrossSiteRequestError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MissingTokenError,
  RevocationUnavailableError,
  TokenExpiredError,
} from '../src';

describe('error table', () => {
  it('no bearer token: 401 with a bare challenge and no error code', () => {
    const err = new MissingTokenError();
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({
      status: 401,
      statusCode: 401,
      expose: true,
      code: undefined,
      reason: 'token_missing',
    });
    expect(err.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="api"',
      'Cache-Control': 'no-store',
    });
    expect(err.body).toEqual({ message: 'Unauthorized' });
  });

  it("a cookie or ALB token on another site's request: 403 with a bare challenge and no error code", () => {
    const err = new CrossSiteRequestError({ realm: 'movies' });
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({
      status: 403,
      statusCode: 403,
      expose: true,
      code: undefined,
      reason: 'cross_site_request',
      description: 'A request from another site carried a credential the browser sent by itself',
    });
    expect(err.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="movies"',
      'Cache-Control': 'no-store',
    });
    expect(err.body).toEqual({ message: 'Forbidden' });
  });

  it('malformed request: 400 invalid_request', () => {
    const err = new InvalidRequestError({ reason: 'multiple_tokens', description: 'Two tokens' });
    expect(err).toMatchObject({
      status: 400,
      statusCode: 400,
      expose: true,
      code: 'invalid_request',
    });
    expect(err.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", error_description="Two tokens"',
    );
    expect(err.body).toEqual({ message: 'Bad Request' });
  });

  it('invalid token: 401 invalid_token with a description', () => {
    const err = new InvalidTokenError({
      reason: 'signature_invalid',
      description: 'The token signature is invalid',
      realm: 'movies',
    });
    expect(err).toMatchObject({ status: 401, code: 'invalid_token', reason: 'signature_invalid' });
    expect(err.headers['WWW-Authenticate']).toBe(
      'Bearer realm="movies", error="invalid_token", error_description="The token signature is invalid"',
    );
    expect(err.body).toEqual({ message: 'Unauthorized' });
  });

  it('expired token: 401 with API Gateway wording in the body', () => {
    const err = new TokenExpiredError();
    expect(err).toMatchObject({ status: 401, code: 'invalid_token', reason: 'token_expired' });
    expect(err.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    expect(err.body).toEqual({ message: 'The incoming token has expired' });
  });

  it('rule not met: 403 insufficient_scope, advertising scopes when scopes were required', () => {
    const plain = new InsufficientScopeError({ reason: 'group_missing', description: 'no group' });
    expect(plain.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="no group"',
    );
    const scoped = new InsufficientScopeError({
      reason: 'scope_missing',
      scopes: ['movies/read', 'movies/admin'],
    });
    expect(scoped.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="movies/read movies/admin"',
    );
    expect(scoped).toMatchObject({ status: 403, statusCode: 403, expose: true });
    expect(scoped.body).toEqual({ message: 'Forbidden' });
  });

  it('keys unavailable: 503 with Retry-After and no challenge, not exposed', () => {
    const err = new KeysUnavailableError({ retryAfterSeconds: 2.2 });
    expect(err).toMatchObject({
      status: 503,
      statusCode: 503,
      expose: false,
      reason: 'keys_unavailable',
    });
    expect(err.headers).toEqual({ 'Retry-After': '3', 'Cache-Control': 'no-store' });
    expect(err.body).toEqual({ message: 'Service Unavailable' });
  });

  it('revocation list not current: 503 with Retry-After, saying why in the log only', () => {
    const err = new RevocationUnavailableError({ retryAfterSeconds: 5 });
    expect(err).toMatchObject({
      status: 503,
      expose: false,
      reason: 'revocation_unavailable',
      description: 'The revocation list is not current',
    });
    expect(err.headers).toEqual({ 'Retry-After': '5', 'Cache-Control': 'no-store' });
    expect(err.body).toEqual({ message: 'Service Unavailable' });
  });

  it('keeps the cause it was given, and has none otherwise', () => {
    const cause = new Error('JWT expired');
    expect(new TokenExpiredError({ cause }).cause).toBe(cause);
    expect('cause' in new TokenExpiredError()).toBe(false);
  });

  it('escapes quotes and strips control characters in challenge parameters', () => {
    const err = new InvalidTokenError({
      reason: 'token_invalid',
      description: 'bad "x"\\\r\n',
      realm: 'a"b',
    });
    expect(err.headers['WWW-Authenticate']).toBe(
      'Bearer realm="a\\"b", error="invalid_token", error_description="bad \\"x\\"\\\\"',
    );
  });

  it('serialises to the public body only', () => {
    const err = new InvalidTokenError({
      reason: 'token_invalid',
      description: 'secret detail',
      cause: new Error('x'),
    });
    expect(JSON.parse(JSON.stringify(err))).toEqual({ message: 'Unauthorized' });
  });

  it('recognises auth errors, also from another copy of the package', () => {
    expect(isAuthError(new MissingTokenError())).toBe(true);
    const foreign = Object.assign(new Error('Unauthorized'), {
      status: 401,
      reason: 'token_missing',
      body: {},
    });
    expect(isAuthError(foreign)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError('x')).toBe(false);
    // Each mark is needed: an error a framework or a library throws may carry one or two of them.
    const { status, reason, body } = foreign;
    expect(isAuthError({ message: 'Unauthorized', status, reason, body })).toBe(false);
    for (const partial of [
      { reason, body },
      { status: '401', reason, body },
      { status, body },
    ]) {
      expect(isAuthError(Object.assign(new Error('x'), partial))).toBe(false);
    }
    expect(isAuthError(Object.assign(new Error('x'), { status, reason }))).toBe(false);
  });
});
