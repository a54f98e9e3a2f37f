// The real binary, spawned: printed text, JSON output and exit codes (0 allowed/valid,
// 1 denied/invalid, 2 usage, 3 keys unavailable), bad input included.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigError, compileRoutePolicy } from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import { EXAMPLE_API } from '../src/cached-policy';
import { runCli } from './run-cli';

const POLICY = join(__dirname, '..', '..', '..', 'examples', 'policy.json');
const dir = mkdtempSync(join(tmpdir(), 'cognito-guard-cli-'));

// A literal route (`GET /movies/top`) that hides `GET /{type}/{id}`'s paths below it from
// lambda-api's walk, which serves them with `ANY /{proxy+}` under this rule.
const walkPolicy = (fallback: { groups: string[] }) => ({
  routes: {
    'GET /movies/top': { public: true },
    'GET /{type}/{id}': { groups: ['movies-group'] },
    'ANY /{proxy+}': fallback,
  },
});

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('cognito-guard', () => {
  let issuer: TestIssuer;
  let pool: string[];
  beforeAll(async () => {
    issuer = await createTestIssuer({
      userPoolId: 'local_cli_test',
      clientId: 'cli-client',
    }).start();
    pool = [
      '--user-pool-id',
      issuer.userPoolId,
      '--client-id',
      issuer.clientId,
      '--issuer',
      issuer.issuer,
    ];
  });
  afterAll(() => issuer.stop());

  describe('usage', () => {
    it.each([
      [[]],
      [['decode']],
      [['verify']],
      [['explain']],
      [['lint']],
      [['matrix']],
      [['issuer', 'serve']],
      [['mint']],
      [['export']],
      [['diff']],
    ])('prints help for %j with --help and exits 0', async (command) => {
      const result = await runCli([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: cognito-guard/);
    });

    it('exits 2 on an unknown command, a missing argument or a bad option value', async () => {
      const unknown = await runCli(['decdoe', 'x']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'decdoe'");
      expect(unknown.stderr).toContain('decode');
      expect((await runCli(['explain', '--policy', POLICY])).code).toBe(2);
      expect((await runCli(['matrix', POLICY, '--format', 'xml'])).code).toBe(2);
      expect((await runCli(['mint', '--expires-in', 'soon'])).code).toBe(2);
      for (const method of ['', 'GE T', 'GET\n']) {
        const bad = await runCli([
          'explain',
          '--policy',
          POLICY,
          '--path',
          '/m',
          '--method',
          method,
        ]);
        expect({ code: bad.code, stderr: bad.stderr }).toEqual({
          code: 2,
          stderr: `error: option '--method <method>' argument '${method}' is invalid. must be an HTTP method, such as GET\n`,
        });
      }
    });
  });

  describe('decode', () => {
    it('prints header, claims, times and the pool, and says it verified nothing', async () => {
      const token = issuer.accessToken({
        groups: ['movies-group'],
        expiresIn: 720,
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      });
      const result = await runCli(['decode', token]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('NOT VERIFIED');
      expect(result.stdout).toContain('"cognito:groups": [\n    "movies-group"\n  ]');
      expect(result.stdout).toMatch(/exp: \d{4}-\d\d-\d\dT.* \(expires in 12 min\)/);
      expect(result.stdout).toContain('pool: eu-west-1_AbCdEf123 in eu-west-1');
      const json = JSON.parse((await runCli(['decode', token, '--json'])).stdout);
      expect(json).toEqual(
        expect.objectContaining({
          verified: false,
          pool: { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123' },
        }),
      );
      expect(json.times.exp.relative).toBe('expires in 12 min');
    });

    it('reads standard input with -, and refuses an empty one (2) or a non-JWT (1)', async () => {
      const token = issuer.accessToken();
      expect((await runCli(['decode', '-'], { input: `Bearer ${token}\n` })).code).toBe(0);
      const empty = await runCli(['decode', '-'], { input: '' });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('no token on standard input');
      const garbage = await runCli(['decode', 'not-a-jwt']);
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toContain('not a JWT');
    });
  });

  describe('verify', () => {
    it('prints the principal of a valid token (0)', async () => {
      const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
      const result = await runCli(['verify', token, ...pool, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        valid: true,
        principal: expect.objectContaining({ username: 'alice', groups: ['movies-group'] }),
      });
    });

    it('gives the exact reason and status of an invalid token (1)', async () => {
      const tampered = await runCli(['verify', issuer.brokenToken('tampered'), ...pool]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain('status: 401');
      const wrongClient = await runCli([
        'verify',
        issuer.brokenToken('wrong-client'),
        ...pool,
        '--json',
      ]);
      expect(wrongClient.code).toBe(1);
      expect(JSON.parse(wrongClient.stdout)).toEqual(
        expect.objectContaining({ valid: false, status: 401, reason: 'client_invalid' }),
      );
    });

    it('reads the pool from the environment as the guards do', async () => {
      const result = await runCli(['verify', issuer.accessToken()], { env: issuer.env });
      expect(result.code).toBe(0);
    });

    it('exits 3, not 1, when the keys cannot be fetched, naming the cause', async () => {
      const down = await createTestIssuer({ userPoolId: 'local_down' }).start();
      const token = down.accessToken();
      const env = down.env;
      await down.stop();
      const result = await runCli(['verify', token, '--json'], { env });
      expect(result.code).toBe(3);
      const json = JSON.parse(result.stdout);
      expect(json).toEqual(expect.objectContaining({ valid: false, status: 503 }));
      expect(json.cause).toMatch(/jwks|ECONNREFUSED|fetch/i);
    });

    it('exits 2 without a pool, naming the flag and the variable', async () => {
      const result = await runCli(['verify', issuer.accessToken()]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('COGNITO_USER_POOL_ID (or --user-pool-id): is required');
    });
  });

  describe('explain', () => {
    it("names the route, the rule, the exact denial (1) and the authorizer's IAM output", async () => {
      const result = await runCli([
        'explain',
        '--policy',
        POLICY,
        '--path',
        '/shows/7',
        '--groups',
        'movies-group',
        '--json',
      ]);
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout);
      expect(json.route).toBe('GET /shows/{id}');
      expect(json.rule).toBe('groups any of [shows-group]');
      expect(json.decision).toEqual({
        allowed: false,
        status: 403,
        reason: 'group_missing',
        headers: {
          'WWW-Authenticate':
            'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant access to this resource"',
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        },
        body: '{"message":"Forbidden"}',
      });
      // What the Lambda authorizer would return for this token: API Gateway caches it.
      const { authorizer } = json;
      expect(authorizer.principalId).toMatch(/^[0-9a-f-]{36}$/);
      const resources = (effect: string): string[] =>
        authorizer.statements
          .filter((s: { Effect: string }) => s.Effect === effect)
          .flatMap((s: { Resource: string[] }) => s.Resource)
          .map((r: string) => r.replace(`${EXAMPLE_API}/`, ''));
      expect(resources('Allow')).toEqual(
        expect.arrayContaining(['GET/movies', 'GET/movies/*', 'GET/health']),
      );
      expect(resources('Allow').filter((r) => r.includes('shows'))).toEqual([]);
      expect(resources('Deny')).toEqual(expect.arrayContaining(['GET/movies/*/*', '*%*']));

      const text = await runCli([
        'explain',
        '--policy',
        POLICY,
        '--path',
        '/movies/42',
        '--groups',
        'movies-group',
      ]);
      expect(text.stdout).toContain(
        `authorizer: IAM policy, cached per token and replayed on every route it matches\n  Allow ${EXAMPLE_API}/GET/movies\n`,
      );
      const tokenless = await runCli(['explain', '--policy', POLICY, '--path', '/movies/42']);
      expect(tokenless.stdout).toContain(
        'authorizer: throws "Unauthorized" (API Gateway answers 401)',
      );
    });

    it("says where lambda-api's walk reads a request that the authorizer's policy allows", async () => {
      const walk = file('walk-explain.json', JSON.stringify(walkPolicy({ groups: ['admins'] })));
      const explain = (path: string, ...more: string[]) =>
        runCli(['explain', '--policy', walk, '--path', path, '--groups', 'movies-group', ...more]);
      const json = JSON.parse((await explain('/movies/42', '--json')).stdout);
      expect([json.route, json.lambdaApiWalk, json.decision.status]).toEqual([
        'GET /{type}/{id}',
        ['ANY /{proxy+}'],
        403,
      ]);
      // The authorizer's cached policy allows it all the same: the line says why they differ.
      const allowed = json.authorizer.statements.find(
        (s: { Effect: string }) => s.Effect === 'Allow',
      );
      expect(allowed.Resource).toContain(`${EXAMPLE_API}/GET/*/*`);
      expect((await explain('/movies/42')).stdout).toContain(
        "  lambda-api serves it with ANY /{proxy+}: it never goes back from a literal segment. The authorizer's IAM policy cannot say so: behind one, wrap a lambda-api handler in guardRoutes.\n",
      );
      const elsewhere = JSON.parse((await explain('/shows/7', '--json')).stdout);
      expect([elsewhere.lambdaApiWalk, elsewhere.decision.status]).toEqual([[], 200]);
      expect((await explain('/shows/7')).stdout).not.toContain('lambda-api');
    });

    it('allows a member (0), and answers no token with 401', async () => {
      const args = ['explain', '--policy', POLICY, '--path', '/shows'];
      expect((await runCli([...args, '--groups', 'shows-group'])).code).toBe(0);
      const tokenless = await runCli(args);
      expect(tokenless.code).toBe(1);
      expect(tokenless.stdout).toContain('decision: denied 401 (token_missing)');
      expect(tokenless.stdout).toContain('WWW-Authenticate: Bearer realm="api"');
    });

    it('verifies a real token with --token and the pool flags', async () => {
      const token = issuer.accessToken({ groups: ['movies-group'] });
      const args = ['explain', '--policy', POLICY, '--path', '/movies', '--token', token, ...pool];
      expect((await runCli(args)).code).toBe(0);
    });

    it('exits 3 when the keys cannot be fetched; the authorizer would throw, API Gateway answers 500', async () => {
      const down = await createTestIssuer({ userPoolId: 'local_down' }).start();
      const token = down.accessToken({ groups: ['movies-group'] });
      const env = down.env;
      await down.stop();
      const args = ['explain', '--policy', POLICY, '--path', '/movies', '--token', token, '--json'];
      const result = await runCli(args, { env });
      expect(result.code).toBe(3);
      const json = JSON.parse(result.stdout);
      expect(json.decision.status).toBe(503);
      expect(json.authorizer).toEqual({ refused: 'Signing keys unavailable', status: 500 });
    });

    it('shows the other routes covering a path and the stricter readings', async () => {
      const policy = file(
        'greedy.json',
        JSON.stringify({
          defaultAction: 'deny',
          routes: {
            'GET /admin': { public: true },
            'ANY /admin/{proxy+}': { groups: ['admins'] },
            'GET /{any}': { public: true },
          },
        }),
      );
      const result = await runCli(['explain', '--policy', policy, '--path', '/admin/', '--json']);
      const json = JSON.parse(result.stdout);
      expect(json.route).toBe('GET /admin');
      expect(json.candidates).toEqual(['GET /admin', 'GET /{any}']);
      expect(json.alsoReadAs).toEqual(['ANY /admin/{proxy+}', 'no route (defaultAction "deny")']);
      expect(json.decision.status).toBe(401);
    });

    // Fastify 4 serves `/admin;x` by `/admin`; lambda-api, `/admin ` (an HTTP API's decoded
    // `/admin%20`).
    it.each(['/admin;x', '/admin '])(
      'shows the other spelling of %j a router serves',
      async (path) => {
        const policy = file(
          'spellings.json',
          JSON.stringify({
            defaultAction: 'allow',
            routes: { 'GET /admin': { groups: ['admins'] } },
          }),
        );
        const result = await runCli(['explain', '--policy', policy, '--path', path, '--json']);
        const json = JSON.parse(result.stdout);
        expect(json.route).toBeNull();
        expect(json.alsoReadAs).toEqual(['GET /admin']);
        expect(json.rule).toBe('groups any of [admins]');
        expect(json.decision.status).toBe(401);
      },
    );

    it('shows every method the request names, from --header and the query, and how each reads', async () => {
      const policy = file(
        'overrides.json',
        JSON.stringify({
          defaultAction: 'deny',
          routes: { 'POST /items': {}, 'DELETE /items': { groups: ['admins'] } },
        }),
      );
      const args = ['explain', '--policy', policy, '--method', 'POST', '--groups', 'members'];
      const header = ['--header', 'X-HTTP-Method-Override: delete'];
      const json = JSON.parse(
        (await runCli([...args, '--path', '/items?_method=put', ...header, '--json'])).stdout,
      );
      expect(json.route).toBe('POST /items');
      expect(json.otherMethods).toEqual([
        { method: 'DELETE', route: 'DELETE /items' },
        { method: 'PUT', route: 'no route (defaultAction "deny")' },
      ]);
      expect(json.decision).toMatchObject({ status: 403, reason: 'group_missing' });
      const text = await runCli([...args, '--path', '/items', ...header]);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(
        'the request also names DELETE (a method override): DELETE /items, the stricter decides',
      );
      const plain = await runCli([...args, '--path', '/items', '--json']);
      expect(JSON.parse(plain.stdout)).toMatchObject({
        otherMethods: [],
        decision: { status: 200 },
      });
      const bad = await runCli([...args, '--path', '/items', '--header', 'no colon']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--header "no colon" is not "Name: value"');
    });

    it('refuses a missing policy file (2) and a policy with errors (1), with start-up’s message', async () => {
      const missing = await runCli(['explain', '--policy', join(dir, 'nope.json'), '--path', '/']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('policy file not found');
      const broken = { routes: { 'GET /movies': { group: ['x'] } } };
      let startUp = '';
      try {
        compileRoutePolicy(broken as never);
      } catch (err) {
        startUp = (err as ConfigError).message;
      }
      expect(startUp).toContain('routes.GET /movies.group');
      const result = await runCli([
        'explain',
        '--policy',
        file('broken.json', JSON.stringify(broken)),
        '--path',
        '/',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`cognito-guard: ${startUp}`);
    });
  });

  describe('lint', () => {
    it('passes a clean policy and warns about risky patterns (--strict makes warnings fail)', async () => {
      expect((await runCli(['lint', POLICY])).code).toBe(0);
      const risky = file(
        'risky.json',
        JSON.stringify({
          defaultAction: 'allow',
          routes: {
            'ANY /admin/{proxy+}': { groups: ['admins'] },
            'GET /reports': { groups: ['admin'] },
          },
        }),
      );
      const result = await runCli(['lint', risky, '--json']);
      expect(result.code).toBe(0);
      const { warnings } = JSON.parse(result.stdout) as { warnings: string[] };
      expect(warnings).toEqual([
        expect.stringContaining('defaultAction "allow"'),
        expect.stringContaining('parent path "/admin"'),
        expect.stringContaining('group "admins" is used once and is close to "admin"'),
        expect.stringContaining('group "admin" is used once and is close to "admins"'),
      ]);
      expect((await runCli(['lint', risky, '--strict'])).code).toBe(1);
    });

    it('names routes no request reaches, and the routes that take their requests', async () => {
      const every = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
      const shadowing = file(
        'shadowed.json',
        JSON.stringify({
          defaultAction: 'deny',
          routes: {
            ...Object.fromEntries(every.map((method) => [`${method} /x`, {}])),
            'ANY /x': { groups: ['admins'] },
            'ANY /': {},
            'ANY /{proxy+}': { groups: ['admins'] },
            $default: { groups: ['admins'] },
            'ANY /y': {},
            'GET /y': {},
          },
        }),
      );
      const { warnings } = JSON.parse((await runCli(['lint', shadowing, '--json'])).stdout) as {
        warnings: string[];
      };
      expect(warnings.filter((w) => w.includes('never chosen'))).toEqual([
        `"ANY /x" is never chosen: the requests it describes go to ${every.map((m) => `"${m} /x"`).join(', ')} (the guard's own precedence). Remove it, or narrow the routes that take its requests.`,
        '"$default" is never chosen: the requests it describes go to "ANY /", "ANY /{proxy+}" (the guard\'s own precedence). Remove it, or narrow the routes that take its requests.',
      ]);
      expect(warnings.join('\n')).not.toContain('"ANY /":');
    });

    it('names crossing routes with different rules, which the guards read by both', async () => {
      const crossing = file(
        'crossing.json',
        JSON.stringify({
          routes: {
            'GET /a/{p}/{q}': { public: true },
            'GET /{p}/b/c': { groups: ['editors'] },
            'GET /x/{proxy+}': { groups: ['editors'] },
            'GET /{p}/y': { groups: ['editors'] },
          },
        }),
      );
      const { warnings } = JSON.parse((await runCli(['lint', crossing, '--json'])).stdout) as {
        warnings: string[];
      };
      // The same rule on both sides reads the same either way: no warning for the second pair;
      // and the ranked reading is not lambda-api's, whose walk ends on GET /a/{p}/{q}.
      expect(warnings).toEqual([
        '"GET /a/{p}/{q}" and "GET /{p}/b/c" both select /a/b/c: API Gateway ranks the first, a router that ranks whole routes (fewest parameters first, as Powertools\' Router) serves it with the second, so the guards apply both rules there. Give them the same rule, or the path a literal route of its own.',
      ]);
    });

    it("names a literal route that hides a parameter route's paths from lambda-api", async () => {
      const lint = async (fallback: { groups: string[] }) => {
        const policy = file('walk.json', JSON.stringify(walkPolicy(fallback)));
        const { stdout } = await runCli(['lint', policy, '--json']);
        return (JSON.parse(stdout) as { warnings: string[] }).warnings;
      };
      // lambda-api takes /movies/42 down the literal "movies", finds no "42" there, and serves it
      // with the deepest greedy route on its way; API Gateway selects GET /{type}/{id}.
      expect(await lint({ groups: ['admins'] })).toEqual([
        'lambda-api serves /movies/cognito-guard-sample with "ANY /{proxy+}", where API Gateway selects "GET /{type}/{id}": it takes the literal "movies" of another route and never goes back. The guards apply both rules there. Give the two routes the same rule, or such paths a route of their own.',
      ]);
      // The same rule either way reads the same: nothing to say.
      expect(await lint({ groups: ['movies-group'] })).toEqual([]);
    });

    it('refuses a policy with errors (1), non-JSON (1) and a missing file (2)', async () => {
      const bad = await runCli(['lint', file('bad.json', '{"routes":{"get /x":{}}}')]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Invalid route policy: routes.get /x');
      expect((await runCli(['lint', file('text.json', 'not json')])).code).toBe(1);
      expect((await runCli(['lint', join(dir, 'absent.json')])).code).toBe(2);
    });
  });

  describe('export and diff', () => {
    const uri =
      'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations';
    const poolFlags = ['--user-pool-id', 'eu-west-1_AbCdEf123', '--client-id', 'web'];

    it('exports the HTTP API document, and finds no drift between it and its policy', async () => {
      const exported = await runCli([
        'export',
        '--policy',
        POLICY,
        '--authorizer-uri',
        uri,
        ...poolFlags,
      ]);
      expect(exported.code).toBe(0);
      const document = JSON.parse(exported.stdout);
      expect(document.openapi).toBe('3.0.1');
      expect(document.paths['/health'].get.security).toEqual([]);
      expect(
        document.components.securitySchemes['cognito-guard']['x-amazon-apigateway-authorizer']
          .authorizerUri,
      ).toBe(uri);
      const api = file('exported.json', exported.stdout);
      const clean = await runCli(['diff', '--policy', POLICY, '--openapi', api, ...poolFlags]);
      expect(clean.code).toBe(0);
      expect(clean.stdout.trim()).toBe(`${api}: no drift from ${POLICY}`);
      // Without the URI to compare, the report rests on every Lambda authorizer: it says which.
      expect(clean.stderr.trim()).toBe(
        `cognito-guard: no --authorizer-uri, so every Lambda authorizer counts as cognito-guard's: ${uri}`,
      );
      const compared = await runCli([
        'diff',
        '--policy',
        POLICY,
        '--openapi',
        api,
        '--authorizer-uri',
        uri,
        ...poolFlags,
      ]);
      expect([compared.code, compared.stderr]).toEqual([0, '']);

      document.paths['/shows'].get.security = [];
      const drifted = file('drifted.json', JSON.stringify(document));
      const result = await runCli(['diff', '--policy', POLICY, '--openapi', drifted, ...poolFlags]);
      expect(result.code).toBe(1);
      expect(result.stdout.trim().split('\n')).toEqual([
        'looser   GET /shows: the policy needs cognito-guard Lambda authorizer; the API has no authorizer (public)',
        `${drifted}: 1 difference from ${POLICY}`,
      ]);
      const diffJson = async (...flags: string[]) => {
        const run = await runCli([
          'diff',
          '--policy',
          POLICY,
          '--openapi',
          drifted,
          '--json',
          ...flags,
        ]);
        return JSON.parse(run.stdout) as { drift: unknown[]; warnings: string[] };
      };
      const report = await diffJson(...poolFlags);
      expect(report.drift).toEqual([
        expect.objectContaining({ route: 'GET /shows', kind: 'looser' }),
      ]);
      // A pipeline that reads only the JSON learns what the report rested on, too.
      expect(report.warnings).toEqual([
        `no --authorizer-uri, so every Lambda authorizer counts as cognito-guard's: ${uri}`,
      ]);
      expect((await diffJson('--authorizer-uri', uri, ...poolFlags)).warnings).toEqual([]);
    });

    it('exports the REST API document (--format openapi-rest), and diff tells it from an HTTP API', async () => {
      const arn = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
      const exported = await runCli([
        'export',
        '--policy',
        POLICY,
        '--authorizer-uri',
        uri,
        '--format',
        'openapi-rest',
        '--user-pool-arn',
        arn,
        '--integration-uri',
        'arn:integration',
        ...poolFlags,
      ]);
      expect(exported.code).toBe(0);
      const document = JSON.parse(exported.stdout);
      const scheme = document.components.securitySchemes['cognito-guard'];
      expect(scheme['x-amazon-apigateway-authtype']).toBe('custom');
      expect(scheme['x-amazon-apigateway-authorizer'].identitySource).toBe(
        'method.request.header.Authorization',
      );
      expect(document.paths['/movies'].get['x-amazon-apigateway-integration'].uri).toBe(
        'arn:integration',
      );
      expect(document['x-amazon-apigateway-gateway-responses'].AUTHORIZER_FAILURE.statusCode).toBe(
        503,
      );
      const api = file('rest.json', exported.stdout);
      const clean = await runCli(['diff', '--policy', POLICY, '--openapi', api, ...poolFlags]);
      expect(clean).toMatchObject({ code: 0 });
      document.paths['/movies'].get.security = [];
      const drifted = file('rest-drifted.json', JSON.stringify(document));
      const result = await runCli(['diff', '--policy', POLICY, '--openapi', drifted, ...poolFlags]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'looser   GET /movies: the policy needs cognito-guard Lambda authorizer',
      );
      const corsRest = await runCli([
        'export',
        '--policy',
        POLICY,
        '--authorizer-uri',
        uri,
        '--format',
        'openapi-rest',
        '--cors-origin',
        'https://app.example.com',
        ...poolFlags,
      ]);
      expect(corsRest.code).toBe(2);
      expect(corsRest.stderr).toContain(
        '--cors-origin: a REST API answers preflights only with OPTIONS methods',
      );
      const corsHttp = await runCli([
        'export',
        '--policy',
        POLICY,
        '--authorizer-uri',
        uri,
        '--cors-origin',
        'https://a.example,https://b.example',
        ...poolFlags,
      ]);
      expect(JSON.parse(corsHttp.stdout)['x-amazon-apigateway-cors'].allowOrigins).toEqual([
        'https://a.example',
        'https://b.example',
      ]);
      // Read as an HTTP API, the same document lacks nothing either: routes are routes.
      const asHttp = await runCli([
        'diff',
        '--policy',
        POLICY,
        '--openapi',
        api,
        '--api',
        'http',
        ...poolFlags,
      ]);
      expect(asHttp.code).toBe(0);
    });

    it("writes a SAM template, and the Lambda example's template.yaml is the one it generates (not stale)", async () => {
      const example = join(__dirname, '..', '..', '..', 'examples', 'lambda-movies');
      const scripted = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')).scripts
        .template as string;
      const args = scripted
        .replace(/^cognito-guard /, '')
        .replace(/ > template\.yaml$/, '')
        .split(' ');
      const generated = await runCli(args, { cwd: example });
      expect(generated).toMatchObject({ code: 0, stderr: '' });
      expect(generated.stdout).toBe(readFileSync(join(example, 'template.yaml'), 'utf8'));
      expect(generated.stdout).toContain('Authorizer: CognitoGuard');
      const unmapped = await runCli([
        'export',
        '--format',
        'sam',
        '--policy',
        POLICY,
        '--handlers',
        file('h.json', '{"GET /movies":"a.b"}'),
        ...poolFlags,
      ]);
      expect(unmapped.code).toBe(2);
      expect(unmapped.stderr).toContain('names no handler for "GET /movies/{id}"');
      expect(
        (await runCli(['export', '--format', 'sam', '--policy', POLICY, ...poolFlags])).stderr,
      ).toContain('--handlers: is required for --format sam');
    });

    it('refuses bad input: a policy with errors (1), a missing file (2), no authorizer URI (2), not OpenAPI (1)', async () => {
      const bad = file('bad-policy.json', '{"routes":{"get /x":{}}}');
      const refused = await runCli([
        'export',
        '--policy',
        bad,
        '--authorizer-uri',
        uri,
        ...poolFlags,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the method must be upper-case: "GET /x"');
      expect((await runCli(['export', '--policy', POLICY, ...poolFlags])).code).toBe(2);
      const missing = await runCli([
        'diff',
        '--policy',
        POLICY,
        '--openapi',
        join(dir, 'none.json'),
        ...poolFlags,
      ]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('OpenAPI file not found');
      const notApi = await runCli([
        'diff',
        '--policy',
        POLICY,
        '--openapi',
        file('not-api.json', '{"openapi":"3.0.1"}'),
        ...poolFlags,
      ]);
      expect(notApi.code).toBe(1);
      expect(notApi.stderr).toContain('is not an OpenAPI JSON document: it has no paths');
      // A field of another type is named, not a TypeError's stack printed.
      const misshapen = await runCli([
        'diff',
        '--policy',
        POLICY,
        '--openapi',
        file('misshapen.json', '{"openapi":"3.0.1","paths":{"/movies":{"get":{"security":1}}}}'),
        ...poolFlags,
      ]);
      expect(misshapen.code).toBe(1);
      expect(misshapen.stderr).toBe(
        `cognito-guard: ${join(dir, 'misshapen.json')} is not an OpenAPI JSON document: paths./movies.get.security: must be array, got 1\n`,
      );
      expect((await runCli(['export', '--policy', POLICY, '--authorizer-uri', uri])).code).toBe(2);
    });
  });

  describe('matrix', () => {
    it('prints the movies/shows table of the seeds from the example policy', async () => {
      const result = await runCli(['matrix', POLICY]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toEqual([
        'route             no token  no groups  movies-group  shows-group',
        'GET /movies       401       403        200           403',
        'GET /movies/{id}  401       403        200           403',
        'GET /shows        401       403        403           200',
        'GET /shows/{id}   401       403        403           200',
        'GET /health       200       200        200           200',
      ]);
      const markdown = await runCli([
        'matrix',
        POLICY,
        '--format',
        'markdown',
        '--groups',
        'shows-group',
      ]);
      expect(markdown.stdout).toContain('| route | no token | no groups | shows-group |');
      const json = JSON.parse((await runCli(['matrix', POLICY, '--format', 'json'])).stdout);
      expect(json.rows[0]).toEqual({
        route: 'GET /movies',
        request: 'GET /movies',
        statuses: { 'no token': 401, 'no groups': 403, 'movies-group': 200, 'shows-group': 403 },
      });
    });
  });
});
