// The movies/shows API: /movies for movies-group, /shows for shows-group, /health for everyone.

import { cognitoGuard, type ExpressGuard, type RoutePolicy } from '@cognito-guard/express';
import express, { type Express } from 'express';
import catalogue from '../../catalogue.json' with { type: 'json' };
import policy from '../../policy.json' with { type: 'json' };

const { movies, shows } = catalogue;

/** How routes are guarded: by the shared policy.json, or inline on each route. */
export type GuardStyle = 'policy' | 'inline';

/**
 * Builds the app. With `'policy'`, one `guardRoutes(policy.json)` guards everything, the same
 * file an API Gateway deployment uses; with `'inline'`, each route names its group.
 *
 * @example
 * ```ts
 * const app = createApp(cognitoGuard(configFromEnv(process.env)), 'policy');
 * ```
 */
export function createApp(guard: ExpressGuard, style: GuardStyle = 'policy'): Express {
  const app = express();
  const forMovies = style === 'inline' ? [guard.requireGroups('movies-group')] : [];
  const forShows = style === 'inline' ? [guard.requireGroups('shows-group')] : [];
  if (style === 'policy') app.use(guard.guardRoutes(policy as RoutePolicy));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/movies', ...forMovies, (req, res) => {
    res.json({ user: req.auth?.username, movies });
  });
  app.get('/movies/:id', ...forMovies, (req, res) => {
    const movie = movies.find((m) => m.id === req.params['id']);
    if (movie) res.json(movie);
    else res.status(404).json({ message: 'Not Found' });
  });
  app.get('/shows', ...forShows, (req, res) => {
    res.json({ user: req.auth?.username, shows });
  });
  app.get('/shows/:id', ...forShows, (req, res) => {
    const show = shows.find((s) => s.id === req.params['id']);
    if (show) res.json(show);
    else res.status(404).json({ message: 'Not Found' });
  });
  return app;
}

export { cognitoGuard };
