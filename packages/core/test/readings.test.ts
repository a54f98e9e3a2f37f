// Every reading a route policy gives a path, case by case, for policies with and without greedy
// routes (the reading is shortcut when nothing can differ): a case-sensitive router's reading of
// the case received, an undecoding router's reading, a greedy route's bare prefix through a
// parameter, a trailing slash. And the errors a bad policy or route key gets.

import { compileRoutePolicy, type RoutePolicy } from '../src';
import { splitRequestPath } from '../src/subpaths/advanced';
import { parseRouteKey } from '../src/subpaths/policy';
import { configErrorMessage } from './helpers';

function readingsOf(policy: RoutePolicy, method: string, path: string, caseSensitive = false) {
  const compiled = compileRoutePolicy(policy, { caseSensitive });
  const split = splitRequestPath(path, caseSensitive);
  if (!split.ok) throw new Error(split.problem);
  return compiled.readings(method, split).map((r) => r.routeKey ?? '(unmatched)');
}

describe('readings of a policy without greedy routes', () => {
  const plain: RoutePolicy = {
    defaultAction: 'authenticated',
    routes: { 'GET /movies': { groups: ['movies-group'] }, 'GET /movies/{id}': {} },
  };

  it('is the one route for a plain path, and unmatched for a path no route takes', () => {
    expect(readingsOf(plain, 'GET', '/movies')).toStrictEqual(['GET /movies']);
    expect(readingsOf(plain, 'GET', '/movies/42')).toStrictEqual(['GET /movies/{id}']);
    expect(readingsOf(plain, 'GET', '/elsewhere')).toStrictEqual(['(unmatched)']);
    expect(readingsOf(plain, 'POST', '/movies')).toStrictEqual(['(unmatched)']);
  });

  it('adds what a case-sensitive, an undecoding or a strict router would read', () => {
    expect(readingsOf(plain, 'GET', '/MOVIES')).toStrictEqual(['GET /movies', '(unmatched)']);
    expect(readingsOf(plain, 'GET', '/mo%76ies')).toStrictEqual(['GET /movies', '(unmatched)']);
    // Fastify 4 hands `/movies/` to `/movies/{id}` with an empty id: the stricter reading counts.
    expect(readingsOf(plain, 'GET', '/movies/')).toStrictEqual([
      'GET /movies',
      '(unmatched)',
      'GET /movies/{id}',
    ]);
    // An undecoded parameter is still a parameter: nothing else to read.
    expect(readingsOf(plain, 'GET', '/movies/%34%32')).toStrictEqual(['GET /movies/{id}']);
  });

  it('reads route keys written with capitals by their case, and an undecoded path by both cases', () => {
    const written: RoutePolicy = { routes: { 'GET /Reports': { groups: ['finance'] } } };
    expect(readingsOf(written, 'GET', '/Reports')).toStrictEqual(['GET /Reports']);
    expect(readingsOf(written, 'GET', '/reports')).toStrictEqual(['GET /Reports', '(unmatched)']);
    // Undecoded, a case-insensitive router folds it (unmatched), a case-sensitive one does not.
    expect(readingsOf(written, 'GET', '/R%65ports')).toStrictEqual(['GET /Reports', '(unmatched)']);
  });

  it('reads a key written in mixed case by its case, and an undecoded path by the exact-case trie too', () => {
    // Only one segment differs from its folded form: the exact-case reading is still needed.
    const mixed: RoutePolicy = { routes: { 'GET /Admin/users': {} } };
    expect(readingsOf(mixed, 'GET', '/Admin/users')).toStrictEqual(['GET /Admin/users']);
    // Undecoded, `/A/%78` is `GET /a/{id}` to a case-insensitive router and no route at all to a
    // case-sensitive one (its `/A` has only the literal `x`): both readings count.
    const split: RoutePolicy = { routes: { 'GET /a/{id}': {}, 'GET /A/x': {} } };
    expect(readingsOf(split, 'GET', '/A/%78')).toStrictEqual([
      'GET /A/x',
      'GET /a/{id}',
      '(unmatched)',
    ]);
  });

  it('adds what a static file server reads where a segment holds an encoded slash', () => {
    const files: RoutePolicy = {
      defaultAction: 'allow',
      routes: { 'GET /admin/{file}': { groups: ['admins'] }, 'GET /{file}': { public: true } },
    };
    expect(readingsOf(files, 'GET', '/admin%2Fsecret.txt')).toStrictEqual([
      'GET /{file}',
      'GET /admin/{file}',
    ]);
    expect(readingsOf(files, 'GET', '/ADMIN%2fsecret.txt')).toStrictEqual([
      'GET /{file}',
      'GET /admin/{file}',
      '(unmatched)',
    ]);
    expect(readingsOf(files, 'GET', '/admin%2Fsecret.txt', true)).toStrictEqual([
      'GET /{file}',
      'GET /admin/{file}',
    ]);
  });

  it('is exactly as received on case-sensitive paths', () => {
    expect(readingsOf(plain, 'GET', '/movies', true)).toStrictEqual(['GET /movies']);
    expect(readingsOf(plain, 'GET', '/MOVIES', true)).toStrictEqual(['(unmatched)']);
    expect(readingsOf(plain, 'GET', '/mo%76ies', true)).toStrictEqual([
      'GET /movies',
      '(unmatched)',
    ]);
  });
});

