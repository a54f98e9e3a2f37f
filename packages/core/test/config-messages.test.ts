// Configuration messages that teach: the variable a bad value came from, a region typo caught
// at start-up, a pool id that contradicts the issuer, and "did you mean" for option names.

import {
  compileRoutePolicy,
  configFromEnv,
  createGuard,
  memoryRevocationStore,
  ruleFromJson,
} from '../src';
import { splitAdapterOptions } from '../src/adapter/adapter';
import { AWS_REGIONS } from '../src/config/regions';
import { envChoice } from '../src/subpaths/adapter';
import { closest, editDistance } from '../src/subpaths/advanced';
import { configErrorMessage } from './helpers';

describe('configuration messages', () => {
  it('catches a mistyped region at start-up and suggests the nearest', () => {
    expect(
      configErrorMessage(() => createGuard({ userPoolId: 'eu-wst-1_AbC123', clientId: 'c' })),
    ).toBe(
      'Invalid cognito-guard config: userPoolId: "eu-wst-1" is not an AWS region; did you mean "eu-west-1"? (for a region newer than this list, set `issuer`)',
    );
    expect(() => createGuard({ userPoolId: 'eu-west-1_AbC123', clientId: 'c' })).not.toThrow();
    expect(() => createGuard({ userPoolId: 'eusc-de-east-1_AbC123', clientId: 'c' })).not.toThrow();
    expect(
      configErrorMessage(() => createGuard({ userPoolId: 'zz-nowhere-9_AbC', clientId: 'c' })),
    ).toContain('"zz-nowhere-9" is not an AWS region; (for a region newer');
  });

  it('knows each region by the name AWS gives it, and takes a pool id in any of them', () => {
    expect(AWS_REGIONS.size).toBe(39);
    for (const region of AWS_REGIONS) {
      expect(region).toMatch(/^[a-z]{2,4}(-[a-z]+)+-\d$/);
      expect(() => createGuard({ userPoolId: `${region}_AbC123`, clientId: 'c' })).not.toThrow();
    }
  });

  it('refuses a pool id that the issuer contradicts, instead of ignoring it', () => {
    const message = configErrorMessage(() =>
      createGuard({
        userPoolId: 'local_wrong',
        clientId: 'c',
        issuer: 'http://localhost:9229/local_right',
      }),
    );
    expect(message).toContain('"local_wrong" is not the pool `issuer` names ("local_right")');
    expect(() =>
      createGuard({
        userPoolId: 'local_right',
        clientId: 'c',
        issuer: 'http://localhost:9229/local_right/',
      }),
    ).not.toThrow();
  });

  it.each([
    {
      mistake: 'a bad pool among several',
      config: {
        pools: [
          { userPoolId: 'eu-west-1_AbC', clientId: 'c' },
          { userPoolId: 'local_x', clientId: 'c' },
        ],
      },
      message:
        'pools.1.userPoolId: "local_x" is not a Cognito user pool id (region_id); set `issuer` to use an emulator',
    },
    {
      // aws-jwt-verify refuses an issuer given twice with an error of its own, naming no field.
      mistake: 'one pool given twice, by its issuer',
      config: {
        pools: [
          { userPoolId: 'eu-west-1_XyZ', clientId: 'a' },
          {
            userPoolId: 'eu-west-1_AbC',
            clientId: null,
            issuer: 'https://example.com/eu-west-1_AbC',
          },
          {
            userPoolId: 'eu-west-1_AbC',
            clientId: 'b',
            issuer: 'https://example.com/eu-west-1_AbC',
          },
        ],
      },
      message:
        'pools.2.userPoolId: repeats pools.1 ("https://example.com/eu-west-1_AbC"): give a pool once, its clients in one `clientId`',
    },
    { mistake: 'no object', config: null, message: '(root): must be an object' },
    { mistake: 'a string', config: 'eu-west-1_AbC', message: '(root): must be an object' },
    {
      mistake: 'pools left null',
      config: { pools: null },
      message: 'pools: must be array, got null',
    },
    {
      // `clientId: process.env.CLIENT_ID` with the variable unset must not skip the client check.
      mistake: 'a client id left undefined',
      config: { userPoolId: 'eu-west-1_AbC', clientId: undefined },
      message:
        'clientId: is required: give the app client id(s), or null to skip the check on purpose',
    },
    {
      mistake: 'a key URL for several pools',
      config: {
        userPoolId: ['eu-west-1_AbC', 'eu-west-1_AbD'],
        clientId: 'c',
        jwksUri: 'https://keys.example/jwks.json',
      },
      message:
        'issuer: an override applies to a single pool; use `pools` to give each pool its own',
    },
    {
      mistake: 'no pool',
      config: { clientId: 'c' },
      message: 'userPoolId: is required (or give `pools`)',
    },
    {
      mistake: 'an empty pool id',
      config: { userPoolId: '', clientId: 'c' },
      message: 'userPoolId: must not be empty',
    },
    {
      // Pool ids, an emulator's too, are letters, digits, _ and -: a dot is a typo in the issuer.
      mistake: "an emulator's pool id with a character outside [A-Za-z0-9_-]",
      config: { userPoolId: 'local.abc', clientId: 'c', issuer: 'http://localhost:9229/local.abc' },
      message: 'userPoolId: may hold only letters, digits, _ and -',
    },
    {
      mistake: 'a key URL without the issuer it vouches for',
      config: { userPoolId: 'local_a', clientId: 'c', jwksUri: 'http://localhost:9229/keys' },
      message: 'issuer: is required with `jwksUri`: tokens must be checked against a known issuer',
    },
    {
      mistake: 'an issuer a JSON file left null',
      config: { userPoolId: 'local_a', clientId: 'c', issuer: null },
      message: 'issuer: must be string, got null',
    },
    {
      mistake: 'an issuer that is neither https nor http',
      config: { userPoolId: 'local_a', clientId: 'c', issuer: 'ftp://localhost/local_a' },
      message: 'issuer: must be an https:// URL',
    },
    {
      mistake: "replica regions of an emulator's pool",
      config: {
        userPoolId: 'local_a',
        clientId: 'c',
        issuer: 'http://localhost:9229/local_a',
        replicaRegions: ['us-east-1'],
      },
      message:
        'replicaRegions: applies to a real pool id; with `issuer` overridden, give each replica as a pool of its own',
    },
    {
      mistake: 'a pool id that is not a string',
      config: { userPoolId: 42, clientId: 'c' },
      message: 'userPoolId: has an invalid value (42)',
    },
    {
      mistake: 'a pool without its id',
      config: { pools: [{ clientId: 'c' }] },
      message: 'pools.0.userPoolId: is required',
    },
    {
      mistake: 'one pool id listed twice',
      config: { userPoolId: ['eu-west-1_AbC', 'eu-west-1_AbC'], clientId: 'c' },
      message:
        'userPoolId: repeats an id listed before it ("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"): give a pool once, its clients in one `clientId`',
    },
    {
      mistake: 'a replica region that is not a string',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', replicaRegions: [42] },
      message: 'replicaRegions.0: must be string, got 42',
    },
    {
      mistake: 'a replica region like no region',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', replicaRegions: ['zz-top-9'] },
      message: 'replicaRegions.0: "zz-top-9" is not an AWS region',
    },
    {
      mistake: 'an issuer given as a list',
      config: { userPoolId: 'local_a', clientId: 'c', issuer: ['http://localhost/local_a'] },
      message: 'issuer: must be string, got an array',
    },
    {
      mistake: 'a realm given as a function',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', realm: () => 'api' },
      message: 'realm: must be string, got a function',
    },
    {
      // A long value is cut, so that a pasted secret or document does not fill the log.
      mistake: 'a token use far too long',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', tokenUse: 'x'.repeat(41) },
      message: `tokenUse: must be one of "access", "id", "any", got "${'x'.repeat(40)}…"`,
    },
    {
      mistake: 'a token use of exactly 40 characters',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', tokenUse: 'y'.repeat(40) },
      message: `tokenUse: must be one of "access", "id", "any", got "${'y'.repeat(40)}"`,
    },
    {
      mistake: 'a misspelt option inside another',
      config: { userPoolId: 'eu-west-1_AbC', clientId: 'c', jwks: { timeoutMS: 1000 } },
      message: 'jwks.timeoutMS: is not a known option; did you mean "timeoutMs"?',
    },
    {
      mistake: 'a misspelt cookie source',
      config: {
        userPoolId: 'eu-west-1_AbC',
        clientId: 'c',
        tokenSources: [{ cookie: 'id', cooky: 'x' }],
      },
      message: 'tokenSources.0.cooky: is not a known option; did you mean "cookie"?',
    },
    {
      mistake: 'a plain http:// issuer on another host',
      config: { userPoolId: 'local_a', clientId: 'c', issuer: 'http://keys.example/local_a' },
      message:
        'issuer: http:// is accepted only on loopback hosts; use https:// or set `allowInsecureHttp`',
    },
  ])('names the field and the fix for $mistake', ({ config, message }) => {
    expect(configErrorMessage(() => createGuard(config as never))).toBe(
      `Invalid cognito-guard config: ${message}`,
    );
  });

  it('names the environment variable a bad value came from', () => {
    const fromEnv = (variables: Record<string, string>) =>
      configErrorMessage(() =>
        createGuard(configFromEnv({ COGNITO_CLIENT_ID: 'c', ...variables })),
      );
    expect(fromEnv({ COGNITO_USER_POOL_ID: 'local_abc' })).toBe(
      'Invalid cognito-guard config: userPoolId (COGNITO_USER_POOL_ID): "local_abc" is not a Cognito user pool id (region_id); set `issuer` (COGNITO_ISSUER) to use an emulator',
    );
    expect(
      fromEnv({
        COGNITO_USER_POOL_ID: 'local_wrong',
        COGNITO_ISSUER: 'http://localhost:9229/local_right',
      }),
    ).toContain(
      'userPoolId (COGNITO_USER_POOL_ID): "local_wrong" is not the pool `issuer` (COGNITO_ISSUER) names',
    );
    expect(fromEnv({ COGNITO_USER_POOL_ID: 'local_a', COGNITO_ISSUER: 'not a url' })).toContain(
      'issuer (COGNITO_ISSUER): must be an absolute URL',
    );
    // A key URL without its issuer: both options named by their variables.
    expect(
      fromEnv({ COGNITO_USER_POOL_ID: 'local_a', COGNITO_JWKS_URI: 'http://localhost:9229/keys' }),
    ).toBe(
      'Invalid cognito-guard config: issuer (COGNITO_ISSUER): is required with `jwksUri` (COGNITO_JWKS_URI): tokens must be checked against a known issuer',
    );
    // Options named in a message are named by their variables too.
    expect(
      fromEnv({ COGNITO_USER_POOL_ID: 'local_a', COGNITO_ISSUER: 'http://keys.example/local_a' }),
    ).toBe(
      'Invalid cognito-guard config: issuer (COGNITO_ISSUER): http:// is accepted only on loopback hosts; use https:// or set `allowInsecureHttp` (COGNITO_ALLOW_INSECURE_HTTP)',
    );
    expect(fromEnv({ COGNITO_USER_POOL_ID: 'eu-west-1_AbC,eu-west-1_AbC' })).toBe(
      'Invalid cognito-guard config: userPoolId (COGNITO_USER_POOL_ID): repeats an id listed before it ("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"): give a pool once, its clients in one `clientId` (COGNITO_CLIENT_ID)',
    );
    // A field set in code names no variable, nor do the options its message points at.
    expect(
      configErrorMessage(() =>
        createGuard({
          ...configFromEnv({ COGNITO_USER_POOL_ID: 'local_a', COGNITO_CLIENT_ID: 'c' }),
          issuer: 'http://keys.example/local_a',
        }),
      ),
    ).toBe(
      'Invalid cognito-guard config: issuer: http:// is accepted only on loopback hosts; use https:// or set `allowInsecureHttp`',
    );
    // A configuration written in code names only its fields.
    expect(
      configErrorMessage(() => createGuard({ userPoolId: 'local_abc', clientId: 'c' })),
    ).toContain(
      'userPoolId: "local_abc" is not a Cognito user pool id (region_id); set `issuer` to use',
    );
  });

  it('keeps the variable names through an adapter splitting off its options', () => {
    const config = configFromEnv({ COGNITO_USER_POOL_ID: 'local_abc', COGNITO_CLIENT_ID: 'c' });
    const direct = splitAdapterOptions(config, ['respond']).core;
    expect(configErrorMessage(() => createGuard(direct))).toContain(
      'userPoolId (COGNITO_USER_POOL_ID)',
    );
  });

  it('suggests the option meant by a typo', () => {
    expect(configErrorMessage(() => ruleFromJson({ group: ['a'] } as never))).toContain(
      'group: is not a known option; did you mean "groups"?',
    );
    expect(
      configErrorMessage(() => compileRoutePolicy({ defaultActon: 'deny', routes: {} } as never)),
    ).toContain('defaultActon: is not a known option; did you mean "defaultAction"?');
    expect(
      configErrorMessage(() =>
        createGuard({ userPoolId: 'eu-west-1_a', clientId: 'c', bogus: 1 } as never),
      ),
    ).toContain('bogus: is not a known option');
  });

  it('asks for a positive whole number where a count or size is one', () => {
    const base = { userPoolId: 'eu-west-1_a', clientId: 'c' };
    expect(configErrorMessage(() => createGuard({ ...base, maxTokenBytes: 1.5 }))).toContain(
      'maxTokenBytes: must be a whole number',
    );
    expect(configErrorMessage(() => createGuard({ ...base, maxTokenBytes: 2 ** 60 }))).toContain(
      'maxTokenBytes: must be a whole number',
    );
    expect(configErrorMessage(() => createGuard({ ...base, cache: { maxEntries: 0 } }))).toContain(
      'cache.maxEntries: must be greater than 0',
    );
    expect(() => createGuard({ ...base, maxTokenBytes: 4096 })).not.toThrow();
  });

  it('refuses empty strings and empty lists, and negative durations, each with its own words', () => {
    const base = { userPoolId: 'eu-west-1_a', clientId: 'c' };
    const cases: [object, string][] = [
      [{ realm: '' }, 'realm: must not be empty'],
      [{ clientId: [] }, 'clientId: must list at least one client id'],
      [{ clientId: [''] }, 'clientId.0: must not be empty'],
      [{ tokenSources: [] }, 'tokenSources: must list at least one source'],
      [{ graceSeconds: -0.5 }, 'graceSeconds: must not be negative'],
      [{ cache: true }, 'cache: has an invalid value (true)'],
      [{ tokenSources: ['bogus'] }, 'tokenSources.0: has an invalid value ("bogus")'],
      [
        { revocation: { store: memoryRevocationStore(), maxStalenessSeconds: 0 } },
        'revocation.maxStalenessSeconds: must be greater than 0',
      ],
    ];
    for (const [extra, message] of cases) {
      expect(configErrorMessage(() => createGuard({ ...base, ...extra }))).toContain(message);
    }
    expect(() =>
      createGuard({ ...base, realm: 'r', graceSeconds: 0, cache: false, tokenSources: ['alb'] }),
    ).not.toThrow();
  });

  it('closest and editDistance', () => {
    expect(editDistance('admin', 'admins')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    // Letters before the match are edits too, not a free prefix.
    expect(editDistance('xxadmin', 'admin')).toBe(2);
    expect(closest('my-groups', ['groups'])).toBeUndefined();
    expect(closest('Groups', ['groups'])).toBe('groups');
    expect(closest('groups', ['groups', 'group'])).toBeUndefined();
    expect(closest('xyzzy', ['groups'])).toBeUndefined();
    expect(closest('scope', ['groups', 'scopes'])).toBe('scopes');
  });
});

describe('envChoice', () => {
  it('reads one of a few words, defaults when unset or blank, and names the variable otherwise', () => {
    const choices = ['token', 'api-gateway'] as const;
    expect(envChoice({ X: 'api-gateway' }, 'X', choices, 'token')).toBe('api-gateway');
    expect(envChoice({ X: ' token ' }, 'X', choices, 'api-gateway')).toBe('token');
    expect(envChoice({}, 'X', choices, 'token')).toBe('token');
    expect(envChoice({ X: '  ' }, 'X', choices, 'token')).toBe('token');
    expect(() => envChoice({ X: 'apigw' }, 'X', choices, 'token')).toThrow(
      'Invalid environment: X: must be token or api-gateway, got "apigw"',
    );
  });
});
