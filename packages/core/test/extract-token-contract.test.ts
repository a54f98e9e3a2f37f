// What extraction answers, exactly: the client-visible status, reason and description of each
// refusal, and the boundaries (header and token size caps, several sources, raw headers).

import { type AuthError, isAuthError, type RequestLike } from '../src';
import { type ExtractOptions, extractToken } from '../src/subpaths/advanced';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const header: ExtractOptions = {
  tokenSources: ['authorization'],
  maxTokenBytes: 64,
  realm: 'movies',
};
const both: ExtractOptions = { ...header, tokenSources: ['authorization', { cookie: 'token' }] };
const alb: ExtractOptions = { ...header, tokenSources: ['alb'] };
const req = (headers: RequestLike['headers'], rawHeaders?: string[]): RequestLike => ({
  method: 'GET',
  path: '/',
  headers,
  rawHeaders,
});

function refusal(request: RequestLike, options: ExtractOptions) {
  try {
    extractToken(request, options);
  } catch (err) {
    expect(isAuthError(err)).toBe(true);
    const { status, reason, description, headers } = err as AuthError;
    // Every refusal is challenged in the configured realm.
    expect(headers['WWW-Authenticate']).toMatch(/^Bearer realm="movies"/);
    return { status, reason, description };
  }
  throw new Error('expected a refusal');
}

describe('extraction refusals: status, reason and the description a client sees', () => {
  it.each<[string, RequestLike, ExtractOptions, object]>([
    [
      'a token in the header and in the cookie',
      req({ authorization: `Bearer ${JWT}`, cookie: `token=${JWT}` }),
      both,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The request carries a token in more than one place',
      },
    ],
    [
      'two Authorization headers',
      req({ authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] as unknown as string }),
      header,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The request carries more than one authorization header',
      },
    ],
    [
      'two Authorization lines in the raw headers, whatever their case',
      req({ authorization: `Bearer ${JWT}` }, ['Authorization', 'x', 'AUTHORIZATION', 'y']),
      header,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The request carries more than one authorization header',
      },
    ],
    [
      'two tokens in one header',
      req({ authorization: `Bearer ${JWT}, Bearer ${JWT}` }),
      header,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The Authorization header carries more than one token',
      },
    ],
    [
      'another scheme beside a bare token',
      req({ authorization: `Basic dXNlcg==, ${JWT}` }),
      header,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The Authorization header carries more than one token',
      },
    ],
    [
      'another scheme beside a Bearer token',
      req({ authorization: 'Basic dXNlcg==, Bearer abc' }),
      header,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The Authorization header carries more than one token',
      },
    ],
    [
      'the Bearer scheme alone',
      req({ authorization: 'Bearer' }),
      header,
      {
        status: 400,
        reason: 'malformed_authorization',
        description: 'The Bearer scheme was sent without a token',
      },
    ],
    [
      'a token longer than maxTokenBytes',
      req({ authorization: `Bearer ${'a'.repeat(31)}.${'b'.repeat(30)}.cc` }),
      header,
      { status: 401, reason: 'token_too_large', description: 'The token exceeds the size limit' },
    ],
    [
      'a header longer than maxTokenBytes + 64, before it is parsed',
      req({ authorization: 'x'.repeat(129) }),
      header,
      { status: 401, reason: 'token_too_large', description: 'The token exceeds the size limit' },
    ],
    [
      'two token cookies',
      req({ cookie: 'token=a.b.c; other=1; token=d.e.f' }),
      { ...header, tokenSources: [{ cookie: 'token' }] },
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The request carries more than one token cookie',
      },
    ],
    [
      'two ALB token headers',
      req({ 'x-amzn-oidc-accesstoken': [JWT, JWT] as unknown as string }),
      alb,
      {
        status: 400,
        reason: 'multiple_tokens',
        description: 'The request carries more than one x-amzn-oidc-accesstoken header',
      },
    ],
  ])('%s', (_label, request, options, expected) => {
    expect(refusal(request, options)).toEqual(expected);
  });

  it('answers no token with 401 token_missing and a bare challenge', () => {
    for (const request of [
      req({}),
      req({ authorization: '   ' }),
      req({ authorization: 'Basic dXNlcg==' }),
      req({ authorization: 'Basic dXNlcg==, Bearer' }),
      req({ authorization: 'Basic dXNlcg==, Digest abc' }),
      req({ authorization: 'XBearer a.b.c' }),
      req({ authorization: 'Bearerx a.b.c' }),
      req({ authorization: '!eyJh.eyJz.sig' }),
      req({ authorization: 'eyJh.eyJz.sig!' }),
      req({ cookie: 'token=' }),
      req({ cookie: 'token=""' }),
      req({ cookie: 'tokenx' }),
      req({ cookie: 'xtoken=a.b.c; tokenx=a.b.c' }),
    ]) {
      expect(refusal(request, both)).toEqual({
        status: 401,
        reason: 'token_missing',
        description: undefined,
      });
    }
    const whitespace = req({ 'x-amzn-oidc-accesstoken': '   ' });
    expect(refusal(whitespace, alb)).toEqual({
      status: 401,
      reason: 'token_missing',
      description: undefined,
    });
    try {
      extractToken(req({}), header);
    } catch (err) {
      expect((err as AuthError).headers['WWW-Authenticate']).toBe('Bearer realm="movies"');
    }
    expect.assertions(14 * 3 + 1);
  });
});

