#!/usr/bin/env node

// One contender's server, started by run.mjs in its own process: `GET /movies` behind the
// contender's auth, keys from the loopback JWKS given in the environment. Prints its port.
//   node bench/server.mjs <contender>   (env: ISSUER, JWKS_URI, USER_POOL_ID, CLIENT_ID)

import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { getRequestListener } from '@hono/node-server';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';

const require = createRequire(import.meta.url);
const contender = process.argv[2];
const {
  ISSUER: issuer,
  JWKS_URI: jwksUri,
  USER_POOL_ID: userPoolId,
  CLIENT_ID: clientId,
} = process.env;
const GROUP = 'movies-group';
const body = { movies: ['The Matrix', 'Spirited Away'] };

function expressApp(...guards) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/movies', ...guards, (_req, res) => {
    res.json(body);
  });
  app.use((err, _req, res, _next) => {
    res.status(err.status ?? 401).json({ message: 'Unauthorized' });
  });
  return app;
}

function koaApp(...guards) {
  const app = new Koa();
  const router = new Router();
  router.get('/movies', ...guards, (ctx) => {
    ctx.body = body;
  });
  app.use(router.routes());
  return app;
}

// Fastify and Hono answer through a plain Node server here, so every contender listens alike.
async function fastifyApp(...guards) {
  return fastifyAppWith(undefined, ...guards);
}

// A Fastify app with a plugin registered first, as a guarded app registers this project's.
async function fastifyAppWith(plugin, ...guards) {
  let server;
  const app = Fastify({ serverFactory: (handler) => (server = createServer(handler)) });
  if (plugin) await app.register(plugin);
  app.get('/movies', guards.length ? { onRequest: guards } : {}, async () => body);
  await app.ready();
  return server;
}

// What any guard must do on Fastify to keep a pass's answer private: Fastify's reply headers,
// moved to Node's when a route hijacks the reply (server-sent events), which writes none of them.
function markFastifyReply(reply) {
  reply.header('cache-control', 'private').header('vary', 'Authorization');
  reply.hijack = hijackKeepingHeaders;
}
function hijackKeepingHeaders() {
  this.raw.setHeader('cache-control', 'private');
  this.raw.setHeader('vary', 'Authorization');
  return Object.getPrototypeOf(this).hijack.call(this);
}

// The hand-written caching guard on Express (see the contenders below), optionally keeping
// `Vary: Authorization` through an own `res.writeHead`.
async function expressHandCached({ keepVary = false } = {}) {
  const check = await handCachedCheck();
  return expressApp((req, res, next) => {
    try {
      req.auth = check(req.headers.authorization);
    } catch {
      res.status(403).json({ message: 'Forbidden' });
      return;
    }
    res.setHeader('Cache-Control', 'private');
    res.setHeader('Vary', 'Authorization');
    if (keepVary) {
      const writeHead = res.writeHead;
      res.writeHead = function keepVaryNamed(...args) {
        if (!/\bauthorization\b/i.test(String(this.getHeader('vary') ?? ''))) {
          this.setHeader('Vary', ['Authorization', this.getHeader('vary') ?? []].flat().join(', '));
        }
        return writeHead.apply(this, args);
      };
    }
    next();
  });
}

// And on Hono: @hono/node-server sends every answer through the Node response at
// c.env.outgoing, so the two headers go there before the handler, as on Express. (After the
// handler, on c.res, builds a Headers object per request: 0.78 of bare Hono's rate against 0.84
// so, in paired rounds here.)
function markHonoResponse(c) {
  c.env.outgoing.setHeader('Cache-Control', 'private');
  c.env.outgoing.setHeader('Vary', 'Authorization');
}

function honoApp(...guards) {
  const app = new Hono();
  app.get('/movies', ...guards, (c) => c.json(body));
  return createServer(getRequestListener(app.fetch));
}

const config = { userPoolId, clientId, issuer, jwksUri };