describe('readings with greedy routes', () => {
  it('reads a greedy route beside an exact route on its bare prefix', () => {
    const policy: RoutePolicy = {
      routes: {
        'GET /admin': { groups: ['staff'] },
        'ANY /admin/{proxy+}': { groups: ['admins'] },
      },
    };
    expect(readingsOf(policy, 'GET', '/admin')).toStrictEqual([
      'GET /admin',
      'ANY /admin/{proxy+}',
    ]);
  });

  it('reads a greedy route bare prefix reached through a parameter', () => {
    const policy: RoutePolicy = {
      routes: {
        'GET /users/me': { public: true },
        'ANY /users/{id}/{proxy+}': { groups: ['admins'] },
        'GET /users/{id}': {},
      },
    };
    expect(readingsOf(policy, 'GET', '/users/42')).toStrictEqual([
      'GET /users/{id}',
      'ANY /users/{id}/{proxy+}',
    ]);
    // Through the literal first, when it leads to one.
    const literal: RoutePolicy = {
      routes: {
        'GET /a/b': {},
        'ANY /a/b/{proxy+}': { groups: ['x'] },
        'ANY /a/{id}/{proxy+}': { groups: ['y'] },
      },
    };
    expect(readingsOf(literal, 'GET', '/a/b')).toStrictEqual(['GET /a/b', 'ANY /a/b/{proxy+}']);
  });

  it('reads the root by its own route, and a path no route takes by no route alone', () => {
    const rooted: RoutePolicy = {
      routes: {
        'GET /': { public: true },
        'GET /{id}': { groups: ['g'] },
        'ANY /admin/{proxy+}': { groups: ['admins'] },
      },
    };
    // find-my-way serves `/` by `/{id}` with an empty id only where no route has `/`.
    expect(readingsOf(rooted, 'GET', '/')).toStrictEqual(['GET /']);
    expect(readingsOf(rooted, 'GET', '/a/b')).toStrictEqual(['(unmatched)']);
  });
});

describe('readings of HEAD', () => {
  // Express serves HEAD with the GET route; API Gateway and @middy/http-router with the ANY route.
  const both: RoutePolicy = {
    defaultAction: 'deny',
    routes: {
      'GET /a': { public: true },
      'ANY /a': { groups: ['g1'] },
      'GET /b/{id}': {},
      'ANY /b/{proxy+}': { groups: ['g2'] },
      'GET /c': {},
    },
  };

  it('reads the GET route and the ANY route that selects the same path', () => {
    expect(readingsOf(both, 'HEAD', '/a')).toStrictEqual(['GET /a', 'ANY /a']);
    expect(readingsOf(both, 'HEAD', '/b/1')).toStrictEqual(['GET /b/{id}', 'ANY /b/{proxy+}']);
    // `/b` is `/b/{proxy+}`'s bare prefix, which GET and ANY readings both find.
    expect(readingsOf(both, 'HEAD', '/b')).toStrictEqual(['(unmatched)', 'ANY /b/{proxy+}']);
    expect(readingsOf(both, 'HEAD', '/A')).toStrictEqual(['GET /a', 'ANY /a', '(unmatched)']);
  });

  it('reads the ANY route in a policy without greedy routes, and beside a greedy GET route', () => {
    const plain: RoutePolicy = { routes: { 'GET /a': {}, 'ANY /a': { groups: ['g1'] } } };
    expect(readingsOf(plain, 'HEAD', '/a')).toStrictEqual(['GET /a', 'ANY /a']);
    const greedy: RoutePolicy = {
      routes: { 'GET /d/{proxy+}': {}, 'ANY /d/{proxy+}': { groups: ['g1'] } },
    };
    expect(readingsOf(greedy, 'HEAD', '/d')).toStrictEqual([
      '(unmatched)',
      'GET /d/{proxy+}',
      'ANY /d/{proxy+}',
    ]);
  });

  it('keeps the GET route alone where no ANY or HEAD route takes the path', () => {
    expect(readingsOf(both, 'HEAD', '/c')).toStrictEqual(['GET /c']);
    expect(readingsOf(both, 'GET', '/a')).toStrictEqual(['GET /a']);
  });
});

