// Express (`app.param`, `router.param`) and @koa/router (`router.param`) run a parameter's
// callbacks as soon as a route or mount path naming it matches, before the middleware given
// there. A guard on such a route therefore runs after the app's own code: a loader that answers
// 404 for an unknown id tells a tokenless caller which ids exist. These tests pin that behaviour
// (the README's Express and Koa sections warn of it), check that the guard warns, once, where it
// runs after such a callback, and hold the topologies the README recommends instead to: no
// caller without the group reaches the loader or the handler, and nothing is warned.

import { cognitoGuard as expressGuard } from '@cognito-guard/express';
import { cognitoGuard as koaGuard } from '@cognito-guard/koa';
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { callers } from './casings';

/** What a topology reports: the loader ran, the handler ran. */
interface Seen {
  loaded: number;
  handled: number;
}

type Guard = ReturnType<typeof expressGuard>['requireGroups'];
type ExpressTopology = (app: express5.Express, guard: Guard, seen: Seen) => void;

const who = callers();

/** One app under test, the loader's and handler's counts, and what the guard warned. */
interface Served {
  readonly server: Parameters<typeof request>[0];
  readonly seen: Seen;
  readonly warnings: string[];
}

/** The two properties, for one framework's warned and recommended topologies. */
function holds<T>(
  serve: (topology: T) => Served,
  warned: Record<string, T>,
  safe: Record<string, T>,
  warning: string,
): void {
  it.each(Object.keys(warned))(
    '%s: the loader runs for a tokenless caller, before the guard, which warns once',
    async (name) => {
      const { server, seen, warnings } = serve(warned[name] as T);
      // Pinned: the app's loader, not the guard, answers an unknown id to a caller with no token.
      expect((await request(server).get('/movies/missing')).status).toBe(404);
      expect((await request(server).get('/movies/42')).status).toBe(401);
      expect(seen).toEqual({ loaded: 2, handled: 0 });
      expect(warnings).toEqual([expect.stringContaining(warning)]);
    },
  );

  it.each(Object.keys(safe))(
    '%s: no caller without the group reaches the loader or the handler, and nothing is warned',
    async (name) => {
      const { server, seen, warnings } = serve(safe[name] as T);
      const as = (token: string) =>
        request(server).get('/movies/42').set('Authorization', `Bearer ${token}`);
      expect((await request(server).get('/movies/missing')).status).toBe(401);
      expect((await as(who.member)).status).toBe(403);
      expect(seen).toEqual({ loaded: 0, handled: 0 });
      expect((await as(who.admin)).status).toBe(200);
      expect(seen.handled).toBe(1);
      expect(warnings).toEqual([]);
    },
  );
}

/** A logger that keeps what it is told. */
function collecting(): { warnings: string[]; logger: { warn(message: string): void } } {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (message) => void warnings.push(message) } };
}

const expressLoader =
  (seen: Seen): express5.RequestParamHandler =>
  (_req, res, next, id) => {
    seen.loaded++;
    if (id === 'missing') res.status(404).json({ error: 'no such movie' });
    else next();
  };
const expressHandler =
  (seen: Seen): express5.RequestHandler =>
  (_req, res) => {
    seen.handled++;
    res.json({ ok: true });
  };

const expressWarned = (factory: typeof express5): Record<string, ExpressTopology> => ({
  'app.param, the guard on the route': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    app.get('/movies/:id', guard('admins'), expressHandler(seen));
  },
  'app.param, the guard mounted at a path naming the parameter': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    app.use('/movies/:id', guard('admins'));
    app.get('/movies/:id', expressHandler(seen));
  },
  'app.param, a router mounted at a path naming it, the guard in its use()': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    const router = factory.Router({ mergeParams: true });
    router.use(guard('admins'));
    router.get('/', expressHandler(seen));
    app.use('/movies/:id', router);
  },
  'router.param in a sub-router, the guard on its route': (app, guard, seen) => {
    const router = factory.Router();
    router.param('id', expressLoader(seen));
    router.get('/movies/:id', guard('admins'), expressHandler(seen));
    app.use(router);
  },
});

