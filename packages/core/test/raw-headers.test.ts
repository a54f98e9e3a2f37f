import { headerValueCount, rawHeaderCount } from '../src/request/raw-headers';

describe('rawHeaderCount', () => {
  it('counts the names of a raw header list in any casing, never its values', () => {
    const raw = ['Host', 'a', 'Origin', 'x', 'origin', 'origin', 'ORIGIN', 'y', 'Origins', 'z'];
    expect(rawHeaderCount(raw, 'origin')).toBe(3);
    expect(rawHeaderCount(raw, 'host')).toBe(1);
    expect(rawHeaderCount(raw, 'cookie')).toBe(0);
    expect(rawHeaderCount([], 'origin')).toBe(0);
  });
});

describe('headerValueCount', () => {
  const request = (headers: Record<string, string | string[]>, rawHeaders?: string[]) => ({
    method: 'GET',
    path: '/',
    headers,
    rawHeaders,
  });

  it('counts a lone value, a list, and the raw lines behind a value Node folded', () => {
    expect(headerValueCount(request({ origin: 'x' }), 'origin')).toBe(1);
    expect(headerValueCount(request({}), 'origin')).toBe(0);
    expect(headerValueCount(request({ origin: [] }), 'origin')).toBe(0);
    expect(headerValueCount(request({ origin: ['x', 'y'] }), 'origin')).toBe(2);
    expect(
      headerValueCount(request({ origin: 'x' }, ['Origin', 'x', 'origin', 'y']), 'origin'),
    ).toBe(2);
    expect(headerValueCount(request({ origin: 'x' }, ['Host', 'h']), 'origin')).toBe(1);
  });
});
