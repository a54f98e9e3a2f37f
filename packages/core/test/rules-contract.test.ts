// The exact contract of every rule: its description (what logs and onDecision show), its
// failure, the errors its arguments get, and how combinations report failures, sync and async.

import {
  allOf,
  anyOf,
  authenticated,
  denyGroups,
  predicate,
  type Rule,
  requireAllGroups,
  requireAllScopes,
  requireCaller,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
  toRule,
} from '../src';
import { createPrincipal } from '../src/subpaths/advanced';
import { configErrorMessage } from './helpers';

const principal = (claims: Record<string, unknown> = {}, groupsEncoding?: 'comma') =>
  createPrincipal({
    claims: { sub: 's', token_use: 'access', ...claims },
    userPoolId: 'p',
    issuer: 'i',
    ...(groupsEncoding ? { groupsEncoding } : {}),
  });

describe('rule descriptions', () => {
  it.each<[Rule, string]>([
    [requireGroups('a', ['b', 'c']), 'groups any of [a, b, c]'],
    [requireAllGroups('a', 'b'), 'groups all of [a, b]'],
    [denyGroups('x'), 'groups none of [x]'],
    [requireScopes('s/r', 's/w'), 'scopes any of [s/r, s/w]'],
    [requireAllScopes('s/r'), 'scopes all of [s/r]'],
    [requireClaim('custom:tier', ['gold', 'platinum']), 'claim custom:tier in [gold, platinum]'],
    [requireClaim('tier', 'gold'), 'claim tier in [gold]'],
    [requireTokenUse('id'), 'token use id'],
    [requireCaller('client'), 'caller client'],
    [requireCaller('user'), 'caller user'],
    [predicate(() => true), 'custom predicate'],
    [predicate(() => true, 'is staff'), 'is staff'],
    [
      anyOf(requireGroups('a'), requireScopes('s')),
      'any of (groups any of [a]; scopes any of [s])',
    ],
    [allOf(requireGroups('a'), () => true), 'all of (groups any of [a]; custom predicate)'],
    [authenticated, 'authenticated'],
  ])('%#: %s', (rule, description) => {
    expect(rule.description).toBe(description);
    expect(Object.isFrozen(rule)).toBe(true);
  });
});

describe('rule failures', () => {
  it('names the reason, and the scopes that would satisfy a scope rule', () => {
    expect(requireGroups('a').check(principal())).toEqual({ reason: 'group_missing' });
    expect(requireAllGroups('a').check(principal())).toEqual({ reason: 'group_missing' });
    expect(denyGroups('a').check(principal({ 'cognito:groups': ['a'] }))).toEqual({
      reason: 'group_denied',
    });
    expect(requireScopes('s/r', 's/w').check(principal({ scope: 'x' }))).toEqual({
      reason: 'scope_missing',
      scopes: ['s/r', 's/w'],
    });
    expect(requireAllScopes('s/r', 's/w').check(principal({ scope: 's/r' }))).toEqual({
      reason: 'scope_missing',
      scopes: ['s/r', 's/w'],
    });
    expect(requireTokenUse('id').check(principal())).toEqual({ reason: 'token_use_not_allowed' });
    expect(requireTokenUse('access').check(principal())).toBeUndefined();
    expect(authenticated.check(principal())).toBeUndefined();
  });

  it('any-of matches one of several groups, and a group among several', () => {
    expect(
      requireGroups('a', 'b').check(principal({ 'cognito:groups': ['x', 'b'] })),
    ).toBeUndefined();
    expect(requireScopes('a', 'b').check(principal({ scope: 'x b' }))).toBeUndefined();
    expect(denyGroups('a', 'b').check(principal({ 'cognito:groups': ['x', 'b'] }))).toEqual({
      reason: 'group_denied',
    });
    expect(denyGroups('a').check(principal({ 'cognito:groups': ['x'] }))).toBeUndefined();
  });

  it('reads ambiguous comma-joined groups: allow-rules fail closed, deny-rules match any run', () => {
    const joined = principal({ 'cognito:groups': 'a,b,c' }, 'comma');
    expect(requireGroups('a').check(joined)).toEqual({ reason: 'groups_ambiguous' });
    expect(requireAllGroups('a').check(joined)).toEqual({ reason: 'groups_ambiguous' });
    expect(denyGroups('b,c').check(joined)).toEqual({ reason: 'group_denied' });
    expect(denyGroups('a,b').check(joined)).toEqual({ reason: 'group_denied' });
    expect(denyGroups('a,c').check(joined)).toBeUndefined();
    expect(denyGroups('c,a').check(joined)).toBeUndefined();
  });
});

describe('claim rules read claims by where they came from', () => {
  // A string that API Gateway could have made from an array, and a nested object.
  const claims = { sub: 's', token_use: 'access', label: '[beta]', tenant: { id: 'acme' } };
  const verified = createPrincipal({ claims, userPoolId: 'p', issuer: 'i', algorithm: 'RS256' });

  it('reads the claims of a verified token with their JSON types', () => {
    expect(requireClaim('label', '[beta]').check(verified)).toBeUndefined();
    expect(requireClaim('/tenant/id', 'acme').check(verified)).toBeUndefined();
  });

  it('fails closed where the strings of an authorizer could stand for arrays or objects', () => {
    const fromAuthorizer = principal({ label: '[beta]', tenant: '{"id":"acme"}' });
    const ambiguous = { reason: 'claims_ambiguous' };
    expect(requireClaim('label', '[beta]').check(fromAuthorizer)).toEqual(ambiguous);
    expect(requireClaim('/tenant/id', 'acme').check(fromAuthorizer)).toEqual(ambiguous);
  });

  it('gives an object cognito-guard did not build the stricter, authorizer reading', () => {
    // A copy has no provenance: nothing vouches that its strings were strings in a token.
    const copy = { ...verified };
    expect(requireClaim('label', '[beta]').check(copy)).toEqual({ reason: 'claims_ambiguous' });
    expect(requireClaim('/tenant/id', 'acme').check(copy)).toBeUndefined();
  });
});

