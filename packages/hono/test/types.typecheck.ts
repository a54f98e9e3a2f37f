// Compile-time proof (checked by `pnpm typecheck`) that Hono users get `c.get('auth')` typed and
// the middleware accepted where Hono takes middleware, with no casts.

import { Hono } from 'hono';
import { cognitoGuard, guardRoutes, type Principal, requireGroups } from '../src';

const app = new Hono();
app.use(guardRoutes({ routes: { 'GET /health': { public: true } } }));
app.use('/movies/*', requireGroups('movies-group'));

app.get('/movies', (c) => {
  const auth: Principal | undefined = c.get('auth');
  const groups: readonly string[] | undefined = auth?.groups;
  if (auth) {
    // @ts-expect-error the principal is read-only
    auth.groups = [];
  }
  return c.json({ groups, user: auth?.username });
});

const guard = cognitoGuard({ userPoolId: 'eu-west-1_a', clientId: null, errors: 'throw' });
app.post('/movies', guard.requireScopes('movies/write'), (c) =>
  c.json({ sub: c.get('auth')?.sub }),
);

// @ts-expect-error unknown option
cognitoGuard({ userPoolId: 'eu-west-1_a', clientId: null, errors: 'next' });
app.use((c, next) => {
  // @ts-expect-error auth holds a principal, nothing else
  c.set('auth', 'alice');
  return next();
});
