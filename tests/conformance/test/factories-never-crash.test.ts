// Every adapter's start-up calls, given any arguments (a JavaScript caller's string where a list
// belongs, a JSON file's null, an option misspelt), build a guard or throw a ConfigError naming
// what is wrong; never a TypeError, and never a guard that quietly ignores what it was given.
// The Lambda guard's wrapper is called too, with any handler.

import { ConfigError } from '@cognito-guard/core';
import * as express from '@cognito-guard/express';
import * as fastify from '@cognito-guard/fastify';
import * as hono from '@cognito-guard/hono';
import * as koa from '@cognito-guard/koa';
import * as lambda from '@cognito-guard/lambda';
import fc from 'fast-check';
import { FACTORIES } from './factory-names';

const ADAPTERS = { express, koa, fastify, hono, lambda } as const;
const config = { userPoolId: 'eu-west-1_AbC', clientId: 'c' };
// A valid call of each, mixed into the arbitrary ones, so that every run also builds.
const VALID: Readonly<Record<(typeof FACTORIES)[number], readonly unknown[]>> = {
  requireGroups: ['movies-group'],
  requireAllGroups: ['movies-group', 'shows-group'],
  requireScopes: ['movies/read'],
  requireClaim: ['custom:tier', ['gold']],
  authorize: [(principal: { groups: readonly string[] }) => principal.groups.length > 0],
  authenticate: [{ optional: true }],
  guardRoutes: [{ routes: { 'GET /a': { groups: ['g'] } } }],
};

const value = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -1, '', 'g', 'movies-group', 'respond'),
  fc.constantFrom('next', 'throw', 'token', 'api-gateway', 'x'),
  fc.constant([]),
  fc.constant(['g', 'h']),
  fc.constant([1]),
  fc.constant({}),
  fc.constant({ optional: true }),
  fc.constant({ optional: 'yes' }),
  fc.constant({ routes: { 'GET /a': { groups: ['g'] } } }),
  fc.constant({ routes: { 'GET a': {} } }),
  fc.constant({ check: () => undefined }),
  fc.constant((principal: { groups: readonly string[] }) => principal.groups.length > 0),
  fc.constant(async () => ({ statusCode: 200 })),
);
// Each adapter's own options, and near misses, beside the core configuration.
const adapterOptions = fc.oneof(
  fc.constant({}),
  fc.dictionary(
    fc.constantFrom('errors', 'privateCache', 'claimsSource', 'commaFreeGroupNames', 'error', 'x'),
    value,
    { maxKeys: 2 },
  ),
);

const callArguments = (valid: readonly unknown[]) =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 1 },
    { arbitrary: fc.array(value, { maxLength: 3 }), weight: 4 },
  );

const outcome = (build: () => unknown) => {
  try {
    return { built: build() };
  } catch (err) {
    if (err instanceof ConfigError) return { refused: err };
    return { crashed: err };
  }
};

describe.each(Object.entries(ADAPTERS))('@cognito-guard/%s', (_name, adapter) => {
  const guard = adapter.cognitoGuard(config as never);

  it('cognitoGuard(config) builds, or throws a ConfigError, for any adapter options (fast-check)', () => {
    let built = 0;
    fc.assert(
      fc.property(adapterOptions, (options) => {
        const result = outcome(() => adapter.cognitoGuard({ ...config, ...options } as never));
        expect(result).not.toHaveProperty('crashed');
        if ('built' in result) built++;
      }),
      { numRuns: 300 },
    );
    expect(built).toBeGreaterThan(0);
  });

  it.each(FACTORIES)(
    '%s(...) builds, or throws a ConfigError, for any arguments (fast-check)',
    (factory) => {
      const make = guard[factory] as (...args: unknown[]) => unknown;
      let built = 0;
      fc.assert(
        fc.property(callArguments(VALID[factory]), value, (args, handler) => {
          const result = outcome(() => make(...args));
          expect(result).not.toHaveProperty('crashed');
          if (!('built' in result)) return;
          built++;
          // A Lambda guard wraps a handler: anything but a function is refused when wrapped.
          if (adapter === lambda) {
            const wrapped = outcome(() => (result.built as (h: unknown) => unknown)(handler));
            expect(wrapped).not.toHaveProperty('crashed');
            expect('built' in wrapped).toBe(typeof handler === 'function');
          } else {
            expect(typeof result.built).toBe('function');
          }
        }),
        { numRuns: 300 },
      );
      expect(built).toBeGreaterThan(0);
    },
  );
});
