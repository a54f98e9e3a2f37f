// A rule read from JSON (a policy file's rules) against a model written from the documented
// meaning of each field: every listed condition must hold. A field the compiler dropped or
// weakened would let a caller in that the model refuses.

import fc from 'fast-check';
import { type Principal, type RuleJson, ruleFromJson } from '../src';
import { createPrincipal } from '../src/subpaths/advanced';

const GROUPS = ['editors', 'movies-group', 'suspended'] as const;
const SCOPES = ['movies/read', 'movies/write', 'shows/read'] as const;
const TIERS = ['gold', 'silver'] as const;
const CLIENT_ID = 'app-client';

interface Caller {
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly tokenUse: 'access' | 'id';
  /** A client-credentials token: an access token with no username, its sub the client id. */
  readonly machine: boolean;
  readonly tier: string | undefined;
}

function principalOf(caller: Caller): Principal {
  const machine = caller.machine && caller.tokenUse === 'access';
  return createPrincipal({
    claims: {
      sub: machine ? CLIENT_ID : 'user-1',
      token_use: caller.tokenUse,
      exp: 2_000_000_000,
      ...(machine ? {} : { username: 'alice', 'cognito:groups': [...caller.groups] }),
      ...(caller.tokenUse === 'access'
        ? { client_id: CLIENT_ID, scope: caller.scopes.join(' ') }
        : { aud: CLIENT_ID }),
      ...(caller.tier === undefined ? {} : { 'custom:tier': caller.tier }),
    },
    userPoolId: 'eu-west-1_pool',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
  });
}

// What the README says each field means, written without the rule builders.
function modelAllows(rule: RuleJson, caller: Caller): boolean {
  const machine = caller.machine && caller.tokenUse === 'access';
  const groups = machine ? [] : caller.groups;
  const scopes = caller.tokenUse === 'access' ? caller.scopes : [];
  const tier = rule.claims?.['custom:tier'];
  return (
    (rule.tokenUse === undefined || rule.tokenUse === caller.tokenUse) &&
    (rule.caller === undefined || rule.caller === (machine ? 'client' : 'user')) &&
    (rule.denyGroups === undefined || !rule.denyGroups.some((g) => groups.includes(g))) &&
    (rule.groups === undefined || rule.groups.some((g) => groups.includes(g))) &&
    (rule.allGroups === undefined || rule.allGroups.every((g) => groups.includes(g))) &&
    (rule.scopes === undefined || rule.scopes.some((s) => scopes.includes(s))) &&
    (rule.allScopes === undefined || rule.allScopes.every((s) => scopes.includes(s))) &&
    (tier === undefined ||
      (caller.tier !== undefined &&
        (typeof tier === 'string' ? [tier] : tier).includes(caller.tier)))
  );
}

const someOf = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });

const callerArb: fc.Arbitrary<Caller> = fc.record({
  groups: fc.subarray([...GROUPS]),
  scopes: fc.subarray([...SCOPES]),
  tokenUse: fc.constantFrom('access' as const, 'id' as const),
  machine: fc.boolean(),
  tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
});

const ruleArb: fc.Arbitrary<RuleJson> = fc.record(
  {
    groups: someOf(GROUPS),
    allGroups: someOf(GROUPS),
    denyGroups: someOf(GROUPS),
    scopes: someOf(SCOPES),
    allScopes: someOf(SCOPES),
    tokenUse: fc.constantFrom('access' as const, 'id' as const),
    caller: fc.constantFrom('user' as const, 'client' as const),
    claims: fc.record({
      'custom:tier': fc.oneof(fc.constantFrom(...TIERS), someOf(TIERS)),
    }),
  },
  { requiredKeys: [] },
);

describe('rules as JSON, against a model of what each field means', () => {
  it('allows exactly the callers the model allows', async () => {
    await fc.assert(
      fc.asyncProperty(ruleArb, callerArb, async (json, caller) => {
        const rule = ruleFromJson(json);
        const failure = await rule?.check(principalOf(caller));
        expect(failure === undefined).toBe(modelAllows(json, caller));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses, with its reason, a caller who fails only that field', async () => {
    const member: Caller = {
      groups: ['movies-group'],
      scopes: ['movies/read'],
      tokenUse: 'access',
      machine: false,
      tier: 'gold',
    };
    const cases: [RuleJson, Caller, string][] = [
      [{ groups: ['editors'] }, member, 'group_missing'],
      [{ allGroups: ['movies-group', 'editors'] }, member, 'group_missing'],
      [{ denyGroups: ['movies-group'] }, member, 'group_denied'],
      [{ scopes: ['shows/read'] }, member, 'scope_missing'],
      [{ allScopes: ['movies/read', 'movies/write'] }, member, 'scope_missing'],
      [{ tokenUse: 'id' }, member, 'token_use_not_allowed'],
      [{ caller: 'client' }, member, 'caller_not_allowed'],
      [{ caller: 'user' }, { ...member, machine: true }, 'caller_not_allowed'],
      [{ claims: { 'custom:tier': 'silver' } }, member, 'claim_mismatch'],
      [{ claims: { 'custom:tier': ['silver'] } }, member, 'claim_mismatch'],
    ];
    const got = [];
    for (const [json, caller] of cases) {
      got.push([json, (await ruleFromJson(json)?.check(principalOf(caller)))?.reason]);
    }
    expect(got).toEqual(cases.map(([json, , reason]) => [json, reason]));
    // And the same member passes each field when it holds.
    const held: RuleJson[] = [
      { groups: ['movies-group'] },
      { allGroups: ['movies-group'] },
      { denyGroups: ['suspended'] },
      { scopes: ['movies/read'] },
      { allScopes: ['movies/read'] },
      { tokenUse: 'access' },
      { caller: 'user' },
      { claims: { 'custom:tier': ['silver', 'gold'] } },
    ];
    for (const json of held)
      expect(await ruleFromJson(json)?.check(principalOf(member))).toBe(undefined);
  });

  it('names the rule and the field at fault, and what the field held', () => {
    const messages = [
      { groups: [''] },
      { scopes: [] },
      { caller: 'robot' },
      { claims: { x: 3 } },
      { claims: { 'custom:tier': '' } },
    ].map((json) => {
      try {
        ruleFromJson(json as never, 'GET /movies');
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(messages).toEqual([
      'Invalid GET /movies: groups.0: must not be empty',
      'Invalid GET /movies: scopes: must list at least one name',
      'Invalid GET /movies: caller: must be one of "user", "client", got "robot"',
      'Invalid GET /movies: claims.x: has an invalid value (3)',
      'Invalid GET /movies: claims.custom:tier: must not be empty',
    ]);
    expect(() => ruleFromJson({ public: true, scopes: ['a'] })).toThrow(
      'Invalid rule: public: a public rule may not list conditions',
    );
  });
});