describe('readings of a router that ranks whole routes (Powertools)', () => {
  // Static first, then the fewest parameters, then greedy routes; API Gateway: literal first.
  const crossing: RoutePolicy = {
    defaultAction: 'deny',
    routes: {
      'GET /a/{p}/{q}': { public: true },
      'GET /{p}/b/c': { groups: ['g1'] },
      'GET /x/{proxy+}': { public: true },
      'GET /{p}/y': { groups: ['g2'] },
      'GET /m/top': { public: true },
      'GET /m/{id}': {},
    },
  };

  it('reads the route with the fewest parameters beside the one API Gateway selects', () => {
    expect(readingsOf(crossing, 'GET', '/a/b/c')).toStrictEqual(['GET /a/{p}/{q}', 'GET /{p}/b/c']);
    // A route with parameters comes before a greedy one, whatever their literals.
    expect(readingsOf(crossing, 'GET', '/x/y')).toStrictEqual(['GET /x/{proxy+}', 'GET /{p}/y']);
  });

  it('reads a route with parameters beside a greedy one that API Gateway selects', () => {
    const greedy: RoutePolicy = {
      routes: { 'GET /x/{proxy+}': { public: true }, 'GET /{p}/y': {} },
    };
    expect(readingsOf(greedy, 'GET', '/x/y')).toStrictEqual(['GET /x/{proxy+}', 'GET /{p}/y']);
    // The greedy route's whole prefix counts, however many literals deep.
    const deep: RoutePolicy = {
      routes: { 'GET /a/b/{proxy+}': { public: true }, 'GET /a/{q}/c/d': {} },
    };
    expect(readingsOf(deep, 'GET', '/a/b/c/d')).toStrictEqual([
      'GET /a/b/{proxy+}',
      'GET /a/{q}/c/d',
    ]);
    expect(compileRoutePolicy(deep).crossings).toStrictEqual([
      ['GET /a/b/{proxy+}', 'GET /a/{q}/c/d'],
    ]);
  });

  it('names the crossing pairs, for tools (cognito-guard lint)', () => {
    expect(compileRoutePolicy(crossing).crossings).toStrictEqual([
      ['GET /a/{p}/{q}', 'GET /{p}/b/c'],
      // `/x/b/c`: the greedy route for API Gateway, the route with parameters for Powertools.
      ['GET /x/{proxy+}', 'GET /{p}/b/c'],
      ['GET /x/{proxy+}', 'GET /{p}/y'],
    ]);
    expect(
      compileRoutePolicy({ routes: { 'GET /m/top': {}, 'GET /m/{id}': {} } }).crossings,
    ).toStrictEqual([]);
  });

  it('adds nothing where both orders agree', () => {
    expect(readingsOf(crossing, 'GET', '/a/z/z')).toStrictEqual(['GET /a/{p}/{q}']);
    expect(readingsOf(crossing, 'GET', '/z/b/c')).toStrictEqual(['GET /{p}/b/c']);
    // A static route wins in both; a path no route takes stays unmatched.
    expect(readingsOf(crossing, 'GET', '/m/top')).toStrictEqual(['GET /m/top']);
    expect(readingsOf(crossing, 'GET', '/q/r/s/t')).toStrictEqual(['(unmatched)']);
    expect(readingsOf(crossing, 'POST', '/a/b/c')).toStrictEqual(['(unmatched)']);
  });

  it('reads nothing more for a policy whose routes the two orders never part', () => {
    const apart: RoutePolicy = {
      routes: {
        // `/{p}/b` takes `/a/b` under both orders: fewer parameters would not make it win.
        'GET /a/{p}/{q}': {},
        'GET /{p}/{q}/c': { groups: ['g1'] },
        'GET /m/{id}': {},
        'GET /m/top': { public: true },
        'GET /{p}/{proxy+}': { groups: ['g1'] },
      },
    };
    expect(readingsOf(apart, 'GET', '/a/b/c')).toStrictEqual(['GET /a/{p}/{q}']);
    expect(readingsOf(apart, 'GET', '/m/1')).toStrictEqual(['GET /m/{id}']);
  });

  it('reads every route tied on the fewest parameters, and by method', () => {
    const tied: RoutePolicy = {
      routes: {
        'GET /a/{p}/{q}/{r}': {},
        'GET /{p}/b/{q}/d': { groups: ['g1'] },
        'ANY /{p}/{q}/c/d': { groups: ['g2'] },
      },
    };
    expect(readingsOf(tied, 'GET', '/a/b/c/d')).toStrictEqual([
      'GET /a/{p}/{q}/{r}',
      'GET /{p}/b/{q}/d',
      'ANY /{p}/{q}/c/d',
    ]);
    expect(readingsOf(tied, 'POST', '/a/b/c/d')).toStrictEqual(['ANY /{p}/{q}/c/d']);
  });
});