describe('rule arguments', () => {
  it.each<[string, () => unknown, string]>([
    [
      'requireGroups()',
      () => requireGroups(),
      'Invalid requireGroups: arguments: must be one or more non-empty strings',
    ],
    [
      'requireGroups("")',
      () => requireGroups(''),
      'Invalid requireGroups: arguments: must be one or more non-empty strings',
    ],
    [
      'requireAllGroups([])',
      () => requireAllGroups([]),
      'Invalid requireAllGroups: arguments: must be one or more non-empty strings',
    ],
    [
      'denyGroups(1)',
      () => denyGroups(1 as never),
      'Invalid denyGroups: arguments: must be one or more non-empty strings',
    ],
    [
      'requireScopes()',
      () => requireScopes(),
      'Invalid requireScopes: arguments: must be one or more non-empty strings',
    ],
    [
      'requireAllScopes()',
      () => requireAllScopes(),
      'Invalid requireAllScopes: arguments: must be one or more non-empty strings',
    ],
    [
      'requireClaim("")',
      () => requireClaim('', 'x'),
      'Invalid requireClaim: name: must be a claim name or a JSON Pointer such as /tenant/id',
    ],
    [
      'requireClaim(x, [])',
      () => requireClaim('x', []),
      'Invalid requireClaim: values: must be one or more non-empty strings',
    ],
    [
      'requireTokenUse(both)',
      () => requireTokenUse('both' as never),
      'Invalid requireTokenUse: tokenUse: must be "access" or "id"',
    ],
    [
      'requireCaller(robot)',
      () => requireCaller('robot' as never),
      'Invalid requireCaller: kind: must be "user" or "client"',
    ],
    ['predicate(1)', () => predicate(1 as never), 'Invalid predicate: test: must be a function'],
    ['anyOf()', () => anyOf(), 'Invalid anyOf: rules: must list at least one rule'],
    ['allOf()', () => allOf(), 'Invalid allOf: rules: must list at least one rule'],
    [
      'toRule({})',
      () => toRule({} as never),
      'Invalid rule: rule: must be a rule or a predicate function',
    ],
    [
      'toRule(null)',
      () => toRule(null as never),
      'Invalid rule: rule: must be a rule or a predicate function',
    ],
  ])('%s', (_label, run, message) => {
    expect(configErrorMessage(run)).toBe(message);
  });
});

describe('combinations', () => {
  const fail = (reason: 'group_missing' | 'scope_missing' | 'rule_failed'): Rule => ({
    description: reason,
    check: () => ({ reason }),
  });
  const failLater = (reason: 'group_missing' | 'scope_missing'): Rule => ({
    description: reason,
    check: async () => ({ reason }),
  });
  const pass: Rule = { description: 'pass', check: () => undefined };
  const passLater: Rule = { description: 'pass', check: async () => undefined };
  const p = principal();

  it('any-of reports its first failure, or passes on any pass, staying synchronous', () => {
    expect(anyOf(fail('group_missing'), fail('scope_missing')).check(p)).toEqual({
      reason: 'group_missing',
    });
    expect(anyOf(fail('group_missing'), pass).check(p)).toBeUndefined();
    expect(anyOf(pass, fail('group_missing')).check(p)).toBeUndefined();
  });

  it('all-of reports the first failure in order, or passes when all pass', () => {
    expect(allOf(pass, fail('scope_missing'), fail('group_missing')).check(p)).toEqual({
      reason: 'scope_missing',
    });
    expect(allOf(pass, pass).check(p)).toBeUndefined();
  });

  it('the same when a rule answers asynchronously, before or after other rules', async () => {
    expect(await anyOf(failLater('group_missing'), fail('scope_missing')).check(p)).toEqual({
      reason: 'group_missing',
    });
    expect(await anyOf(fail('scope_missing'), failLater('group_missing')).check(p)).toEqual({
      reason: 'scope_missing',
    });
    expect(await anyOf(failLater('group_missing'), passLater).check(p)).toBeUndefined();
    expect(await anyOf(failLater('group_missing'), pass).check(p)).toBeUndefined();
    expect(
      await allOf(passLater, failLater('scope_missing'), fail('group_missing')).check(p),
    ).toEqual({
      reason: 'scope_missing',
    });
    expect(await allOf(passLater, pass, passLater).check(p)).toBeUndefined();
    expect(await allOf(failLater('group_missing'), pass).check(p)).toEqual({
      reason: 'group_missing',
    });
    const syncFirst = allOf(pass, passLater).check(p);
    expect(syncFirst).toBeInstanceOf(Promise);
    expect(allOf(pass, pass).check(p)).toBeUndefined();
  });
});