// aws-jwt-verify's verifier as the hand-written contenders create it: the generic verifier,
// because the loopback issuer is not an AWS pool, checking the Cognito fields given (an access
// token of this client, and any more); keys loaded with cacheJwks, as the README's hydrate step does.
async function handWrittenVerifier(cognitoFields) {
  const { JwtVerifier } = await import('aws-jwt-verify');
  const { validateCognitoJwtFields } = await import('aws-jwt-verify/cognito-verifier');
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    jwksUri,
    customJwtCheck: ({ payload }) =>
      validateCognitoJwtFields(payload, { tokenUse: 'access', clientId, ...cognitoFields }),
  });
  verifier.cacheJwks(await (await fetch(jwksUri)).json());
  return verifier;
}

// The guard's default cache size (DEFAULTS.cache.maxEntries).
const CACHE_ENTRIES = 10_000;

// The hand-cached contenders' check (see them below): the verified payload of the token an
// Authorization header carries. The token sliced from the header, a Map lookup by its tail with a
// full comparison and an expiry check, aws-jwt-verify's verifySync on a miss, the group check on
// every request; no checks for a duplicate header or an odd scheme, no decision record. Throws
// when the token is not good.
async function handCachedCheck() {
  const verifier = await handWrittenVerifier({});
  // As many entries as the guard's cache holds, the oldest dropped first: on the unique-token
  // workload, which rotates through more tokens than that, it misses as the guard does.
  const verified = new Map();
  return (authorization) => {
    const token = authorization?.slice('Bearer '.length) ?? '';
    const key = token.slice(-12);
    let entry = verified.get(key);
    if (entry === undefined || entry.token !== token || entry.payload.exp * 1000 <= Date.now()) {
      entry = { token, payload: verifier.verifySync(token) };
      verified.set(key, entry);
      if (verified.size > CACHE_ENTRIES) verified.delete(verified.keys().next().value);
    }
    if (!entry.payload['cognito:groups']?.includes(GROUP)) throw new Error('not in the group');
    return entry.payload;
  };
}
// This project's contenders say how their verified-token cache fared (see the 'usage' message).
let cacheStats = () => undefined;

