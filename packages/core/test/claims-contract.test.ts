// The edges of claim normalisation: whitespace, empty pieces, brackets that are and are not a
// list, and results that cannot be changed by whoever reads them.

import { normaliseGroups, normaliseScopes } from '../src/subpaths/advanced';

describe('claim normalisation edges', () => {
  it('reads groups with whitespace and empty pieces the same way in every encoding', () => {
    expect(normaliseGroups(' a , ,b ,')).toEqual(['a', 'b']);
    expect(normaliseGroups('   ')).toEqual([]);
    expect(normaliseGroups('[ a   b ]')).toEqual(['a', 'b']);
    expect(normaliseGroups('[a,b c]')).toEqual(['a,b', 'c']);
    expect(normaliseGroups('  a,b  ', 'json')).toEqual(['a,b']);
    expect(normaliseGroups('   ', 'json')).toEqual([]);
    expect(normaliseGroups('[', 'auto')).toEqual(['[']);
    expect(normaliseGroups('x]', 'auto')).toEqual(['x]']);
    expect(normaliseGroups('[a] ', 'comma')).toEqual(['[a]']);
    expect(normaliseGroups('[a')).toEqual(['[a']);
    expect(normaliseGroups('[a\tb]')).toEqual(['a', 'b']);
  });

  it('reads scopes split on whitespace only, bracketed or not', () => {
    expect(normaliseScopes('  a   b  ')).toEqual(['a', 'b']);
    expect(normaliseScopes('a,b')).toEqual(['a,b']);
    expect(normaliseScopes('[]')).toEqual([]);
    expect(normaliseScopes('[')).toEqual(['[']);
    expect(normaliseScopes('[a')).toEqual(['[a']);
    expect(normaliseScopes('a]')).toEqual(['a]']);
    expect(normaliseScopes(' [a b] ')).toEqual(['a', 'b']);
    expect(normaliseScopes('   ')).toEqual([]);
    expect(normaliseScopes(['a', '', 3, 'b'])).toEqual(['a', 'b']);
    expect(normaliseScopes({ scope: 'a' })).toEqual([]);
  });

  it('gives every caller the same frozen empty list, and frozen single groups', () => {
    const empty = normaliseGroups(undefined);
    expect(Object.isFrozen(empty)).toBe(true);
    expect(normaliseGroups(null)).toBe(empty);
    expect(normaliseGroups('')).toBe(empty);
    expect(normaliseGroups(7)).toBe(empty);
    expect(normaliseScopes(undefined)).toBe(empty);
    expect(normaliseScopes(false)).toBe(empty);
    expect(Object.isFrozen(normaliseGroups('a', 'json'))).toBe(true);
  });
});
