// The in-memory revocation list on its own: the stricter of two entries wins, expired entries are
// ignored at once and swept later, and what it holds can be listed.

import { RevocationList } from '../src/subpaths/revocation';

describe('RevocationList', () => {
  const now = 1_000_000;

  it('keeps the stricter of two entries for one id, and lists what is in force', () => {
    const list = new RevocationList();
    list.add({ kind: 'origin', id: 'o', until: now + 10 }, now);
    list.add({ kind: 'origin', id: 'o', until: now + 5 }, now);
    list.add({ kind: 'sub', id: 'u', at: now - 100, until: now + 50 }, now);
    list.add({ kind: 'sub', id: 'u', at: now - 500, until: now + 20 }, now);
    list.add({ kind: 'jti', id: 'j', until: now + 1 }, now);
    expect([...list.entries(now)]).toEqual([
      { kind: 'origin', id: 'o', until: now + 10 },
      { kind: 'jti', id: 'j', until: now + 1 },
      { kind: 'sub', id: 'u', at: now - 100, until: now + 50 },
    ]);
    expect([...list.entries(now + 5)].map((e) => e.id)).toEqual(['o', 'u']);
    expect(list.find({ sub: 'u', auth_time: (now - 100) / 1000 }, now)).toBe('sub');
    expect(list.find({ sub: 'u', auth_time: (now - 99) / 1000 + 1 }, now)).toBeUndefined();
  });

  it('ignores an entry that has already expired, and sweeps expired ones', () => {
    const list = new RevocationList();
    list.add({ kind: 'jti', id: 'gone', until: now }, now);
    expect(list.size).toBe(0);
    list.add({ kind: 'jti', id: 'a', until: now + 1 }, now);
    list.add({ kind: 'origin', id: 'b', until: now + 1 }, now);
    list.add({ kind: 'sub', id: 'c', at: now, until: now + 1 }, now);
    list.add({ kind: 'jti', id: 'd', until: now + 100 }, now);
    expect(list.find({ jti: 'a' }, now + 1)).toBeUndefined();
    expect(list.sweep(now + 1)).toBe(3);
    expect(list.size).toBe(1);
    list.clear();
    expect(list.size).toBe(0);
  });

  it('reads auth_time as API Gateway passes it (a string), and never a malformed one', () => {
    const list = new RevocationList();
    list.add({ kind: 'sub', id: 'u', at: 5_000, until: now }, 0);
    expect(list.find({ sub: 'u', auth_time: '4' }, 1)).toBe('sub');
    expect(list.find({ sub: 'u', auth_time: '6' }, 1)).toBeUndefined();
    // Unreadable auth_time falls back to iat; neither readable: revoked (the stricter reading).
    expect(list.find({ sub: 'u', auth_time: 'soon', iat: 6 }, 1)).toBeUndefined();
    expect(list.find({ sub: 'u', auth_time: Number.NaN }, 1)).toBe('sub');
    // A list that would print as a later time is no time: the earlier iat decides.
    expect(list.find({ sub: 'u', auth_time: ['6'], iat: 4 }, 1)).toBe('sub');
    expect(list.find({ sub: 'u', auth_time: { toString: () => '6' } }, 1)).toBe('sub');
    expect(list.find({ sub: 7 }, 1)).toBeUndefined();
  });
});
