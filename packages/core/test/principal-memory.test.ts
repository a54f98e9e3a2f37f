// What a cached principal keeps: one array per list where the token's own would do, and one
// shared scope list per scope string. Sharing must never weaken normalisation or immutability.
import { createHash } from 'node:crypto';
import { createPrincipal } from '../src/subpaths/advanced';
import { Doorkeeper } from '../src/token/doorkeeper';
import { signatureHash } from '../src/token/signature-hash';

const base = {
  userPoolId: 'eu-west-1_abc',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
};
const claims = (extra: Record<string, unknown>): Record<string, unknown> => ({
  sub: 'b1c2',
  token_use: 'access',
  client_id: 'app',
  username: 'alice',
  exp: 2_000_000_000,
  ...extra,
});

describe('principal lists', () => {
  it("uses a verified token's own groups array when it is already normalised, frozen", () => {
    const own = claims({ 'cognito:groups': ['movies-group', 'editors'] });
    const principal = createPrincipal({ ...base, claims: own, ownClaims: true });
    expect(principal.groups).toBe(own['cognito:groups']);
    expect(Object.isFrozen(principal.groups)).toBe(true);
    expect(() => (principal.groups as string[]).push('admins')).toThrow(TypeError);
  });

  it('builds its own groups when the claim holds an empty name or a non-string', () => {
    for (const groups of [
      ['movies-group', ''],
      ['movies-group', 7],
      ['movies-group', null],
    ]) {
      const principal = createPrincipal({
        ...base,
        claims: claims({ 'cognito:groups': groups }),
        ownClaims: true,
      });
      expect(principal.groups).toEqual(['movies-group']);
      expect(principal.groups).not.toBe(principal.claims['cognito:groups']);
    }
  });

  it('never shares the array of claims it does not own', () => {
    const theirs = claims({ 'cognito:groups': ['movies-group'] });
    const principal = createPrincipal({ ...base, claims: theirs });
    expect(principal.groups).toEqual(['movies-group']);
    expect(principal.groups).not.toBe(theirs['cognito:groups']);
  });

  it('shares one frozen scope list per scope string', () => {
    const scope = 'movies/read openid';
    const [a, b] = [1, 2].map(() =>
      createPrincipal({ ...base, claims: claims({ scope }), ownClaims: true }),
    );
    expect(a?.scopes).toEqual(['movies/read', 'openid']);
    expect(a?.scopes).toBe(b?.scopes);
    expect(Object.isFrozen(a?.scopes)).toBe(true);
    const other = createPrincipal({
      ...base,
      claims: claims({ scope: 'movies/write' }),
      ownClaims: true,
    });
    expect(other.scopes).toEqual(['movies/write']);
  });

  it('shares the lists of the first 256 scope strings only, so that sharing stays bounded', () => {
    let fresh!: typeof import('../src/subpaths/advanced');
    jest.isolateModules(() => {
      fresh = require('../src/subpaths/advanced');
    });
    const scopesOf = (scope: string) =>
      fresh.createPrincipal({ ...base, claims: claims({ scope }), ownClaims: true }).scopes;
    for (let n = 1; n < 256; n++) scopesOf(`app/scope-${n}`);
    expect(scopesOf('app/last-shared')).toBe(scopesOf('app/last-shared'));
    const unshared = [scopesOf('app/first-unshared'), scopesOf('app/first-unshared')];
    expect(unshared[0]).toEqual(['app/first-unshared']);
    expect(unshared[0]).not.toBe(unshared[1]);
    expect(Object.isFrozen(unshared[0])).toBe(true);
  });

  it('reads scopes given as an array afresh each time, never from an earlier principal', () => {
    const scopes = ['movies/read'];
    const first = createPrincipal({ ...base, claims: claims({}), scopes });
    scopes.push('movies/write');
    const second = createPrincipal({ ...base, claims: claims({}), scopes });
    expect([first.scopes, second.scopes]).toEqual([
      ['movies/read'],
      ['movies/read', 'movies/write'],
    ]);
  });
});

