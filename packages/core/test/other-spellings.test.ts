// The other paths a router may serve a request path by (`otherSpellings`, which chooseRoute and
// the CLI's explain both read): find-my-way's cut at the first `;`, lambda-api's trim of the
// white space a path ends in. Each is a shorter path than the one received, never the same one,
// and a path with neither has none, without allocating.

import fc from 'fast-check';
import { otherSpellings } from '../src/subpaths/advanced';

const pathnameOf = (path: string) => path.split(/[?#]/, 1)[0] ?? path;

describe('otherSpellings', () => {
  it('reads the cut at the first `;` and the trimmed end, before the query', () => {
    expect(otherSpellings('/admin;x=1?y=;')).toStrictEqual(['/admin']);
    expect(otherSpellings('/admin \t?x=1')).toStrictEqual(['/admin']);
    expect(otherSpellings('/admin;x ')).toStrictEqual(['/admin', '/admin;x']);
    // Unicode white space is trimmed too (lambda-api calls trim()); other characters are not.
    expect(otherSpellings('/admin\u00a0')).toStrictEqual(['/admin']);
    expect(otherSpellings('/admin\u3000')).toStrictEqual(['/admin']);
  });

  it('is empty, and the one frozen list, for a path with neither', () => {
    const plain = otherSpellings('/movies/42?x=;%20 ');
    expect(plain).toStrictEqual([]);
    expect(Object.isFrozen(plain)).toBe(true);
    expect(otherSpellings('/caf\u00e9')).toBe(plain);
    expect(otherSpellings('/admin\u007f')).toBe(plain);
    expect(otherSpellings('/admin\u0085')).toBe(plain);
  });

  it('gives only shorter prefixes of the path received, never the path itself', () => {
    const char = fc.constantFrom('a', 'é', ';', ' ', '\t', '\u00a0', '\u0085', '?', '#', '/', '%');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const path = `/${chars.join('')}`;
        const pathname = pathnameOf(path);
        const spellings = otherSpellings(path);
        for (const spelling of spellings) {
          expect(pathname.startsWith(spelling)).toBe(true);
          expect(spelling.length).toBeLessThan(pathname.length);
        }
        const expected = [
          pathname.includes(';') ? pathname.slice(0, pathname.indexOf(';')) : undefined,
          pathname.trimEnd() === pathname ? undefined : pathname.trimEnd(),
        ].filter((spelling) => spelling !== undefined);
        expect(spellings).toStrictEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
