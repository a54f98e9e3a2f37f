// The attack battery against the core guard: every case refused with 400 or 401, never allowed,
// never an unexpected status, and no token or key material echoed back.

import { attackBattery, type TestIssuer, twoSourcesAttack } from '@cognito-guard/testing';
import { type RequestLike, requireGroups } from '../src';
import { guardFor, startIssuer } from './helpers';

function toRequest(headers: readonly (readonly [string, string])[]): RequestLike {
  const map: Record<string, string | string[]> = {};
  const raw: string[] = [];
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const existing = map[key];
    map[key] =
      existing === undefined
        ? value
        : [...(Array.isArray(existing) ? existing : [existing]), value];
    raw.push(name, value);
  }
  return { method: 'GET', path: '/movies', headers: map, rawHeaders: raw };
}

describe('attack battery (core)', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('refuses every case with 400 or 401', async () => {
    const guard = guardFor(issuer);
    await guard.ready();
    const battery = attackBattery(issuer);
    expect(battery.length).toBe(56);
    for (const attack of battery) {
      const decision = await guard.check(toRequest(attack.headers), requireGroups('movies-group'));
      expect([attack.name, decision.allowed, attack.expect.includes(decision.status)]).toEqual([
        attack.name,
        false,
        true,
      ]);
      const challenge = decision.error?.headers['WWW-Authenticate'] ?? '';
      expect(challenge.length).toBeLessThan(300);
      expect(challenge).not.toMatch(/eyJ/);
    }
  });

  it('refuses a token found in two configured sources with 400', async () => {
    const guard = guardFor(issuer, { tokenSources: ['authorization', 'alb'] });
    const attack = twoSourcesAttack(issuer);
    expect(await guard.check(toRequest(attack.headers))).toMatchObject({
      allowed: false,
      status: 400,
      reason: 'multiple_tokens',
    });
  });

  it('treats group names like __proto__ and constructor as plain names', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ groups: ['__proto__', 'constructor', 'toString'] });
    const request = toRequest([['Authorization', `Bearer ${token}`]]);
    expect(await guard.check(request, requireGroups('constructor'))).toMatchObject({
      allowed: true,
    });
    expect(await guard.check(request, requireGroups('admins'))).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(await guard.check(request, requireGroups('hasOwnProperty'))).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('answers 1,000 concurrent unknown kids with one refetch while valid tokens keep passing', async () => {
    const guard = guardFor(issuer, { cache: false });
    await guard.ready();
    const before = issuer.jwksRequests;
    const claims = JSON.parse(
      Buffer.from(issuer.accessToken().split('.')[1] as string, 'base64url').toString(),
    );
    const forged = Array.from({ length: 1000 }, (_, i) =>
      issuer.sign(claims, { header: { kid: `random-${i}-${Math.random()}` } }),
    );
    const valid = Array.from({ length: 50 }, () =>
      issuer.accessToken({ groups: ['movies-group'] }),
    );
    const [bad, good] = await Promise.all([
      Promise.all(forged.map((t) => guard.check(toRequest([['Authorization', `Bearer ${t}`]])))),
      Promise.all(
        valid.map((t) =>
          guard.check(toRequest([['Authorization', `Bearer ${t}`]]), requireGroups('movies-group')),
        ),
      ),
    ]);
    expect(bad.every((d) => d.status === 401)).toBe(true);
    expect(good.every((d) => d.allowed)).toBe(true);
    expect(issuer.jwksRequests - before).toBe(1);
  });
});
