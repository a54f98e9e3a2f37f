// A token the browser attaches by itself (a cookie, the ALB's session) must not let another
// site's page change anything: the cross-site check of ambient credentials, unit by unit, then
// through a guard with a real signed token.

import type { RequestLike } from '../src';
import { CrossSiteRequestError, createGuard, requireGroups } from '../src';
import { crossSiteRefusal, type ExtractOptions, extractToken } from '../src/subpaths/advanced';
import { configErrorMessage, startIssuer } from './helpers';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const HOST = 'api.example.com';
const viaCookie: ExtractOptions = {
  tokenSources: ['authorization', { cookie: 'id' }],
  maxTokenBytes: 16384,
  realm: 'api',
};
const call = (
  method: string,
  headers: RequestLike['headers'],
  extra: Partial<RequestLike> = {},
): RequestLike => ({
  method,
  path: '/items',
  headers: { host: HOST, cookie: `id=${JWT}`, ...headers },
  ...extra,
});
// The status extractToken answers: 200 for a token it hands on, else the error's.
const status = (request: RequestLike, options: ExtractOptions = viaCookie) => {
  try {
    return extractToken(request, options) === JWT ? 200 : 0;
  } catch (err) {
    return (err as { status: number }).status;
  }
};

describe('a token the browser sends by itself, on a request another site made', () => {
  it('is refused for an unsafe method when Fetch Metadata says another site or origin sent it', () => {
    for (const site of ['cross-site', 'same-site', 'Cross-Site']) {
      expect([site, status(call('POST', { 'sec-fetch-site': site }))]).toEqual([site, 403]);
      expect([site, status(call('DELETE', { 'sec-fetch-site': site }))]).toEqual([site, 403]);
    }
    for (const site of ['same-origin', 'none']) {
      expect([site, status(call('POST', { 'sec-fetch-site': site }))]).toEqual([site, 200]);
    }
  });

  it('without Fetch Metadata, compares Origin with Host; with neither, no browser page sent it', () => {
    expect(status(call('POST', { origin: `https://${HOST}` }))).toBe(200);
    expect(status(call('PUT', { origin: `https://${HOST}`, host: 'API.Example.com' }))).toBe(200);
    expect(status(call('POST', { origin: 'https://evil.example' }))).toBe(403);
    expect(status(call('POST', { origin: 'null' }))).toBe(403);
    expect(status(call('POST', { origin: `https://${HOST}:8443` }))).toBe(403);
    expect(status(call('POST', { origin: `https://${HOST}`, host: undefined }))).toBe(403);
    // HTTP/2 names the host in :authority.
    const h2 = { origin: `https://${HOST}`, host: undefined, ':authority': HOST };
    expect(status(call('POST', h2))).toBe(200);
    expect(status(call('POST', {}))).toBe(200);
  });

  it('lets a navigation or an embed of another site through with a safe method, unless it names an unsafe one or opens a WebSocket', () => {
    const link = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const image = { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' };
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
      expect([method, status(call(method, link))]).toEqual([method, 200]);
      expect([method, status(call(method, image))]).toEqual([method, 200]);
    }
    const overridden = [
      call('GET', link, { path: '/items?_method=DELETE' }),
      call('GET', link, { path: '/items?%5Fmethod=DELETE' }),
      call('GET', { ...link, 'x-http-method-override': 'PATCH' }),
      call('GET', link, { originalMethod: 'POST' }),
      call('GET', { ...link, upgrade: 'websocket' }),
      call('GET', { ...link, 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }),
    ];
    for (const request of overridden) expect(status(request)).toBe(403);
    expect(status(call('GET', link, { path: '/items?_method=HEAD' }))).toBe(200);
    expect(status(call('GET', link, { path: '/items?payment_method=card' }))).toBe(200);
  });

  it('refuses a safe request that names another origin: a script of that origin reading', () => {
    const cors = { 'sec-fetch-mode': 'cors', origin: 'https://evil.example' };
    expect(status(call('GET', { ...cors, 'sec-fetch-site': 'cross-site' }))).toBe(403);
    expect(status(call('GET', { ...cors, 'sec-fetch-site': 'same-site' }))).toBe(403);
    expect(status(call('HEAD', cors))).toBe(403);
    expect(status(call('GET', { ...cors, origin: 'null' }))).toBe(403);
    // Its own page's script: Fetch Metadata says so, or Origin names Host.
    expect(status(call('GET', { ...cors, 'sec-fetch-site': 'same-origin' }))).toBe(200);
    expect(status(call('GET', { ...cors, origin: `https://${HOST}` }))).toBe(200);
  });

  it('trusts the origins configured, by exact origin, whatever Fetch Metadata says', () => {
    const trusted = { ...viaCookie, trustedOrigins: ['https://app.example.com'] };
    const from = (origin: string, site = 'same-site') =>
      status(call('POST', { origin, 'sec-fetch-site': site }), trusted);
    expect(from('https://app.example.com')).toBe(200);
    expect(from('https://app.example.com', 'cross-site')).toBe(200);
    expect(from('http://app.example.com')).toBe(403);
    expect(from('https://app.example.com.evil.example')).toBe(403);
    expect(from('https://evil.example')).toBe(403);
  });

  it('reads a header sent twice as from elsewhere', () => {
    const twice = (name: string, value: string) =>
      call('POST', { [name]: value }, { rawHeaders: [name, value, name, value] });
    expect(status(twice('sec-fetch-site', 'same-origin'))).toBe(403);
    expect(status(twice('origin', `https://${HOST}`))).toBe(403);
    expect(status(call('POST', { 'sec-fetch-site': ['same-origin', 'same-origin'] }))).toBe(403);
    expect(status(call('POST', { 'sec-fetch-site': ['same-origin'] }))).toBe(200);
    const hostTwice = call(
      'POST',
      { origin: `https://${HOST}` },
      { rawHeaders: ['Host', HOST, 'Host', 'evil.example'] },
    );
    expect(status(hostTwice)).toBe(403);
    // A repeated Host names no host at all, not even the empty one of a `file://` Origin.
    const emptyHosts = call(
      'POST',
      { origin: 'file://', host: ['', ''] },
      { rawHeaders: ['Host', '', 'Host', ''] },
    );
    expect(status(emptyHosts)).toBe(403);
    // Node's raw lines, each header once: read as the one value each is.
    const once = call(
      'POST',
      { origin: `https://${HOST}` },
      { rawHeaders: ['Host', HOST, 'Origin', `https://${HOST}`, 'Cookie', `id=${JWT}`] },
    );
    expect(status(once)).toBe(200);
  });

  it('believes Fetch Metadata over an Origin that names the host', () => {
    const ownOrigin = { origin: `https://${HOST}` };
    expect(status(call('POST', { ...ownOrigin, 'sec-fetch-site': 'same-site' }))).toBe(403);
    expect(status(call('GET', { ...ownOrigin, 'sec-fetch-site': 'cross-site' }))).toBe(403);
  });

  it('applies to the ALB source, and never to the Authorization header, which no other site can set', () => {
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
    const alb: ExtractOptions = { ...viaCookie, tokenSources: ['authorization', 'alb'] };
    const fromAlb = call('POST', {
      ...crossSite,
      cookie: undefined,
      'x-amzn-oidc-accesstoken': JWT,
    });
    expect(status(fromAlb, alb)).toBe(403);
    const fromHeader = call('POST', {
      ...crossSite,
      cookie: undefined,
      authorization: `Bearer ${JWT}`,
    });
    expect(status(fromHeader, viaCookie)).toBe(200);
    expect(status(call('POST', { ...crossSite, cookie: undefined }))).toBe(401);
  });

  // The error's own shape is a row of errors.test.ts's error table.
  it('refuses with a 403 that blames no token, and tells the operator what it saw', () => {
    const request = call('POST', {
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    });
    const refusal = crossSiteRefusal(request, ['https://app.example.com'], 'movies');
    expect(refusal).toBeInstanceOf(CrossSiteRequestError);
    expect(refusal?.headers['WWW-Authenticate']).toBe('Bearer realm="movies"');
    expect(refusal?.detail).toBe(
      'Sec-Fetch-Site cross-site, Origin https://evil.example, Host api.example.com',
    );
    const bare = call('DELETE', { 'sec-fetch-site': 'cross-site', host: undefined });
    expect(crossSiteRefusal(bare, [], 'api')?.detail).toBe(
      'Sec-Fetch-Site cross-site, Origin (none), Host (none)',
    );
    const oldBrowser = call('PUT', { origin: 'https://evil.example' });
    expect(crossSiteRefusal(oldBrowser, [], 'api')?.detail).toBe(
      'Sec-Fetch-Site (none), Origin https://evil.example, Host api.example.com',
    );
    expect(crossSiteRefusal(call('GET', {}), [], 'api')).toBeUndefined();
  });
});

