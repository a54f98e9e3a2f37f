// The options of every factory beside the guard's own configuration, checked when the factory is
// called. Before, a misspelt option was dropped without a word (`{ optinal: true }` made a
// required check, `{ includeSubect: true }` no subject), a JavaScript caller's
// `compileRule({ groups: 'admins' })` read the string as the groups a, d, m, i, n and s, and
// `createUpgradeGuard(cognito)` (the adapter's bundle, not its `.guard`) threw inside the first
// upgrade, where ws and socket.io have no caller to catch it.

import * as z from 'zod/mini';
import {
  ConfigError,
  compileRule,
  configFromEnv,
  createGuard,
  createUpgradeGuard,
  memoryRevocationStore,
  type Principal,
  requireGroups,
} from '../src';
import { bindRules } from '../src/subpaths/adapter';
import {
  checkOptions,
  createRuleGuard,
  optionIssues,
  positiveNumberOf,
} from '../src/subpaths/advanced';
import { openTelemetry } from '../src/subpaths/otel';
import { ruleJsonSchema } from '../src/subpaths/policy';
import { createPrincipal } from '../src/token/principal';
import { configErrorMessage } from './helpers';

const config = { userPoolId: 'eu-west-1_AbC', clientId: 'c' };
const guard = createGuard(config);
const { authenticate } = bindRules(
  () => guard,
  (evaluate) => evaluate,
);

