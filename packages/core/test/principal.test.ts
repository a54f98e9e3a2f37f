// createPrincipal reads each claim the one way the guards rely on: a claim of the wrong type
// is absent, never passed through; a machine is recognised only by its whole signature; groups
// arrive in every encoding API Gateway uses and say when a comma leaves them ambiguous.

import { createPrincipal, isPrincipal, provenanceOf } from '../src/subpaths/advanced';

const POOL = 'eu-west-1_abc';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const principalOf = (
  claims: Record<string, unknown>,
  more: Partial<Parameters<typeof createPrincipal>[0]> = {},
) => createPrincipal({ claims, userPoolId: POOL, issuer: ISSUER, ...more });

describe('createPrincipal', () => {
  it('leaves out a claim of the wrong type rather than passing it through', () => {
    const principal = principalOf({
      sub: 7,
      username: 42,
      client_id: ['app'],
      exp: '1999999999',
      token_use: 'access',
    });
    expect([principal.sub, principal.username, principal.clientId, principal.expiresAt]).toEqual([
      '',
      undefined,
      undefined,
      0,
    ]);
    const id = principalOf({ token_use: 'id', 'cognito:username': 'alice', aud: 'app', exp: 5 });
    expect([id.tokenUse, id.username, id.clientId, id.expiresAt]).toEqual([
      'id',
      'alice',
      'app',
      5,
    ]);
    expect(principalOf({ exp: 5 }, { expiresAt: 9 }).expiresAt).toBe(9);
  });

  it('calls a caller a machine only for an access token without a username whose sub is its client', () => {
    const kind = (claims: Record<string, unknown>) => principalOf(claims).kind;
    expect(kind({ token_use: 'access', sub: 'app', client_id: 'app' })).toBe('client');
    expect(kind({ token_use: 'access', sub: 'app', client_id: 'app', username: 'app' })).toBe(
      'user',
    );
    expect(kind({ token_use: 'access', sub: 'u-1', client_id: 'app' })).toBe('user');
    expect(kind({ token_use: 'id', sub: 'app', aud: 'app' })).toBe('user');
  });

  it('takes scopes given beside the claims over the claim, and shares one list per scope string', () => {
    expect(principalOf({ scope: 'a b' }, { scopes: ['c'] }).scopes).toEqual(['c']);
    expect(principalOf({ scope: 'a b' }, { scopes: null }).scopes).toEqual(['a', 'b']);
    expect(principalOf({ scope: 'a b' }, { scopes: '[c d]' }).scopes).toEqual(['c', 'd']);
    expect(principalOf({ scope: ['a', 'b'] }).scopes).toEqual(['a', 'b']);
    const [first, second] = [principalOf({ scope: 'x y' }), principalOf({ scope: 'x y' })];
    expect(first.scopes).toBe(second.scopes);
    expect(Object.isFrozen(first.scopes)).toBe(true);
  });

  it.each([
    ['json', ['a', 'b'], ['a', 'b'], false],
    ['json', 'a,b', ['a,b'], false],
    ['auto', ['a', 'b'], ['a', 'b'], false],
    ['comma', 'a,b', ['a', 'b'], true],
    ['comma', 'a', ['a'], false],
    ['auto', 'a,b', ['a', 'b'], true],
    ['auto', '[a b]', ['a', 'b'], false],
    ['auto', ' [a,b c]', ['a,b', 'c'], false],
    ['bracket', '[a,b c]', ['a,b', 'c'], false],
  ] as const)('reads %s groups %j as %j, ambiguous: %s', (encoding, raw, groups, ambiguous) => {
    const principal = principalOf({ 'cognito:groups': raw }, { groupsEncoding: encoding });
    expect([principal.groups, principal.groupsAmbiguous]).toEqual([groups, ambiguous]);
    const commaFree = principalOf(
      { 'cognito:groups': raw },
      { groupsEncoding: encoding, commaFreeGroupNames: true },
    );
    expect([commaFree.groups, commaFree.groupsAmbiguous]).toEqual([groups, false]);
  });

  it('freezes a copy of the claims, nested values too, or the parsed payload itself when it owns it', () => {
    const claims = { sub: 's', tenant: { id: 't1', roles: ['r'] } };
    const copied = principalOf(claims);
    expect(Object.isFrozen(claims.tenant)).toBe(false);
    expect(Object.isFrozen(copied.claims['tenant'])).toBe(true);
    expect(Object.isFrozen((copied.claims['tenant'] as { roles: string[] }).roles)).toBe(true);
    const owned = principalOf(claims, { ownClaims: true });
    expect(owned.claims).toBe(claims);
    expect(Object.isFrozen(claims.tenant.roles)).toBe(true);
  });

  it('knows the principals it built, and how, and nothing else', () => {
    const [rs, alsoRs] = [{ algorithm: 'RS256' }, { algorithm: 'RS256' }].map((more) =>
      principalOf({ sub: 's' }, more),
    );
    expect(provenanceOf(rs)).toEqual({ algorithm: 'RS256' });
    expect(provenanceOf(rs)).toBe(provenanceOf(alsoRs));
    expect(isPrincipal(rs)).toBe(true);
    const lookalike = { ...rs };
    for (const value of [lookalike, null, undefined, 'principal', 1]) {
      expect([value, isPrincipal(value), provenanceOf(value)]).toEqual([value, false, undefined]);
    }
  });
});
