// The guards type-check where users put them. A guard's type meets the framework's own: Koa's and
// @koa/router's generic `use` and `get` infer their state and context types from every middleware
// given, Fastify's route options type each hook, Express's handlers carry route parameters. Each
// case below is a file of its own, as in a user's project (checked together, what the checker
// worked out for one case decided another's), and the older majors the adapters support are
// checked against their own types: Express 4, Koa 2 and Fastify 4.

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { compileVirtual, exampleCompilerOptions, fileByFile } from './compile-examples';

interface Case {
  readonly code: string;
  /** The framework's module read from an older major's types: module name → its `.d.ts`. */
  readonly older?: Readonly<Record<string, string>>;
}

const EXPRESS_4 = { express: require.resolve('@types/express4/index.d.ts') };
const KOA_2 = { koa: require.resolve('@types/koa2/index.d.ts') };
const FASTIFY_4 = { fastify: require.resolve('fastify4/fastify.d.ts') };

const KOA_ROUTE = `
import Koa from 'koa';
import Router, { type RouterMiddleware } from '@koa/router';
import { requireGroups } from '@cognito-guard/koa';
declare const listShows: RouterMiddleware;
const app = new Koa();
const router = new Router();
router.get('/shows', requireGroups('shows-group'), listShows);
router.get('/movies', requireGroups('movies-group'), (ctx) => {
  ctx.body = ctx.state.auth?.groups;
});
app.use(requireGroups('movies-group'));
app.use(router.routes()).use(router.allowedMethods());
`;

const EXPRESS_ROUTES = `
import express, { type RequestHandler, Router } from 'express';
import { authenticate, requireGroups } from '@cognito-guard/express';
declare const listMovies: RequestHandler;
const app = express();
app.use(authenticate());
app.get('/movies', requireGroups('movies-group'), listMovies);
const router = Router();
router.all('/:id', requireGroups('movies-group'), (req, res) => {
  res.json({ id: req.params.id, user: req.auth?.username });
});
app.use('/api', router);
`;

const FASTIFY_ROUTES = `
import Fastify from 'fastify';
import { authPlugin, requireGroups } from '@cognito-guard/fastify';
const app = Fastify();
await app.register(authPlugin);
app.get<{ Params: { id: string } }>(
  '/movies/:id',
  { onRequest: requireGroups('movies-group') },
  async (request) => ({ id: request.params.id, user: request.auth?.username }),
);
app.get('/shows', { preHandler: [requireGroups('a'), requireGroups('b')] }, async (request) =>
  request.auth?.groups,
);
`;