describe('signature hashes', () => {
  it('hash the characters asked for, and only those', () => {
    const token = 'header.payload.ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    expect(signatureHash(token, 0, 8)).toBe(signatureHash('xxSTUVWXYZ'.replace('xx', 'QR'), 0, 8));
    expect(signatureHash(token, 0, 8)).not.toBe(signatureHash(token, 8, 8));
    expect(signatureHash(`${token.slice(0, -1)}a`, 0, 8)).not.toBe(signatureHash(token, 0, 8));
    expect(signatureHash(`${token.slice(0, -9)}a${token.slice(-8)}`, 0, 8)).toBe(
      signatureHash(token, 0, 8),
    );
    const hash = signatureHash(token, 0, 16);
    expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
  });

  it('are FNV-1a, as its published test vectors give it', () => {
    expect(signatureHash('', 0, 8)).toBe(0x811c9dc5);
    expect(signatureHash('a', 0, 8)).toBe(0xe40c292c);
    expect(signatureHash('foobar', 0, 8)).toBe(0xbf9cf968);
    expect(signatureHash('xxfoobar', 0, 6)).toBe(0xbf9cf968);
    expect(signatureHash('foobarxx', 2, 6)).toBe(0xbf9cf968);
  });

  it('let the doorkeeper tell a second sighting from a first', () => {
    const doorkeeper = new Doorkeeper(100);
    // Signatures as random as RSA's, but the same on every run.
    const signature = (i: number) =>
      Array.from({ length: 11 }, (_, k) =>
        createHash('sha256').update(`${i}/${k}`).digest('base64url'),
      ).join('');
    const tokens = Array.from({ length: 50 }, (_, i) => `h.p.${signature(i)}`);
    expect(tokens.map((t) => doorkeeper.admit(t)).filter(Boolean)).toHaveLength(0);
    expect(tokens.map((t) => doorkeeper.admit(t)).filter(Boolean).length).toBeGreaterThanOrEqual(
      45,
    );
    doorkeeper.clear();
    expect(tokens.map((t) => doorkeeper.admit(t)).filter(Boolean)).toHaveLength(0);
  });

  it('remembers about two cache-fulls of first sightings, not a fixed thousand', () => {
    // 4,096 entries get 8,192 slots. A token is admitted on its return unless another took its
    // slot since, on the first pass or on the way back: 60 % of these (14 % with half the
    // slots, 2 % with 1,024, 78 % with twice as many).
    const doorkeeper = new Doorkeeper(4_096);
    const tokens = Array.from(
      { length: 4_096 },
      (_, i) => `h.p.${createHash('sha256').update(`${i}`).digest('base64url')}`,
    );
    for (const token of tokens) doorkeeper.admit(token);
    const admitted = tokens.filter((token) => doorkeeper.admit(token)).length;
    expect(admitted / tokens.length).toBeGreaterThan(0.5);
    expect(admitted / tokens.length).toBeLessThan(0.7);
  });
});

describe('claims a principal does not own', () => {
  it('are copied whole: the owner keeps unfrozen objects, the principal a frozen copy', () => {
    const address = { locality: 'Lisbon' };
    const given = claims({ 'cognito:groups': ['movies-group'], address });
    const principal = createPrincipal({ ...base, claims: given });
    const copied = principal.claims['address'] as { locality: string };
    expect(copied).toEqual(address);
    expect(copied).not.toBe(address);
    expect(Object.isFrozen(copied)).toBe(true);
    expect(Object.isFrozen(address)).toBe(false);
    expect(Object.isFrozen(given['cognito:groups'])).toBe(false);
    address.locality = 'Porto';
    expect(copied.locality).toBe('Lisbon');
  });

  it('are frozen in place when the verifier owns them', () => {
    const address = { locality: 'Lisbon' };
    const principal = createPrincipal({ ...base, claims: claims({ address }), ownClaims: true });
    expect(principal.claims['address']).toBe(address);
    expect(Object.isFrozen(address)).toBe(true);
  });
});
