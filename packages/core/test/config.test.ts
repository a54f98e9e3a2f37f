import fc from 'fast-check';
import {
  ConfigError,
  configFromEnv,
  createGuard,
  type GuardConfig,
  type TokenSource,
} from '../src';
import { resolveConfig } from '../src/subpaths/advanced';
import { configErrorMessage } from './helpers';

function issuesOf(config: unknown): Record<string, string> {
  try {
    resolveConfig(config as GuardConfig);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return Object.fromEntries((err as ConfigError).issues.map((i) => [i.field, i.message]));
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('derives the regional and global issuers of a real pool', () => {
    const config = resolveConfig({ userPoolId: 'eu-west-1_AbCdEf123', clientId: 'c1' });
    expect(config.pools[0]?.issuers).toEqual([
      {
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
        jwksUri:
          'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      },
      {
        issuer: 'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
        jwksUri:
          'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      },
    ]);
    expect(config).toMatchObject({
      graceSeconds: 0,
      algorithms: ['RS256'],
      tokenSources: ['authorization'],
      maxTokenBytes: 16384,
      cache: { maxEntries: 10000, maxAgeSeconds: 300 },
      jwks: {
        timeoutMs: 3000,
        maxBytes: 262144,
        retryAfterSeconds: 5,
        unknownKidCooldownSeconds: 10,
      },
      realm: 'api',
      caseSensitivePaths: false,
    });
    expect(config.pools[0]).toMatchObject({ clientIds: ['c1'], tokenUses: ['access'] });
  });

  it('accepts GovCloud and EU sovereign pool ids', () => {
    expect(() => resolveConfig({ userPoolId: 'us-gov-west-1_abc', clientId: null })).not.toThrow();
    expect(() => resolveConfig({ userPoolId: 'eusc-de-east-1_abc', clientId: null })).not.toThrow();
  });

  it('shares client and token use across several pool ids', () => {
    const config = resolveConfig({
      userPoolId: ['eu-west-1_a', 'us-east-1_b'],
      clientId: ['x', 'y'],
      tokenUse: 'any',
    });
    expect(config.pools.map((p) => [p.userPoolId, p.clientIds, p.tokenUses])).toEqual([
      ['eu-west-1_a', ['x', 'y'], ['access', 'id']],
      ['us-east-1_b', ['x', 'y'], ['access', 'id']],
    ]);
  });

  it('accepts an emulator pool with an http://localhost issuer override', () => {
    const config = resolveConfig({
      userPoolId: 'local_5PceJQBy',
      clientId: null,
      issuer: 'http://localhost:9229/local_5PceJQBy',
    });
    expect(config.pools[0]?.issuers).toEqual([
      {
        issuer: 'http://localhost:9229/local_5PceJQBy',
        jwksUri: 'http://localhost:9229/local_5PceJQBy/.well-known/jwks.json',
      },
    ]);
  });

  it('accepts a LocalStack issuer with a separate JWKS URI', () => {
    const config = resolveConfig({
      userPoolId: 'us-east-1_abc',
      clientId: null,
      issuer: 'http://localhost.localstack.cloud:4566/us-east-1_abc',
      jwksUri: 'http://localhost:4566/us-east-1_abc/.well-known/jwks.json',
    });
    expect(config.pools[0]?.issuers[0]?.jwksUri).toBe(
      'http://localhost:4566/us-east-1_abc/.well-known/jwks.json',
    );
  });

  it('names every bad field in one error', () => {
    const issues = issuesOf({
      userPoolId: '',
      tokenUse: 'refresh',
      graceSeconds: -1,
      cache: { maxEntries: 0 },
      bogus: 1,
    });
    expect(Object.keys(issues).sort()).toEqual(
      ['bogus', 'cache.maxEntries', 'clientId', 'graceSeconds', 'tokenUse', 'userPoolId'].sort(),
    );
    expect(issues['tokenUse']).toContain('"access", "id", "any"');
    expect(issues['bogus']).toBe('is not a known option');
  });

  it('refuses an omitted clientId, explaining the explicit null', () => {
    expect(issuesOf({ userPoolId: 'eu-west-1_a' })['clientId']).toContain('null to skip');
    expect(issuesOf({ pools: [{ userPoolId: 'eu-west-1_a' }] })['pools.0.clientId']).toContain(
      'null to skip',
    );
    expect(issuesOf({ userPoolId: 'eu-west-1_a', clientId: 7 })['clientId']).toContain('7');
  });

  it('refuses an empty pool id, and a non-AWS id without an issuer override', () => {
    expect(issuesOf({ userPoolId: '', clientId: null })).toHaveProperty('userPoolId');
    expect(issuesOf({ userPoolId: 'local_abc', clientId: null })['userPoolId']).toContain('issuer');
    expect(
      issuesOf({ userPoolId: 'a/b', clientId: null, issuer: 'http://localhost/x' }),
    ).toHaveProperty('userPoolId');
  });

  it('refuses http:// on a non-loopback host unless allowed, and non-URLs', () => {
    expect(
      issuesOf({ userPoolId: 'x', clientId: null, issuer: 'http://idp.example.com/x' })['issuer'],
    ).toContain('http://');
    // A name that starts like a loopback address is a remote host; all of 127.0.0.0/8 is local.
    const loopbackLike = 'http://127.0.0.1.example.com/x';
    expect(issuesOf({ userPoolId: 'x', clientId: null, issuer: loopbackLike })['issuer']).toContain(
      'http://',
    );
    expect(
      resolveConfig({ userPoolId: 'x', clientId: null, issuer: 'http://127.10.200.255:9229/x' })
        .pools[0]?.issuers[0]?.issuer,
    ).toBe('http://127.10.200.255:9229/x');
    expect(
      resolveConfig({
        userPoolId: 'x',
        clientId: null,
        issuer: 'http://cognito-local:9229/x',
        allowInsecureHttp: true,
      }).pools[0]?.issuers[0]?.issuer,
    ).toBe('http://cognito-local:9229/x');
    expect(issuesOf({ userPoolId: 'x', clientId: null, issuer: 'not a url' })['issuer']).toBe(
      'must be an absolute URL',
    );
    expect(issuesOf({ userPoolId: 'x', clientId: null, issuer: 'ftp://x/y' })['issuer']).toContain(
      'https',
    );
    expect(
      issuesOf({ userPoolId: 'x', clientId: null, jwksUri: 'https://x/jwks.json' }),
    ).toHaveProperty('issuer');
    // https:// on any host, without the flag; the keys beside the issuer however it ends.
    expect(
      resolveConfig({ userPoolId: 'x', clientId: null, issuer: 'https://idp.example.com/x//' })
        .pools[0]?.issuers,
    ).toEqual([
      {
        issuer: 'https://idp.example.com/x//',
        jwksUri: 'https://idp.example.com/x/.well-known/jwks.json',
      },
    ]);
  });

  it('refuses an issuer override shared by several pools', () => {
    expect(
      issuesOf({ userPoolId: ['a', 'b'], clientId: null, issuer: 'http://localhost/a' }),
    ).toHaveProperty('issuer');
  });

  it('refuses pool settings given beside `pools`', () => {
    const issues = issuesOf({
      pools: [{ userPoolId: 'eu-west-1_a', clientId: null }],
      clientId: 'x',
    });
    expect(issues['clientId']).toContain('pools');
  });

  it('refuses a missing pool, bad token sources and a non-object', () => {
    expect(issuesOf({ clientId: null })).toHaveProperty('userPoolId');
    expect(
      Object.keys(issuesOf({ userPoolId: 'eu-west-1_a', clientId: null, tokenSources: ['query'] })),
    ).toEqual(['tokenSources.0']);
    expect(
      issuesOf({ userPoolId: 'eu-west-1_a', clientId: null, onDecision: 'log' })['onDecision'],
    ).toBe('must be a function');
    expect(issuesOf(null)).toEqual({ '': 'must be an object' });
  });

  it('makes createGuard fail at start-up with the field names in the message', () => {
    expect(() => createGuard({ userPoolId: '' } as GuardConfig)).toThrow(
      /userPoolId.*clientId|clientId.*userPoolId/,
    );
  });
});

describe('configFromEnv', () => {
  it('names the variables in a copy made with a spread, but not for a field the copy replaced', () => {
    const env = { COGNITO_USER_POOL_ID: 'eu-west-1_bad pool', COGNITO_CLIENT_ID: 'web' };
    const badPool =
      'userPoolId (COGNITO_USER_POOL_ID): "eu-west-1_bad pool" is not a Cognito user pool id';
    expect(() => createGuard({ ...configFromEnv(env), cache: false })).toThrow(badPool);
    const { tokenUse: _dropped, ...rest } = configFromEnv(env);
    expect(() => createGuard(rest)).toThrow(badPool);
    const replaced = { ...configFromEnv(env), userPoolId: 'eu-west-1_other pool' };
    expect(() => createGuard(replaced)).toThrow(
      'Invalid cognito-guard config: userPoolId: "eu-west-1_other pool" is not',
    );
  });

  it('reads the documented variables', () => {
    expect(
      fieldsOf(
        configFromEnv({
          COGNITO_USER_POOL_ID: 'eu-west-1_a',
          COGNITO_CLIENT_ID: 'c1, c2',
          COGNITO_TOKEN_USE: 'id',
        }),
      ),
    ).toEqual({ userPoolId: 'eu-west-1_a', clientId: ['c1', 'c2'], tokenUse: 'id' });
    expect(
      configFromEnv({ COGNITO_USER_POOL_ID: 'a', COGNITO_CLIENT_ID: 'c', COGNITO_TOKEN_USE: 'any' })
        .tokenUse,
    ).toBe('any');
  });

  it('reads several pools and the emulator overrides', () => {
    expect(
      fieldsOf(
        configFromEnv({
          COGNITO_USER_POOL_ID: 'local_a',
          COGNITO_CLIENT_ID: 'c1',
          COGNITO_ISSUER: 'http://localhost:9229/local_a',
          COGNITO_JWKS_URI: 'http://localhost:9229/local_a/.well-known/jwks.json',
          COGNITO_ALLOW_INSECURE_HTTP: 'true',
        }),
      ),
    ).toEqual({
      userPoolId: 'local_a',
      clientId: ['c1'],
      tokenUse: 'access',
      issuer: 'http://localhost:9229/local_a',
      jwksUri: 'http://localhost:9229/local_a/.well-known/jwks.json',
      allowInsecureHttp: true,
    });
    expect(
      configFromEnv({ COGNITO_USER_POOL_ID: 'eu-west-1_a,us-east-1_b', COGNITO_CLIENT_ID: 'c' })
        .userPoolId,
    ).toEqual(['eu-west-1_a', 'us-east-1_b']);
    // Values as a shell or a task definition may leave them: padded, or the flag spelt out off.
    expect(
      fieldsOf(
        configFromEnv({
          COGNITO_USER_POOL_ID: 'local_a',
          COGNITO_CLIENT_ID: 'c1',
          COGNITO_TOKEN_USE: ' id ',
          COGNITO_ISSUER: ' http://localhost:9229/local_a ',
          COGNITO_JWKS_URI: ' http://localhost:9229/keys ',
          COGNITO_ALLOW_INSECURE_HTTP: 'false',
          COGNITO_TOKEN_SOURCES: ' cookie: id_token ',
        }),
      ),
    ).toEqual({
      userPoolId: 'local_a',
      clientId: ['c1'],
      tokenUse: 'id',
      issuer: 'http://localhost:9229/local_a',
      jwksUri: 'http://localhost:9229/keys',
      tokenSources: [{ cookie: 'id_token' }],
    });
    expect(
      configFromEnv({
        COGNITO_USER_POOL_ID: 'local_a',
        COGNITO_CLIENT_ID: 'c1',
        COGNITO_ALLOW_INSECURE_HTTP: ' true ',
      }).allowInsecureHttp,
    ).toBe(true);
    // Set but blank, as a task definition may leave it: unset.
    expect(
      configFromEnv({
        COGNITO_USER_POOL_ID: 'local_a',
        COGNITO_CLIENT_ID: 'c1',
        COGNITO_ALLOW_INSECURE_HTTP: ' ',
      }),
    ).not.toHaveProperty('allowInsecureHttp');
  });

  it('reads every list of token sources the way it was written (fast-check)', () => {
    const required = { COGNITO_USER_POOL_ID: 'eu-west-1_a', COGNITO_CLIENT_ID: 'c' };
    const cookieName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const source = fc.oneof(
      fc.constantFrom<TokenSource>('authorization', 'alb'),
      cookieName.map((cookie): TokenSource => ({ cookie })),
    );
    const write = (item: TokenSource) =>
      typeof item === 'string' ? item : `cookie:${item.cookie}`;
    fc.assert(
      fc.property(
        fc.array(source, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (sources, spaced) => {
          const text = sources.map(write).join(spaced ? ' , ' : ',');
          const config = configFromEnv({ ...required, COGNITO_TOKEN_SOURCES: text });
          expect(config.tokenSources).toEqual(sources);
        },
      ),
    );
    expect(
      configFromEnv({ ...required, COGNITO_TOKEN_SOURCES: 'Authorization,COOKIE:Session_Id' })
        .tokenSources,
    ).toEqual(['authorization', { cookie: 'Session_Id' }]);
    expect(
      configFromEnv({
        ...required,
        COGNITO_TRUSTED_ORIGINS: 'https://a.example, https://b.example',
      }).trustedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(configFromEnv(required)).not.toHaveProperty('tokenSources');
    expect(configFromEnv(required)).not.toHaveProperty('trustedOrigins');
  });

  // A line break inside a cookie name (a variable pasted with one) makes no cookie source either.
  it.each([
    ['bearer'],
    ['cookie:'],
    ['cookie'],
    ['header:x-token'],
    ['x-cookie:id'],
    ['cookie:id\nx'],
  ])('names COGNITO_TOKEN_SOURCES and the entry when an entry is no source: %s', (entry) => {
    const env = { COGNITO_USER_POOL_ID: 'a', COGNITO_CLIENT_ID: 'b' };
    expect(() =>
      configFromEnv({ ...env, COGNITO_TOKEN_SOURCES: `authorization,${entry}` }),
    ).toThrow(`COGNITO_TOKEN_SOURCES: "${entry}" is not a token source`);
  });

  it('names COGNITO_TRUSTED_ORIGINS beside the field when an origin is not one', () => {
    const env = { COGNITO_USER_POOL_ID: 'eu-west-1_a', COGNITO_CLIENT_ID: 'c' };
    expect(() =>
      createGuard(configFromEnv({ ...env, COGNITO_TRUSTED_ORIGINS: 'https://a.example/app' })),
    ).toThrow(/trustedOrigins\.0 \(COGNITO_TRUSTED_ORIGINS\): must be an origin/);
  });

  it('names each missing or bad variable, and what it must be', () => {
    expect(configErrorMessage(() => configFromEnv({}))).toBe(
      'Invalid environment: COGNITO_USER_POOL_ID: is required; COGNITO_CLIENT_ID: is required',
    );
    expect(
      configErrorMessage(() =>
        configFromEnv({
          COGNITO_USER_POOL_ID: 'a',
          COGNITO_CLIENT_ID: 'b',
          COGNITO_TOKEN_USE: 'refresh',
          COGNITO_ALLOW_INSECURE_HTTP: 'yes',
        }),
      ),
    ).toBe(
      'Invalid environment: COGNITO_TOKEN_USE: must be access, id or any, got "refresh"; COGNITO_ALLOW_INSECURE_HTTP: must be true or false',
    );
  });
});

// A configuration's own fields: where each came from rides beside them, under a symbol.
function fieldsOf(config: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config));
}
