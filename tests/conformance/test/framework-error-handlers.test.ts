// With `errors: 'throw'` (Express: 'next') the guard hands its error to the framework, whose
// own error handler writes the answer: Express's finalhandler, Koa's ctx.onerror, Fastify's
// default error handler, Hono's. The error carries what they read (`status`, `expose`,
// `headers`), so each answers with the guard's status and challenge, `Cache-Control: no-store`
// (a denial must not be cached in front and replayed to a caller who would pass), and never
// runs the handler.

import { createServer } from 'node:http';
import { createGuard, requireGroups } from '@cognito-guard/core';
import { renderDenial } from '@cognito-guard/core/adapter';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import express5 from 'express';
import express4 from 'express4';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

/** A server whose one route is guarded, and whether its handler ran. */
type Serve = () => Promise<{
  target: Parameters<typeof request>[0];
  reached: () => boolean;
  close: () => Promise<unknown>;
}>;

const GROUP = 'movies-group';
const noop = async () => undefined;

const servers: [string, Serve][] = [
  ...[
    ['Express 5', express5],
    ['Express 4', express4 as unknown as typeof express5],
  ].map(([name, factory]): [string, Serve] => [
    `${name}, finalhandler`,
    async () => {
      let reached = false;
      const app = (factory as typeof express5)();
      const guard = expressGuard.cognitoGuard({ ...issuer.config, errors: 'next' });
      app.get('/movies', guard.requireGroups(GROUP), (_req, res) => {
        reached = true;
        res.send('movies');
      });
      return { target: app, reached: () => reached, close: noop };
    },
  ]),
  ...[
    ['Koa 3', Koa3],
    ['Koa 2', Koa2 as unknown as typeof Koa3],
  ].map(([name, KoaClass]): [string, Serve] => [
    `${name}, ctx.onerror`,
    async () => {
      let reached = false;
      const app = new (KoaClass as typeof Koa3)();
      app.silent = true;
      app.use(koaGuard.cognitoGuard({ ...issuer.config, errors: 'throw' }).requireGroups(GROUP));
      app.use((ctx) => {
        reached = true;
        ctx.body = 'movies';
      });
      return { target: app.callback(), reached: () => reached, close: noop };
    },
  ]),
  ...[
    ['Fastify 5', fastify5],
    ['Fastify 4', fastify4 as unknown as typeof fastify5],
  ].map(([name, factory]): [string, Serve] => [
    `${name}, its default error handler`,
    async () => {
      let reached = false;
      const app = (factory as typeof fastify5)();
      const guard = fastifyGuard.cognitoGuard({ ...issuer.config, errors: 'throw' });
      await app.register(guard.plugin);
      app.get('/movies', { onRequest: guard.requireGroups(GROUP) }, async () => {
        reached = true;
        return 'movies';
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return { target: url, reached: () => reached, close: () => app.close() };
    },
  ]),
  [
    'Hono, its default onError',
    async () => {
      let reached = false;
      const app = new Hono();
      app.use(honoGuard.cognitoGuard({ ...issuer.config, errors: 'throw' }).requireGroups(GROUP));
      app.get('/movies', (c) => {
        reached = true;
        return c.text('movies');
      });
      const server = createServer(getRequestListener(app.fetch));
      return { target: server, reached: () => reached, close: noop };
    },
  ],
];

describe.each(servers)('%s answers the guard’s thrown denial', (_name, serve) => {
  it.each([
    ['no token', () => undefined],
    ['a caller outside the group', () => issuer.accessToken({ groups: ['shows-group'] })],
    ['an expired token', () => issuer.brokenToken('expired')],
  ])('%s', async (_case, token) => {
    const bearer = token();
    const core = createGuard(issuer.config);
    const decision = await core.check(
      {
        method: 'GET',
        path: '/movies',
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      },
      requireGroups(GROUP),
    );
    if (decision.allowed) throw new Error('the table expects a denial');
    const expected = renderDenial(decision.error);
    const { target, reached, close } = await serve();
    try {
      let call = request(target).get('/movies');
      if (bearer) call = call.set('authorization', `Bearer ${bearer}`);
      const res = await call;
      expect({
        status: res.status,
        challenge: res.headers['www-authenticate'],
        cacheControl: res.headers['cache-control'],
        reached: reached(),
      }).toEqual({
        status: expected.status,
        challenge: expected.headers['WWW-Authenticate'],
        cacheControl: 'no-store',
        reached: false,
      });
    } finally {
      await close();
    }
  });
});
