// Decisions you can see: the same requests through Express, Koa and the Lambda guard with
// `telemetry: openTelemetry()`, recorded by the real OpenTelemetry SDK's in-memory exporters. Every
// surface must report the same spans and metrics, with exactly the documented attributes, and
// never the token or (unless asked) the subject.

import { createGuard, type GuardConfig, type RoutePolicy } from '@cognito-guard/core';
import { openTelemetry } from '@cognito-guard/core/otel';
import * as expressGuard from '@cognito-guard/express';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import {
  createTestIssuer,
  decodeJwt,
  httpApiEvent,
  lambdaContext,
  type TestIssuer,
} from '@cognito-guard/testing';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';

const policy: RoutePolicy = {
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /health': { public: true },
  },
};

type Send = (path: string, token: string | undefined) => Promise<number>;

interface Recorders {
  readonly spans: InMemorySpanExporter;
  readonly metricExporter: InMemoryMetricExporter;
  readonly reader: PeriodicExportingMetricReader;
}

// A fresh SDK per surface, registered before the guard is built (meters are bound at creation).
function registerSdk(): Recorders {
  trace.disable();
  metrics.disable();
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return { spans, metricExporter, reader };
}

const surfaces: [string, (config: GuardConfig) => Send][] = [
  [
    'Express',
    (config) => {
      const app = express();
      app.use(expressGuard.cognitoGuard(config).guardRoutes(policy));
      app.use((_req, res) => void res.json({ ok: true }));
      return async (path, token) => {
        const call = request(app).get(path);
        return (token ? await call.set('Authorization', `Bearer ${token}`) : await call).status;
      };
    },
  ],
  [
    'Koa',
    (config) => {
      const app = new Koa();
      app.use(koaGuard.cognitoGuard(config).guardRoutes(policy));
      app.use((ctx) => {
        ctx.body = { ok: true };
      });
      const server = app.callback();
      return async (path, token) => {
        const call = request(server).get(path);
        return (token ? await call.set('Authorization', `Bearer ${token}`) : await call).status;
      };
    },
  ],
  [
    'Lambda',
    (config) => {
      const handler = lambdaGuard.cognitoGuard(config).guardRoutes(policy)(async () => ({
        statusCode: 200,
        body: '{"ok":true}',
      }));
      return async (path, token) => {
        const res = await handler(httpApiEvent({ path, token }), lambdaContext());
        return (res as { statusCode: number }).statusCode;
      };
    },
  ],
];

