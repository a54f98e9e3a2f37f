// What each revoke call stores, and what it refuses: the entries a store ships, built from a
// verified principal or a raw token, with every bad argument named in the error.

import { encodeJwt } from '@cognito-guard/testing';
import { ConfigError, memoryRevocationStore } from '../src';
import {
  DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS,
  entryForJti,
  entryForOrigin,
  entryForSignOut,
  entryForToken,
  isRevocationStore,
  lifetimeMs,
} from '../src/subpaths/revocation';

const NOW = 1_767_225_600_000;
const DAY_MS = 86_400_000;

/** An unsigned JWT with this payload: revoking from a raw token decodes it without keys. */
const rawToken = (payload: unknown): string =>
  encodeJwt({ alg: 'RS256' }, JSON.stringify(payload), 'c2ln');

describe('revocation entries', () => {
  it("revokes a token's session for as long as a refresh token lives, and a lone token until its exp", () => {
    const exp = NOW / 1000 + 3600.2;
    expect(entryForToken(rawToken({ origin_jti: 'o1', jti: 'j1', exp }), DAY_MS, NOW)).toEqual({
      kind: 'origin',
      id: 'o1',
      until: NOW + DAY_MS,
    });
    // A session that outlives the refresh-token validity (a long exp) keeps the later end.
    expect(entryForToken(rawToken({ origin_jti: 'o1', exp }), 1000, NOW)).toEqual({
      kind: 'origin',
      id: 'o1',
      until: Math.ceil(exp * 1000),
    });
    expect(entryForToken(rawToken({ jti: 'j1', exp }), DAY_MS, NOW)).toEqual({
      kind: 'jti',
      id: 'j1',
      until: Math.ceil(exp * 1000),
    });
    // No readable exp: the token is kept revoked as long as a session could be.
    expect(entryForToken(rawToken({ jti: 'j1', exp: 'later' }), DAY_MS, NOW)).toEqual({
      kind: 'jti',
      id: 'j1',
      until: NOW + DAY_MS,
    });
  });

  it('falls back to jti when origin_jti is empty or not a string, and refuses a token with neither', () => {
    for (const origin_jti of ['', 7, null]) {
      expect(entryForToken(rawToken({ origin_jti, jti: 'j1', exp: 1 }), DAY_MS, NOW)).toEqual({
        kind: 'jti',
        id: 'j1',
        until: 1000,
      });
    }
    for (const payload of [{ jti: '' }, { jti: 5 }, {}]) {
      expect(() => entryForToken(rawToken(payload), DAY_MS, NOW)).toThrow(
        'revokeToken: the token has neither an origin_jti nor a jti claim',
      );
    }
  });

  it('refuses a raw token whose payload is not a JSON object', () => {
    for (const payload of [null, [1, 2], 'text', 42]) {
      expect(() => entryForToken(rawToken(payload), DAY_MS, NOW)).toThrow(
        new TypeError('revokeToken: the token is not a JWT with a JSON payload'),
      );
    }
    expect(() => entryForToken('one-part', DAY_MS, NOW)).toThrow('not a JWT');
    expect(() => entryForToken('a.!!!.c', DAY_MS, NOW)).toThrow('not a JWT');
  });

  it('names the argument it refuses', () => {
    expect(() => entryForOrigin('', NOW)).toThrow(
      new TypeError('originJti: must be a non-empty string'),
    );
    expect(() => entryForOrigin('o', Number.NaN)).toThrow(
      new TypeError('until: must be a Date or milliseconds since the epoch'),
    );
    expect(() => entryForJti('', NOW)).toThrow(new TypeError('jti: must be a non-empty string'));
    expect(() => entryForJti(7 as unknown as string, NOW)).toThrow('jti: must be');
    expect(() => entryForJti('j', new Date('not a date'))).toThrow(
      new TypeError('until: must be a Date or milliseconds since the epoch'),
    );
    expect(() => entryForJti('j', Number.POSITIVE_INFINITY)).toThrow('until: must be');
    expect(() => entryForJti('j', '5' as unknown as number)).toThrow('until: must be');
    expect(() => entryForSignOut('', NOW, DAY_MS)).toThrow(
      new TypeError('sub: must be a non-empty string'),
    );
    expect(() => entryForSignOut('u', Number.NaN, DAY_MS)).toThrow(
      new TypeError('at: must be a Date or milliseconds since the epoch'),
    );
  });

  it('rounds times up to the millisecond, the stricter way', () => {
    expect(entryForJti('j', NOW + 0.2)).toEqual({ kind: 'jti', id: 'j', until: NOW + 1 });
    expect(entryForOrigin('o', new Date(NOW))).toEqual({ kind: 'origin', id: 'o', until: NOW });
    expect(entryForSignOut('u', NOW + 0.5, DAY_MS)).toEqual({
      kind: 'sub',
      id: 'u',
      at: NOW + 1,
      until: NOW + 1 + DAY_MS,
    });
  });

  it("defaults to Cognito's 30-day refresh-token validity, and refuses one that is not positive", () => {
    expect(DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS).toBe(2_592_000);
    expect(lifetimeMs()).toBe(30 * DAY_MS);
    expect(lifetimeMs({ refreshTokenValiditySeconds: 3600 })).toBe(3_600_000);
    for (const seconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => lifetimeMs({ refreshTokenValiditySeconds: seconds })).toThrow(
        new ConfigError('revocation store', [
          {
            field: 'refreshTokenValiditySeconds',
            message: `must be a positive number of seconds, got ${seconds}`,
          },
        ]),
      );
    }
  });
});

describe('isRevocationStore', () => {
  it('accepts a store, and refuses anything missing a method a guard calls', () => {
    const store = memoryRevocationStore();
    expect(isRevocationStore(store)).toBe(true);
    for (const method of ['lookup', 'stalenessMs', 'refresh', 'ready'] as const) {
      expect(isRevocationStore({ ...store, [method]: undefined })).toBe(false);
      expect(isRevocationStore({ ...store, [method]: 'yes' })).toBe(false);
    }
    for (const value of [null, undefined, 'store', () => store]) {
      expect(isRevocationStore(value)).toBe(false);
    }
  });
});
