// What the API Gateway authorizer would answer for this request: the Lambda package's own
// createAuthorizer, asked with a REST TOKEN event, so `explain` prints its real IAM output and
// never a second copy of how it is built.

import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import { createAuthorizer, type PolicyResult, type PolicyStatement } from '@cognito-guard/lambda';

/** The authorizer's answer: an IAM policy, or the error API Gateway turns into a status. */
export type CachedPolicy =
  | { readonly principalId: string; readonly statements: readonly PolicyStatement[] }
  | { readonly refused: 'Unauthorized'; readonly status: 401 }
  // A failure, which API Gateway answers 500: `Signing keys unavailable`, and the like.
  | { readonly refused: string; readonly status: 500 };

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
    // API Gateway answers 401 for exactly `Unauthorized`, and 500 for anything else thrown.
    const message = err instanceof Error ? err.message : String(err);
    return message === 'Unauthorized'
      ? { refused: message, status: 401 }
      : { refused: message, status: 500 };
  }
}
