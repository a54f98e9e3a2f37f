// The movies/shows API on Koa: /movies for movies-group, /shows for shows-group, /health for everyone.

import { cognitoGuard, type KoaGuard, type RoutePolicy } from '@cognito-guard/koa';
import Router from '@koa/router';
import Koa from 'koa';
import catalogue from '../../catalogue.json' with { type: 'json' };
import policy from '../../policy.json' with { type: 'json' };

const { movies, shows } = catalogue;

/** How routes are guarded: by the shared policy.json, or by router guards on each route. */
export type GuardStyle = 'policy' | 'inline';

/**
 * Builds the app. With `'policy'`, `guardRoutes(policy.json)` guards everything; with
 * `'inline'`, each router route names its group.
 *
 * @example
 * ```ts
 * const app = createApp(cognitoGuard(configFromEnv(process.env)), 'inline');
 * ```
 */
export function createApp(guard: KoaGuard, style: GuardStyle = 'policy'): Koa {
  const app = new Koa();
  const router = new Router();
  const forMovies = style === 'inline' ? [guard.requireGroups('movies-group')] : [];
  const forShows = style === 'inline' ? [guard.requireGroups('shows-group')] : [];
  if (style === 'policy') app.use(guard.guardRoutes(policy as RoutePolicy));

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/movies', ...forMovies, (ctx) => {
    ctx.body = { user: ctx.state.auth?.username, movies };
  });
  router.get('/movies/:id', ...forMovies, (ctx) => {
    const movie = movies.find((m) => m.id === ctx.params['id']);
    ctx.status = movie ? 200 : 404;
    ctx.body = movie ?? { message: 'Not Found' };
  });
  router.get('/shows', ...forShows, (ctx) => {
    ctx.body = { user: ctx.state.auth?.username, shows };
  });
  router.get('/shows/:id', ...forShows, (ctx) => {
    const show = shows.find((s) => s.id === ctx.params['id']);
    ctx.status = show ? 200 : 404;
    ctx.body = show ?? { message: 'Not Found' };
  });
  app.use(router.routes());
  return app;
}

export { cognitoGuard };
