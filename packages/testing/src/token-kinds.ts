// Every kind of token Cognito issues today, against one route policy: user tokens, machine
// (client credentials) tokens, and tokens a pre token generation trigger customised (groups
// overridden, scopes added and suppressed, JSON objects and arrays added). Each adapter's tests
// run these cases over its real server, so every surface is held to the same statuses.

import type { TestIssuer } from './test-issuer';

/** The route policy the cases are decided by (a `RoutePolicy` of the core). */
export const TOKEN_KIND_POLICY = {
  defaultAction: 'deny',
  routes: {
    'POST /jobs': { caller: 'client', scopes: ['jobs/run'] },
    'GET /reports': { scopes: ['reports/read'] },
    'GET /movies': { groups: ['movies-group'] },
    'GET /tenants/acme': { claims: { '/tenant/id': 'acme' } },
    'GET /beta': { claims: { features: 'beta' } },
  },
} as const;

/** One request of {@link tokenKindCases}. */
export interface TokenKindCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token: string;
  /** The status when the token itself is verified. */
  readonly status: 200 | 401 | 403;
  /**
   * The status when API Gateway's authorizer verified it and passed its claims on as strings:
   * a nested claim, or a value that may be a stringified array, cannot be read safely, so the
   * allow-rule fails closed.
   */
  readonly trustedClaimsStatus: 200 | 401 | 403;
}

/**
 * The cases, minted by this issuer (whose client id the guard must accept; machine tokens use
 * that client id too).
 *
 * @example
 * ```ts
 * for (const c of tokenKindCases(issuer)) {
 *   await request(app)[c.method.toLowerCase()](c.path).set('Authorization', `Bearer ${c.token}`).expect(c.status);
 * }
 * ```
 */
export function tokenKindCases(issuer: TestIssuer): readonly TokenKindCase[] {
  const access = (generation: Record<string, unknown>, groups: readonly string[] = []) =>
    issuer.accessToken({
      username: 'v2-user',
      groups,
      preTokenGeneration: { claimsAndScopeOverrideDetails: generation },
    });
  const claims = (added: Record<string, unknown>) =>
    access({ accessTokenGeneration: { claimsToAddOrOverride: added } });
  const both = (status: 200 | 401 | 403) => ({ status, trustedClaimsStatus: status });
  const machine = (scopes: string[]) => issuer.clientCredentialsToken({ scopes });
  return [
    {
      name: 'machine token with its scope runs a job',
      method: 'POST',
      path: '/jobs',
      token: machine(['jobs/run']),
      ...both(200),
    },
    {
      name: 'user token given the same scope by the trigger may not run a job',
      method: 'POST',
      path: '/jobs',
      token: access({ accessTokenGeneration: { scopesToAdd: ['jobs/run'] } }),
      ...both(403),
    },
    {
      name: 'machine token reads reports by scope',
      method: 'GET',
      path: '/reports',
      token: machine(['reports/read']),
      ...both(200),
    },
    {
      name: 'machine token is in no group',
      method: 'GET',
      path: '/movies',
      token: machine(['reports/read']),
      ...both(403),
    },
    {
      name: 'scope added by the trigger',
      method: 'GET',
      path: '/reports',
      token: access({ accessTokenGeneration: { scopesToAdd: ['reports/read'] } }),
      ...both(200),
    },
    {
      name: 'scope suppressed by the trigger',
      method: 'GET',
      path: '/reports',
      token: issuer.accessToken({
        scopes: ['reports/read', 'openid'],
        preTokenGeneration: {
          claimsAndScopeOverrideDetails: {
            accessTokenGeneration: { scopesToSuppress: ['reports/read'] },
          },
        },
      }),
      ...both(403),
    },
    {
      name: 'groups overridden to add one',
      method: 'GET',
      path: '/movies',
      token: access({ groupOverrideDetails: { groupsToOverride: ['movies-group'] } }),
      ...both(200),
    },
    {
      name: 'groups overridden to none',
      method: 'GET',
      path: '/movies',
      token: access({ groupOverrideDetails: { groupsToOverride: [] } }, ['movies-group']),
      ...both(403),
    },
    {
      name: 'groups claim suppressed',
      method: 'GET',
      path: '/movies',
      token: access({ accessTokenGeneration: { claimsToSuppress: ['cognito:groups'] } }, [
        'movies-group',
      ]),
      ...both(403),
    },
    {
      name: 'nested claim matches by JSON Pointer',
      method: 'GET',
      path: '/tenants/acme',
      token: claims({ tenant: { id: 'acme', plan: 'gold' } }),
      status: 200,
      trustedClaimsStatus: 403,
    },
    {
      name: 'nested claim of another tenant',
      method: 'GET',
      path: '/tenants/acme',
      token: claims({ tenant: { id: 'umbrella' } }),
      ...both(403),
    },
    {
      name: 'a flat string where an object is expected',
      method: 'GET',
      path: '/tenants/acme',
      token: claims({ tenant: 'acme' }),
      ...both(403),
    },
    {
      name: 'array claim matches any element',
      method: 'GET',
      path: '/beta',
      token: claims({ features: ['dark-mode', 'beta'] }),
      status: 200,
      trustedClaimsStatus: 403,
    },
    {
      name: 'array claim without the value',
      method: 'GET',
      path: '/beta',
      token: claims({ features: ['dark-mode'] }),
      ...both(403),
    },
    {
      name: 'string claim equal to the value',
      method: 'GET',
      path: '/beta',
      token: claims({ features: 'beta' }),
      ...both(200),
    },
  ];
}
