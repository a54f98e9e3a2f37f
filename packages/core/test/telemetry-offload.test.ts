// The telemetry plugin on a guard with the `offload` option: what its worker threads did with the
// tokens they were given, read by the real SDK's in-memory metric exporter. Real worker threads run
// the build's worker script (dist/), so `pnpm build` comes first.

import { join } from 'node:path';
import type { TestIssuer } from '@cognito-guard/testing';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createGuard, requireGroups } from '../src';
import { verifyInWorkers } from '../src/subpaths/offload';
import { openTelemetry } from '../src/subpaths/otel';
import { bearer, startIssuer } from './helpers';

const workerFile = join(__dirname, '../dist/verify-worker.cjs');

describe('openTelemetry() with the offload option', () => {
  let issuer: TestIssuer;
  // A meter provider per test: instruments outlive the guard that registered them.
  let reader: PeriodicExportingMetricReader;
  let exporter: InMemoryMetricExporter;

  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());
  beforeEach(() => {
    exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  });
  afterEach(() => metrics.disable());

  async function exported() {
    exporter.reset();
    await reader.forceFlush();
    return (
      exporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? []
    );
  }

  async function offloadCounts(): Promise<Record<string, number>> {
    const metric = (await exported()).find(
      (m) => m.descriptor.name === 'cognito_guard.offload.tokens',
    );
    const counts: Record<string, number> = {};
    for (const point of metric?.dataPoints ?? []) {
      counts[String(point.attributes['cognito_guard.offload.outcome'])] = point.value as number;
    }
    return counts;
  }

  it('counts the tokens decided in a worker, handed back, and left unanswered', async () => {
    const offload = verifyInWorkers({ workerFile, threads: 1 });
    const guard = createGuard({ ...issuer.config, telemetry: openTelemetry(), offload });
    await guard.ready();
    expect(await offloadCounts()).toEqual({ in_worker: 0, handed_back: 0, unanswered: 0 });

    for (const groups of [['movies-group'], ['shows-group'], ['movies-group']]) {
      await guard.check(bearer(issuer.accessToken({ groups })), requireGroups('movies-group'));
    }
    // A key the workers were never sent: handed back, and the main thread finds none either.
    for (let i = 0; i < 2; i++) await guard.check(bearer(issuer.brokenToken('unknown-kid')));
    await offload.close();
    const afterClose = await guard.check(bearer(issuer.accessToken({ groups: ['shows-group'] })));

    expect(afterClose).toMatchObject({ allowed: false, status: 503 });
    expect(await offloadCounts()).toEqual({ in_worker: 3, handed_back: 2, unanswered: 1 });
    expect(offload.stats()).toEqual({ inWorkers: 3, handedBack: 2, unanswered: 1 });
  });

  it('exports no offload series for a guard without the option', async () => {
    const guard = createGuard({ ...issuer.config, telemetry: openTelemetry() });
    await guard.check(bearer(issuer.accessToken({ groups: ['movies-group'] })));
    const names = (await exported()).map((m) => m.descriptor.name);
    expect(names).toContain('cognito_guard.decisions');
    expect(names).not.toContain('cognito_guard.offload.tokens');
  });
});
