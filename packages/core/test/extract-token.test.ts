import type { RequestLike } from '../src';
import { type ExtractOptions, extractToken } from '../src/subpaths/advanced';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const options: ExtractOptions = {
  tokenSources: ['authorization'],
  maxTokenBytes: 16384,
  realm: 'api',
};
const req = (headers: RequestLike['headers'], rawHeaders?: string[]): RequestLike => ({
  method: 'GET',
  path: '/',
  headers,
  rawHeaders,
});
const fails = (request: RequestLike, opts: ExtractOptions = options) => {
  try {
    extractToken(request, opts);
  } catch (err) {
    return err as { status: number; reason: string };
  }
  throw new Error('expected extractToken to throw');
};

describe('extractToken', () => {
  it('reads a Bearer token, with the scheme in any case', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect(extractToken(req({ authorization: `${scheme} ${JWT}` }), options)).toBe(JWT);
    }
  });

  it('counts only Authorization among raw headers, whatever their names’ length or case', () => {
    // Cache-Control and X-Request-Ids are as long as "authorization": only the name decides.
    const request: RequestLike = {
      method: 'GET',
      path: '/',
      headers: { authorization: `Bearer ${JWT}`, 'cache-control': 'no-cache' },
      rawHeaders: [
        'Cache-Control',
        'no-cache',
        'AUTHORIZATION',
        `Bearer ${JWT}`,
        'X-Request-Ids',
        'a',
      ],
    };
    expect(extractToken(request, options)).toBe(JWT);
  });

  it('tolerates surrounding and repeated whitespace', () => {
    expect(extractToken(req({ authorization: `  Bearer    ${JWT}  ` }), options)).toBe(JWT);
  });

  it('accepts a bare JWT without a scheme, as API Gateway does', () => {
    expect(extractToken(req({ authorization: JWT }), options)).toBe(JWT);
  });

  it('treats a missing header, an empty one and another scheme as "no bearer token" (401)', () => {
    for (const headers of [
      {},
      { authorization: '' },
      { authorization: '   ' },
      { authorization: 'Basic dXNlcjpwYXNz' },
    ]) {
      expect(fails(req(headers))).toMatchObject({ status: 401, reason: 'token_missing' });
    }
  });

  it('refuses Bearer without a token (400)', () => {
    expect(fails(req({ authorization: 'Bearer' }))).toMatchObject({
      status: 400,
      reason: 'malformed_authorization',
    });
    expect(fails(req({ authorization: 'Bearer   ' }))).toMatchObject({
      status: 400,
      reason: 'malformed_authorization',
    });
  });

  it('refuses several tokens in one header (400)', () => {
    for (const authorization of [
      `Bearer ${JWT} ${JWT}`,
      `Bearer ${JWT}, Bearer ${JWT}`,
      `${JWT},${JWT}`,
      `Basic x, Bearer ${JWT}`,
    ]) {
      expect(fails(req({ authorization }))).toMatchObject({
        status: 400,
        reason: 'multiple_tokens',
      });
    }
  });

  it('refuses several Authorization headers (400), never first-one-wins', () => {
    expect(fails(req({ authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] }))).toMatchObject({
      status: 400,
      reason: 'multiple_tokens',
    });
    const raw = ['Host', 'x', 'Authorization', `Bearer ${JWT}`, 'authorization', 'Bearer other'];
    expect(fails(req({ authorization: `Bearer ${JWT}` }, raw))).toMatchObject({
      status: 400,
      reason: 'multiple_tokens',
    });
  });

  it('does not take Unicode look-alikes of Bearer for the scheme', () => {
    for (const scheme of ['Веarer', 'Bearer\u200b', 'ᗷearer', 'Ｂearer']) {
      expect(fails(req({ authorization: `${scheme} ${JWT}` }))).toMatchObject({
        status: 401,
        reason: 'token_missing',
      });
    }
  });

  it('refuses an oversized token before any parsing', () => {
    const huge = `Bearer ${'a'.repeat(1024 * 1024)}`;
    expect(fails(req({ authorization: huge }))).toMatchObject({
      status: 401,
      reason: 'token_too_large',
    });
    const small = { ...options, maxTokenBytes: 10 };
    expect(fails(req({ authorization: `Bearer ${JWT}` }), small)).toMatchObject({
      reason: 'token_too_large',
    });
    expect(fails(req({ authorization: JWT }), small)).toMatchObject({ reason: 'token_too_large' });
    // The header is capped before it is trimmed: padding is no way past the cap.
    const padded = `Bearer ${JWT}${' '.repeat(options.maxTokenBytes + 64)}`;
    expect(fails(req({ authorization: padded }))).toMatchObject({ reason: 'token_too_large' });
  });

  it('reads the ALB access-token header when configured', () => {
    const alb: ExtractOptions = { ...options, tokenSources: ['alb'] };
    expect(extractToken(req({ 'x-amzn-oidc-accesstoken': JWT }), alb)).toBe(JWT);
    expect(fails(req({ authorization: `Bearer ${JWT}` }), alb)).toMatchObject({ status: 401 });
  });

  it('reads a named cookie when configured', () => {
    const cookie: ExtractOptions = { ...options, tokenSources: [{ cookie: 'id_token' }] };
    expect(extractToken(req({ cookie: `a=b; id_token=${JWT}; c=d` }), cookie)).toBe(JWT);
    expect(extractToken(req({ cookie: `id_token="${JWT}"` }), cookie)).toBe(JWT);
    expect(extractToken(req({ cookie: `id_token=${encodeURIComponent(JWT)}%` }), cookie)).toBe(
      `${JWT}%`,
    );
    // A cookie's value is one value: a comma in it is part of the token (which then fails to
    // verify), not a second token, as it would be in Authorization.
    expect(extractToken(req({ cookie: `id_token=${JWT},x` }), cookie)).toBe(`${JWT},x`);
    expect(fails(req({ cookie: 'a=b' }), cookie)).toMatchObject({ status: 401 });
    expect(fails(req({ cookie: 'id_token=' }), cookie)).toMatchObject({ status: 401 });
    expect(fails(req({ cookie: `id_token=${JWT}; id_token=${JWT}` }), cookie)).toMatchObject({
      status: 400,
      reason: 'multiple_tokens',
    });
  });

  it('uses sources in order and refuses a token found in two of them (400)', () => {
    const both: ExtractOptions = {
      ...options,
      tokenSources: ['authorization', 'alb', { cookie: 'tok' }],
    };
    expect(extractToken(req({ cookie: `tok=${JWT}` }), both)).toBe(JWT);
    expect(
      fails(req({ authorization: `Bearer ${JWT}`, 'x-amzn-oidc-accesstoken': JWT }), both),
    ).toMatchObject({
      status: 400,
      reason: 'multiple_tokens',
    });
  });
});
