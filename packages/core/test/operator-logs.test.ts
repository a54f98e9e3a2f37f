// An outage of the key server is told to the operator once, with its cause, and its end once:
// a wrong COGNITO_ISSUER must not look like silent 503s.

import type { TestIssuer } from '@cognito-guard/testing';
import { createGuard, requireGroups } from '../src';
import { JwksFetcher } from '../src/subpaths/advanced';
import { bearer, startIssuer, withDebugLog } from './helpers';

describe('key fetch logging', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('warns once per outage with the cause, and once on recovery', async () => {
    const warnings: string[] = [];
    const fetcher = new JwksFetcher({
      timeoutMs: 1000,
      maxBytes: 65536,
      retryAfterSeconds: 0,
      logger: { warn: (m) => warnings.push(m) },
    });
    issuer.setJwksFault({ kind: 'status', status: 404 });
    await expect(fetcher.fetch(issuer.jwksUri)).rejects.toThrow(/status 404/);
    await expect(fetcher.fetch(issuer.jwksUri)).rejects.toThrow(/status 404/);
    expect(warnings).toEqual([
      expect.stringContaining(`cannot fetch signing keys from ${issuer.jwksUri}: status 404`),
    ]);
    issuer.setJwksFault(undefined);
    await fetcher.fetch(issuer.jwksUri);
    await fetcher.fetch(issuer.jwksUri);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(
      `cognito-guard: signing keys at ${issuer.jwksUri} are reachable again`,
    );
  });

  it('reaches the guard’s logger: a wrong issuer path is a logged 503', async () => {
    const warnings: string[] = [];
    const guard = createGuard({
      ...issuer.config,
      issuer: `${issuer.issuer}/extra`,
      userPoolId: 'extra',
      jwksUri: `${issuer.issuer}/extra/.well-known/jwks.json`,
      logger: { warn: (m) => warnings.push(m) },
    });
    // The case: a path too many in COGNITO_ISSUER answered 503 and logged nothing.
    const decision = await guard.check(bearer(issuer.accessToken()));
    expect(decision.status).toBe(503);
    await expect(guard.ready()).rejects.toThrow();
    expect(warnings).toEqual([expect.stringContaining('status 404')]);
  });
});

describe('denial details at debug level', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const guardLogging = (extra: object = {}) => {
    const lines: string[] = [];
    const guard = withDebugLog(() =>
      createGuard({
        ...issuer.config,
        ...extra,
        logger: { warn: () => undefined, debug: (m: string) => lines.push(m) },
      }),
    );
    return { guard, lines };
  };

  it('logs the rule a caller missed and who the caller was, never the token', async () => {
    const { guard, lines } = guardLogging();
    const token = issuer.accessToken({ groups: ['shows-group'], sub: 'user-7' });
    await guard.check(bearer(token, 'GET', '/movies'), requireGroups('movies-group'));
    expect(lines).toEqual([
      'cognito-guard: denied GET /movies: 403 group_missing; rule groups any of [movies-group]; caller sub=user-7 groups=[shows-group]',
    ]);
    await guard.check(bearer(token, 'GET', '/shows'), requireGroups('shows-group'));
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('logs expected and received client and token use, with the setting to change', async () => {
    const { guard, lines } = guardLogging({ tokenUse: 'access' });
    await guard.check(bearer(issuer.brokenToken('wrong-client')));
    await guard.check(bearer(issuer.idToken()));
    expect(lines[0]).toContain(
      `401 client_invalid; client another-client; expected ${issuer.clientId} (clientId, COGNITO_CLIENT_ID)`,
    );
    expect(lines[1]).toContain(
      '401 wrong_token_use; token use id; expected access (tokenUse, COGNITO_TOKEN_USE)',
    );
  });

  it('is silent unless enabled', async () => {
    const lines: string[] = [];
    const guard = createGuard({
      ...issuer.config,
      logger: { warn: () => undefined, debug: (m: string) => lines.push(m) },
    });
    await guard.check(bearer(issuer.brokenToken('tampered')));
    expect(lines).toEqual([]);
  });
});
