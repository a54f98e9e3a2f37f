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

  it('names the environment variable a bad value came from', () => {
    const fromEnv = configFromEnv({
      COGNITO_USER_POOL_ID: 'local_abc',
      COGNITO_CLIENT_ID: 'c',
    });
    expect(configErrorMessage(() => createGuard(fromEnv))).toBe(
      'Invalid cognito-guard config: userPoolId (COGNITO_USER_POOL_ID): "local_abc" is not a Cognito user pool id (region_id); set `issuer` (COGNITO_ISSUER) to use an emulator',
    );
    const mismatch = configFromEnv({
      COGNITO_USER_POOL_ID: 'local_wrong',
      COGNITO_CLIENT_ID: 'c',
      COGNITO_ISSUER: 'http://localhost:9229/local_right',
    });
    expect(configErrorMessage(() => createGuard(mismatch))).toContain(
      'userPoolId (COGNITO_USER_POOL_ID): "local_wrong" is not the pool `issuer` (COGNITO_ISSUER) names',
    );
    const badUrl = configFromEnv({
      COGNITO_USER_POOL_ID: 'local_a',
      COGNITO_CLIENT_ID: 'c',
      COGNITO_ISSUER: 'not a url',
    });
    expect(configErrorMessage(() => createGuard(badUrl))).toContain(
      'issuer (COGNITO_ISSUER): must be an absolute URL',
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
