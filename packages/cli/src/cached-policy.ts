// What the API Gateway authorizer would answer for this request: the Lambda package's own
// createAuthorizer, asked with a REST TOKEN event, so `explain` prints its real IAM output and
// never a second copy of how it is built.

import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import { createAuthorizer, type PolicyResult, type PolicyStatement } from '@cognito-guard/lambda';

/** The authorizer's answer: an IAM policy, or the error API Gateway turns into a status. */
export type CachedPolicy =
  | { readonly principalId: string; readonly statements: readonly PolicyStatement[] }
  | { readonly refused: 'Unauthorized' | 'Signing keys unavailable'; readonly status: 401 | 500 };

/** The API and stage the example ARNs name; only the method and path matter to the policy. */
export const EXAMPLE_API = 'arn:aws:execute-api:us-east-1:123456789012:api-id/prod';

/**
 * Runs `createAuthorizer` on one request, as API Gateway would call it for this method and path.
 *
 * @example
 * ```ts
 * const answer = await cachedPolicy(config, policy, 'GET', '/movies/42', token);
 * if ('statements' in answer) console.log(answer.statements);
 * ```
 */
export async function cachedPolicy(
  config: GuardConfig,
  policy: RoutePolicy,
  method: string,
  path: string,
  token: string | undefined,
): Promise<CachedPolicy> {
  const authorizer = createAuthorizer({ ...config, policy, logger: { warn: () => undefined } });
  try {
    const result = (await authorizer({
      type: 'TOKEN',
      authorizationToken: token === undefined ? '' : `Bearer ${token}`,
      methodArn: `${EXAMPLE_API}/${method.toUpperCase()}/${path.replace(/^\//, '')}`,
    })) as PolicyResult;
    return { principalId: result.principalId, statements: result.policyDocument.Statement };
  } catch (err) {
    return (err as Error).message === 'Signing keys unavailable'
      ? { refused: 'Signing keys unavailable', status: 500 }
      : { refused: 'Unauthorized', status: 401 };
  }
}
