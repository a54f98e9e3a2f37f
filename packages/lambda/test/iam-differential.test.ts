// Differential property: whatever the route policy, the principal and the request that filled
// API Gateway's cache, the cached IAM policy applied to any later request is the route policy's
// own decision for that request, or stricter. Never wider.
//
// IAM is evaluated by `iam-matcher.ts`, written from the IAM documentation (never the library's
// `patternsOverlap`) and checked here against AWS's examples; the route policy's decision comes
// from the guard itself.

import {
  compileRoutePolicy,
  createGuard,
  type RoutePolicy,
  type RuleJson,
} from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer, tokenAuthorizerEvent } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createAuthorizer, type PolicyResult } from '../src';
import { arnMatches, iamAllows } from './iam-matcher';

const BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';

describe('the independent IAM matcher', () => {
  it('agrees with the examples AWS documents for execute-api resources', () => {
    const any = 'arn:aws:execute-api:us-east-1:*:a123456789/test/POST/mydemoresource/*';
    expect(
      arnMatches(
        any,
        'arn:aws:execute-api:us-east-1:111122223333:a123456789/test/POST/mydemoresource/child',
      ),
    ).toBe(true);
    expect(
      arnMatches(
        any,
        'arn:aws:execute-api:us-east-1:111122223333:a123456789/test/POST/mydemoresource/a/b',
      ),
    ).toBe(true);
    expect(
      arnMatches(
        any,
        'arn:aws:execute-api:us-east-1:111122223333:a123456789/test/GET/mydemoresource/child',
      ),
    ).toBe(false);
    expect(arnMatches(`${BASE}/*/pets`, `${BASE}/GET/pets`)).toBe(true);
    expect(arnMatches(`${BASE}/*/pets`, `${BASE}/GET/v1/pets`)).toBe(true); // `*` crosses `/`
    expect(arnMatches(`${BASE}/GET/pets`, `${BASE}/GET/Pets`)).toBe(false); // case-sensitive
    expect(arnMatches(`${BASE}/GET/pe?s`, `${BASE}/GET/pets`)).toBe(true);
    expect(arnMatches(`${BASE}/GET/pe?s`, `${BASE}/GET/pes`)).toBe(false);
    expect(arnMatches(`${BASE}/GET/pets/*`, `${BASE}/GET/pets/`)).toBe(true); // `*` may be empty
  });
});

const LITERALS = ['movies', 'top', 'admin', 'users', 'a', 'x*y', 'q?r'];
const GROUPS = ['g1', 'g2'];
const ROUTE_METHODS = ['GET', 'POST', 'DELETE', 'HEAD', 'ANY'];
const REQUEST_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];

const ruleArb: fc.Arbitrary<RuleJson> = fc.constantFrom<RuleJson>(
  { public: true },
  {},
  { groups: ['g1'] },
  { groups: ['g2'] },
  { allGroups: ['g1', 'g2'] },
  { denyGroups: ['g1'] },
);

const routePathArb = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...LITERALS), fc.constant('{id}')), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([segments, greedy]) => `/${[...segments, ...(greedy ? ['{proxy+}'] : [])].join('/')}`);

const policyArb: fc.Arbitrary<RoutePolicy> = fc
  .record({
    defaultAction: fc.constantFrom('deny', 'authenticated', 'allow'),
    routes: fc.array(fc.tuple(fc.constantFrom(...ROUTE_METHODS), routePathArb, ruleArb), {
      minLength: 1,
      maxLength: 6,
    }),
    fallback: fc.option(ruleArb, { nil: undefined }),
  })
  .map(({ defaultAction, routes, fallback }) => {
    const entries: Record<string, RuleJson> = {};
    const shapes = new Set<string>();
    for (const [method, path, rule] of routes) {
      // Route keys that select the same requests are refused at start-up; keep the first.
      const shape = `${method} ${path.replace(/\{[^}+]+\}/g, '{}')}`;
      if (shapes.has(shape)) continue;
      shapes.add(shape);
      entries[`${method} ${path}`] = rule;
    }
    if (fallback !== undefined) entries['$default'] = fallback;
    return { defaultAction, routes: entries } as RoutePolicy;
  });

// Later requests as an attacker would send them: case variants, trailing slashes, encoded
// letters, dot and empty segments, deep paths, wildcard characters, `;` and trailing spaces.
const requestSegmentArb = fc.oneof(
  fc.constantFrom(...LITERALS),
  fc.constantFrom('MOVIES', 'Top', 'ADMIN', 'Users', 'A'),
  fc.constantFrom('42', 'x', '*', 'a?b', '%75sers', 'mo%76ies', '.', '..', '', 'top ', 'admin\\'),
  // Other spellings a router serves by the path before them: find-my-way's `;`, lambda-api's trim.
  fc.constantFrom('top;x', 'admin;', 'a;b/c', 'movies  ', 'a '),
  // What a literal `*` or `?` in a route key would match, were it left in a pattern.
  fc.constantFrom('xzy', 'x/y', 'qzr'),
);
const requestPathArb = fc
  .tuple(fc.array(requestSegmentArb, { maxLength: 4 }), fc.boolean())
  .map(([segments, slash]) => {
    const path = `/${segments.join('/')}`;
    return slash && path !== '/' ? `${path}/` : path;
  });
const requestArb = fc.record({
  method: fc.constantFrom(...REQUEST_METHODS),
  path: requestPathArb,
});

