// One table of requests through every surface (Express 5 and 4, Koa 3 and 2, Fastify 5 and 4, one
// Hono app on @hono/node-server and on hono/aws-lambda, buffered and streamed, the Lambda guard
// on REST and HTTP API events, and around a response-streaming handler on REST and Function URL
// events). Each must answer exactly as the core decides: the same status, and
// for a denial the same WWW-Authenticate, Content-Type and body; an allowed request reaches the
// handler, a denied one never does. Every answer carries the same caching headers: a denial
// `Cache-Control: no-store`, an answer for a verified caller `private` and `Vary: Authorization`,
// so no shared cache in front serves one caller's answer to another.

import { createServer } from 'node:http';
import {
  createGuard,
  type Decision,
  type GuardConfig,
  memoryRevocationStore,
  type RoutePolicy,
} from '@cognito-guard/core';
import { renderDenial } from '@cognito-guard/core/adapter';
import { albUserClaims } from '@cognito-guard/core/alb';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import { redisRevocationStore } from '@cognito-guard/redis';
import {
  awslambda,
  createAlbSigner,
  createTestIssuer,
  functionUrlEvent,
  httpApiEvent,
  invokeStreaming,
  lambdaContext,
  restProxyEvent,
  startAwsEndpoints,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import express5 from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { handle, streamHandle } from 'hono/aws-lambda';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { runOptions } from './policy-scenarios';

const policy: RoutePolicy = {
  defaultAction: 'authenticated',
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /shows': { groups: ['shows-group'] },
    'POST /shows': { scopes: ['shows/write'] },
    'ANY /admin/{proxy+}': { groups: ['admins'], denyGroups: ['suspended'] },
    'GET /health': { public: true },
    'POST /jobs': { caller: 'client', scopes: ['jobs/run'] },
  },
};