describe('a bad policy or route key', () => {
  const message = configErrorMessage;

  it('is a ConfigError naming the policy, whatever the shape', () => {
    expect(message(() => compileRoutePolicy(null as unknown as RoutePolicy))).toMatch(
      /^Invalid route policy/,
    );
    expect(message(() => compileRoutePolicy({ routes: null } as unknown as RoutePolicy))).toMatch(
      /^Invalid route policy: routes: /,
    );
    expect(
      message(() => compileRoutePolicy({ routes: 'x' } as unknown as RoutePolicy)),
    ).not.toContain('Stryker');
    const clash = message(() =>
      compileRoutePolicy({ routes: { 'GET /a/{x}': {}, 'GET /a/{y}': {} } }),
    );
    expect(clash).toMatch(
      /^Invalid route policy: routes\.GET \/a\/\{y\}: selects the same requests as "GET \/a\/\{x\}"/,
    );
  });

  it('names bad keys beside bad rules, and never $default', () => {
    const text = message(() =>
      compileRoutePolicy({
        routes: {
          $default: {},
          'get /x': {},
          'GET /y': { groups: 'admins' },
        } as unknown as RoutePolicy['routes'],
      }),
    );
    expect(text).toBe(
      'Invalid route policy: routes.get /x: the method must be upper-case: "GET /x"; routes.GET /y.groups: must be array, got "admins"',
    );
  });

  it('refuses a key with anything before its method', () => {
    expect(message(() => compileRoutePolicy({ routes: { ' GET /x': {} } }))).toBe(
      'Invalid route policy: routes. GET /x: must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"',
    );
  });

  it('tells the root, a parameter and a greedy route at the root apart', () => {
    const policy = compileRoutePolicy({
      routes: { 'GET /': {}, 'GET /{id}': {}, 'GET /{proxy+}': {} },
    });
    expect(policy.routeKeys).toStrictEqual(['GET /', 'GET /{id}', 'GET /{proxy+}']);
    expect(compileRoutePolicy({ routes: {} }).defaultAction).toBe('deny');
  });

  it('refuses dot segments in basePath, at the end too', () => {
    for (const basePath of ['/api/.', '/api/..', '/./api', '/api/../v1']) {
      expect(message(() => compileRoutePolicy({ basePath, routes: {} }))).toContain(
        'must not contain dot segments',
      );
    }
    expect(compileRoutePolicy({ basePath: '/api/.well-known', routes: {} }).basePath).toBe(
      '/api/.well-known',
    );
  });

  it('tells a lower-case method from a key that is not a route key at all', () => {
    expect(parseRouteKey('get /a', false)).toBe('the method must be upper-case: "GET /a"');
    expect(parseRouteKey('get /a b', false)).toBe(
      'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"',
    );
    expect(parseRouteKey('GET /a/{proxy+}x', false)).toBe(
      'segment "{proxy+}x" mixes text and a {parameter}',
    );
    expect(parseRouteKey('GET /a/x{proxy+}', false)).toBe(
      'segment "x{proxy+}" mixes text and a {parameter}',
    );
  });
});

