// The exact messages a policy author gets, and the exact selections, for every way a route key
// or a request can be written.

import { ConfigError, compileRoutePolicy, type RoutePolicy } from '../src';
import { parseRouteKey } from '../src/subpaths/policy';

function issues(policy: RoutePolicy, caseSensitive = false) {
  try {
    compileRoutePolicy(policy, { caseSensitive });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('route key messages', () => {
  it.each([
    ['GET movies', 'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"'],
    ['GET  /movies', 'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"'],
    ['GET /mo vies', 'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"'],
    ['get /health', 'the method must be upper-case: "GET /health"'],
    ['Get /health', 'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"'],
    ['FETCH /x', 'method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY'],
    ['GET /a/{proxy+}/b', 'a greedy {name+} segment must come last'],
    ['GET /a/x{id}', 'segment "x{id}" mixes text and a {parameter}'],
    ['GET /a/{id}x', 'segment "{id}x" mixes text and a {parameter}'],
    ['GET /a/{}', 'segment "{}" mixes text and a {parameter}'],
    ['GET /a//b', 'path has an empty or dot segment'],
    ['GET /a/./b', 'path has an empty or dot segment'],
    ['GET /%zz', 'segment "%zz" has invalid percent-encoding'],
  ])('%j', (key, message) => {
    expect(issues({ routes: { [key]: {} } })).toEqual([{ field: `routes.${key}`, message }]);
    expect(parseRouteKey(key, false)).toBe(message);
  });

  it('names the route that already selects the same requests', () => {
    expect(issues({ routes: { 'GET /m/{id}': {}, 'GET /m/{name}': {} } })).toEqual([
      { field: 'routes.GET /m/{name}', message: 'selects the same requests as "GET /m/{id}"' },
    ]);
    expect(issues({ routes: { 'ANY /m/{a+}': {}, 'ANY /m/{b+}': {} } })).toEqual([
      { field: 'routes.ANY /m/{b+}', message: 'selects the same requests as "ANY /m/{a+}"' },
    ]);
    expect(() =>
      compileRoutePolicy({ routes: { 'GET /m/{id}': {}, 'POST /m/{name}': {} } }),
    ).not.toThrow();
    expect(() =>
      compileRoutePolicy({ routes: { 'GET /m/{id}': {}, 'GET /m/{id+}': {} } }),
    ).not.toThrow();
  });

  it('reports rule errors and key errors together, keys first', () => {
    expect(
      issues({ routes: { 'GET movies': {}, 'GET /ok': { groups: [] } } }).map((i) => i.field),
    ).toEqual(['routes.GET movies', 'routes.GET /ok.groups']);
  });

  it('parses keys: trailing slash dropped, literals decoded and folded unless case-sensitive', () => {
    expect(parseRouteKey('GET /', false)).toEqual({ method: 'GET', segments: [] });
    expect(parseRouteKey('GET /A%42/{Id}/{Rest+}', false)).toEqual({
      method: 'GET',
      segments: ['ab', '{Id}', '{Rest+}'],
    });
    expect(parseRouteKey('GET /A%42/', true)).toEqual({ method: 'GET', segments: ['AB'] });
  });
});

describe('selection details', () => {
  const compiled = compileRoutePolicy({
    defaultAction: 'authenticated',
    routes: {
      'GET /a': { public: true },
      'ANY /a': { groups: ['any'] },
      'HEAD /h': { public: true },
      'GET /h': { groups: ['get'] },
      'GET /p/{id}': { groups: ['p'] },
      'ANY /p/{id}': { groups: ['any-p'] },
      'OPTIONS /o': { public: true },
    },
  });
  const key = (method: string, segments: string[]) => compiled.match(method, segments).routeKey;

  it('prefers the named method, then ANY; HEAD prefers HEAD, then GET, then ANY', () => {
    expect(key('GET', ['a'])).toBe('GET /a');
    expect(key('get', ['a'])).toBe('GET /a');
    expect(key('POST', ['a'])).toBe('ANY /a');
    expect(key('HEAD', ['a'])).toBe('GET /a');
    expect(key('HEAD', ['h'])).toBe('HEAD /h');
    expect(key('GET', ['h'])).toBe('GET /h');
    expect(key('POST', ['h'])).toBeUndefined();
    expect(key('DELETE', ['p', '1'])).toBe('ANY /p/{id}');
    expect(key('OPTIONS', ['o'])).toBe('OPTIONS /o');
    expect(key('BREW', ['a'])).toBe('ANY /a');
    expect(key('BREW', ['o'])).toBeUndefined();
  });

  it('applies the default to what no route matches, keeping its rule', () => {
    expect(compiled.defaultAction).toBe('authenticated');
    expect(compiled.match('GET', ['nowhere'])).toBe(compiled.unmatched);
    expect(compiled.unmatched.routeKey).toBeUndefined();
    expect(compiled.unmatched.rule?.description).toBe('authenticated');
    expect(compileRoutePolicy({ routes: {} }).unmatched.rule?.description).toBe(
      'deny (no route matched)',
    );
    expect(
      compileRoutePolicy({ defaultAction: 'allow', routes: {} }).unmatched.rule,
    ).toBeUndefined();
    expect(compileRoutePolicy({ routes: { $default: { groups: ['x'] } } }).unmatched.routeKey).toBe(
      '$default',
    );
  });

  it('lists route keys as written and finds each by key', () => {
    expect(compiled.routeKeys).toEqual([
      'GET /a',
      'ANY /a',
      'HEAD /h',
      'GET /h',
      'GET /p/{id}',
      'ANY /p/{id}',
      'OPTIONS /o',
    ]);
    expect(compiled.route('GET /p/{id}')?.rule?.description).toBe('groups any of [p]');
    expect(compiled.route('GET /nope')).toBeUndefined();
    expect(compiled.caseSensitive).toBe(false);
  });
});
