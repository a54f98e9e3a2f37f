// Claim rules by name and by JSON Pointer, on verified tokens' typed claims and on the strings an
// API Gateway authorizer passes on.

import fc from 'fast-check';
import { ConfigError, requireClaim } from '../src';
import { compileClaimPath } from '../src/policy/claim-path';
import { createPrincipal } from '../src/token/principal';

const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

describe('compileClaimPath', () => {
  it('finds a value placed at any path, whatever the segments hold (pointer encode/decode)', () => {
    const segment = fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('a', '/', '~', '0', '1', '.', ':'),
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.string(), (path, value) => {
        let claims: unknown = value;
        for (const key of [...path].reverse()) claims = { [key]: claims };
        const pointer = `/${path.map(escapeSegment).join('/')}`;
        const found = compileClaimPath(pointer).lookup(claims as Record<string, unknown>, false);
        expect(found).toEqual({ value });
      }),
    );
  });

  it('reads array elements by index and nothing else', () => {
    const claims = { roles: ['reader', 'writer'], org: { teams: [{ id: 't1' }] } };
    expect(compileClaimPath('/roles/1').lookup(claims, false)).toEqual({ value: 'writer' });
    expect(compileClaimPath('/org/teams/0/id').lookup(claims, false)).toEqual({ value: 't1' });
    for (const path of [
      '/roles/01',
      '/roles/-',
      '/roles/length',
      '/org/teams/x',
      '/org/missing/id',
    ]) {
      expect(compileClaimPath(path).lookup(claims, false)).toEqual({ value: undefined });
    }
    // Indexes of more than one digit; a null on the way ends the path, as any value without it.
    const many = { list: Array.from({ length: 12 }, (_, i) => `v${i}`), org: null };
    expect(compileClaimPath('/list/10').lookup(many, false)).toEqual({ value: 'v10' });
    expect(compileClaimPath('/org/x').lookup(many, false)).toEqual({ value: undefined });
    // Inherited properties are not claims.
    expect(compileClaimPath('/org/constructor').lookup(claims, false)).toEqual({
      value: undefined,
    });
    expect(compileClaimPath('toString').lookup(claims, false)).toEqual({ value: undefined });
  });

  it('reads a name without a leading slash as one claim, dots and colons included', () => {
    const claims = {
      'https://example.com/roles': 'admin',
      'tenant.id': 't1',
      tenant: { id: 't2' },
    };
    expect(compileClaimPath('https://example.com/roles').lookup(claims, false)).toEqual({
      value: 'admin',
    });
    expect(compileClaimPath('tenant.id').lookup(claims, false)).toEqual({ value: 't1' });
    expect(compileClaimPath('/tenant/id').lookup(claims, false)).toEqual({ value: 't2' });
  });

  it('calls stringified nested values and lists ambiguous', () => {
    const claims = { tenant: '{"id":"t1"}', features: '[beta x]', plan: 'gold', padded: '  [x]' };
    expect(compileClaimPath('/tenant/id').lookup(claims, true)).toEqual({ ambiguous: true });
    expect(compileClaimPath('features').lookup(claims, true)).toEqual({ ambiguous: true });
    expect(compileClaimPath('padded').lookup(claims, true)).toEqual({ ambiguous: true });
    // An object stringified, read whole; and any string a path goes into, however it reads.
    expect(compileClaimPath('tenant').lookup(claims, true)).toEqual({ ambiguous: true });
    expect(compileClaimPath('/plan/tier').lookup(claims, true)).toEqual({ ambiguous: true });
    expect(compileClaimPath('/plan').lookup(claims, true)).toEqual({ value: 'gold' });
    expect(compileClaimPath('plan').lookup(claims, true)).toEqual({ value: 'gold' });
    // The same strings in a verified token are plain strings.
    expect(compileClaimPath('features').lookup(claims, false)).toEqual({ value: '[beta x]' });
  });

  it('refuses an empty name and a bad escape at start-up', () => {
    for (const bad of ['', '/', '/a~2b', '/a~']) {
      expect(() => compileClaimPath(bad)).toThrow(ConfigError);
    }
    expect(() => requireClaim('/tenant~id', 'x')).toThrow('"/tenant~id": "~" must be written ~0');
    expect(() => compileClaimPath('/a~')).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'name' })] }),
    );
  });
});

describe('requireClaim with JSON Pointers', () => {
  const principal = (claims: Record<string, unknown>, algorithm: string | undefined) =>
    createPrincipal({
      claims: { sub: 'u', token_use: 'access', ...claims },
      userPoolId: 'p',
      issuer: 'i',
      algorithm,
    });

  it('matches nested values and any element of an array on a verified token', () => {
    const verified = principal({ tenant: { id: 'acme', regions: ['eu', 'us'] } }, 'RS256');
    expect(requireClaim('/tenant/id', 'acme').check(verified)).toBeUndefined();
    expect(requireClaim('/tenant/regions', 'us').check(verified)).toBeUndefined();
    expect(requireClaim('/tenant/regions', 'ap').check(verified)).toEqual({
      reason: 'claim_mismatch',
    });
    expect(requireClaim('/tenant', 'acme').check(verified)).toEqual({ reason: 'claim_mismatch' });
  });

  it('fails closed (claims_ambiguous) on claims an authorizer stringified', () => {
    const trusted = principal({ tenant: '{id=acme}', features: '[beta]', plan: 'gold' }, undefined);
    expect(requireClaim('/tenant/id', 'acme').check(trusted)).toEqual({
      reason: 'claims_ambiguous',
    });
    expect(requireClaim('features', ['beta', '[beta]']).check(trusted)).toEqual({
      reason: 'claims_ambiguous',
    });
    expect(requireClaim('plan', 'gold').check(trusted)).toBeUndefined();
  });
});
