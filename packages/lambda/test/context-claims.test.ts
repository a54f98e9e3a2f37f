// `contextClaims`: further claims the authorizer passes to the backend, and trust mode reads back.
// The writer and the reader must agree on every name and scalar value, and a passed claim must
// never stand in for one of the context's own verified fields.

import { ConfigError } from '@cognito-guard/core';
import {
  createTestIssuer,
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
  type Principal,
  readAuthorizerContext,
  writeAuthorizerContext,
} from '../src';
import { RESERVED_CONTEXT_CLAIMS } from '../src/authorizer-context';

const principalWith = (claims: Record<string, unknown>): Principal => ({
  sub: 'b1c2',
  username: 'alice',
  groups: ['movies-group'],
  groupsAmbiguous: false,
  scopes: [],
  tokenUse: 'access',
  kind: 'user',
  clientId: 'app',
  issuer: 'https://issuer',
  userPoolId: 'eu-west-1_abc',
  expiresAt: 2_000_000_000,
  claims: { sub: 'b1c2', ...claims },
  token: undefined,
});
const ok = async () => ({ statusCode: 200, body: 'ok' });

describe('contextClaims: the writer and the reader agree', () => {
  it('round-trips every listed claim with a string, number or boolean value (fast-check)', () => {
    const name = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((n) => !RESERVED_CONTEXT_CLAIMS.has(n));
    const value = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 6 }), (claims) => {
        const principal = principalWith(claims);
        const read = readAuthorizerContext(writeAuthorizerContext(principal, Object.keys(claims)));
        for (const [claim, given] of Object.entries(claims)) {
          expect(read?.claims[claim]).toEqual(given);
        }
        expect(read?.claims['sub']).toBe('b1c2');
        expect(read?.claims['cognito:groups']).toEqual(['movies-group']);
      }),
      { numRuns: 500 },
    );
  });

  it('passes only the claims listed, and leaves out values that are not scalars', () => {
    const principal = principalWith({
      'custom:tenant': 'acme',
      email: 'alice@example.com',
      'custom:list': ['a', 'b'],
      'custom:object': { a: 1 },
    });
    const context = writeAuthorizerContext(principal, [
      'custom:tenant',
      'custom:list',
      'custom:object',
    ]);
    expect(context['claim:custom:tenant']).toBe('acme');
    expect(Object.keys(context).filter((key) => key.startsWith('claim:'))).toEqual([
      'claim:custom:tenant',
    ]);
  });

  it('never lets a claim: entry stand in for a field the context carries itself', () => {
    const context = {
      ...writeAuthorizerContext(principalWith({})),
      'claim:sub': 'mallory',
      'claim:cognito:groups': '["admins"]',
      'claim:exp': 9_999_999_999,
      // An access token's context sets neither of these: they must stay unset, not be taken.
      'claim:aud': 'another-client',
      'claim:cognito:username': 'root',
    };
    const read = readAuthorizerContext(context);
    expect(read?.claims['sub']).toBe('b1c2');
    expect(read?.claims['cognito:groups']).toEqual(['movies-group']);
    expect(read?.claims['exp']).toBe(2_000_000_000);
    expect(read?.claims['aud']).toBeUndefined();
    expect(read?.claims['cognito:username']).toBeUndefined();
  });
});