describe('OpenTelemetry', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(async () => {
    trace.disable();
    metrics.disable();
    await issuer.stop();
  });

  it.each(surfaces)(
    '%s reports each decision and key fetch with the documented attributes',
    async (_name, build) => {
      const { spans, metricExporter, reader } = registerSdk();
      const send = build({ ...issuer.config, telemetry: openTelemetry() });
      const alice = issuer.accessToken({ groups: ['movies-group'] });
      const bob = issuer.accessToken({ groups: ['shows-group'] });
      // Alice thrice: verified, verified again and admitted to the cache (second sighting), cached.
      expect([
        await send('/movies', alice),
        await send('/movies', alice),
        await send('/movies', alice),
        await send('/movies', bob),
        await send('/movies', undefined),
        await send('/health', undefined),
      ]).toEqual([200, 200, 200, 403, 401, 200]);

      const user = {
        'cognito_guard.token_use': 'access',
        'cognito_guard.pool': issuer.userPoolId,
        'cognito_guard.caller': 'user',
        'cognito_guard.client_id': issuer.clientId,
      };
      const decisions = spans.getFinishedSpans().filter((s) => s.name === 'cognito_guard.decision');
      const allowedMiss = {
        'cognito_guard.outcome': 'allow',
        'cognito_guard.status': 200,
        'cognito_guard.reason': 'rule_satisfied',
        'cognito_guard.revoked': false,
        'cognito_guard.route': 'GET /movies',
        'cognito_guard.cache': 'miss',
        ...user,
      };
      expect(decisions.map((s) => s.attributes)).toEqual([
        allowedMiss,
        allowedMiss,
        {
          'cognito_guard.outcome': 'allow',
          'cognito_guard.status': 200,
          'cognito_guard.reason': 'rule_satisfied',
          'cognito_guard.revoked': false,
          'cognito_guard.route': 'GET /movies',
          'cognito_guard.cache': 'hit',
          ...user,
        },
        {
          'cognito_guard.outcome': 'deny',
          'cognito_guard.status': 403,
          'cognito_guard.reason': 'group_missing',
          'cognito_guard.revoked': false,
          'cognito_guard.route': 'GET /movies',
          'cognito_guard.cache': 'miss',
          ...user,
        },
        {
          'cognito_guard.outcome': 'deny',
          'cognito_guard.status': 401,
          'cognito_guard.reason': 'token_missing',
          'cognito_guard.revoked': false,
          'cognito_guard.route': 'GET /movies',
        },
        {
          'cognito_guard.outcome': 'allow',
          'cognito_guard.status': 200,
          'cognito_guard.reason': 'public_route',
          'cognito_guard.revoked': false,
          'cognito_guard.route': 'GET /health',
        },
      ]);
      const fetchSpans = spans
        .getFinishedSpans()
        .filter((s) => s.name === 'cognito_guard.jwks.fetch');
      expect(fetchSpans.map((s) => s.attributes)).toEqual([
        { 'url.full': issuer.jwksUri, 'cognito_guard.outcome': 'success' },
      ]);
      // Never the token, never the subject.
      const everything = JSON.stringify(spans.getFinishedSpans().map((s) => s.attributes));
      const sub = decodeJwt(alice).payload['sub'] as string;
      for (const secret of [alice, bob, sub]) expect(everything).not.toContain(secret);

      await reader.forceFlush();
      const exported = metricExporter.getMetrics().at(-1);
      const byName = new Map(
        (exported?.scopeMetrics ?? []).flatMap((scope) =>
          scope.metrics.map((m) => [m.descriptor.name, m] as const),
        ),
      );
      const points = (name: string) =>
        (byName.get(name)?.dataPoints ?? []).map((p) => ({
          attributes: p.attributes,
          value: p.value,
        }));
      expect(points('cognito_guard.decisions')).toEqual(
        expect.arrayContaining([
          {
            attributes: {
              'cognito_guard.outcome': 'allow',
              'cognito_guard.reason': 'rule_satisfied',
              'cognito_guard.route': 'GET /movies',
            },
            value: 3,
          },
          {
            attributes: {
              'cognito_guard.outcome': 'deny',
              'cognito_guard.reason': 'group_missing',
              'cognito_guard.route': 'GET /movies',
            },
            value: 1,
          },
          {
            attributes: {
              'cognito_guard.outcome': 'deny',
              'cognito_guard.reason': 'token_missing',
              'cognito_guard.route': 'GET /movies',
            },
            value: 1,
          },
          {
            attributes: {
              'cognito_guard.outcome': 'allow',
              'cognito_guard.reason': 'public_route',
              'cognito_guard.route': 'GET /health',
            },
            value: 1,
          },
        ]),
      );
      expect(points('cognito_guard.decisions')).toHaveLength(4);
      const durations = points('cognito_guard.decision.duration').map((p) => [
        p.attributes,
        (p.value as { count: number }).count,
      ]);
      expect(durations).toEqual(
        expect.arrayContaining([
          [{ 'cognito_guard.outcome': 'allow', 'cognito_guard.cache': 'miss' }, 2],
          [{ 'cognito_guard.outcome': 'allow', 'cognito_guard.cache': 'hit' }, 1],
          [{ 'cognito_guard.outcome': 'deny', 'cognito_guard.cache': 'miss' }, 1],
          [{ 'cognito_guard.outcome': 'deny' }, 1],
          [{ 'cognito_guard.outcome': 'allow' }, 1],
        ]),
      );
      // Bob's token, seen once, was verified but not stored.
      expect(points('cognito_guard.cache.size')).toEqual([{ attributes: {}, value: 1 }]);
      expect(points('cognito_guard.cache.hit_ratio')).toEqual([{ attributes: {}, value: 1 / 4 }]);
      expect(points('cognito_guard.jwks.fetches')).toEqual([
        { attributes: { 'cognito_guard.outcome': 'success' }, value: 1 },
      ]);
      const since = points('cognito_guard.jwks.since_success');
      expect(since).toHaveLength(1);
      expect(since[0]?.value).toBeGreaterThanOrEqual(0);
      expect(since[0]?.value).toBeLessThan(60);
    },
  );

  it('puts the subject on spans only when asked, and reports a failed key fetch as an error', async () => {
    const { spans, metricExporter, reader } = registerSdk();
    const guard = createGuard({
      ...issuer.config,
      telemetry: openTelemetry({ includeSubject: true }),
    });
    const token = issuer.accessToken({ groups: ['movies-group'] });
    await guard.check({ method: 'GET', path: '/', headers: { authorization: `Bearer ${token}` } });
    const [decision] = spans.getFinishedSpans().filter((s) => s.name === 'cognito_guard.decision');
    expect(decision?.attributes['enduser.id']).toBe(decodeJwt(token).payload['sub']);

    const down = await createTestIssuer().start();
    try {
      down.setJwksFault({ kind: 'status', status: 500 });
      const failing = createGuard({
        ...down.config,
        telemetry: openTelemetry(),
        logger: { warn: () => undefined },
      });
      const refused = await failing.check({
        method: 'GET',
        path: '/',
        headers: { authorization: `Bearer ${down.accessToken()}` },
      });
      expect(refused).toMatchObject({ allowed: false, status: 503 });
      const fetch = spans
        .getFinishedSpans()
        .find(
          (s) => s.name === 'cognito_guard.jwks.fetch' && s.attributes['url.full'] === down.jwksUri,
        );
      expect(fetch?.attributes['cognito_guard.outcome']).toBe('failure');
      expect(fetch?.status.code).toBe(2); // SpanStatusCode.ERROR
      const failed = spans
        .getFinishedSpans()
        .filter((s) => s.name === 'cognito_guard.decision')
        .at(-1);
      expect(failed?.attributes['cognito_guard.reason']).toBe('keys_unavailable');
      expect(failed?.status.code).toBe(2);
      await reader.forceFlush();
      const exported = metricExporter.getMetrics().at(-1);
      const fetches = exported?.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === 'cognito_guard.jwks.fetches');
      expect(fetches?.dataPoints.map((p) => [p.attributes, p.value])).toEqual(
        expect.arrayContaining([[{ 'cognito_guard.outcome': 'failure' }, 1]]),
      );
    } finally {
      await down.stop();
    }
  });
});
