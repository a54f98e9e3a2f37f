import {
  allOf,
  anyOf,
  authenticated,
  ConfigError,
  denyGroups,
  type Principal,
  predicate,
  requireAllGroups,
  requireAllScopes,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
  ruleFromJson,
  toRule,
} from '../src';
import { createPrincipal } from '../src/subpaths/advanced';

function principal(claims: Record<string, unknown>): Principal {
  return createPrincipal({
    claims: { sub: 'u1', token_use: 'access', exp: 2_000_000_000, ...claims },
    userPoolId: 'eu-west-1_a',
    issuer: 'https://issuer',
  });
}

const alice = principal({
  username: 'alice',
  'cognito:groups': ['movies-group'],
  scope: 'movies/read',
});
const carol = principal({
  'cognito:groups': ['movies-group', 'shows-group'],
  scope: 'movies/read movies/write',
  'custom:tier': 'gold',
  level: 3,
  beta: true,
  tags: ['x', 'y'],
});
const dave = principal({});

describe('rules', () => {
  it('requireGroups is any-of', () => {
    expect(requireGroups('movies-group', 'admins').check(alice)).toBeUndefined();
    expect(requireGroups('shows-group').check(alice)).toEqual({ reason: 'group_missing' });
    expect(requireGroups('movies-group').check(dave)).toEqual({ reason: 'group_missing' });
    expect(requireGroups(['shows-group', 'movies-group']).check(alice)).toBeUndefined();
  });

  it('requireAllGroups is all-of', () => {
    expect(requireAllGroups('movies-group', 'shows-group').check(carol)).toBeUndefined();
    expect(requireAllGroups('movies-group', 'shows-group').check(alice)).toEqual({
      reason: 'group_missing',
    });
  });

  it('denyGroups refuses members', () => {
    expect(denyGroups('shows-group').check(alice)).toBeUndefined();
    expect(denyGroups('shows-group').check(carol)).toEqual({ reason: 'group_denied' });
  });

  it('scope rules report the scopes that would satisfy them', () => {
    expect(requireScopes('movies/write', 'movies/read').check(alice)).toBeUndefined();
    expect(requireScopes('movies/write').check(alice)).toEqual({
      reason: 'scope_missing',
      scopes: ['movies/write'],
    });
    expect(requireAllScopes('movies/read', 'movies/write').check(carol)).toBeUndefined();
    expect(requireAllScopes('movies/read', 'movies/write').check(alice)).toMatchObject({
      reason: 'scope_missing',
    });
  });

  it('requireClaim compares strings, scalars by string form, and any array element', () => {
    expect(requireClaim('custom:tier', ['gold', 'platinum']).check(carol)).toBeUndefined();
    expect(requireClaim('custom:tier', 'platinum').check(carol)).toEqual({
      reason: 'claim_mismatch',
    });
    expect(requireClaim('level', '3').check(carol)).toBeUndefined();
    expect(requireClaim('beta', 'true').check(carol)).toBeUndefined();
    expect(requireClaim('tags', 'y').check(carol)).toBeUndefined();
    expect(requireClaim('custom:tier', 'gold').check(dave)).toEqual({ reason: 'claim_mismatch' });
    expect(requireClaim('toString', 'x').check(dave)).toEqual({ reason: 'claim_mismatch' });
  });

  it('requireTokenUse checks the token kind', () => {
    expect(requireTokenUse('access').check(alice)).toBeUndefined();
    expect(requireTokenUse('id').check(alice)).toEqual({ reason: 'token_use_not_allowed' });
  });

  it('predicates may be sync or async, and only `true` allows', async () => {
    expect(predicate((p) => p.username === 'alice').check(alice)).toBeUndefined();
    expect(predicate(() => 1 as unknown as boolean).check(alice)).toEqual({
      reason: 'rule_failed',
    });
    await expect(predicate(async () => true).check(alice)).resolves.toBeUndefined();
    await expect(predicate(async () => false).check(alice)).resolves.toEqual({
      reason: 'rule_failed',
    });
  });

  it('anyOf allows on the first satisfied rule and otherwise reports the first failure', async () => {
    expect(
      anyOf(requireGroups('admins'), requireScopes('movies/read')).check(alice),
    ).toBeUndefined();
    expect(anyOf(requireGroups('admins'), requireScopes('x')).check(alice)).toEqual({
      reason: 'group_missing',
    });
    await expect(
      anyOf(async () => false, requireGroups('movies-group')).check(alice),
    ).resolves.toBeUndefined();
    await expect(anyOf(requireGroups('admins'), async () => false).check(alice)).resolves.toEqual({
      reason: 'group_missing',
    });
    await expect(
      anyOf(async () => true, requireGroups('admins')).check(alice),
    ).resolves.toBeUndefined();
  });

  it('allOf needs every rule and reports the first failure', async () => {
    expect(
      allOf(requireGroups('movies-group'), requireScopes('movies/read')).check(alice),
    ).toBeUndefined();
    expect(allOf(requireGroups('movies-group'), requireScopes('x')).check(alice)).toMatchObject({
      reason: 'scope_missing',
    });
    await expect(allOf(async () => true, requireGroups('admins')).check(alice)).resolves.toEqual({
      reason: 'group_missing',
    });
    await expect(
      allOf(async () => false, requireGroups('movies-group')).check(alice),
    ).resolves.toEqual({ reason: 'rule_failed' });
    await expect(
      allOf(async () => true, requireGroups('movies-group')).check(alice),
    ).resolves.toBeUndefined();
  });

  it('describes itself for logs', () => {
    expect(allOf(requireGroups('a'), denyGroups('b')).description).toBe(
      'all of (groups any of [a]; groups none of [b])',
    );
    expect(authenticated.check(dave)).toBeUndefined();
  });

  it('refuses bad arguments at creation, naming them', () => {
    expect(() => requireGroups()).toThrow(ConfigError);
    expect(() => requireGroups('')).toThrow(/requireGroups/);
    expect(() => requireScopes(5 as unknown as string)).toThrow(ConfigError);
    expect(() => requireClaim('', 'x')).toThrow(/name/);
    expect(() => requireClaim('x', [])).toThrow(/values/);
    expect(() => requireTokenUse('refresh' as 'id')).toThrow(/tokenUse/);
    expect(() => predicate('x' as unknown as () => boolean)).toThrow(/test/);
    expect(() => anyOf()).toThrow(/rules/);
    expect(() => toRule({} as never)).toThrow(/rule/);
  });
});

