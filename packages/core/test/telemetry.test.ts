// The telemetry plugin on the core guard, recorded by the real SDK's in-memory exporters (the
// conformance suite asserts the same through Express, Koa and Lambda).

import type { TestIssuer } from '@cognito-guard/testing';
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
import { createGuard, requireGroups } from '../src';
import { openTelemetry } from '../src/subpaths/otel';
import { bearer, startIssuer } from './helpers';

describe('openTelemetry()', () => {
  let issuer: TestIssuer;
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });

  beforeAll(async () => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    issuer = await startIssuer();
  });
  afterAll(async () => {
    trace.disable();
    metrics.disable();
    await issuer.stop();
  });

  it('records a span per decision and per key fetch, and the metrics', async () => {
    const guard = createGuard({ ...issuer.config, telemetry: openTelemetry() });
    const token = issuer.accessToken({ groups: ['movies-group'] });
    await guard.check(bearer(token), requireGroups('movies-group'));
    await guard.check(bearer(token), requireGroups('movies-group')); // admitted to the cache
    await guard.check(bearer(token), requireGroups('admins'));
    const names = spans
      .getFinishedSpans()
      .map((s) => [s.name, s.attributes['cognito_guard.outcome']]);
    expect(names).toEqual([
      ['cognito_guard.jwks.fetch', 'success'],
      ['cognito_guard.decision', 'allow'],
      ['cognito_guard.decision', 'allow'],
      ['cognito_guard.decision', 'deny'],
    ]);
    expect(spans.getFinishedSpans()[3]?.attributes).toMatchObject({
      'cognito_guard.reason': 'group_missing',
      'cognito_guard.status': 403,
      'cognito_guard.cache': 'hit',
    });
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().at(-1);
    const metricNames = exported?.scopeMetrics.flatMap((s) =>
      s.metrics.map((m) => m.descriptor.name),
    );
    expect(new Set(metricNames)).toEqual(
      new Set([
        'cognito_guard.decisions',
        'cognito_guard.decision.duration',
        'cognito_guard.jwks.fetches',
        'cognito_guard.cache.size',
        'cognito_guard.cache.hit_ratio',
        'cognito_guard.jwks.since_success',
      ]),
    );
  });

  it('never lets an observer failure decide a request', async () => {
    const throwing = {
      kind: 'telemetry' as const,
      create: () => () => {
        throw new Error('exporter down');
      },
    };
    const guard = createGuard({ ...issuer.config, telemetry: throwing });
    const decision = await guard.check(
      bearer(issuer.accessToken({ groups: ['movies-group'] })),
      requireGroups('movies-group'),
    );
    expect(decision).toMatchObject({ allowed: true, status: 200 });
    guard.verifier.fetcher.observers.push(() => {
      throw new Error('observer down');
    });
    guard.verifier.clearCache();
    expect(await guard.check(bearer(issuer.brokenToken('unknown-kid')))).toMatchObject({
      allowed: false,
      status: 401,
    });
  });

  it('refuses a telemetry value that is not a plugin, naming the field', () => {
    expect(() => createGuard({ ...issuer.config, telemetry: {} as never })).toThrow(
      "telemetry: must be openTelemetry() from '@cognito-guard/core/otel'",
    );
  });
});
