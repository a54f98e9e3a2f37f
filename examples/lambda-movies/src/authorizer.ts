// A REST API Lambda authorizer on the same policy.json as the containers. Its IAM policy is right
// for every route, so API Gateway's authorizer cache cannot leak a route to the wrong user.

import { configFromEnv } from '@cognito-guard/core';
import { createAuthorizer, type RoutePolicy } from '@cognito-guard/lambda';
import policy from '../../policy.json' with { type: 'json' };

export const handler = createAuthorizer({
  ...configFromEnv(process.env),
  policy: policy as RoutePolicy,
});

// Fetch the signing keys during init, so no request pays for them.
await handler
  .ready()
  .catch((err: unknown) => console.error('cognito-guard: keys not fetched at init', err));