describe('rules as JSON', () => {
  it('compiles every field into the same checks', async () => {
    const rule = ruleFromJson({
      groups: ['movies-group'],
      allGroups: ['movies-group', 'shows-group'],
      denyGroups: ['suspended'],
      scopes: ['movies/read'],
      allScopes: ['movies/read', 'movies/write'],
      tokenUse: 'access',
      claims: { 'custom:tier': ['gold'], level: '3' },
    });
    expect(rule?.check(carol)).toBeUndefined();
    expect(rule?.check(alice)).toEqual({ reason: 'group_missing' });
  });

  it('an empty object means any verified token; public means no token at all', () => {
    expect(ruleFromJson({})).toBe(authenticated);
    expect(ruleFromJson({ public: true })).toBeUndefined();
    expect(ruleFromJson({ public: false, groups: ['a'] })?.check(dave)).toEqual({
      reason: 'group_missing',
    });
  });

  it('refuses typos, empty lists and public rules with conditions, naming the fields', () => {
    expect(() => ruleFromJson({ group: ['a'] } as never)).toThrow(/group: is not a known option/);
    expect(() => ruleFromJson({ groups: [] })).toThrow(/groups/);
    expect(() => ruleFromJson({ public: true, groups: ['a'] })).toThrow(/public/);
    expect(() => ruleFromJson({ tokenUse: 'refresh' } as never)).toThrow(/tokenUse/);
    expect(() => ruleFromJson({ claims: { x: [] } })).toThrow(/claims\.x/);
  });
});

