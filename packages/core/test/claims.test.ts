import { normaliseGroups, normaliseScopes } from '../src/subpaths/advanced';

describe('normaliseGroups', () => {
  it.each([
    ['a JSON array (raw JWT)', ['movies-group', 'shows-group'], ['movies-group', 'shows-group']],
    [
      "the REST Cognito authorizer's comma-joined string",
      'movies-group,shows-group',
      ['movies-group', 'shows-group'],
    ],
    ['a single REST group', 'team_manager', ['team_manager']],
    [
      "the HTTP API JWT authorizer's bracketed string",
      '[movies-group shows-group]',
      ['movies-group', 'shows-group'],
    ],
    ['a single bracketed group', '[admins]', ['admins']],
    ['an empty bracket', '[]', []],
    ['a missing claim', undefined, []],
    ['null', null, []],
    ['an empty string', '', []],
    ['an empty array', [], []],
  ])('reads %s', (_label, input, expected) => {
    expect(normaliseGroups(input)).toEqual(expected);
  });

  it('drops hostile entries instead of coercing them', () => {
    expect(normaliseGroups(['a', 5, null, { x: 1 }, ['b'], '', 'c'])).toEqual(['a', 'c']);
    expect(normaliseGroups({ 0: 'admins', length: 1 })).toEqual([]);
    expect(normaliseGroups(42)).toEqual([]);
    expect(normaliseGroups(true)).toEqual([]);
  });

  it('keeps names like __proto__ and constructor as plain strings', () => {
    expect(normaliseGroups(['__proto__', 'constructor'])).toEqual(['__proto__', 'constructor']);
    expect(normaliseGroups('__proto__,constructor')).toEqual(['__proto__', 'constructor']);
  });

  it('honours an explicit encoding when the shape is ambiguous', () => {
    expect(normaliseGroups('[x]', 'comma')).toEqual(['[x]']);
    expect(normaliseGroups('[a,b] [c]', 'bracket')).toEqual(['a,b]', '[c']);
    expect(normaliseGroups('[[x] y]', 'bracket')).toEqual(['[x]', 'y']);
    expect(normaliseGroups('a b', 'bracket')).toEqual(['a', 'b']);
    // A signed token's string claim is one group, as aws-jwt-verify reads it.
    expect(normaliseGroups('a,b', 'json')).toEqual(['a,b']);
  });
});

describe('normaliseScopes', () => {
  it.each([
    ['a space-separated scope claim', 'openid movies/read', ['openid', 'movies/read']],
    ['the HTTP API scopes list', ['movies/read', 'movies/write'], ['movies/read', 'movies/write']],
    ['a bracketed string', '[a b]', ['a', 'b']],
    ['null scopes (route without scopes)', null, []],
    ['a missing claim', undefined, []],
    ['a non-string', 7, []],
  ])('reads %s', (_label, input, expected) => {
    expect(normaliseScopes(input)).toEqual(expected);
  });
});