describe("a factory's options", () => {
  it.each([
    {
      call: 'authenticate({ optinal: true })',
      run: () => authenticate({ optinal: true } as never),
      message: 'Invalid authenticate: optinal: is not a known option; did you mean "optional"?',
    },
    {
      call: "authenticate({ optional: 'true' })",
      run: () => authenticate({ optional: 'true' } as never),
      message: 'Invalid authenticate: optional: must be boolean, got "true"',
    },
    {
      call: 'authenticate(null)',
      run: () => authenticate(null as never),
      message: 'Invalid authenticate: (root): must be object, got null',
    },
    {
      call: 'openTelemetry({ includeSubect: true })',
      run: () => openTelemetry({ includeSubect: true } as never),
      message:
        'Invalid openTelemetry: includeSubect: is not a known option; did you mean "includeSubject"?',
    },
    {
      call: 'openTelemetry({ includeSubject: 1 })',
      run: () => openTelemetry({ includeSubject: 1 } as never),
      message: 'Invalid openTelemetry: includeSubject: must be boolean, got 1',
    },
    {
      call: 'memoryRevocationStore({ refreshTokenValiditySecond: 86400 })',
      run: () => memoryRevocationStore({ refreshTokenValiditySecond: 86400 } as never),
      message:
        'Invalid memoryRevocationStore: refreshTokenValiditySecond: is not a known option; did you mean "refreshTokenValiditySeconds"?',
    },
    {
      call: "memoryRevocationStore({ refreshTokenValiditySeconds: '86400' })",
      run: () => memoryRevocationStore({ refreshTokenValiditySeconds: '86400' } as never),
      message:
        'Invalid memoryRevocationStore: refreshTokenValiditySeconds: must be a positive number of seconds',
    },
    {
      call: 'memoryRevocationStore(null)',
      run: () => memoryRevocationStore(null as never),
      message: 'Invalid memoryRevocationStore: (root): must be object, got null',
    },
    {
      call: "compileRule({ groups: 'admins' })",
      run: () => compileRule({ groups: 'admins' } as never),
      message: 'Invalid rule: groups: must be array, got "admins"',
    },
    {
      call: 'compileRule(null)',
      run: () => compileRule(null as never),
      message: 'Invalid rule: (root): must be object, got null',
    },
    {
      call: 'configFromEnv(undefined)',
      run: () => configFromEnv(undefined as never),
      message: 'Invalid environment: (root): must be the environment: configFromEnv(process.env)',
    },
    {
      call: 'createUpgradeGuard(cognito) (the bundle, not its guard)',
      run: () => createUpgradeGuard({ guard, ready: () => guard.ready() } as never),
      message:
        'Invalid createUpgradeGuard: guard: must be a guard: createGuard(config), or cognitoGuard(config).guard',
    },
    {
      // A rule guard decides rules alone: a route policy's checks are missing.
      call: 'createUpgradeGuard(createRuleGuard(config))',
      run: () => createUpgradeGuard(createRuleGuard(config) as never),
      message:
        'Invalid createUpgradeGuard: guard: must be a guard: createGuard(config), or cognitoGuard(config).guard',
    },
    {
      // `verifyClient: createUpgradeGuard`: ws calls it with `{ origin, secure, req }`.
      call: 'createUpgradeGuard({ origin, secure, req }, done) (used as ws verifyClient)',
      run: () =>
        createUpgradeGuard(
          { origin: 'https://a.example', secure: true, req: { headers: {} } } as never,
          (() => undefined) as never,
        ),
      message:
        'Invalid createUpgradeGuard: arguments: got a request: createUpgradeGuard itself was used as a handler; use the one createUpgradeGuard(…) returns',
    },
    {
      call: "createUpgradeGuard(guard, { rule: 'chat-users' })",
      run: () => createUpgradeGuard(guard, { rule: 'chat-users' } as never),
      message: 'Invalid rule: rule: must be a rule or a predicate function',
    },
    {
      call: 'createUpgradeGuard(guard, { rules: rule })',
      run: () => createUpgradeGuard(guard, { rules: requireGroups('chat') } as never),
      message: 'Invalid createUpgradeGuard: rules: is not a known option; did you mean "rule"?',
    },
    {
      call: 'createUpgradeGuard(guard, { rule, policy })',
      run: () =>
        createUpgradeGuard(guard, {
          rule: requireGroups('chat'),
          policy: { routes: { 'GET /chat': { groups: ['chat'] } } },
        } as never),
      message: 'Invalid createUpgradeGuard: policy: give `rule` or `policy`, not both',
    },
    {
      call: "createUpgradeGuard(guard, { policy: 'policy.json' }) (a file's name, not its JSON)",
      run: () => createUpgradeGuard(guard, { policy: 'policy.json' } as never),
      message: 'Invalid route policy: (root): must be object, got "policy.json"',
    },
    {
      call: 'createUpgradeGuard(guard, { policy: null })',
      run: () => createUpgradeGuard(guard, { policy: null } as never),
      message: 'Invalid route policy: (root): must be object, got null',
    },
  ])('$call names the option', ({ run, message }) => {
    expect(configErrorMessage(run)).toBe(message);
  });

  it('takes the options as documented, and undefined as none', () => {
    expect(typeof authenticate()).toBe('function');
    expect(typeof authenticate({ optional: true })).toBe('function');
    expect(openTelemetry().kind).toBe('telemetry');
    expect(openTelemetry({ includeSubject: true }).kind).toBe('telemetry');
    expect(typeof memoryRevocationStore({ refreshTokenValiditySeconds: 3600 }).lookup).toBe(
      'function',
    );
    expect(typeof createUpgradeGuard(guard).verifyClient).toBe('function');
    expect(
      typeof createUpgradeGuard(guard, { rule: (p: Principal) => p.groups.length > 0 })
        .allowRequest,
    ).toBe('function');
    const policy = { routes: { 'GET /chat': { groups: ['chat'] } } };
    expect(typeof createUpgradeGuard(guard, { policy }).handleUpgrade).toBe('function');
    expect(typeof createUpgradeGuard(guard, { policy: guard.compilePolicy(policy) })).toBe(
      'object',
    );
  });

  it('compiles a rule the schema parsed to the same rule as before', () => {
    const rule = compileRule(ruleJsonSchema.parse({ groups: ['admins'] }));
    const member = (groups: string[]): Principal =>
      createPrincipal({
        claims: { sub: 's', token_use: 'access', 'cognito:groups': groups },
        userPoolId: 'eu-west-1_AbC',
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
      });
    expect(rule?.check(member(['admins']))).toBeUndefined();
    // The string's letters are no groups of the rule: a caller in group "a" is refused.
    expect(rule?.check(member(['a']))).toMatchObject({ reason: 'group_missing' });
    expect(compileRule(ruleJsonSchema.parse({ public: true }))).toBeUndefined();
  });

  it('checkOptions answers the parsed options, and a ConfigError for anything else', () => {
    const schema = ruleJsonSchema;
    expect(checkOptions('rule', { groups: ['a'] }, schema)).toEqual({ groups: ['a'] });
    expect(checkOptions('rule', undefined, schema)).toEqual({});
    expect(() => checkOptions('rule', [], schema)).toThrow(ConfigError);
    expect(configErrorMessage(() => checkOptions('rule', { group: ['a'] }, schema))).toBe(
      'Invalid rule: group: is not a known option; did you mean "groups"?',
    );
  });

  it('optionIssues lists what checkOptions throws for, for a factory with checks of its own', () => {
    const schema = z.strictObject({ heartbeatMs: positiveNumberOf('milliseconds') });
    expect(optionIssues({ heartbeatMs: 500 }, schema)).toEqual([]);
    expect(optionIssues(undefined, schema)).toEqual([]);
    expect(optionIssues({ heartbeatMs: '500', heartbeat: 1 }, schema)).toEqual([
      { field: 'heartbeatMs', message: 'must be a positive number of milliseconds' },
      { field: 'heartbeat', message: 'is not a known option; did you mean "heartbeatMs"?' },
    ]);
    for (const bad of [0, -1, Number.NaN, null]) {
      expect(optionIssues({ heartbeatMs: bad }, schema)).toEqual([
        { field: 'heartbeatMs', message: 'must be a positive number of milliseconds' },
      ]);
    }
  });
});
