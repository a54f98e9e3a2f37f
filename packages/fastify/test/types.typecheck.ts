// Compile-time proof (checked by `pnpm typecheck`) that Fastify users get `request.auth` typed and
// the hooks accepted where Fastify takes hooks, with no casts.

import Fastify from 'fastify';
import { authPlugin, cognitoGuard, type Principal, requireGroups } from '../src';

const app = Fastify();
await app.register(authPlugin, { policy: { routes: { 'GET /health': { public: true } } } });
app.addHook('onRequest', requireGroups('staff'));

app.get('/movies', { onRequest: requireGroups('movies-group') }, async (request) => {
  const groups: readonly string[] | undefined = request.auth?.groups;
  const username: string | undefined = request.auth?.username;
  if (request.auth) {
    // @ts-expect-error the principal is read-only
    request.auth.groups = [];
  }
  return { groups, username };
});

const guard = cognitoGuard({ userPoolId: 'eu-west-1_a', clientId: null, errors: 'throw' });
await app.register(guard.plugin);
app.post('/movies', { preHandler: [guard.requireScopes('movies/write')] }, async (request) => {
  const principal: Principal | undefined = request.auth;
  return { sub: principal?.sub };
});

// @ts-expect-error unknown option
cognitoGuard({ userPoolId: 'eu-west-1_a', clientId: null, errors: 'next' });
// @ts-expect-error the plugin's options are a policy, nothing else
await app.register(authPlugin, { rules: [] });
