// Decisions you can see: one span per decision and per key fetch, and metrics of both, through
// @opentelemetry/api (an optional peer). With no SDK registered, the API's no-op tracer and meter
// answer, and no attribute is even built. Never the token; `sub` only when asked for.

import {
  type Attributes,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import * as z from 'zod/mini';
import { checkOptions } from '../config/check-options';
import type { ObservedGuard, Telemetry } from '../config/types';
import type { Decision } from '../decision/decision';
import type { JwksFetchEvent } from '../token/jwks-fetcher';
import type { Principal } from '../token/principal';

/** Options of {@link openTelemetry}. */
export interface OpenTelemetryOptions {
  /** Put the caller's `sub` on decision spans (`enduser.id`). Default false: it identifies a person. */
  readonly includeSubject?: boolean;
}

/** The instrumentation scope name of every span and metric. */
export const INSTRUMENTATION_NAME = 'cognito-guard';

/**
 * Reports every decision and key fetch to OpenTelemetry: spans `cognito_guard.decision` and
 * `cognito_guard.jwks.fetch`, and the metrics in the README's table.
 *
 * @example
 * ```ts
 * import { openTelemetry } from '@cognito-guard/core/otel';
 * app.use(cognitoGuard({ ...configFromEnv(process.env), telemetry: openTelemetry() }).guardRoutes(policy));
 * ```
 */
export function openTelemetry(options?: OpenTelemetryOptions): Telemetry {
  const schema = z.strictObject({ includeSubject: z.optional(z.boolean()) });
  const { includeSubject = false } = checkOptions('openTelemetry', options, schema);
  return Object.freeze({
    kind: 'telemetry' as const,
    create: (guard: ObservedGuard) => observe(guard, includeSubject),
  });
}

function observe(guard: ObservedGuard, includeSubject: boolean): (decision: Decision) => void {
  const tracer = trace.getTracer(INSTRUMENTATION_NAME);
  const meter = metrics.getMeter(INSTRUMENTATION_NAME);
  // Six attribute sets in all: built once, not per request.
  const durationSets = { allow: durationAttributes('allow'), deny: durationAttributes('deny') };
  // Counted here and observed at collection: a synchronous counter would hash its attribute set
  // on every request (about 2.5 µs with the SDK); a tally keyed by a string costs a map lookup.
  const tally = new Map<string, { readonly attributes: Attributes; count: number }>();
  meter
    .createObservableCounter('cognito_guard.decisions', {
      description: 'Decisions, by outcome, reason and route key',
      unit: '{decision}',
    })
    .addCallback((result) => {
      for (const { attributes, count } of tally.values()) result.observe(count, attributes);
    });
  const duration = meter.createHistogram('cognito_guard.decision.duration', {
    description: 'Time to decide, by outcome and whether the verified-token cache answered',
    unit: 'ms',
  });
  const fetches = meter.createCounter('cognito_guard.jwks.fetches', {
    description: 'Key fetches, by outcome',
    unit: '{fetch}',
  });
  // A principal is built once per verification and handed out again by the cache: the first
  // decision that carries it was the miss, every later one a hit.
  const seen = new WeakSet<Principal>();
  let hits = 0;
  let misses = 0;
  let lastKeys: number | undefined;
  meter
    .createObservableGauge('cognito_guard.cache.size', {
      description: 'Verified tokens held in the cache',
      unit: '{token}',
    })
    .addCallback((result) => result.observe(guard.cacheSize()));
  meter
    .createObservableGauge('cognito_guard.cache.hit_ratio', {
      description: 'Share of decisions on a verified token that the cache answered',
      unit: '1',
    })
    .addCallback((result) => {
      if (hits + misses > 0) result.observe(hits / (hits + misses));
    });
  meter
    .createObservableGauge('cognito_guard.jwks.since_success', {
      description: 'Time since keys were last fetched successfully',
      unit: 's',
    })
    .addCallback((result) => {
      if (lastKeys !== undefined) result.observe((Date.now() - lastKeys) / 1000);
    });
  if (guard.offloadStats() !== undefined) observeOffload(meter, guard);

  guard.observeKeyFetches((fetch: JwksFetchEvent) => {
    const outcome = fetch.error === undefined ? 'success' : 'failure';
    fetches.add(1, { 'cognito_guard.outcome': outcome });
    if (fetch.error === undefined) lastKeys = fetch.startedAt + fetch.durationMs;
    const span = tracer.startSpan('cognito_guard.jwks.fetch', {
      kind: SpanKind.CLIENT,
      startTime: fetch.startedAt,
    });
    if (span.isRecording()) {
      span.setAttributes({ 'url.full': fetch.uri, 'cognito_guard.outcome': outcome });
      if (fetch.error !== undefined) {
        span.recordException(fetch.error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: fetch.error.message });
      }
    }
    span.end(fetch.startedAt + fetch.durationMs);
  });

  return (decision) => {
    const outcome = decision.allowed ? ('allow' as const) : ('deny' as const);
    const principal = decision.principal;
    let cache: 'hit' | 'miss' | undefined;
    if (principal !== undefined) {
      cache = seen.has(principal) ? 'hit' : 'miss';
      if (cache === 'hit') hits++;
      else {
        misses++;
        seen.add(principal);
      }
    }
    countDecision(tally, outcome, decision);
    duration.record(decision.durationMs, durationSets[outcome][cache ?? 'none']);
    const end = Date.now();
    const span: Span = tracer.startSpan('cognito_guard.decision', {
      kind: SpanKind.INTERNAL,
      startTime: end - decision.durationMs,
    });
    if (span.isRecording()) {
      span.setAttributes(spanAttributes(decision, outcome, cache, includeSubject));
      if (decision.status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: decision.reason });
      }
    }
    span.end(end);
  };
}