describe('extraction boundaries', () => {
  it('accepts a token of exactly maxTokenBytes, and a header of exactly maxTokenBytes + 64', () => {
    const token = `${'a'.repeat(31)}.${'b'.repeat(30)}.c`;
    expect(token).toHaveLength(64);
    expect(extractToken(req({ authorization: `Bearer ${token}` }), header)).toBe(token);
    const padded = `${' '.repeat(128 - token.length - 7)}Bearer ${token}`;
    expect(padded).toHaveLength(128);
    expect(extractToken(req({ authorization: padded }), header)).toBe(token);
  });

  it('reads one token from either configured source', () => {
    expect(extractToken(req({ authorization: `Bearer ${JWT}` }), both)).toBe(JWT);
    expect(extractToken(req({ cookie: `other=1; token=${JWT}` }), both)).toBe(JWT);
  });

  it('counts only raw header lines of exactly that name', () => {
    const raw = ['Authorization', `Bearer ${JWT}`, 'X-Authorization', 'y', 'authorizationx', 'z'];
    expect(extractToken(req({ authorization: `Bearer ${JWT}` }, raw), header)).toBe(JWT);
  });

  it('reads bare tokens of every segment length', () => {
    for (const token of ['ab.c.d', 'a.bc.d', 'a.b.cd', 'a-b_c.d.e']) {
      expect(extractToken(req({ authorization: token }), header)).toBe(token);
    }
  });

  it('reads cookies quoted, percent-encoded, spaced, and leaves a bad encoding as sent', () => {
    const cookie: ExtractOptions = { ...header, tokenSources: [{ cookie: 'token' }] };
    expect(extractToken(req({ cookie: 'token="a.b.c' }), cookie)).toBe('"a.b.c');
    expect(extractToken(req({ cookie: 'token=a.b.c"' }), cookie)).toBe('a.b.c"');
    expect(
      extractToken(req({ cookie: 't=a.b.c' }), { ...header, tokenSources: [{ cookie: 't' }] }),
    ).toBe('a.b.c');
    expect(extractToken(req({ cookie: `token="${JWT}"` }), cookie)).toBe(JWT);
    expect(extractToken(req({ cookie: 'a=1;  token = a%2Eb.c ' }), cookie)).toBe('a.b.c');
    expect(extractToken(req({ cookie: 'token=a.b%zz' }), cookie)).toBe('a.b%zz');
    expect(
      extractToken(req({ cookie: ['a=1', `token=${JWT}`] as unknown as string }), cookie),
    ).toBe(JWT);
  });

  it('trims the ALB header, and takes an unsigned-looking bare token as the caller’s token', () => {
    expect(extractToken(req({ 'x-amzn-oidc-accesstoken': `  ${JWT}  ` }), alb)).toBe(JWT);
    expect(extractToken(req({ authorization: 'eyJh.eyJz.' }), header)).toBe('eyJh.eyJz.');
    expect(extractToken(req({ authorization: 'eyJh..' }), header)).toBe('eyJh..');
    expect(refusal(req({ authorization: '.eyJz.sig' }), header).reason).toBe('token_missing');
  });
});