// Random policies draw the prefix hints (`basePath`) by design: not worth a line of the log.
const quiet = { warn: () => undefined };

describe('cached authorizer policies are never wider than the route policy', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('for any policy, principal, first request and later request (fast-check)', async () => {
    let allowedByPolicy = 0;
    let refusedByIam = 0;
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.subarray(GROUPS),
        requestArb,
        fc.array(requestArb, { minLength: 20, maxLength: 20 }),
        async (policy, groups, first, later) => {
          const token = issuer.accessToken({ groups });
          const authorizer = createAuthorizer({ ...issuer.config, policy, logger: quiet });
          const guard = createGuard({ ...issuer.config, logger: quiet });
          // The authorizer's reading: without lambda-api's walk, which IAM cannot cut (see
          // createAuthorizer), and which the guard in such a function reads.
          const compiled = compileRoutePolicy(policy, { lambdaApiWalk: false });
          const result = (await authorizer(
            tokenAuthorizerEvent({
              token: `Bearer ${token}`,
              method: first.method,
              path: first.path,
            }),
          )) as PolicyResult;
          const statements = result.policyDocument.Statement;
          for (const request of [first, ...later]) {
            // API Gateway puts the path in the ARN, never the query: a `?` (or `#`) ends it.
            const arn = `${BASE}/${request.method}${request.path.split(/[?#]/)[0]}`;
            const decision = await guard.checkRoute(
              {
                method: request.method,
                path: request.path,
                headers: { authorization: `Bearer ${token}` },
              },
              compiled,
            );
            const iam = iamAllows(statements, arn);
            if (iam && !decision.allowed) {
              throw new Error(
                `IAM allows ${request.method} ${request.path} but the route policy says ${decision.status} (${decision.reason}); statements: ${JSON.stringify(statements)}`,
              );
            }
            if (decision.allowed) {
              allowedByPolicy++;
              if (!iam) refusedByIam++;
            }
          }
        },
      ),
      {
        numRuns: Number(process.env['IAM_RUNS'] ?? 1000),
        // Policies the random ones reach only now and then. HEAD is read by the path's ANY route
        // as well as its GET route; a route with fewer parameters is read beside the one API
        // Gateway selects (Powertools ranks so): each reading can refuse what the other allows.
        examples: [
          [
            {
              defaultAction: 'deny',
              routes: { 'ANY /{proxy+}': { groups: ['g1'] }, 'GET /{proxy+}': { public: true } },
            },
            [],
            { method: 'GET', path: '/' },
            Array.from({ length: 20 }, () => ({ method: 'HEAD', path: '/42' })),
          ],
          [
            {
              defaultAction: 'deny',
              routes: { 'GET /a/{p}/{q}': { public: true }, 'GET /{p}/b/c': { groups: ['g1'] } },
            },
            [],
            { method: 'GET', path: '/a/x/y' },
            Array.from({ length: 20 }, () => ({ method: 'GET', path: '/a/b/c' })),
          ],
          // A path is also read up to its `;` and without the white space it ends in: a
          // parameter route's pattern allows `/top;x/y` and `/top `, which the policy reads as
          // `/top`, a route of another depth or a denied one.
          [
            {
              defaultAction: 'deny',
              routes: { 'GET /{a}/{b}': { public: true }, 'GET /top': { allGroups: ['g1', 'g2'] } },
            },
            [],
            { method: 'GET', path: '/x/y' },
            Array.from({ length: 20 }, (_, i) => ({
              method: 'GET',
              path: i % 2 ? '/top;x/y' : '/top',
            })),
          ],
          [
            {
              defaultAction: 'deny',
              routes: { 'GET /top': { allGroups: ['g1', 'g2'] }, $default: { public: true } },
            },
            [],
            { method: 'GET', path: '/' },
            Array.from({ length: 20 }, () => ({ method: 'GET', path: '/top ' })),
          ],
          // A denied greedy route inside the pattern of an allowed route of another depth.
          [
            {
              defaultAction: 'deny',
              routes: {
                'GET /{a}/{b}': { public: true },
                'GET /admin/{proxy+}': { groups: ['g1'] },
                'GET /top/users/{proxy+}': { groups: ['g1'] },
              },
            },
            [],
            { method: 'GET', path: '/x/y' },
            Array.from({ length: 20 }, (_, i) => ({
              method: 'GET',
              path: ['/admin/x', '/admin', '/top/users', '/top/x'][i % 4] as string,
            })),
          ],
          // A `*` or `?` in a route key is a literal character to the route policy and a
          // wildcard to IAM: such a route is never allowed as a pattern, exact or with parameters.
          [
            {
              defaultAction: 'deny',
              routes: {
                'GET /x*y': { public: true },
                'GET /x*y/{id}': { public: true },
                'GET /q?r/{id}': {},
              },
            },
            [],
            { method: 'GET', path: '/x*y' },
            Array.from({ length: 20 }, (_, i) => ({
              method: 'GET',
              path: ['/xzy', '/xzy/42', '/qzr/42', '/x/y'][i % 4] as string,
            })),
          ],
        ],
      },
    );
    // The price of caching safely: requests the route policy allows but a replayed policy
    // refuses. Reported, not asserted beyond "some requests still pass".
    const rate = refusedByIam / allowedByPolicy;
    console.log(
      `over-restrictive replays: ${refusedByIam}/${allowedByPolicy} allowed requests (${(rate * 100).toFixed(1)} %)`,
    );
    expect(allowedByPolicy).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
  }, 120_000);
});