// Only with the `offload` option: a guard without workers exports no series that stays at zero.
function observeOffload(meter: Meter, guard: ObservedGuard): void {
  const outcomes = {
    inWorkers: Object.freeze({ 'cognito_guard.offload.outcome': 'in_worker' }),
    handedBack: Object.freeze({ 'cognito_guard.offload.outcome': 'handed_back' }),
    unanswered: Object.freeze({ 'cognito_guard.offload.outcome': 'unanswered' }),
  };
  meter
    .createObservableCounter('cognito_guard.offload.tokens', {
      description: 'Tokens sent to worker threads, by what became of them',
      unit: '{token}',
    })
    .addCallback((result) => {
      const stats = guard.offloadStats();
      if (stats === undefined) return;
      result.observe(stats.inWorkers, outcomes.inWorkers);
      result.observe(stats.handedBack, outcomes.handedBack);
      result.observe(stats.unanswered, outcomes.unanswered);
    });
}

function durationAttributes(
  outcome: 'allow' | 'deny',
): Record<'hit' | 'miss' | 'none', Attributes> {
  return {
    hit: Object.freeze({ 'cognito_guard.outcome': outcome, 'cognito_guard.cache': 'hit' }),
    miss: Object.freeze({ 'cognito_guard.outcome': outcome, 'cognito_guard.cache': 'miss' }),
    none: Object.freeze({ 'cognito_guard.outcome': outcome }),
  };
}

function countDecision(
  tally: Map<string, { readonly attributes: Attributes; count: number }>,
  outcome: string,
  decision: Decision,
): void {
  // Reasons hold no space, so the key has one reading, with or without a route.
  const key =
    decision.route === undefined
      ? `${outcome} ${decision.reason}`
      : `${outcome} ${decision.reason} ${decision.route}`;
  const entry = tally.get(key);
  if (entry !== undefined) {
    entry.count++;
    return;
  }
  const attributes: Attributes = {
    'cognito_guard.outcome': outcome,
    'cognito_guard.reason': decision.reason,
  };
  if (decision.route !== undefined) attributes['cognito_guard.route'] = decision.route;
  tally.set(key, { attributes, count: 1 });
}

function spanAttributes(
  decision: Decision,
  outcome: string,
  cache: 'hit' | 'miss' | undefined,
  includeSubject: boolean,
): Attributes {
  const principal = decision.principal;
  const attributes: Attributes = {
    'cognito_guard.outcome': outcome,
    'cognito_guard.status': decision.status,
    'cognito_guard.reason': decision.reason,
    'cognito_guard.revoked': decision.reason === 'token_revoked',
  };
  if (decision.route !== undefined) attributes['cognito_guard.route'] = decision.route;
  if (cache !== undefined) attributes['cognito_guard.cache'] = cache;
  if (principal !== undefined) {
    attributes['cognito_guard.token_use'] = principal.tokenUse;
    attributes['cognito_guard.pool'] = principal.userPoolId;
    attributes['cognito_guard.caller'] = principal.kind;
    if (principal.clientId !== undefined)
      attributes['cognito_guard.client_id'] = principal.clientId;
    if (includeSubject) attributes['enduser.id'] = principal.sub;
  }
  return attributes;
}