describe('trustedOrigins in a guard', () => {
  it('accepts origins as browsers send them and names a bad one', () => {
    const base = { userPoolId: 'eu-west-1_AbC123', clientId: 'c' };
    expect(
      createGuard({ ...base, trustedOrigins: ['http://localhost:3000'] }).config.trustedOrigins,
    ).toEqual(['http://localhost:3000']);
    expect(createGuard(base).config.trustedOrigins).toEqual([]);
    for (const bad of [
      'https://app.example.com/',
      'https://App.example.com',
      'null',
      'app.example.com',
      'https://a.example:443',
    ]) {
      expect(configErrorMessage(() => createGuard({ ...base, trustedOrigins: [bad] }))).toContain(
        'trustedOrigins.0: must be an origin as browsers send it',
      );
    }
    expect(
      configErrorMessage(() => createGuard({ ...base, trustedOrigin: [] } as never)),
    ).toContain('trustedOrigin: is not a known option; did you mean "trustedOrigins"?');
  });

  it('decides a real token from a cookie: 403 from another site, allowed from its own page or a trusted one', async () => {
    const issuer = await startIssuer();
    try {
      const guard = createGuard({
        ...issuer.config,
        tokenSources: [{ cookie: 'id' }],
        trustedOrigins: ['https://app.example.com'],
      });
      const token = issuer.accessToken({ groups: ['editors'] });
      const post = (headers: Record<string, string>) =>
        guard.check(
          {
            method: 'POST',
            path: '/items',
            headers: { host: HOST, cookie: `id=${token}`, ...headers },
          },
          requireGroups('editors'),
        );
      // Verified and cached first, so that the refusal below is not a cache miss's.
      expect(await post({ 'sec-fetch-site': 'same-origin' })).toMatchObject({ allowed: true });
      expect(await post({ 'sec-fetch-site': 'same-origin' })).toMatchObject({ allowed: true });
      expect(
        await post({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }),
      ).toMatchObject({
        allowed: false,
        status: 403,
        reason: 'cross_site_request',
      });
      expect(
        await post({ 'sec-fetch-site': 'same-site', origin: 'https://app.example.com' }),
      ).toMatchObject({
        allowed: true,
      });
      await expect(
        guard.authenticate({
          method: 'DELETE',
          path: '/items/1',
          headers: { host: HOST, cookie: `id=${token}`, origin: 'https://evil.example' },
        }),
      ).rejects.toBeInstanceOf(CrossSiteRequestError);
    } finally {
      await issuer.stop();
    }
  });
});