const expressSafe = (factory: typeof express5): Record<string, ExpressTopology> => ({
  'app.param, the guard in app.use() before the routes': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    app.use(guard('admins'));
    app.get('/movies/:id', expressHandler(seen));
  },
  'router.param, the guard in router.use() before the routes': (app, guard, seen) => {
    const router = factory.Router();
    router.param('id', expressLoader(seen));
    router.use(guard('admins'));
    router.get('/movies/:id', expressHandler(seen));
    app.use(router);
  },
  'app.param for another parameter, the guard on the route': (app, guard, seen) => {
    app.param('other', expressLoader(seen));
    app.get('/movies/:id', guard('admins'), expressHandler(seen));
    app.get('/other/:other', expressHandler(seen));
  },
});

// Express 5 only: path-to-regexp 8's quoted names, and a regular expression's named group.
const express5Warned: Record<string, ExpressTopology> = {
  'a quoted parameter name': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    app.get('/movies/:"id"', guard('admins'), expressHandler(seen));
  },
  'a regular expression with a named group': (app, guard, seen) => {
    app.param('id', expressLoader(seen));
    app.get(/^\/movies\/(?<id>[^/]+)$/, guard('admins'), expressHandler(seen));
  },
};

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s', (name, factory) => {
  const serve = (topology: ExpressTopology): Served => {
    const seen: Seen = { loaded: 0, handled: 0 };
    const { warnings, logger } = collecting();
    const app = factory();
    topology(app, expressGuard({ ...who.issuer.config, logger }).requireGroups, seen);
    return { server: app, seen, warnings };
  };
  holds(
    serve,
    { ...expressWarned(factory), ...(name === 'Express 5' ? express5Warned : {}) },
    expressSafe(factory),
    'param callbacks for "id"',
  );
});

type KoaGuard = ReturnType<typeof koaGuard>['requireGroups'];
type KoaTopology = (app: Koa3, guard: KoaGuard, seen: Seen) => void;

const koaLoader =
  (seen: Seen) =>
  (id: string, ctx: { status: number; body: unknown }, next: () => Promise<unknown>) => {
    seen.loaded++;
    if (id !== 'missing') return next();
    ctx.status = 404;
    ctx.body = { error: 'no such movie' };
    return undefined;
  };
const koaHandler = (seen: Seen) => (ctx: { body: unknown }) => {
  seen.handled++;
  ctx.body = { ok: true };
};

const koaWarned: Record<string, KoaTopology> = {
  'router.param, the guard on the route': (app, guard, seen) => {
    const router = new Router();
    router.param('id', koaLoader(seen));
    router.get('/movies/:id', guard('admins'), koaHandler(seen));
    app.use(router.routes());
  },
  'router.param, the guard in router.use() at a path naming the parameter': (app, guard, seen) => {
    const router = new Router();
    router.param('id', koaLoader(seen));
    router.use('/movies/:id', guard('admins'));
    router.get('/movies/:id', koaHandler(seen));
    app.use(router.routes());
  },
  'router.param in a parent router mounting a child at a path naming it, the guard on the child route':
    (app, guard, seen) => {
      const parent = new Router();
      const child = new Router();
      parent.param('id', koaLoader(seen));
      child.get('/', guard('admins'), koaHandler(seen));
      parent.use('/movies/:id', child.routes());
      app.use(parent.routes());
    },
};

const koaSafe: Record<string, KoaTopology> = {
  'router.param, the guard in app.use() before the router': (app, guard, seen) => {
    const router = new Router();
    router.param('id', koaLoader(seen));
    router.get('/movies/:id', koaHandler(seen));
    app.use(guard('admins'));
    app.use(router.routes());
  },
  'router.param, the guard in router.use() before the routes': (app, guard, seen) => {
    const router = new Router();
    router.param('id', koaLoader(seen));
    router.use(guard('admins'));
    router.get('/movies/:id', koaHandler(seen));
    app.use(router.routes());
  },
};

describe.each([
  ['@koa/router on Koa 3', Koa3],
  ['@koa/router on Koa 2', Koa2 as unknown as typeof Koa3],
])('%s', (_name, Koa) => {
  const serve = (topology: KoaTopology): Served => {
    const seen: Seen = { loaded: 0, handled: 0 };
    const { warnings, logger } = collecting();
    const app = new Koa();
    topology(app, koaGuard({ ...who.issuer.config, logger }).requireGroups, seen);
    return { server: app.callback(), seen, warnings };
  };
  holds(serve, koaWarned, koaSafe, 'router.param() middleware for "id"');
});
