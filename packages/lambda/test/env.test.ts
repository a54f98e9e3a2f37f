// The bare exports read COGNITO_* (and COGNITO_CLAIMS_SOURCE) from the environment.

import {
  createTestIssuer,
  decodeJwt,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';

describe('env-configured guards', () => {
  let issuer: TestIssuer;
  const saved = { ...process.env };
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());
  afterEach(() => {
    process.env = { ...saved };
  });

  const load = () => {
    let mod: typeof import('../src') | undefined;
    jest.isolateModules(() => {
      mod = require('../src');
    });
    return mod as typeof import('../src');
  };
  const ok = async (_event: unknown, context: { auth: { username?: string } }) => ({
    statusCode: 200,
    body: context.auth.username ?? '',
  });

  it('verifies tokens by default', async () => {
    Object.assign(process.env, issuer.env);
    const { requireGroups } = load();
    const handler = requireGroups('movies-group')(ok);
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    expect(await handler(restProxyEvent({ token }), lambdaContext())).toMatchObject({
      statusCode: 200,
      body: 'alice',
    });
    expect(
      await handler(restProxyEvent({ claims: decodeJwt(token).payload }), lambdaContext()),
    ).toMatchObject({ statusCode: 401 });
  });

  it('the env-bound guardRoutes reads a method override in the body', async () => {
    Object.assign(process.env, issuer.env);
    const { guardRoutes } = load();
    const handler = guardRoutes({
      defaultAction: 'deny',
      routes: { 'POST /items': {}, 'DELETE /items': { groups: ['admins'] } },
    })(async () => ({ statusCode: 200, body: 'ran' }));
    const send = (token: string, body: string) =>
      handler(
        restProxyEvent({
          method: 'POST',
          path: '/items',
          token,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        }),
        lambdaContext(),
      );
    const member = issuer.accessToken({ groups: [] });
    expect(await send(member, 'title=x')).toMatchObject({ statusCode: 200, body: 'ran' });
    expect(await send(member, 'title=x&_method=DELETE')).toMatchObject({ statusCode: 403 });
  });

  it('trusts authorizer claims with COGNITO_CLAIMS_SOURCE=api-gateway', async () => {
    Object.assign(process.env, issuer.env, { COGNITO_CLAIMS_SOURCE: 'api-gateway' });
    const { requireGroups } = load();
    const handler = requireGroups('movies-group')(ok);
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    expect(
      await handler(restProxyEvent({ claims: decodeJwt(token).payload }), lambdaContext()),
    ).toMatchObject({ statusCode: 200, body: 'alice' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await handler(restProxyEvent({ token }), lambdaContext())).toMatchObject({
        statusCode: 401,
      });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('carries no authorizer claims'));
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses an unknown claims source, naming it', () => {
    Object.assign(process.env, issuer.env, { COGNITO_CLAIMS_SOURCE: 'apigw' });
    const { requireGroups, cognitoGuard } = load();
    expect(() => requireGroups('movies-group')).toThrow(/COGNITO_CLAIMS_SOURCE/);
    expect(() => cognitoGuard({ ...issuer.config, claimsSource: 'apigw' as 'token' })).toThrow(
      /claimsSource/,
    );
    expect(() =>
      cognitoGuard({ ...issuer.config, commaFreeGroupNames: 'yes' as unknown as boolean }),
    ).toThrow('commaFreeGroupNames: must be true or false');
    expect(() => cognitoGuard({ ...issuer.config, errors: 'next' } as never)).toThrow(
      'errors: must be "respond", got "next"',
    );
  });

  it('reads COGNITO_GROUP_NAMES_COMMA_FREE, and refuses anything but true or false, naming it', async () => {
    const token = issuer.accessToken({
      username: 'carol',
      groups: ['movies-group', 'shows-group'],
    });
    const event = restProxyEvent({ claims: decodeJwt(token).payload });
    Object.assign(process.env, issuer.env, { COGNITO_CLAIMS_SOURCE: 'api-gateway' });
    expect(await load().requireGroups('shows-group')(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 403,
    });
    process.env['COGNITO_GROUP_NAMES_COMMA_FREE'] = 'true';
    expect(await load().requireGroups('shows-group')(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 200,
    });
    process.env['COGNITO_GROUP_NAMES_COMMA_FREE'] = 'yes';
    expect(() => load().requireGroups('movies-group')).toThrow(/COGNITO_GROUP_NAMES_COMMA_FREE/);
  });

  it('names missing variables when the first guard is built', () => {
    delete process.env['COGNITO_USER_POOL_ID'];
    delete process.env['COGNITO_CLIENT_ID'];
    const { requireGroups } = load();
    expect(() => requireGroups('movies-group')).toThrow(/COGNITO_USER_POOL_ID.*COGNITO_CLIENT_ID/);
  });
});
