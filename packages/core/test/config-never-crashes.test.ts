// A configuration is checked whole before anything runs: whatever values it holds (a JSON file's
// nulls and numbers, a JavaScript caller's strings where lists belong), building a guard, a route
// policy or a rule either succeeds or throws a ConfigError naming each bad field. Never a
// TypeError from deep inside.

import fc from 'fast-check';
import {
  allOf,
  anyOf,
  ConfigError,
  compileRoutePolicy,
  compileRule,
  configFromEnv,
  createGuard,
  createUpgradeGuard,
  denyGroups,
  memoryRevocationStore,
  type PoolConfig,
  predicate,
  requireAllGroups,
  requireAllScopes,
  requireCaller,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
  ruleFromJson,
  toRule,
} from '../src';
import { poolForIssuer } from '../src/config/pools';
import { CONFIG_OPTIONS } from '../src/config/schema';
import { bindRules } from '../src/subpaths/adapter';
import { openTelemetry } from '../src/subpaths/otel';

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1, max: 3 }),
  fc.constantFrom(
    '',
    'eu-west-1_AbC',
    'local_a',
    'eu-wst-1_AbC',
    'http://localhost:9229/local_a',
    'https://example.com/eu-west-1_AbC',
    'ftp://x/local_a',
    'not a url',
    'us-east-1',
    'access',
  ),
  fc.array(fc.constantFrom('', 'c', 'us-east-1', 'eu-wst-1', 'local_a'), { maxLength: 3 }),
  // A list of one URL reads as that URL where it is turned into a string (`new URL([url])`).
  fc.constant(['http://localhost:9229/local_a']),
  fc.constant({}),
  fc.constant([{}]),
  fc.constant({ maxEntries: 10 }),
  fc.constant({ cookie: 'id' }),
  fc.constant({ warn: () => undefined }),
  fc.constant(() => undefined),
);
const POOL_FIELDS = ['userPoolId', 'clientId', 'tokenUse', 'issuer', 'jwksUri', 'replicaRegions'];
// Each field valid four times in five, so that the checks past the schema's are reached too.
const validOr = (...valid: unknown[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 4 }, { arbitrary: anyValue, weight: 1 });
const pool = fc.record(
  {
    userPoolId: validOr('eu-west-1_AbC', 'local_a'),
    clientId: validOr(null, 'c', ['c', 'd']),
    tokenUse: validOr('access', 'id', 'any'),
    issuer: validOr('http://localhost:9229/local_a', 'https://example.com/eu-west-1_AbC'),
    jwksUri: validOr('http://localhost:9229/keys'),
    replicaRegions: validOr(['us-east-1']),
  },
  { requiredKeys: [] },
);
const OTHER_OPTIONS = Object.keys(CONFIG_OPTIONS).filter((name) => !POOL_FIELDS.includes(name));
const config = fc.oneof(
  { arbitrary: pool, weight: 3 },
  fc
    .tuple(pool, fc.dictionary(fc.constantFrom(...OTHER_OPTIONS), anyValue, { maxKeys: 4 }))
    .map(([fields, others]) => ({ ...fields, ...others })),
  fc.record({ pools: fc.oneof(fc.array(fc.oneof(pool, anyValue), { maxLength: 3 }), anyValue) }),
  fc.tuple(pool, fc.boolean()).map(([fields, insecure]) => ({
    ...fields,
    allowInsecureHttp: insecure,
  })),
);

const outcome = (build: () => unknown) => {
  try {
    build();
    return 'built';
  } catch (err) {
    return err instanceof ConfigError ? 'refused' : err;
  }
};

