// Compile-time proof (checked by `pnpm typecheck`) that Koa users get `ctx.state.auth` typed, with no casts.

import Router from '@koa/router';
import Koa from 'koa';
import { cognitoGuard, type Principal, requireGroups } from '../src';

const app = new Koa();
const router = new Router();

router.get('/shows', requireGroups('shows-group'), (ctx) => {
  const groups: readonly string[] | undefined = ctx.state.auth?.groups;
  ctx.body = { groups };
});

app.use(requireGroups('movies-group'));
app.use(async (ctx, next) => {
  const principal: Principal | undefined = ctx.state.auth;
  if (principal) {
    // @ts-expect-error the principal is read-only
    principal.username = 'mallory';
  }
  await next();
});

const { guardRoutes } = cognitoGuard({
  userPoolId: 'eu-west-1_a',
  clientId: null,
  errors: 'throw',
});
app.use(guardRoutes({ routes: { 'GET /health': { public: true } } }));
app.use(router.routes());
