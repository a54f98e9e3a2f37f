// The movies/shows API as Lambda handlers. Each handler states its own rule; the principal
// arrives on `context.auth`. Configured from the environment (COGNITO_USER_POOL_ID, …).
//
// Behind a Cognito-protected HTTP API, set COGNITO_CLAIMS_SOURCE=api-gateway to trust the claims
// API Gateway already verified; otherwise the token is verified here.

import { requireGroups } from '@cognito-guard/lambda';

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** GET /movies: movies-group only. */
export const movies = requireGroups('movies-group')(async (_event, context) =>
  json(200, { user: context.auth.username, movies: ['The Matrix', 'Spirited Away'] }),
);

/** GET /shows: shows-group only. */
export const shows = requireGroups('shows-group')(async (_event, context) =>
  json(200, { user: context.auth.username, shows: ['The Wire', 'Bluey'] }),
);

/** GET /health: public, no guard. */
export const health = async () => json(200, { status: 'ok' });
