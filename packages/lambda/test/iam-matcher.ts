// IAM's evaluation of an execute-api policy, written here from the IAM documentation (never from
// the library's `patternsOverlap`), for the tests that replay the authorizer's policies.

import type { PolicyStatement } from '../src';

/**
 * IAM ARN matching: `*` any run of characters (`/` included, possibly none), `?` exactly one
 * character, everything else literal and case-sensitive.
 *
 * @example
 * ```ts
 * arnMatches('arn:…:abc/prod/*\/pets', 'arn:…:abc/prod/GET/v1/pets'); // true
 * ```
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const source = [...pattern]
    .map((c) =>
      c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(arn);
}

/**
 * Whether a policy lets `arn` through, as API Gateway applies a cached policy: an explicit Deny
 * wins, then an Allow, else it is denied.
 *
 * @example
 * ```ts
 * iamAllows(result.policyDocument.Statement, `${BASE}/GET/movies`); // true
 * ```
 */
export function iamAllows(statements: readonly PolicyStatement[], arn: string): boolean {
  const hit = (effect: 'Allow' | 'Deny') =>
    statements.some((s) => s.Effect === effect && s.Resource.some((r) => arnMatches(r, arn)));
  return !hit('Deny') && hit('Allow');
}