describe('a configuration of any values', () => {
  it('builds a guard or throws a ConfigError, nothing else (fast-check)', () => {
    let built = 0;
    fc.assert(
      fc.property(config, (given) => {
        const result = outcome(() => createGuard(given as never));
        expect(['built', 'refused']).toContain(result);
        if (result === 'built') built++;
      }),
      { numRuns: 2000 },
    );
    // About 2 % are valid, so the checks past the schema are reached too (about 40 runs in 2,000).
    expect(built).toBeGreaterThan(10);
  });

  // Pools that collide are rare among the arbitrary values above (two entries with one issuer took
  // 1,705 runs to find once): drawn from a few valid pools that share a pool id, an issuer, keys or
  // a replica region, beside top-level fields and a resolver, every collision is met.
  const OVERLAPPING_POOLS = [
    { userPoolId: 'eu-west-1_AbC', clientId: 'c' },
    { userPoolId: 'eu-west-1_AbC', clientId: 'd', tokenUse: 'id' },
    { userPoolId: 'eu-west-1_AbC', clientId: null, replicaRegions: ['us-east-1'] },
    { userPoolId: 'eu-west-1_AbC', clientId: 'c', replicaRegions: ['eu-west-1'] },
    { userPoolId: 'us-east-1_Xyz', clientId: 'c', replicaRegions: ['eu-west-1', 'eu-west-1'] },
    { userPoolId: 'eu-west-1_Def', clientId: 'c', replicaRegions: ['us-east-1'] },
    {
      userPoolId: 'eu-west-1_AbC',
      clientId: 'c',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbC',
    },
    { userPoolId: 'local_a', clientId: 'c', issuer: 'http://localhost:9229/local_a' },
    { userPoolId: 'local_b', clientId: 'c', issuer: 'http://localhost:9229/local_a' },
    { userPoolId: 'local_a', clientId: 'c', issuer: 'http://localhost:9229/local_a/' },
    { userPoolId: 'local_b', clientId: 'c', jwksUri: 'http://localhost:9229/keys' },
  ];
  // Now and then a pool's field beside `pools` too, which is refused.
  const beside = fc.oneof(
    { arbitrary: fc.record({ allowInsecureHttp: fc.boolean() }), weight: 4 },
    fc.record(
      {
        allowInsecureHttp: fc.boolean(),
        userPoolId: fc.constantFrom('eu-west-1_AbC', ['eu-west-1_AbC', 'eu-west-1_AbC']),
        clientId: fc.constantFrom('c', null),
        replicaRegions: fc.constantFrom(['us-east-1'], ['eu-west-1']),
      },
      { requiredKeys: [] },
    ),
  );

  it('builds or refuses pools that share ids, issuers, keys or regions (fast-check)', () => {
    const results = { built: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...OVERLAPPING_POOLS), { minLength: 1, maxLength: 4 }),
        beside,
        fc.boolean(),
        (pools, others, resolved) => {
          const given = resolved
            ? { ...others, pools: { resolve: () => pools[0], maxPools: 2 } }
            : { ...others, pools };
          const result = outcome(() => createGuard(given as never));
          expect(['built', 'refused']).toContain(result);
          results[result as 'built' | 'refused']++;
        },
      ),
      { numRuns: 1000 },
    );
    // Both happen often: the collisions are refused, the rest of the draws build.
    expect(results.built).toBeGreaterThan(50);
    expect(results.refused).toBeGreaterThan(50);
  });

  it('gives a pool, or the reason there is none, for any pool a resolver returns (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(pool, anyValue), fc.boolean(), (returned, allowInsecureHttp) => {
        const resolver = { resolve: () => returned as PoolConfig, maxPools: 1, allowInsecureHttp };
        expect(() => poolForIssuer(resolver, 'http://localhost:9229/local_a')).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  // A policy file's JSON: rule fields, nested rules, route keys valid and not, any leaf value.
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1, max: 3 }),
    fc.constantFrom('', 'admins', 'read', '*', 'cognito:groups', 'email_verified', 'a.b'),
    fc.constant([]),
    fc.constant({}),
  );
  const RULE_FIELDS = ['groups', 'scopes', 'claims', 'anyOf', 'allOf', 'not', 'public', 'equals'];
  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...RULE_FIELDS, 'mode', 'tokenUse', 'x'), tie('value'), {
        maxKeys: 3,
      }),
    ),
  })).value;
  const ROUTE_KEYS = ['GET /movies', 'ANY /{proxy+}', '$default', 'get /x', 'GET /a/{id}', 'x'];
  const policy = fc.oneof(
    json,
    fc.record(
      {
        routes: fc.dictionary(fc.constantFrom(...ROUTE_KEYS), json, { maxKeys: 3 }),
        default: json,
      },
      { requiredKeys: ['routes'] },
    ),
  );

  it('compiles a rule or a route policy of any JSON, or refuses it with a ConfigError (fast-check)', () => {
    let compiled = 0;
    fc.assert(
      fc.property(json, policy, fc.boolean(), (rule, routes, caseSensitive) => {
        expect(['built', 'refused']).toContain(outcome(() => ruleFromJson(rule as never)));
        const result = outcome(() => compileRoutePolicy(routes as never, { caseSensitive }));
        expect(['built', 'refused']).toContain(result);
        if (result === 'built') compiled++;
      }),
      { numRuns: 2000 },
    );
    // About 2 % compile (about 40 runs in 2,000): the compiler past the schema is reached too.
    expect(compiled).toBeGreaterThan(10);
  });
});

