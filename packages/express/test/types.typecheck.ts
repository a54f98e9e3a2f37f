// Compile-time proof (checked by `pnpm typecheck`) that Express users get `req.auth` typed, with no casts.

import express, { type Request, type Response } from 'express';
import { cognitoGuard, type Principal, requireGroups } from '../src';

const app = express();

app.get('/movies', requireGroups('movies-group'), (req: Request, res: Response) => {
  const groups: readonly string[] | undefined = req.auth?.groups;
  const username: string | undefined = req.auth?.username;
  if (req.auth) {
    // @ts-expect-error the principal is read-only
    req.auth.groups = [];
  }
  res.json({ groups, username });
});

const { guardRoutes, requireScopes } = cognitoGuard({
  userPoolId: 'eu-west-1_a',
  clientId: null,
  errors: 'next',
});
app.use(guardRoutes({ routes: { 'GET /health': { public: true } } }));
app.post('/movies', requireScopes('movies/write'), (req, res) => {
  const principal: Principal | undefined = req.auth;
  res.json({ sub: principal?.sub });
});

// @ts-expect-error unknown option
cognitoGuard({ userPoolId: 'eu-west-1_a', clientId: null, errors: 'throw' });
