import { rawHeaderCount } from '../src/request/raw-headers';

describe('rawHeaderCount', () => {
  it('counts the names of a raw header list in any casing, never its values', () => {
    const raw = ['Host', 'a', 'Origin', 'x', 'origin', 'origin', 'ORIGIN', 'y', 'Origins', 'z'];
    expect(rawHeaderCount(raw, 'origin')).toBe(3);
    expect(rawHeaderCount(raw, 'host')).toBe(1);
    expect(rawHeaderCount(raw, 'cookie')).toBe(0);
    expect(rawHeaderCount([], 'origin')).toBe(0);
  });
});
