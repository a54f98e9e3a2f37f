import { ConfigError, compileRoutePolicy, type RoutePolicy } from '../src';
import { splitRequestPath } from '../src/subpaths/advanced';
import { DENY_ALL, parseRouteKey } from '../src/subpaths/policy';

const policy: RoutePolicy = {
  defaultAction: 'deny',
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /movies/top': { public: true },
    'POST /movies': { groups: ['admins'] },
    'ANY /movies/{id}': { groups: ['editors'] },
    'ANY /admin/{proxy+}': { allGroups: ['admins'], scopes: ['api/admin'] },
    'GET /admin/status': { public: true },
    'GET /files/{name}/raw': { groups: ['files'] },
    'GET /files/{proxy+}': { groups: ['files-any'] },
    'GET /health': { public: true },
    'GET /': { public: true },
  },
};
const compiled = compileRoutePolicy(policy);

function routeOf(method: string, path: string, target = compiled): string | undefined {
  const split = splitRequestPath(path, target.caseSensitive);
  if (!split.ok) throw new Error(`non-canonical: ${split.problem}`);
  return target.match(method, split.segments).routeKey;
}

describe('route selection (API Gateway HTTP API rules)', () => {
  it('a literal path beats a {param}', () => {
    expect(routeOf('GET', '/movies/top')).toBe('GET /movies/top');
    expect(routeOf('GET', '/movies/42')).toBe('GET /movies/{id}');
  });

  it('a {param} beats the greedy {proxy+}', () => {
    expect(routeOf('GET', '/files/a/raw')).toBe('GET /files/{name}/raw');
    expect(routeOf('GET', '/files/a/b/raw')).toBe('GET /files/{proxy+}');
    expect(routeOf('GET', '/files/a')).toBe('GET /files/{proxy+}');
  });

  it('a literal beats a greedy route under the same prefix', () => {
    expect(routeOf('GET', '/admin/status')).toBe('GET /admin/status');
    expect(routeOf('POST', '/admin/status')).toBe('ANY /admin/{proxy+}');
    expect(routeOf('GET', '/admin/users/7')).toBe('ANY /admin/{proxy+}');
  });

  it('a greedy route needs at least one segment', () => {
    expect(routeOf('GET', '/admin')).toBeUndefined();
  });

  it('a named method beats ANY, and other methods fall to ANY', () => {
    expect(routeOf('GET', '/movies/42')).toBe('GET /movies/{id}');
    expect(routeOf('DELETE', '/movies/42')).toBe('ANY /movies/{id}');
    expect(routeOf('POST', '/movies')).toBe('POST /movies');
    expect(routeOf('PUT', '/movies')).toBeUndefined();
  });

  it('unknown methods only match ANY routes', () => {
    expect(routeOf('PROPFIND', '/movies/42')).toBe('ANY /movies/{id}');
    expect(routeOf('PROPFIND', '/movies')).toBeUndefined();
  });

  it('$default catches what nothing else matches', () => {
    const withDefault = compileRoutePolicy({
      routes: { ...policy.routes, $default: { groups: ['x'] } },
    });
    expect(routeOf('GET', '/nowhere', withDefault)).toBe('$default');
    expect(routeOf('GET', '/movies', withDefault)).toBe('GET /movies');
  });

  it('applies defaultAction when nothing matches', () => {
    expect(compiled.match('GET', ['nowhere']).rule).toBe(DENY_ALL);
    expect(
      compileRoutePolicy({ defaultAction: 'allow', routes: {} }).match('GET', ['x']).rule,
    ).toBeUndefined();
    expect(
      compileRoutePolicy({ defaultAction: 'authenticated', routes: {} }).match('GET', ['x']).rule
        ?.description,
    ).toBe('authenticated');
    expect(DENY_ALL.check({} as never)).toEqual({ reason: 'route_denied' });
  });

  it('HEAD uses GET routes, as Express and Koa serve HEAD with GET handlers', () => {
    expect(routeOf('HEAD', '/movies')).toBe('GET /movies');
    const explicitHead = compileRoutePolicy({
      routes: { 'HEAD /movies': { public: true }, 'GET /movies': { groups: ['g'] } },
    });
    expect(routeOf('HEAD', '/movies', explicitHead)).toBe('HEAD /movies');
  });

  it('matches the root path', () => {
    expect(routeOf('GET', '/')).toBe('GET /');
  });
});

