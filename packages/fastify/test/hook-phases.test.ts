// A guard given as a later hook than onRequest runs after the app's own preParsing and
// preValidation hooks and after schema validation, for every caller. These tests pin that on
// real Fastify 5 and 4 servers, and check that the plugin warns, once per route, through the
// guard's logger when a route is built that way, and stays quiet for the placements the README
// recommends.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { authPlugin, cognitoGuard, type FastifyGuard } from '../src';

type Factory = typeof fastify5;

const titled = {
  body: {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string' } },
  },
} as const;

let issuer: TestIssuer;
let member: string;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
  member = issuer.accessToken({ groups: ['movies'] });
});
afterAll(() => issuer.stop());

describe.each([
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as Factory],
])('%s', (_name, factory) => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  /** An app with the plugin, a guard logging into `warnings`, and what its hooks ran. */
  async function build(routes: (app: FastifyInstance, guard: FastifyGuard, ran: string[]) => void) {
    const warnings: string[] = [];
    const ran: string[] = [];
    const guard = cognitoGuard({
      ...issuer.config,
      logger: { warn: (message: string) => void warnings.push(message) },
    });
    const app = factory();
    apps.push(app);
    await app.register(authPlugin);
    routes(app, guard, ran);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const postAs = async (token: string | undefined, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/movies`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
      return res.status;
    };
    const post = (body: unknown) => postAs(undefined, body);
    return { warnings, ran, post, postAs };
  }

  const handler = (ran: string[]) => async () => {
    ran.push('handler');
    return { ok: true };
  };
  const preValidation = (ran: string[]) => async () => {
    ran.push('preValidation');
  };
  // POST /movies with a schema and the app's preValidation hook, and the guard as preHandler.
  const lateGuardRoute = (app: FastifyInstance, guard: FastifyGuard, ran: string[]) => {
    app.post(
      '/movies',
      {
        schema: titled,
        preValidation: preValidation(ran),
        preHandler: guard.requireGroups('admins'),
      },
      handler(ran),
    );
  };

  it('a preHandler guard runs after the app preValidation hook and the schema, for a tokenless caller; the plugin warns once', async () => {
    const { warnings, ran, post } = await build((app, guard, ran) => {
      lateGuardRoute(app, guard, ran);
    });
    // Pinned: Fastify, not the guard, answers first.
    expect(await post({ nope: 1 })).toBe(400);
    expect(await post({ title: 'x' })).toBe(401);
    expect(ran).toEqual(['preValidation', 'preValidation']);
    expect(warnings).toEqual([
      expect.stringContaining(
        'POST /movies runs this guard as a preHandler hook, after its preValidation hooks, schema validation',
      ),
    ]);
  });

  it('says which earlier work it saw: preParsing hooks, or hooks given before it in its phase', async () => {
    const { warnings } = await build((app, guard, ran) => {
      app.post(
        '/movies',
        { preParsing: async () => undefined, preValidation: guard.requireGroups('admins') },
        handler(ran),
      );
      app.post(
        '/shows',
        { preHandler: [preValidation(ran), guard.requireGroups('admins')] },
        handler(ran),
      );
    });
    expect(warnings).toEqual([
      expect.stringContaining('as a preValidation hook, after its preParsing hooks, which'),
      expect.stringContaining('as a preHandler hook, after its earlier preHandler hooks, which'),
    ]);
  });

  it.each<[string, (app: FastifyInstance, guard: FastifyGuard, ran: string[]) => void]>([
    [
      'the guard as onRequest',
      (app, guard, ran) => {
        app.post(
          '/movies',
          {
            schema: titled,
            preValidation: preValidation(ran),
            onRequest: guard.requireGroups('admins'),
          },
          handler(ran),
        );
      },
    ],
    [
      'a guard as onRequest on the route, another as preHandler',
      (app, guard, ran) => {
        app.post(
          '/movies',
          {
            schema: titled,
            onRequest: guard.authenticate(),
            preHandler: guard.requireGroups('admins'),
          },
          handler(ran),
        );
      },
    ],
  ])(
    '%s: a tokenless caller reaches nothing of the app, and nothing is warned',
    async (_, routes) => {
      const { warnings, ran, post } = await build(routes);
      expect(await post({ nope: 1 })).toBe(401);
      expect(await post({ title: 'x' })).toBe(401);
      expect(ran).toEqual([]);
      expect(warnings).toEqual([]);
    },
  );

  it('warns once for a guard on a GET route, which Fastify also adds as HEAD, and on several routes', async () => {
    const { warnings } = await build((app, guard, ran) => {
      const late = guard.requireGroups('admins');
      for (const path of ['/a', '/b']) {
        app.get(
          path,
          { schema: { querystring: { type: 'object' } }, preHandler: late },
          handler(ran),
        );
      }
    });
    expect(warnings).toEqual([expect.stringContaining('GET /a runs this guard')]);
  });

  it('an app-wide onRequest guard keeps tokenless callers out, but the warning stands for a later group check', async () => {
    const { warnings, ran, post, postAs } = await build((app, guard, ran) => {
      app.addHook('onRequest', guard.authenticate());
      lateGuardRoute(app, guard, ran);
    });
    expect(await post({ title: 'x' })).toBe(401);
    expect(ran).toEqual([]);
    // Pinned: a caller without the group reaches the app's hook and the schema before the check.
    expect(await postAs(member, { nope: 1 })).toBe(400);
    expect(await postAs(member, { title: 'x' })).toBe(403);
    expect(ran).toEqual(['preValidation', 'preValidation']);
    expect(warnings).toEqual([expect.stringContaining('which run for callers this guard refuses')]);
  });

  it('a preHandler guard with nothing of the app before it is not warned of', async () => {
    const { warnings, ran, post } = await build((app, guard, ran) => {
      app.post('/movies', { preHandler: guard.requireGroups('admins') }, handler(ran));
    });
    expect(await post({ title: 'x' })).toBe(401);
    expect(ran).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