const contenders = {
  // 1. Express 5, no auth: the baseline.
  'express-bare': async () => expressApp(),

  // 2. This project.
  'express-cognito-guard': async () => {
    const { cognitoGuard } = await import('@cognito-guard/express');
    const guard = cognitoGuard(config);
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return expressApp(guard.requireGroups(GROUP));
  },

  // 2a. This project verifying the tokens its cache has not seen on one worker thread
  //     (`verifyInWorkers`), which shares the server's pinned CPU: the single-core case.
  'express-cognito-guard-offload': async () => {
    const { cognitoGuard } = await import('@cognito-guard/express');
    const { verifyInWorkers } = await import('@cognito-guard/core/offload');
    const guard = cognitoGuard({ ...config, offload: verifyInWorkers({ threads: 1 }) });
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return expressApp(guard.requireGroups(GROUP));
  },

  // 2b. This project with revocation on: a Redis store whose mirror holds the entries run.mjs
  //     wrote (REDIS_URL), kept current over pub/sub; each request adds a local lookup.
  'express-cognito-guard-revocation': async () => {
    const { cognitoGuard } = await import('@cognito-guard/express');
    const { redisRevocationStore } = await import('@cognito-guard/redis');
    const store = redisRevocationStore({ url: process.env.REDIS_URL });
    const guard = cognitoGuard({ ...config, revocation: { store } });
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return expressApp(guard.requireGroups(GROUP));
  },

  // 2c. This project with telemetry on: the OpenTelemetry SDK registered (a tracer provider with
  //     a batch processor and a meter provider with a reader), exporting to nowhere, so the
  //     figure is the cost of recording spans and metrics, not of shipping them.
  'express-cognito-guard-otel': async () => {
    const { metrics, trace } = await import('@opentelemetry/api');
    const { BasicTracerProvider, BatchSpanProcessor } = await import(
      '@opentelemetry/sdk-trace-base'
    );
    const {
      MeterProvider,
      PeriodicExportingMetricReader,
      InMemoryMetricExporter,
      AggregationTemporality,
    } = await import('@opentelemetry/sdk-metrics');
    const nowhere = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(nowhere)] }),
    );
    const reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 60_000,
    });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const { cognitoGuard } = await import('@cognito-guard/express');
    const { openTelemetry } = await import('@cognito-guard/core/otel');
    const guard = cognitoGuard({ ...config, telemetry: openTelemetry() });
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return expressApp(guard.requireGroups(GROUP));
  },

  // 3. The hand-written middleware of the seeds and the aws-jwt-verify README: a verifier created
  //    once (handWrittenVerifier), verify() per request, a group check.
  'express-aws-jwt-verify': async () => {
    const verifier = await handWrittenVerifier({ groups: GROUP });
    return expressApp(async (req, res, next) => {
      try {
        const token = (req.header('authorization') ?? '').replace(/^Bearer /i, '');
        req.auth = await verifier.verify(token);
        next();
      } catch {
        res.status(403).json({ statusCode: 403, message: 'Forbidden' });
      }
    });
  },

  // 4. express-oauth2-jwt-bearer: auth() + claimIncludes. Cognito access tokens carry no aud.
  'express-oauth2-jwt-bearer': async () => {
    const { auth, claimIncludes } = require('express-oauth2-jwt-bearer');
    return expressApp(
      auth({
        issuer,
        jwksUri,
        audience: 'unused',
        validators: { aud: false },
        tokenSigningAlg: 'RS256',
      }),
      claimIncludes('cognito:groups', GROUP),
    );
  },

  // 5. express-jwt + jwks-rsa (cached, rate-limited) + a group check.
  'express-jwt-jwks-rsa': async () => {
    const { expressjwt } = require('express-jwt');
    const jwksRsa = require('jwks-rsa');
    return expressApp(
      expressjwt({
        secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true, rateLimit: true }),
        algorithms: ['RS256'],
        issuer,
      }),
      (req, res, next) =>
        req.auth?.['cognito:groups']?.includes(GROUP)
          ? next()
          : res.status(403).json({ message: 'Forbidden' }),
    );
  },

  // 6. Koa: bare, this project, koa-jwt + jwks-rsa.
  'koa-bare': async () => koaApp(),

  'koa-cognito-guard': async () => {
    const { cognitoGuard } = await import('@cognito-guard/koa');
    const guard = cognitoGuard(config);
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return koaApp(guard.requireGroups(GROUP));
  },

  // 7. Fastify and Hono: bare and this project.
  'fastify-bare': async () => fastifyApp(),

  'fastify-cognito-guard': async () => {
    const { cognitoGuard } = await import('@cognito-guard/fastify');
    const guard = cognitoGuard(config);
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    // As the package's README sets it up: the plugin declares request.auth, so every request
    // keeps one object shape.
    return fastifyAppWith(guard.plugin, guard.requireGroups(GROUP));
  },

  'hono-bare': async () => honoApp(),

  // Hono and Fastify with one empty middleware / hook: the floor any guard sits on, since the
  // framework's own cost of a middleware is part of every guarded figure.
  'hono-empty-middleware': async () => honoApp(async (_c, next) => next()),
  'fastify-empty-hook': async () => fastifyApp(async () => undefined),

  // Each framework with one middleware that only does what any guard must on a pass: set
  // Cache-Control: private and Vary: Authorization (the responses are the guarded ones, byte for
  // byte, less the date), through the same framework calls the adapters use. No guard on these
  // frameworks can beat its floor, so the bench measures it beside each guarded figure.
  'express-headers-middleware': async () =>
    expressApp((_req, res, next) => {
      res.setHeader('Cache-Control', 'private');
      res.setHeader('Vary', 'Authorization');
      next();
    }),
  'koa-headers-middleware': async () =>
    koaApp((ctx, next) => {
      ctx.res.setHeader('Cache-Control', 'private');
      ctx.res.setHeader('Vary', 'Authorization');
      return next();
    }),
  'fastify-headers-hook': async () =>
    fastifyApp((_request, reply, done) => {
      markFastifyReply(reply);
      done();
    }),
  'hono-headers-middleware': async () =>
    honoApp(async (c, next) => {
      markHonoResponse(c);
      await next();
    }),

  // The least a caching guard can do, hand-written, on each framework (handCachedCheck): the
  // principal where the framework's guards put it (req.auth, ctx.state.auth, request.auth,
  // c.get('auth')) and the two headers of the floor above. A floor for a guard's cost on a
  // repeated token, not a middleware to copy.
  'express-hand-cached': async () => expressHandCached(),
  // The same, keeping Vary: Authorization however the handler sets Vary later, as this project's
  // guard does: an own writeHead on the response, the only hook before Node writes the headers
  // (on-headers does the same). Express gives each request's res a map of its own, so adding
  // any property to it costs; this measures that floor.
  'express-hand-cached-vary-kept': async () => expressHandCached({ keepVary: true }),
  'koa-hand-cached': async () => {
    const check = await handCachedCheck();
    return koaApp((ctx, next) => {
      try {
        ctx.state.auth = check(ctx.headers.authorization);
      } catch {
        ctx.status = 403;
        return;
      }
      ctx.res.setHeader('Cache-Control', 'private');
      ctx.res.setHeader('Vary', 'Authorization');
      return next();
    });
  },
  'fastify-hand-cached': async () => {
    const check = await handCachedCheck();
    // request.auth declared up front, as this project's plugin does, so requests keep one shape.
    const declareAuth = async (app) => app.decorateRequest('auth', null);
    declareAuth[Symbol.for('skip-override')] = true;
    return fastifyAppWith(declareAuth, (request, reply, done) => {
      try {
        request.auth = check(request.headers.authorization);
      } catch {
        reply.code(403).send({ message: 'Forbidden' });
        return;
      }
      markFastifyReply(reply);
      done();
    });
  },
  'hono-hand-cached': async () => {
    const check = await handCachedCheck();
    return honoApp(async (c, next) => {
      // Node's parsed headers, as this project's adapter reads them: c.req.header() would build
      // a Fetch Headers object per request.
      try {
        c.set('auth', check(c.env.incoming.headers.authorization));
      } catch {
        return c.json({ message: 'Forbidden' }, 403);
      }
      markHonoResponse(c);
      await next();
    });
  },

  'hono-cognito-guard': async () => {
    const { cognitoGuard } = await import('@cognito-guard/hono');
    const guard = cognitoGuard(config);
    cacheStats = () => guard.guard.verifier.cacheStats;
    await guard.ready();
    return honoApp(guard.requireGroups(GROUP));
  },

  'koa-jwt-jwks-rsa': async () => {
    const koaJwt = require('koa-jwt');
    const jwksRsa = require('jwks-rsa');
    return koaApp(
      koaJwt({
        secret: jwksRsa.koaJwtSecret({ jwksUri, cache: true, rateLimit: true }),
        algorithms: ['RS256'],
        issuer,
      }),
      async (ctx, next) => {
        if (!ctx.state.user?.['cognito:groups']?.includes(GROUP)) ctx.throw(403);
        await next();
      },
    );
  },
};

const build = contenders[contender];
if (!build) {
  console.error(`unknown contender ${contender}; one of ${Object.keys(contenders).join(', ')}`);
  process.exit(2);
}
// Every contender fetches the JWKS once before it serves, as every guard does, so that all of
// them are in the same state. Measured here (Node 20): a process that had made an outgoing HTTP
// request and then sat idle for 80 s (as each server does here while the others are measured)
// served about 15 % slower through the minute of load measured after it, with or without
// keep-alive; a bare server that had made none would be measured against guards in another
// state (README, Performance).
await new Promise((resolve, reject) =>
  request(jwksUri, (res) => res.resume().once('end', resolve))
    .once('error', reject)
    .end(),
);
const app = await build();
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
server.keepAliveTimeout = 60_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The harness asks for the server's CPU time and, for this project's contenders, the cache's
// counters around a load run: the unique-token runs must show the miss path, not the cache.
process.on('message', (message) => {
  if (message === 'usage') process.send?.({ ...process.cpuUsage(), cache: cacheStats() });
});