describe("any other factory's arguments", () => {
  const guard = createGuard({ userPoolId: 'eu-west-1_AbC', clientId: 'c' });
  const { authenticate } = bindRules(
    () => guard,
    (evaluate) => evaluate,
  );
  // Each factory's own option names and near misses, so that the checks of values are reached.
  const OPTION_KEYS = ['optional', 'includeSubject', 'refreshTokenValiditySeconds', 'rule'];
  const options = fc.dictionary(
    fc.constantFrom(...OPTION_KEYS, 'policy', 'optinal', 'rules', 'x'),
    fc.oneof(
      anyValue,
      fc.constantFrom(true, 3600, requireGroups('g'), { routes: { 'GET /a': { public: true } } }),
    ),
    { maxKeys: 2 },
  );
  const env = { COGNITO_USER_POOL_ID: 'eu-west-1_AbC', COGNITO_CLIENT_ID: 'c' };
  const argument = fc.oneof(
    anyValue,
    options,
    fc.constantFrom(guard, env, 'g', 'user', 'client', 'access', 'id'),
  );
  const FACTORIES: Readonly<Record<string, (args: readonly unknown[]) => unknown>> = {
    authenticate: ([first]) => authenticate(first as never),
    openTelemetry: ([first]) => openTelemetry(first as never),
    memoryRevocationStore: ([first]) => memoryRevocationStore(first as never),
    createUpgradeGuard: ([first, second]) => createUpgradeGuard(first as never, second as never),
    compileRule: ([first]) => compileRule(first as never),
    configFromEnv: ([first]) => configFromEnv(first as never),
    requireGroups: (args) => requireGroups(...(args as never[])),
    requireAllGroups: (args) => requireAllGroups(...(args as never[])),
    requireScopes: (args) => requireScopes(...(args as never[])),
    requireAllScopes: (args) => requireAllScopes(...(args as never[])),
    denyGroups: (args) => denyGroups(...(args as never[])),
    requireClaim: ([first, second]) => requireClaim(first as never, second as never),
    requireCaller: ([first]) => requireCaller(first as never),
    requireTokenUse: ([first]) => requireTokenUse(first as never),
    predicate: ([first]) => predicate(first as never),
    toRule: ([first]) => toRule(first as never),
    anyOf: (args) => anyOf(...(args as never[])),
    allOf: (args) => allOf(...(args as never[])),
  };

  // A valid call of each, mixed into the arbitrary ones, so that every run also builds.
  const VALID: Readonly<Record<string, readonly unknown[]>> = {
    authenticate: [{ optional: true }],
    openTelemetry: [{ includeSubject: true }],
    memoryRevocationStore: [{ refreshTokenValiditySeconds: 3600 }],
    createUpgradeGuard: [guard, { rule: requireGroups('g') }],
    compileRule: [{ groups: ['g'] }],
    configFromEnv: [env],
    requireGroups: ['g'],
    requireAllGroups: ['g', 'h'],
    requireScopes: ['s'],
    requireAllScopes: ['s', 't'],
    denyGroups: ['g'],
    requireClaim: ['custom:tier', 'gold'],
    requireCaller: ['user'],
    requireTokenUse: ['access'],
    predicate: [() => true],
    toRule: [requireGroups('g')],
    anyOf: [requireGroups('g'), () => true],
    allOf: [requireGroups('g')],
  };

  it.each(Object.keys(FACTORIES))(
    '%s builds or throws a ConfigError, nothing else (fast-check)',
    (name) => {
      const factory = FACTORIES[name] as (args: readonly unknown[]) => unknown;
      const calls = fc.oneof(
        { arbitrary: fc.constant(VALID[name] as readonly unknown[]), weight: 1 },
        { arbitrary: fc.array(argument, { maxLength: 3 }), weight: 4 },
      );
      let built = 0;
      fc.assert(
        fc.property(calls, (args) => {
          const result = outcome(() => factory(args));
          expect(['built', 'refused']).toContain(result);
          if (result === 'built') built++;
        }),
        { numRuns: 500 },
      );
      // Some calls are valid, so a factory is shown to build as well as to refuse.
      expect(built).toBeGreaterThan(0);
    },
  );
});