describe('contextClaims through the authorizer and trust mode', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  const contextFor = async (contextClaims?: readonly string[]) => {
    const authorizer = createAuthorizer({
      ...issuer.config,
      policy: { routes: { 'GET /x': {} } },
      ...(contextClaims ? { contextClaims } : {}),
    });
    const token = issuer.accessToken({ claims: { 'custom:tenant': 'acme' } });
    return ((await authorizer(tokenAuthorizerEvent({ token, path: '/x' }))) as PolicyResult)
      .context;
  };

  it('lets a handler guard check a passed claim, and fails closed on one not passed', async () => {
    const trust = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' });
    const passed = restProxyEvent({ authorizerContext: await contextFor(['custom:tenant']) });
    const notPassed = restProxyEvent({ authorizerContext: await contextFor() });
    const acme = trust.requireClaim('custom:tenant', 'acme')(ok);
    expect(await acme(passed, lambdaContext())).toMatchObject({ statusCode: 200 });
    expect(
      await trust.requireClaim('custom:tenant', 'other')(ok)(passed, lambdaContext()),
    ).toMatchObject({ statusCode: 403 });
    expect(await acme(notPassed, lambdaContext())).toMatchObject({ statusCode: 403 });
  });

  it('passes the claims listed at start-up, whatever happens to the array later', async () => {
    const names = ['custom:tenant'];
    const authorizer = createAuthorizer({
      ...issuer.config,
      policy: { routes: { 'GET /x': {} } },
      contextClaims: names,
    });
    names.push('custom:secret');
    names[0] = 'custom:other';
    const token = issuer.accessToken({
      claims: { 'custom:tenant': 'acme', 'custom:secret': 's', 'custom:other': 'o' },
    });
    const { context } = (await authorizer(
      tokenAuthorizerEvent({ token, path: '/x' }),
    )) as PolicyResult;
    expect(context).toMatchObject({ 'claim:custom:tenant': 'acme' });
    expect(Object.keys(context ?? {}).filter((key) => key.startsWith('claim:'))).toEqual([
      'claim:custom:tenant',
    ]);
  });

  it('refuses at start-up a claim the context always carries, or a name that is not one', () => {
    const create = (contextClaims: unknown) => () =>
      createAuthorizer({
        ...issuer.config,
        policy: { routes: { 'GET /x': {} } },
        contextClaims: contextClaims as string[],
      });
    expect(create(['custom:tenant', 'cognito:groups'])).toThrow(ConfigError);
    expect(create(['custom:tenant', 'cognito:groups'])).toThrow(
      'contextClaims.1: "cognito:groups" is always in the context',
    );
    expect(create([''])).toThrow('contextClaims.0: must be a claim name');
    expect(create('custom:tenant')).toThrow('contextClaims: must be an array of claim names');
  });

  it('refuses simpleResponses that is not a boolean, naming it beside the bad claim names', () => {
    // Read as truthy, "false" from an environment variable would have answered simple responses
    // to an API that expects an IAM policy.
    const create = () =>
      createAuthorizer({
        ...issuer.config,
        policy: { routes: { 'GET /x': {} } },
        simpleResponses: 'false' as never,
        contextClaims: [''],
      });
    expect(create).toThrow(
      new ConfigError('cognito-guard authorizer', [
        { field: 'simpleResponses', message: 'must be true or false' },
        { field: 'contextClaims.0', message: 'must be a claim name (a non-empty string)' },
      ]),
    );
    for (const simpleResponses of [true, false, undefined]) {
      const policy = { routes: { 'GET /x': {} } };
      expect(() => createAuthorizer({ ...issuer.config, policy, simpleResponses })).not.toThrow();
    }
  });

  it('names a misspelt option of its own with the option it is near, and a missing policy', () => {
    const policy = { routes: { 'GET /x': {} } };
    const message = (options: object) => {
      try {
        createAuthorizer({ ...issuer.config, ...options } as never);
      } catch (err) {
        return err instanceof ConfigError ? err.message : String(err);
      }
      return 'built';
    };
    // Before, each was "Invalid cognito-guard config: …: is not a known option", with no hint.
    expect(message({ policy, contextClaim: ['email'] })).toBe(
      'Invalid cognito-guard authorizer: contextClaim: is not a known option; did you mean "contextClaims"?',
    );
    expect(message({ policy, simpleResponse: true })).toBe(
      'Invalid cognito-guard authorizer: simpleResponse: is not a known option; did you mean "simpleResponses"?',
    );
    expect(message({ polcy: policy })).toBe(
      'Invalid cognito-guard authorizer: polcy: is not a known option; did you mean "policy"?; policy: is required: the route policy the authorizer decides by',
    );
    // The guard's own options are still named by the guard's check.
    expect(message({ policy, clientID: 'c' })).toBe(
      'Invalid cognito-guard config: clientID: is not a known option; did you mean "clientId"?',
    );
    expect(message({ policy, realm: 'movies' })).toBe('built');
  });

  it('refuses at start-up to be called without its one options object, or with the policy alone', () => {
    const policy = { routes: { 'GET /x': {} } };
    for (const options of [undefined, null, policy]) {
      expect(() => createAuthorizer(options as never)).toThrow(
        new ConfigError('cognito-guard authorizer', [
          { field: '', message: 'must be one object: createAuthorizer({ policy, ...config })' },
        ]),
      );
    }
  });
});
