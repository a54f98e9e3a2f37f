// Findings of the independent review on the Lambda surfaces: guards stacked on one handler,
// trust mode on HTTP API payload 1.0, the authorizer context round trip, the authorizer's
// environment and simple responses.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { denyGroups } from '@cognito-guard/core';
import {
  createTestIssuer,
  decodeJwt,
  httpAuthorizerClaims,
  httpAuthorizerEvent,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import {
  cognitoGuard,
  createAuthorizer,
  type PolicyResult,
  readAuthorizerContext,
  type SimpleResult,
  writeAuthorizerContext,
} from '../src';

const ok = async (_event: unknown, context: { auth?: { groups: readonly string[] } }) => ({
  statusCode: 200,
  body: JSON.stringify({ groups: context.auth?.groups ?? null }),
});
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../testing/fixtures', name), 'utf8'));

describe('Lambda surfaces decide as the core does', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('a lenient guard wrapped around a strict one does not vouch for it (context.auth)', async () => {
    const lenient = cognitoGuard({ ...issuer.config, clientId: null, tokenUse: 'any' });
    const strict = cognitoGuard({ ...issuer.config, tokenUse: 'access' });
    const handler = lenient.authenticate()(strict.requireGroups('admins')(ok));
    const foreign = issuer.idToken({ groups: ['admins'], clientId: 'other-client' });
    expect(await handler(restProxyEvent({ token: foreign }), lambdaContext())).toMatchObject({
      statusCode: 401,
    });
    const own = issuer.accessToken({ groups: ['admins'] });
    expect(await handler(restProxyEvent({ token: own }), lambdaContext())).toMatchObject({
      statusCode: 200,
      headers: { 'Cache-Control': 'private', Vary: 'Authorization' },
    });
  });

  it('trust mode reads HTTP API payload 1.0 JWT claims with bracketed groups, deny-rules hold', async () => {
    const trust = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' });
    const payload = decodeJwt(
      issuer.accessToken({ groups: ['movies-group', 'suspended'] }),
    ).payload;
    const event = fixture('http-api-jwt-authorizer-v1.json');
    event.requestContext.authorizer.claims = httpAuthorizerClaims(payload);
    const suspended = trust.authorize(denyGroups('suspended'))(ok);
    expect(await suspended(event, lambdaContext())).toMatchObject({ statusCode: 403 });
    const member = trust.requireGroups('movies-group')(ok);
    expect(await member(event, lambdaContext())).toMatchObject({ statusCode: 200 });
  });

  it('REST comma-joined groups: denyGroups matches every reading, requireGroups fails closed', async () => {
    const trust = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' });
    const claims = decodeJwt(issuer.accessToken({ groups: ['staff,admins'] })).payload;
    const event = restProxyEvent({ claims });
    expect(await trust.requireGroups('admins')(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 403,
    });
    expect(await trust.authorize(denyGroups('admins'))(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 403,
    });
    expect(
      await trust.authorize(denyGroups('staff,admins'))(ok)(event, lambdaContext()),
    ).toMatchObject({ statusCode: 403 });
    expect(await trust.authorize(denyGroups('other'))(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 200,
    });
  });

  it('the authorizer context round-trips every legal group name (fast-check)', () => {
    // Cognito group names: letters, marks, symbols, numbers, punctuation; no whitespace.
    const name = fc.stringMatching(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u);
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 6 }), (groups) => {
        const principal = {
          sub: 's',
          username: 'u',
          groups,
          groupsAmbiguous: false,
          scopes: [],
          tokenUse: 'access' as const,
          kind: 'user' as const,
          clientId: 'c',
          issuer: 'i',
          userPoolId: 'p',
          expiresAt: 1,
          claims: {},
          token: undefined,
        };
        const read = readAuthorizerContext(writeAuthorizerContext(principal));
        expect(read?.claims['cognito:groups']).toEqual(groups);
        expect(read?.groupsEncoding).toBe('json');
      }),
      { numRuns: 500 },
    );
  });

  it('a group named "staff,admins" does not pass requireGroups("admins") through authorizer and trust mode', async () => {
    const authorizer = createAuthorizer({
      ...issuer.config,
      policy: { routes: { 'GET /x': {} } },
    });
    const result = (await authorizer(
      tokenAuthorizerEvent({ token: issuer.accessToken({ groups: ['staff,admins'] }) }),
    )) as PolicyResult;
    const trust = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' });
    const event = restProxyEvent({ authorizerContext: result.context });
    expect(await trust.requireGroups('admins')(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 403,
    });
    expect(await trust.requireGroups('staff,admins')(ok)(event, lambdaContext())).toMatchObject({
      statusCode: 200,
    });
  });

  it('createAuthorizer reads the pool from the environment like every other guard', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      COGNITO_USER_POOL_ID: issuer.config.userPoolId,
      COGNITO_CLIENT_ID: issuer.clientId,
      COGNITO_ISSUER: issuer.issuer,
    });
    try {
      const authorizer = createAuthorizer({ policy: { routes: { 'GET /x': {} } } });
      const result = (await authorizer(
        tokenAuthorizerEvent({ token: issuer.accessToken(), path: '/x' }),
      )) as PolicyResult;
      expect(result.principalId).toBeTruthy();
    } finally {
      process.env = saved;
    }
  });

  it('simple responses decide per method and path, and warn once when the API route is coarser', async () => {
    const warnings: string[] = [];
    const authorizer = createAuthorizer({
      ...issuer.config,
      simpleResponses: true,
      logger: { warn: (m) => void warnings.push(m) },
      policy: {
        routes: {
          'GET /movies': { groups: ['movies-group'] },
          'DELETE /admin/users/{id}': { groups: ['admins'] },
        },
      },
    });
    const alice = issuer.accessToken({ groups: ['movies-group'] });
    const ask = async (method: string, path: string) =>
      (
        (await authorizer({
          ...httpAuthorizerEvent({ token: alice, path, routeKey: 'ANY /{proxy+}' }),
          requestContext: { http: { method, path }, routeKey: 'ANY /{proxy+}', stage: '$default' },
        })) as SimpleResult
      ).isAuthorized;
    expect(await ask('GET', '/movies')).toBe(true);
    expect(await ask('DELETE', '/admin/users/1')).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\$context\.httpMethod and \$context\.path/);
  });
});
