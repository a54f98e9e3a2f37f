// The Fastify plugin: the one place that touches the app instance rather than a request. It is
// not encapsulated (fastify-plugin), so its decorator and hook apply to the whole app.

import type { RoutePolicy } from '@cognito-guard/core';
import { checkOptions } from '@cognito-guard/core/advanced';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import * as z from 'zod/mini';
import { checkHookPhases } from './hook-phase';
import type { FastifyHook } from './index';

/** Options of the plugin: a route policy to guard every route of the app by. */
export interface AuthPluginOptions {
  readonly policy?: RoutePolicy;
}

const SUBJECT = '@cognito-guard/fastify plugin options';

// Fastify hands a plugin its register() options too: those are allowed beside `policy`.
const optionsSchema = () =>
  z.strictObject({
    policy: z.optional(z.unknown()),
    prefix: z.optional(z.unknown()),
    logLevel: z.optional(z.unknown()),
    logSerializers: z.optional(z.unknown()),
  });

/**
 * Builds the plugin on a `guardRoutes` factory (env-bound or from `cognitoGuard(config)`).
 *
 * @example
 * ```ts
 * const plugin = pluginFor(guard.guardRoutes);
 * await app.register(plugin, { policy });
 * ```
 */
export function pluginFor(
  guardRoutes: (policy: RoutePolicy) => FastifyHook,
): FastifyPluginCallback<AuthPluginOptions> {
  return fp<AuthPluginOptions>(
    (app, options, done) => {
      let guard: FastifyHook | undefined;
      try {
        // A misspelt `policy`, or `policy: null`, would otherwise leave every route unguarded.
        const { policy } = checkOptions(SUBJECT, options, optionsSchema());
        guard = policy === undefined ? undefined : guardRoutes(policy as RoutePolicy);
      } catch (err) {
        // Thrown here, a bad policy or environment would escape avvio as an uncaught exception
        // and leave register() to time out; through done(), register() rejects with it.
        done(err as Error);
        return;
      }
      // Declared up front so that every request keeps one object shape.
      if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', undefined);
      if (guard) app.addHook('onRequest', guard);
      app.addHook('onRoute', checkHookPhases);
      done();
    },
    { fastify: '4.x || 5.x', name: '@cognito-guard/fastify' },
  );
}