const CASES: Record<string, Case> = {
  // The Koa README's route: a handler typed with @koa/router's defaults beside the guard.
  'Koa: a route with a RouterMiddleware handler': { code: KOA_ROUTE },
  'Koa 2: the same': { code: KOA_ROUTE, older: KOA_2 },
  'Koa: an app with its own state type': {
    code: `
import Koa from 'koa';
import { requireGroups } from '@cognito-guard/koa';
interface AppState { requestId: string }
const app = new Koa<AppState>();
app.use(requireGroups('movies-group'));
app.use((ctx) => { ctx.body = ctx.state.requestId; });
`,
  },
  'Koa: a router with its own state type sees auth': {
    code: `
import Router from '@koa/router';
import { requireGroups } from '@cognito-guard/koa';
interface AppState { requestId: string }
const router = new Router<AppState>();
router.get('/movies', requireGroups('movies-group'), (ctx) => {
  ctx.body = ctx.state.requestId + (ctx.state.auth?.username ?? '');
});
`,
  },
  'Koa: an app with its own context type': {
    code: `
import Koa from 'koa';
import { requireGroups } from '@cognito-guard/koa';
interface AppContext { db: { query(): string } }
const app = new Koa<Koa.DefaultState, AppContext>();
app.use(requireGroups('movies-group'));
app.use((ctx) => { ctx.body = ctx.db.query(); });
`,
  },
  'Koa: koa-mount, guardRoutes, and the guard as a value of Koa’s types': {
    code: `
import Koa from 'koa';
import mount from 'koa-mount';
import Router, { type RouterMiddleware } from '@koa/router';
import type { RoutePolicy } from '@cognito-guard/core';
import { guardRoutes, requireGroups, type KoaMiddleware } from '@cognito-guard/koa';
declare const policy: RoutePolicy;
const guard: KoaMiddleware = requireGroups('movies-group');
const asKoa: Koa.Middleware = guard;
const asRouter: RouterMiddleware = guard;
const app = new Koa();
app.use(mount('/api', guard)).use(guardRoutes(policy));
const router = new Router();
router.use(asKoa).use('/admin', asRouter);
`,
  },
  'Express: routes, a router and a typed handler': { code: EXPRESS_ROUTES },
  'Express 4: the same': {
    code: `${EXPRESS_ROUTES}
app.get('/p/:id', requireGroups('movies-group'), (req, res) => { res.send(req.param('id')); });
`,
    older: EXPRESS_4,
  },
  'Express: a handler typed with its params, response and body': {
    code: `
import express from 'express';
import { requireGroups } from '@cognito-guard/express';
const app = express();
app.post<{ id: string }, { ok: boolean }, { name: string }>(
  '/movies/:id',
  requireGroups('editors'),
  (req, res) => { res.json({ ok: req.body.name === req.params.id }); },
);
`,
  },
  'Fastify: hooks in route options, one and several': { code: FASTIFY_ROUTES },
  'Fastify 4: the same': {
    code: `${FASTIFY_ROUTES}
app.get('/elapsed', async (_request, reply) => reply.getResponseTime());
`,
    older: FASTIFY_4,
  },
  'Fastify: the guard bound to a configuration, and its plugin': {
    code: `
import Fastify from 'fastify';
import type { RoutePolicy } from '@cognito-guard/core';
import { cognitoGuard } from '@cognito-guard/fastify';
declare const policy: RoutePolicy;
const { plugin, requireGroups, guardRoutes, ready } = cognitoGuard({ userPoolId: 'eu-west-1_abc', clientId: null });
const app = Fastify();
await app.register(plugin);
app.addHook('onRequest', guardRoutes(policy));
app.get('/movies', { onRequest: requireGroups('movies-group') }, async (request) => request.auth?.sub);
await ready();
`,
  },
  'Fastify: HTTP/2, whose raw request and reply are not HTTP/1’s': {
    code: `
import Fastify from 'fastify';
import { authPlugin, requireGroups } from '@cognito-guard/fastify';
const app = Fastify({ http2: true });
await app.register(authPlugin);
app.addHook('onRequest', requireGroups('movies-group'));
app.get('/movies', { onRequest: requireGroups('movies-group'), preHandler: [requireGroups('editors')] }, async (request) =>
  request.auth?.sub,
);
`,
  },
  'Fastify 4: HTTP/2': {
    code: `
import Fastify from 'fastify';
import { requireGroups } from '@cognito-guard/fastify';
const app = Fastify({ http2: true });
app.get('/movies', { onRequest: requireGroups('movies-group') }, async (request) => request.auth?.sub);
`,
    older: FASTIFY_4,
  },
  'Fastify: a type provider and a typed reply keep their types beside the guard': {
    code: `
import Fastify, { type FastifyTypeProvider } from 'fastify';
import { requireGroups } from '@cognito-guard/fastify';
interface SchemaTypes extends FastifyTypeProvider {
  validator: this['schema'] extends { type: 'object' } ? { id: string } : unknown;
  serializer: unknown;
}
const app = Fastify().withTypeProvider<SchemaTypes>();
app.get(
  '/movies/:id',
  { schema: { params: { type: 'object' } }, onRequest: requireGroups('movies-group') },
  async (request) => request.params.id.toUpperCase() + (request.auth?.sub ?? ''),
);
Fastify().get<{ Reply: { 200: { ok: boolean } } }>('/ok', { onRequest: requireGroups('g') }, async () => ({ ok: true }));
`,
  },
  'Hono: an app with its own bindings and variables': {
    code: `
import { Hono } from 'hono';
import type { RoutePolicy } from '@cognito-guard/core';
import { guardRoutes, requireGroups } from '@cognito-guard/hono';
declare const policy: RoutePolicy;
type Env = { Bindings: { TABLE: string }; Variables: { requestId: string } };
const app = new Hono<Env>();
app.use('/movies/*', requireGroups('movies-group'));
app.use(guardRoutes(policy));
app.get('/movies/:id', requireGroups('editors'), (c) =>
  c.json({ id: c.req.param('id'), user: c.get('auth')?.username, rid: c.get('requestId'), table: c.env.TABLE }),
);
const api = new Hono().basePath('/api');
api.get('/me', requireGroups('movies-group'), (c) => c.text(c.get('auth')?.sub ?? ''));
app.route('/', api);
`,
  },
  'Hono: chained routes for the RPC client, and createHandlers': {
    code: `
import { Hono } from 'hono';
import { createFactory } from 'hono/factory';
import { requireGroups } from '@cognito-guard/hono';
type Env = { Variables: { requestId: string } };
const handlers = createFactory<Env>().createHandlers(requireGroups('movies-group'), (c) =>
  c.json({ user: c.get('auth')?.username, id: c.get('requestId') }),
);
const app = new Hono<Env>()
  .get('/movies', ...handlers)
  .post('/movies', requireGroups('editors'), async (c) => c.json({ groups: c.get('auth')?.groups }));
export type AppType = typeof app;
`,
  },
  'Express: a router merging its parent’s params, and app.route': {
    code: `
import express from 'express';
import { requireGroups } from '@cognito-guard/express';
const router = express.Router({ mergeParams: true });
router.get('/:movieId', requireGroups('movies-group'), (req, res) => {
  res.json({ movie: req.params.movieId, user: req.auth?.username });
});
const app = express();
app.use('/users/:userId/movies', router);
app.route('/shows').get(requireGroups('shows-group'), (_req, res) => { res.end(); });
`,
  },
  'Lambda: handlers typed with aws-lambda’s types, and Middy': {
    code: `
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyHandler, APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { requireGroups, requireScopes } from '@cognito-guard/lambda';
export const movies: APIGatewayProxyHandlerV2 = requireGroups('movies-group')(async (event, context) => ({
  statusCode: 200,
  body: context.auth.username ?? event.rawPath,
}));
export const rest: APIGatewayProxyHandler = requireScopes('movies/read')(async (event, context) => ({
  statusCode: 200,
  body: event.path + context.auth.sub,
}));
export const shows = middy<APIGatewayProxyEventV2>()
  .use(requireGroups('shows-group'))
  .handler(async (event) => ({ statusCode: 200, body: event.rawPath }));
`,
  },
  'Lambda: ALB and Function URL handlers, and an authorizer given aws-lambda’s events': {
    code: `
import type {
  ALBHandler,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
  LambdaFunctionURLHandler,
} from 'aws-lambda';
import type { RoutePolicy } from '@cognito-guard/core';
import { createAuthorizer, requireGroups } from '@cognito-guard/lambda';
declare const policy: RoutePolicy;
export const alb: ALBHandler = requireGroups('movies-group')(async (event, context) => ({
  statusCode: 200,
  body: event.path + context.auth.sub,
}));
export const url: LambdaFunctionURLHandler = requireGroups('movies-group')(async (event, context) => ({
  statusCode: 200,
  body: event.rawPath + context.auth.sub,
}));
const authorizer = createAuthorizer({ policy, userPoolId: 'eu-west-1_abc', clientId: null });
declare const http: APIGatewayRequestAuthorizerEventV2;
declare const rest: APIGatewayRequestAuthorizerEvent;
declare const token: APIGatewayTokenAuthorizerEvent;
await Promise.all([authorizer(http), authorizer(rest), authorizer(token)]);
`,
  },
};

