// Machine-to-machine (client credentials) access tokens: recognised as a client's, checked by
// scopes and refused by group rules without inventing a user, and routes that admit only machines
// or only users.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import {
  compileRoutePolicy,
  requireCaller,
  requireGroups,
  requireScopes,
  ruleFromJson,
} from '../src';
import { bearer, configErrorMessage, guardFor } from './helpers';

describe('client-credentials tokens', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('are a client principal: sub is the client, no username, no groups', async () => {
    const guard = guardFor(issuer);
    const token = issuer.clientCredentialsToken({ scopes: ['reports/read'] });
    const principal = await guard.authenticate(bearer(token));
    expect(principal).toMatchObject({
      kind: 'client',
      sub: issuer.clientId,
      clientId: issuer.clientId,
      username: undefined,
      groups: [],
      scopes: ['reports/read'],
      tokenUse: 'access',
    });
    const user = await guard.authenticate(bearer(issuer.accessToken({ username: 'alice' })));
    expect(user.kind).toBe('user');
    const id = await guardFor(issuer, { tokenUse: 'id' }).authenticate(bearer(issuer.idToken()));
    expect(id.kind).toBe('user');
  });

  it('pass scope rules and fail group rules', async () => {
    const guard = guardFor(issuer);
    const token = issuer.clientCredentialsToken({ scopes: ['reports/read'] });
    expect(await guard.check(bearer(token), requireScopes('reports/read'))).toMatchObject({
      allowed: true,
    });
    expect(await guard.check(bearer(token), requireScopes('reports/write'))).toMatchObject({
      status: 403,
      reason: 'scope_missing',
    });
    expect(await guard.check(bearer(token), requireGroups('admins'))).toMatchObject({
      status: 403,
      reason: 'group_missing',
    });
  });

  it('are told from users by requireCaller and the JSON rule "caller"', async () => {
    const guard = guardFor(issuer);
    const machine = bearer(issuer.clientCredentialsToken({ scopes: ['jobs/run'] }));
    const person = bearer(issuer.accessToken({ scopes: ['jobs/run'] }));
    expect(await guard.check(machine, requireCaller('client'))).toMatchObject({ allowed: true });
    expect(await guard.check(person, requireCaller('client'))).toMatchObject({
      status: 403,
      reason: 'caller_not_allowed',
    });
    expect(await guard.check(person, requireCaller('user'))).toMatchObject({ allowed: true });
    expect(await guard.check(machine, requireCaller('user'))).toMatchObject({ status: 403 });
    const policy = guard.compilePolicy({
      routes: { 'POST /jobs': { caller: 'client', scopes: ['jobs/run'] } },
    });
    const post = (headers: ReturnType<typeof bearer>) => ({
      ...headers,
      method: 'POST',
      path: '/jobs',
    });
    expect(await guard.checkRoute(post(machine), policy)).toMatchObject({ allowed: true });
    expect(await guard.checkRoute(post(person), policy)).toMatchObject({ status: 403 });
    // A user whose username happens to equal the client id is still a user.
    const lookalike = bearer(
      issuer.accessToken({ username: issuer.clientId, sub: issuer.clientId, scopes: ['jobs/run'] }),
    );
    expect(await guard.check(lookalike, requireCaller('client'))).toMatchObject({ status: 403 });
  });

  it('refuse a bad caller kind at start-up', () => {
    expect(() => requireCaller('robot' as 'user')).toThrow('kind: must be "user" or "client"');
    expect(configErrorMessage(() => ruleFromJson({ caller: 'robot' as 'user' }))).toContain(
      'caller',
    );
    expect(
      configErrorMessage(() =>
        compileRoutePolicy({ routes: { 'GET /x': { calller: 'client' } as never } }),
      ),
    ).toContain('did you mean "caller"');
  });
});