interface Case {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface Answer {
  readonly status: number;
  readonly challenge: string | undefined;
  readonly retryAfter?: string | undefined;
  readonly contentType: string | undefined;
  readonly cacheControl: string | undefined;
  readonly vary: string | undefined;
  readonly body: string | undefined;
  readonly reached: boolean;
}

type Surface = (c: Case) => Promise<Answer>;

// `vary`: the headers the guard reads a token from, which an answer for a caller names.
function expected(decision: Decision, vary = 'Authorization'): Answer {
  if (decision.allowed) {
    const verified = decision.principal !== undefined;
    return {
      status: 200,
      challenge: undefined,
      contentType: undefined,
      cacheControl: verified ? 'private' : undefined,
      vary: verified ? vary : undefined,
      body: undefined,
      reached: true,
    };
  }
  const denial = renderDenial(decision.error);
  return {
    status: denial.status,
    challenge: denial.headers['WWW-Authenticate'],
    retryAfter: denial.headers['Retry-After'],
    contentType: denial.headers['Content-Type'],
    cacheControl: denial.headers['Cache-Control'],
    vary: denial.headers['Vary'],
    body: denial.body,
    reached: false,
  };
}

// What the table compares of a Lambda-side answer (a proxy result, or a streamed answer as a
// Function URL reads it), whatever the casing of its header names.
interface LambdaAnswer {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly multiValueHeaders?: Readonly<Record<string, unknown>>;
  readonly body: string;
}
function fromLambda(c: Case, res: LambdaAnswer, reached: boolean): Answer {
  const header = (name: string) => {
    for (const map of [res.headers, res.multiValueHeaders]) {
      const key = Object.keys(map ?? {}).find((key) => key.toLowerCase() === name);
      const value = key === undefined ? undefined : map?.[key];
      if (value !== undefined) return Array.isArray(value) ? value.join(', ') : String(value);
    }
    return undefined;
  };
  return {
    status: res.statusCode,
    challenge: header('www-authenticate'),
    retryAfter: header('retry-after'),
    contentType: header('content-type'),
    cacheControl: header('cache-control'),
    vary: header('vary'),
    body: c.method === 'HEAD' ? undefined : res.body,
    reached,
  };
}

function normalise(answer: Answer): Answer {
  // An allowed answer is the handler's own; only the fact that it ran is compared.
  return answer.status === 200
    ? { ...answer, challenge: undefined, contentType: undefined, body: undefined }
    : answer;
}

describe('every surface answers as the core decides', () => {
  // The policy every surface is built with; the token-kind tables swap in their own.
  let currentPolicy: RoutePolicy = policy;
  let issuer: TestIssuer;
  let cases: Case[];
  // Every surface's guard, and the core's, share one revocation store.
  const revocations = memoryRevocationStore();
  let guardConfig: GuardConfig;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guardConfig = { ...issuer.config, revocation: { store: revocations } };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const loggedOut = issuer.accessToken({ groups: ['movies-group', 'admins'] });
    const signedOut = issuer.accessToken({ username: 'erin', groups: ['movies-group', 'admins'] });
    await revocations.revokeToken(loggedOut);
    await revocations.signOutUser(
      JSON.parse(Buffer.from(signedOut.split('.')[1] as string, 'base64url').toString()).sub,
    );
    const users = {
      alice: issuer.accessToken({ groups: ['movies-group'], scopes: ['movies/read'] }),
      bob: issuer.accessToken({ groups: ['shows-group'], scopes: ['shows/write'] }),
      admin: issuer.accessToken({ groups: ['admins'] }),
      suspended: issuer.accessToken({ groups: ['admins', 'suspended'] }),
      dave: issuer.accessToken({ groups: [] }),
    };
    const callers: [string, Record<string, string>][] = [
      ['no token', {}],
      ['alice', bearer(users.alice)],
      ['bob', bearer(users.bob)],
      ['admin', bearer(users.admin)],
      ['suspended admin', bearer(users.suspended)],
      ['dave', bearer(users.dave)],
      ['expired', bearer(issuer.brokenToken('expired'))],
      ['tampered', bearer(issuer.brokenToken('tampered'))],
      ['ID token', bearer(issuer.idToken({ groups: ['movies-group'] }))],
      ['garbage', bearer('not.a.jwt')],
      ['Bearer without token', { authorization: 'Bearer' }],
      ['two tokens', { authorization: `Bearer ${users.alice}, Bearer ${users.bob}` }],
      ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['logged-out session', bearer(loggedOut)],
      ['signed-out user', bearer(signedOut)],
      [
        'machine (client credentials)',
        bearer(issuer.clientCredentialsToken({ scopes: ['jobs/run', 'shows/write'] })),
      ],
      [
        'user with the jobs scope',
        bearer(issuer.accessToken({ username: 'jo', scopes: ['jobs/run'] })),
      ],
    ];
    const requests: [string, string][] = [
      ['GET', '/movies'],
      ['GET', '/movies/42'],
      ['GET', '/MOVIES/'],
      ['HEAD', '/movies'],
      ['GET', '/shows'],
      ['POST', '/shows'],
      ['DELETE', '/admin/users/1'],
      ['GET', '/admin/'],
      ['GET', '/admin'],
      ['GET', '/health'],
      ['GET', '/elsewhere'],
      ['OPTIONS', '/movies'],
      ['GET', '/movies//42'],
      ['GET', '/mo%76ies'],
      ['POST', '/jobs'],
      // A method override names another method: the stricter of the two routes decides.
      ['POST', '/shows?_method=GET'],
      ['POST', '/movies?_method=GET'],
    ];
    cases = callers.flatMap(([caller, headers]) =>
      requests.map(([method, path]) => ({
        label: `${caller} ${method} ${path}`,
        method,
        path,
        headers,
      })),
    );
  });
  afterAll(() => issuer.stop());
  // hono/aws-lambda's streamHandle reads the Lambda runtime's global: the testing kit's here.
  beforeAll(() => {
    Object.assign(globalThis, { awslambda });
  });
  afterAll(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda;
  });

  // One row of the table over real HTTP, to a Node request listener or server.
  const overHttp = async (
    target: Parameters<typeof request>[0],
    c: Case,
    state: { reached: boolean },
  ): Promise<Answer> => {
    state.reached = false;
    const res = await request(target)[c.method.toLowerCase() as 'get'](c.path).set(c.headers);
    return {
      status: res.status,
      challenge: res.headers['www-authenticate'],
      retryAfter: res.headers['retry-after'],
      contentType: res.headers['content-type'],
      cacheControl: res.headers['cache-control'],
      vary: res.headers['vary'],
      body: c.method === 'HEAD' ? undefined : res.text,
      reached: state.reached,
    };
  };

  const viaExpress = (factory: typeof express5): Surface => {
    const guard = expressGuard.cognitoGuard(guardConfig);
    const app = factory();
    const state = { reached: false };
    app.use(guard.guardRoutes(currentPolicy));
    app.use((_req, res) => {
      state.reached = true;
      res.json({ ok: true });
    });
    return (c) => overHttp(app, c, state);
  };

  const viaKoa = (KoaClass: typeof Koa3): Surface => {
    const guard = koaGuard.cognitoGuard(guardConfig);
    const app = new KoaClass();
    const state = { reached: false };
    app.use(guard.guardRoutes(currentPolicy));
    app.use((ctx) => {
      state.reached = true;
      ctx.body = { ok: true };
    });
    const server = app.callback();
    return (c) => overHttp(server, c, state);
  };

  const fastifyApps: FastifyInstance[] = [];
  afterAll(() => Promise.all(fastifyApps.map((app) => app.close())));

  const viaFastify = (factory: typeof fastify5): Surface => {
    const guard = fastifyGuard.cognitoGuard(guardConfig);
    const app = factory();
    fastifyApps.push(app);
    const state = { reached: false };
    app.addHook('onRequest', guard.guardRoutes(currentPolicy));
    app.all('/*', async () => {
      state.reached = true;
      return { ok: true };
    });
    return async (c) => {
      await app.ready();
      return overHttp(app.server, c, state);
    };
  };

  const honoApp = () => {
    const guard = honoGuard.cognitoGuard(guardConfig);
    const app = new Hono();
    const state = { reached: false };
    app.use(guard.guardRoutes(currentPolicy));
    app.all('*', (c) => {
      state.reached = true;
      return c.json({ ok: true });
    });
    return { app, state };
  };

  const viaHonoOnNode = (): Surface => {
    const { app, state } = honoApp();
    const server = createServer(getRequestListener(app.fetch));
    return (c) => overHttp(server, c, state);
  };

  const viaHonoOnLambda = (build: typeof restProxyEvent): Surface => {
    const { app, state } = honoApp();
    const handler = handle(app);
    return async (c) => {
      state.reached = false;
      const event = build({ method: c.method, path: c.path, headers: c.headers });
      const res = (await handler(event as never, lambdaContext() as never)) as LambdaAnswer;
      return fromLambda(c, res, state.reached);
    };
  };

  const viaLambda = (build: typeof restProxyEvent): Surface => {
    const guard = lambdaGuard.cognitoGuard(guardConfig);
    let reached = false;
    const handler = guard.guardRoutes(currentPolicy)(async () => {
      reached = true;
      return { statusCode: 200, body: '{"ok":true}' };
    });
    return async (c) => {
      reached = false;
      const event = build({ method: c.method, path: c.path, headers: c.headers });
      const res = (await handler(event, lambdaContext())) as LambdaAnswer;
      return fromLambda(c, res, reached);
    };
  };

  // The same Hono app behind hono/aws-lambda's streamHandle, which writes the app's Response to
  // the runtime's response stream.
  const viaHonoOnLambdaStreaming = (build: typeof restProxyEvent): Surface => {
    const { app, state } = honoApp();
    const handler = streamHandle(app);
    return async (c) => {
      state.reached = false;
      const event = build({ method: c.method, path: c.path, headers: c.headers });
      const res = await invokeStreaming(handler, event, lambdaContext());
      return fromLambda(c, res, state.reached);
    };
  };

  // The same guard around a response-streaming handler, run as the Lambda runtime runs it.
  const viaLambdaStreaming = (build: typeof restProxyEvent): Surface => {
    const guard = lambdaGuard.cognitoGuard(guardConfig);
    let reached = false;
    const handler = guard.guardRoutes(currentPolicy).streaming(async (_event, stream) => {
      reached = true;
      awslambda.HttpResponseStream.from(stream, { statusCode: 200 }).write('{"ok":true}');
      stream.end();
    });
    return async (c) => {
      reached = false;
      const event = build({ method: c.method, path: c.path, headers: c.headers });
      const res = await invokeStreaming(awslambda.streamifyResponse(handler), event);
      return fromLambda(c, res, reached);
    };
  };

  const everySurface = (): [string, Surface][] => [
    ['Express 5', viaExpress(express5)],
    ['Express 4', viaExpress(express4 as unknown as typeof express5)],
    ['Koa 3', viaKoa(Koa3)],
    ['Koa 2', viaKoa(Koa2 as unknown as typeof Koa3)],
    ['Fastify 5', viaFastify(fastify5)],
    ['Fastify 4', viaFastify(fastify4 as unknown as typeof fastify5)],
    ['Hono on Node', viaHonoOnNode()],
    ['Hono on Lambda REST', viaHonoOnLambda(restProxyEvent)],
    ['Hono on Lambda HTTP API', viaHonoOnLambda(httpApiEvent as unknown as typeof restProxyEvent)],
    ['Lambda REST', viaLambda(restProxyEvent)],
    ['Lambda HTTP API', viaLambda(httpApiEvent as unknown as typeof restProxyEvent)],
    [
      'Hono on Lambda streaming Function URL',
      viaHonoOnLambdaStreaming(functionUrlEvent as unknown as typeof restProxyEvent),
    ],
    ['Lambda streaming REST', viaLambdaStreaming(restProxyEvent)],
    [
      'Lambda streaming Function URL',
      viaLambdaStreaming(functionUrlEvent as unknown as typeof restProxyEvent),
    ],
  ];

  it('for the whole table, on Express 5 and 4, Koa 3 and 2, Fastify 5 and 4, Hono on Node and Lambda, and Lambda REST and HTTP API events, buffered and streamed', async () => {
    const core = createGuard(guardConfig);
    const compiled = core.compilePolicy(policy);
    const surfaces = everySurface();
    const statuses = new Set<number>();
    for (const c of cases) {
      const decision = await core.checkRoute(
        { method: c.method, path: c.path, headers: c.headers },
        compiled,
      );
      const want = expected(decision);
      statuses.add(want.status);
      for (const [name, surface] of surfaces) {
        const got = normalise(await surface(c));
        const wanted = c.method === 'HEAD' ? { ...want, body: undefined } : want;
        expect([name, c.label, got]).toEqual([name, c.label, wanted]);
      }
    }
    // The table exercises every kind of answer, so agreement is not agreement on one status.
    expect([...statuses].sort()).toEqual([200, 400, 401, 403]);
  }, 60_000);

  it('for Authorization headers spelled any way: name and scheme case, white space, a second token, no token', async () => {
    const core = createGuard(guardConfig);
    const compiled = core.compilePolicy(policy);
    const surfaces = everySurface();
    const alice = issuer.accessToken({ groups: ['movies-group'], scopes: ['movies/read'] });
    const bob = issuer.accessToken({ groups: ['shows-group'], scopes: ['shows/write'] });
    const value = fc
      .tuple(
        fc.constantFrom('', ' ', '\t'),
        fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR', 'Basic', 'Bearer:', 'Token', ''),
        fc.constantFrom(' ', '  ', '\t', ' \t', ''),
        fc.constantFrom(
          alice,
          bob,
          issuer.brokenToken('expired'),
          issuer.brokenToken('tampered'),
          issuer.idToken({ groups: ['movies-group'] }),
          `${alice}.`,
          'not.a.jwt',
          '',
        ),
        fc.constantFrom('', ' ', '\t', ',', `, Bearer ${bob}`, ` ${bob}`, ' x'),
      )
      .map((parts) => parts.join(''));
    const names = ['authorization', 'Authorization', 'AUTHORIZATION'];
    const routes = [
      ['GET', '/movies'],
      ['GET', '/shows'],
      ['POST', '/shows'],
      ['GET', '/health'],
      ['GET', '/elsewhere'],
    ];
    const [movies, shows] = routes as [string[], string[]];
    const name = fc.constantFrom(...names);
    const route = fc.constantFrom(...routes);
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(name, value, route, async (header, sent, [method, path]) => {
        const c: Case = {
          label: `${method} ${path} ${header}: ${JSON.stringify(sent)}`,
          method: method as string,
          path: path as string,
          headers: { [header]: sent },
        };
        const want = expected(
          await core.checkRoute(
            { method: c.method, path: c.path, headers: { authorization: sent } },
            compiled,
          ),
        );
        statuses.add(want.status);
        for (const [surfaceName, surface] of surfaces) {
          expect([surfaceName, c.label, normalise(await surface(c))]).toEqual([
            surfaceName,
            c.label,
            want,
          ]);
        }
      }),
      {
        ...runOptions(),
        // One spelling of each kind of answer runs first, whatever the seed draws: alice on her
        // route (200), on bob's (403), two tokens (400), a lower-case scheme on a broken one (401).
        examples: [
          ['Authorization', `Bearer ${alice}`, movies],
          ['authorization', `Bearer ${alice}`, shows],
          ['AUTHORIZATION', `Bearer ${alice}, Bearer ${bob}`, movies],
          ['authorization', 'bearer not.a.jwt', movies],
        ],
      },
    );
    // The spellings reach every kind of answer, so agreement is not agreement on one status.
    expect([...statuses].sort()).toEqual([200, 400, 401, 403]);
  }, 120_000);

  // Builds every surface for this configuration and policy, and compares each row with the core.
  const compareEverySurface = async (
    config: GuardConfig,
    routes: RoutePolicy,
    rows: Case[],
    vary?: string,
  ) => {
    const saved = [guardConfig, currentPolicy] as const;
    [guardConfig, currentPolicy] = [config, routes];
    try {
      const core = createGuard(config);
      const compiled = core.compilePolicy(routes);
      const surfaces = everySurface();
      const statuses = new Set<number>();
      for (const c of rows) {
        const want = expected(
          await core.checkRoute({ method: c.method, path: c.path, headers: c.headers }, compiled),
          vary,
        );
        statuses.add(want.status);
        const wanted = c.method === 'HEAD' ? { ...want, body: undefined } : want;
        for (const [name, surface] of surfaces) {
          const got = normalise(await surface(c));
          expect([name, c.label, got]).toEqual([name, c.label, wanted]);
        }
      }
      return statuses;
    } finally {
      [guardConfig, currentPolicy] = saved;
    }
  };

  it('for every token kind, with pools resolved per tenant: machines, trigger-customised claims, other tenants, unknown issuers', async () => {
    const tenantB = await createTestIssuer({
      userPoolId: 'local_tenantB',
      clientId: 'app-B',
    }).start();
    try {
      const tenants = [issuer, tenantB];
      const config: GuardConfig = {
        pools: {
          resolve: (iss) => {
            const tenant = tenants.find((t) => t.issuer === iss);
            return (
              tenant && {
                userPoolId: tenant.userPoolId,
                clientId: tenant.clientId,
                issuer: tenant.issuer,
              }
            );
          },
        },
      };
      const routes: RoutePolicy = {
        ...TOKEN_KIND_POLICY,
        routes: {
          ...TOKEN_KIND_POLICY.routes,
          'GET /tenant-b/reports': { claims: { iss: tenantB.issuer } },
        },
      } as RoutePolicy;
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const rows: Case[] = [
        ...tokenKindCases(issuer).map((c) => ({
          label: c.name,
          method: c.method,
          path: c.path,
          headers: bearer(c.token),
        })),
        ...tokenKindCases(tenantB).map((c) => ({
          label: `tenant B: ${c.name}`,
          method: c.method,
          path: c.path,
          headers: bearer(c.token),
        })),
        {
          label: 'tenant A on B’s route',
          method: 'GET',
          path: '/tenant-b/reports',
          headers: bearer(issuer.accessToken()),
        },
        {
          label: 'tenant B on B’s route',
          method: 'GET',
          path: '/tenant-b/reports',
          headers: bearer(tenantB.accessToken()),
        },
        {
          label: 'an issuer no tenant has',
          method: 'GET',
          path: '/movies',
          headers: bearer(
            issuer.accessToken({ issuer: 'https://evil.example/pool', groups: ['movies-group'] }),
          ),
        },
        {
          label: 'A’s key, B’s issuer',
          method: 'GET',
          path: '/tenant-b/reports',
          headers: bearer(issuer.accessToken({ issuer: tenantB.issuer, clientId: 'app-B' })),
        },
      ];
      const statuses = await compareEverySurface(config, routes, rows);
      expect([...statuses].sort()).toEqual([200, 401, 403]);
    } finally {
      await tenantB.stop();
    }
  }, 60_000);

  it('for replica-region issuers and ALB user claims, fetched over TLS from AWS host names', async () => {
    const pool = 'us-east-1_Replicated1';
    const issuerIn = (region: string) => `https://cognito-idp.${region}.amazonaws.com/${pool}`;
    const alb = createAlbSigner();
    const aws = await startAwsEndpoints([
      ...['us-east-1', 'us-west-2', 'eu-west-1'].map((r) => `cognito-idp.${r}.amazonaws.com`),
      new URL(alb.keyUrl).hostname,
    ]);
    try {
      for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
        aws.serve(`${issuerIn(region)}/.well-known/jwks.json`, () => ({ json: issuer.jwks }));
      }
      aws.serve(alb.keyUrl, { text: alb.publicKeyPem });
      const config: GuardConfig = {
        userPoolId: pool,
        clientId: 'web',
        replicaRegions: ['us-west-2'],
        tokenSources: ['authorization', 'alb'],
        albUserClaims: albUserClaims({ albArn: alb.albArn }),
        logger: { warn: () => undefined },
      };
      const routes: RoutePolicy = {
        routes: {
          'GET /movies': { groups: ['movies-group'] },
          'GET /me': { claims: { email_verified: 'true' } },
        },
      };
      const token = (region: string) =>
        issuer.accessToken({ issuer: issuerIn(region), clientId: 'web', groups: ['movies-group'] });
      const viaAlb = token('us-east-1');
      const sub = JSON.parse(
        Buffer.from(viaAlb.split('.')[1] as string, 'base64url').toString(),
      ).sub;
      const data = (signer: typeof alb) =>
        signer.dataToken(
          { sub, email: 'a@example.com', email_verified: 'true' },
          { issuer: issuerIn('us-east-1'), clientId: 'web' },
        );
      const rows: Case[] = [
        ...['us-east-1', 'us-west-2', 'eu-west-1'].map((region) => ({
          label: `issued in ${region}`,
          method: 'GET',
          path: '/movies',
          headers: { authorization: `Bearer ${token(region)}` },
        })),
        {
          label: 'ALB, verified user claims',
          method: 'GET',
          path: '/me',
          headers: { 'x-amzn-oidc-accesstoken': viaAlb, 'x-amzn-oidc-data': data(alb) },
        },
        {
          label: 'ALB, forged user claims',
          method: 'GET',
          path: '/me',
          headers: {
            'x-amzn-oidc-accesstoken': viaAlb,
            'x-amzn-oidc-data': data(createAlbSigner({ albArn: alb.albArn })),
          },
        },
        {
          label: 'ALB, no user claims',
          method: 'GET',
          path: '/me',
          headers: { 'x-amzn-oidc-accesstoken': viaAlb },
        },
      ];
      // The ALB writes both headers from its session cookie: a cache in front of it sees only that.
      const vary = 'Authorization, X-Amzn-Oidc-Accesstoken, Cookie, X-Amzn-Oidc-Data';
      const statuses = await compareEverySurface(config, routes, rows, vary);
      expect([...statuses].sort()).toEqual([200, 401, 403]);
    } finally {
      await aws.stop();
    }
  }, 60_000);

  it("for tokens in a cookie: another site's page neither changes nor reads anything, a link on it opens a page; the app's own page and a trusted one do both", async () => {
    const host = 'api.example.com';
    const config: GuardConfig = {
      ...guardConfig,
      tokenSources: ['authorization', { cookie: 'id' }],
      trustedOrigins: ['https://app.example.com'],
    };
    const bob = issuer.accessToken({ groups: ['shows-group'], scopes: ['shows/write'] });
    const alice = issuer.accessToken({ groups: ['movies-group'], scopes: ['movies/read'] });
    const callers: [string, Record<string, string>][] = [
      ['no cookie', {}],
      ['bob', { cookie: `theme=dark; id=${bob}` }],
      ['alice', { cookie: `id=${alice}` }],
    ];
    const provenances: [string, Record<string, string>][] = [
      ['no browser page', {}],
      ['own page', { 'sec-fetch-site': 'same-origin', origin: `https://${host}` }],
      ['typed in', { 'sec-fetch-site': 'none' }],
      ['another site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
      ['a link on another site', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }],
      ['a sibling origin', { 'sec-fetch-site': 'same-site', origin: 'https://blog.example.com' }],
      ['the trusted origin', { 'sec-fetch-site': 'same-site', origin: 'https://app.example.com' }],
      ['an old browser on the own page', { origin: `https://${host}` }],
      ['an old browser on another site', { origin: 'https://evil.example' }],
    ];
    const requests: [string, string][] = [
      ['GET', '/shows'],
      ['HEAD', '/shows'],
      ['POST', '/shows'],
      ['DELETE', '/admin/users/1'],
      // A form of another site can only GET or POST; an override names the method served.
      ['GET', '/shows?_method=POST'],
      ['POST', '/shows?_method=GET'],
    ];
    const rows = callers.flatMap(([caller, cookie]) =>
      provenances.flatMap(([from, headers]) =>
        requests.map(([method, path]) => ({
          label: `${caller} from ${from}: ${method} ${path}`,
          method,
          path,
          headers: { host, ...cookie, ...headers },
        })),
      ),
    );
    // An answer to a cookie varies with it: a cache keying it on Authorization alone, which these
    // requests lack, would replay bob's answer to anyone.
    const statuses = await compareEverySurface(config, policy, rows, 'Authorization, Cookie');
    expect([...statuses].sort()).toEqual([200, 401, 403]);
    // Both kinds of 403 are in the table: a rule not met, and a page of another site.
    const core = createGuard(config);
    const compiled = core.compilePolicy(policy);
    const reasons = new Map<string, string>();
    for (const c of rows) {
      reasons.set(c.label, (await core.checkRoute(c, compiled)).reason);
    }
    // Bob may read and write shows: only where the request came from decides these.
    expect([
      reasons.get('bob from own page: POST /shows'),
      reasons.get('bob from a link on another site: GET /shows'),
      reasons.get('bob from another site: GET /shows'),
      reasons.get('bob from a link on another site: GET /shows?_method=POST'),
      reasons.get('bob from the trusted origin: POST /shows'),
      reasons.get('bob from a sibling origin: POST /shows'),
    ]).toEqual([
      'rule_satisfied',
      'rule_satisfied',
      'cross_site_request',
      'cross_site_request',
      'rule_satisfied',
      'cross_site_request',
    ]);
    expect(new Set(reasons.values())).toEqual(
      new Set([
        'rule_satisfied',
        'token_missing',
        'cross_site_request',
        'scope_missing',
        'group_missing',
      ]),
    );
  }, 120_000);

  it('answers 503 with Retry-After on every surface when the revocation list cannot be vouched for', async () => {
    // A Redis store with no Redis behind it: never loaded, so never current.
    const store = redisRevocationStore({
      url: 'redis://127.0.0.1:1',
      logger: { warn: () => undefined },
    });
    guardConfig = { ...issuer.config, revocation: { store, maxStalenessSeconds: 2 } };
    try {
      const core = createGuard(guardConfig);
      const compiled = core.compilePolicy(policy);
      const rows = cases.filter((c) =>
        [
          'alice GET /movies',
          'dave GET /movies',
          'alice GET /health',
          'no token GET /movies',
        ].includes(c.label),
      );
      expect(rows).toHaveLength(4);
      const statuses: number[] = [];
      for (const [name, surface] of everySurface()) {
        for (const c of rows) {
          const want = expected(
            await core.checkRoute({ method: c.method, path: c.path, headers: c.headers }, compiled),
          );
          const got = normalise(await surface(c));
          expect([name, c.label, got]).toEqual([name, c.label, want]);
          statuses.push(got.status);
        }
      }
      // Signed-in rows are refused with 503; public and tokenless rows are judged as always.
      expect(new Set(statuses)).toEqual(new Set([503, 200, 401]));
    } finally {
      guardConfig = { ...issuer.config, revocation: { store: revocations } };
      await store.close();
    }
  }, 60_000);
});