describe('rules: the cases mutation testing found untested', () => {
  it('describes all-of scope rules by their scopes', () => {
    expect(requireAllScopes('movies/read', 'movies/write').description).toBe(
      'scopes all of [movies/read, movies/write]',
    );
  });

  it('refuses an empty or non-string claim name, and no values, at start-up', () => {
    expect(() => requireClaim('', 'gold')).toThrow(ConfigError);
    expect(() => requireClaim(42 as unknown as string, 'gold')).toThrow(/name/);
    expect(() => requireClaim('custom:tier', [])).toThrow(/values/);
    expect(() => requireClaim('custom:tier', undefined as unknown as string)).toThrow(/values/);
    expect(requireClaim('custom:tier', ['gold', 'platinum']).description).toBe(
      'claim custom:tier in [gold, platinum]',
    );
  });

  it('never matches an object, null or missing claim by its string form', () => {
    const odd = principal({ meta: { a: 1 }, nothing: null, list: [{ a: 1 }, null] });
    expect(requireClaim('meta', '[object Object]').check(odd)).toEqual({
      reason: 'claim_mismatch',
    });
    expect(requireClaim('nothing', 'null').check(odd)).toEqual({ reason: 'claim_mismatch' });
    expect(requireClaim('list', ['[object Object]', 'null']).check(odd)).toEqual({
      reason: 'claim_mismatch',
    });
    expect(requireClaim('missing', 'undefined').check(odd)).toEqual({ reason: 'claim_mismatch' });
  });

  it('refuses anything but a rule or a predicate as a rule', () => {
    for (const bad of [{}, null, { check: 'yes' }, 'admins', 42]) {
      expect(() => toRule(bad as never)).toThrow(ConfigError);
    }
  });

  it('allOf allows when every rule allows, sync and async; anyOf reports the first failure', async () => {
    const yes = () => true;
    const later = async () => true;
    expect(allOf(yes, authenticated, yes).check(alice)).toBeUndefined();
    expect(await allOf(later, yes, later).check(alice)).toBeUndefined();
    expect(anyOf(requireGroups('x'), requireScopes('y')).check(alice)).toEqual({
      reason: 'group_missing',
    });
    expect(await anyOf(async () => false, requireScopes('y')).check(alice)).toEqual({
      reason: 'rule_failed',
    });
  });

  it('denyGroups reads an ambiguous comma-joined list only as runs of its own pieces', () => {
    const ambiguous = { ...alice, groups: ['a', 'b'], groupsAmbiguous: true } as Principal;
    expect(denyGroups('a,b').check(ambiguous)).toEqual({ reason: 'group_denied' });
    expect(denyGroups('a,b,undefined', 'undefined,a').check(ambiguous)).toBeUndefined();
  });
});

describe('rules: short-circuits and refusals', () => {
  it('allOf stops at the first failure: later rules, sync or async, never run', async () => {
    const ran: string[] = [];
    const spy = (name: string, verdict: boolean) => () => {
      ran.push(name);
      return verdict;
    };
    const asyncSpy = (name: string, verdict: boolean) => async () => {
      ran.push(name);
      return verdict;
    };
    expect(allOf(spy('a', false), spy('b', true)).check(alice)).toEqual({ reason: 'rule_failed' });
    expect(await allOf(asyncSpy('c', false), asyncSpy('d', true)).check(alice)).toEqual({
      reason: 'rule_failed',
    });
    expect(
      await allOf(asyncSpy('e', true), asyncSpy('f', false), spy('g', true)).check(alice),
    ).toEqual({ reason: 'rule_failed' });
    expect(ran).toEqual(['a', 'c', 'e', 'f']);
    expect(allOf(requireGroups('movies-group'), requireScopes('movies/read')).description).toBe(
      'all of (groups any of [movies-group]; scopes any of [movies/read])',
    );
  });

  it('refuses undefined as a rule, and a name list with any empty name', () => {
    expect(() => toRule(undefined as never)).toThrow(ConfigError);
    expect(() => requireGroups('movies-group', '')).toThrow(ConfigError);
    expect(() => denyGroups(['suspended', 7 as unknown as string])).toThrow(ConfigError);
    expect(denyGroups('suspended', 'banned').description).toBe(
      'groups none of [suspended, banned]',
    );
  });
});