describe('path tricks never reach a more permissive route', () => {
  it.each([
    ['/MOVIES', 'GET /movies'],
    ['/Movies/42', 'GET /movies/{id}'],
    ['/movies/', 'GET /movies'],
    ['/movies?x=1', 'GET /movies'],
    ['/movies#frag', 'GET /movies'],
    ['/mo%76ies', 'GET /movies'],
    ['/%4D%4F%56%49%45%53', 'GET /movies'],
    ['/movies%2Ftop', undefined],
  ])('%s selects %s', (path, expected) => {
    expect(routeOf('GET', path)).toBe(expected);
  });

  it.each([
    ['//movies', 'empty path segment'],
    ['/movies//42', 'empty path segment'],
    ['/health/../movies', 'dot segment'],
    ['/./movies', 'dot segment'],
    ['/health/%2e%2e/movies', 'dot segment'],
    ['/health/%2E/movies', 'dot segment'],
    // A file server reads the encoded slashes as separators, and resolves the dots.
    ['/movies/top%2F..%2F..%2Fadmin', 'empty or dot segment between encoded slashes'],
    ['/movies/%2Fadmin', 'empty or dot segment between encoded slashes'],
    ['/movies/a%2F%2Fb', 'empty or dot segment between encoded slashes'],
    ['/movies/a%2F', 'empty or dot segment between encoded slashes'],
    ['/movies/a%2f.%2Fb', 'empty or dot segment between encoded slashes'],
    ['/movies\\42', 'backslash in path'],
    // As an HTTP API hands a decoded path on; a URL parser would drop them and read `/admin`.
    ['/ad\tmin', 'control character in path'],
    ['/admin\n', 'control character in path'],
    ['/admin\u0001', 'control character in path'],
    ['/\u0000admin', 'control character in path'],
    ['/admin\u007f', 'control character in path'],
    ['/movies/%zz', 'invalid percent-encoding'],
    ['movies', 'path must start with /'],
  ])('refuses the non-canonical path %s (%s)', (path, problem) => {
    expect(splitRequestPath(path, false)).toEqual({ ok: false, problem });
  });

  it('splits a path into folded, as-received and (when encoded) undecoded segments', () => {
    expect(splitRequestPath('/Movies/42/?x=1#top', false)).toEqual({
      ok: true,
      segments: ['movies', '42'],
      asReceived: ['Movies', '42'],
      undecoded: undefined,
      separated: undefined,
      trailingSlash: true,
    });
    expect(splitRequestPath('/mo%76ies/A', false)).toEqual({
      ok: true,
      segments: ['movies', 'a'],
      asReceived: ['movies', 'A'],
      undecoded: ['mo%76ies', 'A'],
      separated: undefined,
      trailingSlash: false,
    });
    // A router reads one segment; a static file server two.
    expect(splitRequestPath('/Admin%2Fsecret.txt', false)).toEqual({
      ok: true,
      segments: ['admin/secret.txt'],
      asReceived: ['Admin/secret.txt'],
      undecoded: ['Admin%2Fsecret.txt'],
      separated: ['Admin', 'secret.txt'],
      trailingSlash: false,
    });
    expect(splitRequestPath('/Movies#x?y', true)).toMatchObject({ segments: ['Movies'] });
    expect(splitRequestPath('/movies?next=/a#b', true)).toMatchObject({ segments: ['movies'] });
  });

  it('can match case-sensitively, as API Gateway does', () => {
    const strict = compileRoutePolicy(policy, { caseSensitive: true });
    expect(routeOf('GET', '/MOVIES', strict)).toBeUndefined();
    expect(routeOf('GET', '/movies', strict)).toBe('GET /movies');
  });
});

describe('policy validation', () => {
  it('names each bad route key and each bad rule in one error', () => {
    try {
      compileRoutePolicy({
        routes: {
          'GET movies': {},
          'FETCH /x': {},
          'GET /a/{proxy+}/b': {},
          'GET /a/x{id}': {},
          'GET /a//b': {},
          'GET /%zz': {},
          'GET /ok': { groupz: ['a'] } as never,
        },
      });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.field)).toEqual([
        'routes.GET movies',
        'routes.FETCH /x',
        'routes.GET /a/{proxy+}/b',
        'routes.GET /a/x{id}',
        'routes.GET /a//b',
        'routes.GET /%zz',
        'routes.GET /ok.groupz',
      ]);
    }
  });

  it('refuses two keys that select the same requests', () => {
    expect(() => compileRoutePolicy({ routes: { 'GET /movies': {}, 'GET /Movies': {} } })).toThrow(
      /same requests/,
    );
    expect(() =>
      compileRoutePolicy({ routes: { 'GET /m/{id}': {}, 'GET /m/{name}': {} } }),
    ).toThrow(/same requests/);
    expect(() =>
      compileRoutePolicy(
        { routes: { 'GET /movies': {}, 'GET /Movies': {} } },
        { caseSensitive: true },
      ),
    ).not.toThrow();
  });

  it('refuses a bad defaultAction and a missing routes map', () => {
    expect(() => compileRoutePolicy({ defaultAction: 'maybe', routes: {} } as never)).toThrow(
      /defaultAction/,
    );
    expect(() => compileRoutePolicy({} as never)).toThrow(/routes/);
  });

  it('parses route keys', () => {
    expect(parseRouteKey('GET /Movies/{id}/', false)).toEqual({
      method: 'GET',
      segments: ['movies', '{id}'],
    });
    expect(parseRouteKey('ANY /a%20b', true)).toEqual({ method: 'ANY', segments: ['a b'] });
    expect(compiled.routeKeys).toContain('ANY /admin/{proxy+}');
  });
});