describe("readings of lambda-api's walk: once, a literal first, never back", () => {
  // lambda-api keeps its routes in plain objects, finds each segment there by name, and serves a
  // path its walk stops on by the deepest wildcard it passed.
  const nested: RoutePolicy = {
    defaultAction: 'allow',
    routes: {
      'ANY /{p0}/{proxy+}': { groups: ['g2'] },
      'ANY /{p0}/{p1}/{p2}/{proxy+}': {},
      'GET /movies/constructor': { public: true },
    },
  };

  it('adds nothing where the walk reaches the route API Gateway selects', () => {
    expect(readingsOf(nested, 'GET', '/a/b/c/d')).toStrictEqual(['ANY /{p0}/{p1}/{p2}/{proxy+}']);
    expect(readingsOf(nested, 'GET', '/a/b/c/d/constructor')).toStrictEqual([
      'ANY /{p0}/{p1}/{p2}/{proxy+}',
    ]);
    expect(readingsOf(nested, 'GET', '/movies/constructor')).toStrictEqual([
      'GET /movies/constructor',
    ]);
  });

  it('adds the wildcard a `*` segment enters, where the walk has one', () => {
    expect(readingsOf(nested, 'GET', '/a/*/c/d')).toStrictEqual([
      'ANY /{p0}/{p1}/{p2}/{proxy+}',
      'ANY /{p0}/{proxy+}',
    ]);
    // The deeper route's own wildcard: the route API Gateway selects.
    expect(readingsOf(nested, 'GET', '/a/b/c/*')).toStrictEqual(['ANY /{p0}/{p1}/{p2}/{proxy+}']);
    // No wildcard at the root: `*` is read as a parameter's value.
    expect(readingsOf(nested, 'GET', '/*/b/c/d')).toStrictEqual(['ANY /{p0}/{p1}/{p2}/{proxy+}']);
    // Nor where the walk has passed one: only the node that holds it takes `*` as its name.
    expect(readingsOf(nested, 'GET', '/a/b/*/d')).toStrictEqual(['ANY /{p0}/{p1}/{p2}/{proxy+}']);
  });

  it('adds the deepest wildcard before a name every object holds, unless a route names it', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(readingsOf(nested, 'GET', `/a/${name}/c/d`)).toStrictEqual([
        'ANY /{p0}/{p1}/{p2}/{proxy+}',
        'ANY /{p0}/{proxy+}',
      ]);
    }
    expect(readingsOf(nested, 'GET', '/a/Constructor/c/d', true)).toStrictEqual([
      'ANY /{p0}/{p1}/{p2}/{proxy+}',
    ]);
  });

  it('adds the deepest wildcard where a literal leads on and then nowhere', () => {
    const crossing: RoutePolicy = {
      routes: {
        'GET /movies/top': { public: true },
        'GET /{kind}/{id}': { groups: ['viewers'] },
        'ANY /{proxy+}': { groups: ['admins'] },
      },
    };
    // API Gateway goes back to `{kind}`; lambda-api serves it by `/{proxy+}`.
    expect(readingsOf(crossing, 'GET', '/movies/42')).toStrictEqual([
      'GET /{kind}/{id}',
      'ANY /{proxy+}',
    ]);
    expect(readingsOf(crossing, 'GET', '/shows/42')).toStrictEqual(['GET /{kind}/{id}']);
    // It ends on `/movies/top`, which has no POST route: the wildcard on the way serves it,
    // where API Gateway goes back to a POST route.
    const posted: RoutePolicy = {
      routes: { ...crossing.routes, 'POST /{kind}/top': { groups: ['editors'] } },
    };
    expect(readingsOf(posted, 'POST', '/movies/top')).toStrictEqual([
      'POST /{kind}/top',
      'ANY /{proxy+}',
    ]);
  });

  it('decides by the stricter rule: the caller needs the outer wildcard group too', () => {
    const compiled = compileRoutePolicy(nested);
    const decide = (path: string, groups: string[]) => {
      const split = splitRequestPath(path, false);
      if (!split.ok) throw new Error(split.problem);
      const principal = { groups, scopes: [], claims: {} } as never;
      return compiled.readings('GET', split).every((r) => r.rule?.check(principal) === undefined);
    };
    expect(decide('/a/b/c/d', ['g1'])).toBe(true);
    expect(decide('/a/*/c/d', ['g1'])).toBe(false);
    expect(decide('/a/*/c/d', ['g2'])).toBe(true);
  });
});