describe('the guards where users put them', () => {
  const file = join(__dirname, 'adapter-typings', 'app.ts');
  const compileAlone = fileByFile();

  it.each(Object.entries(CASES))('%s type-checks', (_name, { code, older }) => {
    const defaults = exampleCompilerOptions();
    const options = older
      ? exampleCompilerOptions({
          paths: {
            ...defaults.paths,
            ...Object.fromEntries(Object.entries(older).map(([name, types]) => [name, [types]])),
          },
        })
      : defaults;
    const program = compileAlone(file, `${code}\nexport {};\n`, options);
    const source = program.getSourceFile(file) as ts.SourceFile;
    const errors = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(errors).toEqual([]);
    // The older major's types are the ones read, not the current ones under the same name.
    const read = program.getSourceFiles().map((sourceFile) => sourceFile.fileName);
    for (const types of Object.values(older ?? {})) expect(read).toContain(realpathSync(types));
  });
});

// The published declarations, as a consumer's compiler reads them from `dist` through each
// package's `exports`, under the strictest options apps use: no skipLibCheck, Node16 resolution
// (types by the `import` and `require` conditions), exactOptionalPropertyTypes.
describe('the published declarations', () => {
  const entries = [
    '@cognito-guard/apigateway',
    '@cognito-guard/cli',
    '@cognito-guard/core',
    '@cognito-guard/core/adapter',
    '@cognito-guard/core/advanced',
    '@cognito-guard/core/alb',
    '@cognito-guard/core/otel',
    '@cognito-guard/core/policy',
    '@cognito-guard/core/revocation',
    '@cognito-guard/express',
    '@cognito-guard/fastify',
    '@cognito-guard/hono',
    '@cognito-guard/koa',
    '@cognito-guard/lambda',
    '@cognito-guard/redis',
    '@cognito-guard/testing',
  ];
  const code = `${entries.map((entry, i) => `import * as entry${i} from '${entry}';`).join('\n')}
void [${entries.map((_, i) => `entry${i}`).join(', ')}];
`;

  it.each([
    ['ESM', join(__dirname, 'adapter-typings', 'consumer.mts')],
    ['CommonJS', join(__dirname, 'adapter-typings', 'consumer.cts')],
  ])('compile in a strict %s consumer', (kind, file) => {
    const { paths: _sources, baseUrl: _root, ...defaults } = exampleCompilerOptions();
    const options: ts.CompilerOptions = {
      ...defaults,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      skipLibCheck: false,
      exactOptionalPropertyTypes: true,
    };
    const program = compileVirtual(new Map([[file, `${code}export {};\n`]]), options);
    // Each entry's types come from its build, by the condition the consumer's module kind uses.
    const declarations = kind === 'ESM' ? /\/dist\/[\w.-]+\.d\.ts$/ : /\/dist\/[\w.-]+\.d\.cts$/;
    for (const entry of entries) {
      const mode = kind === 'ESM' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS;
      const { resolvedModule } = ts.resolveModuleName(
        entry,
        file,
        options,
        ts.sys,
        undefined,
        undefined,
        mode,
      );
      expect(resolvedModule?.resolvedFileName).toMatch(declarations);
    }
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map(
        (diagnostic) =>
          `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    expect(errors).toEqual([]);
  });
});
