// The movies/shows API on Hono: /movies for movies-group, /shows for shows-group, /health for
// everyone. The same app serves a container (server.ts) and a Lambda (lambda.ts).

import { cognitoGuard, type HonoGuard, type RoutePolicy } from '@cognito-guard/hono';
import { Hono } from 'hono';
import catalogue from '../../catalogue.json' with { type: 'json' };
import policy from '../../policy.json' with { type: 'json' };

const { movies, shows } = catalogue;

/** How routes are guarded: by the shared policy.json, or by middleware on each route. */
export type GuardStyle = 'policy' | 'inline';

/**
 * Builds the app. With `'policy'`, `guardRoutes(policy.json)` guards everything; with
 * `'inline'`, `app.use('/movies/*', requireGroups(…))` guards each path and what lies under it.
 *
 * @example
 * ```ts
 * const app = createApp(cognitoGuard(configFromEnv(process.env)), 'inline');
 * ```
 */
export function createApp(guard: HonoGuard, style: GuardStyle = 'policy'): Hono {
  const app = new Hono();
  if (style === 'policy') app.use(guard.guardRoutes(policy as RoutePolicy));
  if (style === 'inline') {
    app.use('/movies/*', guard.requireGroups('movies-group'));
    app.use('/shows/*', guard.requireGroups('shows-group'));
  }

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/movies', (c) => c.json({ user: c.get('auth')?.username, movies }));
  app.get('/movies/:id', (c) => {
    const movie = movies.find((m) => m.id === c.req.param('id'));
    return movie ? c.json(movie) : c.json({ message: 'Not Found' }, 404);
  });
  app.get('/shows', (c) => c.json({ user: c.get('auth')?.username, shows }));
  app.get('/shows/:id', (c) => {
    const show = shows.find((s) => s.id === c.req.param('id'));
    return show ? c.json(show) : c.json({ message: 'Not Found' }, 404);
  });
  return app;
}

export { cognitoGuard };
