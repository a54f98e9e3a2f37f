// The ARN arithmetic under the authorizer's IAM policy: reading the ARN API Gateway sends,
// turning route keys into resource patterns, and telling whether two patterns can meet. The
// policy builder leans on patternsOverlap to know which Allows a Deny must cut, so it is checked
// against brute force with the tests' IAM matcher: every string up to the longest a shared match
// can need.

import fc from 'fast-check';
import { parseMethodArn, patternsOverlap, routeKeyPattern } from '../src';
import { arnMatches } from './iam-matcher';

const BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';

describe('parseMethodArn', () => {
  it('reads REST method ARNs and HTTP API route ARNs in every partition', () => {
    expect(parseMethodArn(`${BASE}/GET/movies/42`)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'prod',
      method: 'GET',
      resource: 'movies/42',
    });
    expect(
      parseMethodArn('arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1/$default/POST/x'),
    ).toMatchObject({ partition: 'aws-us-gov', stage: '$default', method: 'POST', resource: 'x' });
    expect(
      parseMethodArn('arn:aws-cn:execute-api:cn-north-1:123456789012:abc/$default/POST/x'),
    ).toMatchObject({ partition: 'aws-cn', stage: '$default' });
  });

  it('reads stage wildcards and greedy paths', () => {
    expect(
      parseMethodArn('arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/'),
    ).toMatchObject({ stage: '*', method: 'GET', resource: '' });
    expect(
      parseMethodArn('arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request/a/b'),
    ).toMatchObject({ apiId: 'abcdef123', stage: 'test', resource: 'request/a/b' });
  });

  it('reads the root resource with or without its slash', () => {
    expect(parseMethodArn(`${BASE}/GET/`)).toMatchObject({ method: 'GET', resource: '' });
    expect(parseMethodArn(`${BASE}/GET`)).toMatchObject({ method: 'GET', resource: '' });
  });

  it('refuses anything that is not one whole execute-api ARN', () => {
    for (const arn of [
      undefined,
      null,
      42,
      '',
      'arn:aws:s3:::bucket',
      `${BASE}/GET/movies\n/admin`,
      `${BASE.replace('execute-api', 'lambda')}/GET/movies`,
      `${BASE.replace('123456789012', '12345678901')}/GET/movies`,
      `${BASE.replace('eu-west-1:', 'eu west:')}/GET/movies`,
      `x${BASE}/GET/movies`,
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod',
    ]) {
      expect(parseMethodArn(arn)).toBeUndefined();
    }
  });

  it('reads an ARN up to 2,048 characters, and refuses a longer one unread', () => {
    const prefix = `${BASE}/GET/`;
    const at = (length: number) => prefix + 'a'.repeat(length - prefix.length);
    expect(parseMethodArn(at(2048))?.resource).toHaveLength(2048 - prefix.length);
    expect(parseMethodArn(at(2049))).toBeUndefined();
  });
});

describe('routeKeyPattern', () => {
  it('turns every parameter into a wildcard and ANY into any verb', () => {
    expect(routeKeyPattern('GET /movies/{id}')).toEqual(['GET', 'movies/*']);
    expect(routeKeyPattern('ANY /{proxy+}')).toEqual(['*', '*']);
    expect(routeKeyPattern('ANY /admin/{proxy+}')).toEqual(['*', 'admin/*']);
    expect(routeKeyPattern('DELETE /movies/{id}/cast/{name}')).toEqual([
      'DELETE',
      'movies/*/cast/*',
    ]);
  });

  it('reads the root, and drops a trailing slash', () => {
    expect(routeKeyPattern('GET /')).toEqual(['GET', '']);
    expect(routeKeyPattern('GET /movies/')).toEqual(['GET', 'movies']);
  });
});

describe('patternsOverlap', () => {
  const ALPHABET = ['a', '/', 'x'];
  const pattern = fc
    .array(fc.constantFrom('a', '/', '*', '?'), { maxLength: 4 })
    .map((chars) => chars.join(''));
  // A shortest common match uses, for each of its characters, a non-`*` position of one pattern
  // or the other (a character both match with `*` can be dropped), so none is longer than both
  // patterns together.
  const bruteForce = (a: string, b: string): boolean => {
    let strings = [''];
    for (let length = 0; length <= a.length + b.length; length++) {
      if (strings.some((s) => arnMatches(a, s) && arnMatches(b, s))) return true;
      strings = strings.flatMap((s) => ALPHABET.map((c) => s + c));
    }
    return false;
  };

  it('agrees with brute force on every pair of short patterns (fast-check)', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        expect(patternsOverlap(a, b)).toBe(bruteForce(a, b));
        expect(patternsOverlap(b, a)).toBe(patternsOverlap(a, b));
      }),
      { numRuns: 600 },
    );
  });

  it('answers the cases the IAM policy relies on', () => {
    expect(patternsOverlap('GET/movies/*', 'GET/movies/top')).toBe(true);
    expect(patternsOverlap('GET/movies/*', 'POST/movies/top')).toBe(false);
    expect(patternsOverlap('GET/movies/*', 'GET/shows')).toBe(false);
    expect(patternsOverlap('*/admin/*', 'GET/admin/status')).toBe(true);
    expect(patternsOverlap('*/*', 'GET/x')).toBe(true);
    expect(patternsOverlap('*/admin', 'GET/*')).toBe(true);
    expect(patternsOverlap('GET/a?c', 'GET/abd')).toBe(false);
    expect(patternsOverlap('', '')).toBe(true);
    expect(patternsOverlap('', '*')).toBe(true);
    expect(patternsOverlap('', '?')).toBe(false);
  });

  it('stays fast on patterns full of wildcards, as a policy of deep routes builds them', () => {
    // Without its memo the recursion is exponential in the stars: this pair would not finish.
    const stars = '*a'.repeat(30);
    expect(patternsOverlap(`${stars}b`, `${stars}c`)).toBe(false);
  });
});
