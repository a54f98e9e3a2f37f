// The movies/shows API on Fastify: /movies for movies-group, /shows for shows-group, /health for
// everyone.

import { cognitoGuard, type FastifyGuard, type RoutePolicy } from '@cognito-guard/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import catalogue from '../../catalogue.json' with { type: 'json' };
import policy from '../../policy.json' with { type: 'json' };

const { movies, shows } = catalogue;

/** How routes are guarded: by the shared policy.json, or by a hook on each route. */
export type GuardStyle = 'policy' | 'inline';

/**
 * Builds the app. With `'policy'`, the plugin guards every route by policy.json; with
 * `'inline'`, each route's `onRequest` hook names its group.
 *
 * @example
 * ```ts
 * const app = await createApp(cognitoGuard(configFromEnv(process.env)), 'inline');
 * ```
 */
export async function createApp(
  guard: FastifyGuard,
  style: GuardStyle = 'policy',
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(guard.plugin, style === 'policy' ? { policy: policy as RoutePolicy } : {});
  const forMovies = style === 'inline' ? { onRequest: guard.requireGroups('movies-group') } : {};
  const forShows = style === 'inline' ? { onRequest: guard.requireGroups('shows-group') } : {};

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/movies', forMovies, async (request) => ({ user: request.auth?.username, movies }));
  app.get<{ Params: { id: string } }>('/movies/:id', forMovies, async (request, reply) => {
    const movie = movies.find((m) => m.id === request.params.id);
    return movie ?? reply.code(404).send({ message: 'Not Found' });
  });
  app.get('/shows', forShows, async (request) => ({ user: request.auth?.username, shows }));
  app.get<{ Params: { id: string } }>('/shows/:id', forShows, async (request, reply) => {
    const show = shows.find((s) => s.id === request.params.id);
    return show ?? reply.code(404).send({ message: 'Not Found' });
  });
  return app;
}

export { cognitoGuard };
