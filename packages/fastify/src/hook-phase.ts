// Fastify runs a route's hooks in phases: onRequest; then it reads and parses the body (the
// app's content-type parsers), runs preParsing and preValidation hooks and validates the request
// against the route's schema; then preHandler. A guard given only as a later hook
// (`{ preHandler: requireGroups(…) }`) runs after all of that, for every caller: the app's hooks
// and parsers run for callers it refuses too, and a body that fails the schema gets a 400
// describing it before the guard is asked. The plugin sees each route as it is added (`onRoute`), so it says
// so then, once per guard. A diagnostic only: it never decides, and never throws.

import type { Logger } from '@cognito-guard/core';

// Every hook this package built, with the logger of the guard it belongs to.
const guardHooks = new WeakMap<object, Logger>();
// Each hook is warned of once, for the first route it is late on (GET's HEAD twin included).
const warned = new WeakSet<object>();

/**
 * Records a hook this package built, so that {@link checkHookPhases} recognises it.
 *
 * @example
 * ```ts
 * const handler = markGuardHook((request, reply, done) => done(), guard.config.logger);
 * ```
 */
export function markGuardHook<T extends object>(hook: T, logger: Logger): T {
  guardHooks.set(hook, logger);
  return hook;
}

/** What the check reads of Fastify's `onRoute` options. */
interface RouteOptionsLike {
  readonly method?: unknown;
  readonly url?: unknown;
  readonly schema?: object | undefined;
}

// The phases after onRequest, in the order Fastify runs them; the route's schema is checked
// between the last two.
const LATE_PHASES = ['preParsing', 'preValidation', 'preHandler'] as const;
const VALIDATED_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/**
 * Warns through the guard's logger when a route runs a cognito-guard hook only after the app's
 * own hooks or the route's validation: call it from an `onRoute` hook.
 *
 * @example
 * ```ts
 * app.addHook('onRoute', checkHookPhases);
 * ```
 */
export function checkHookPhases(route: RouteOptionsLike): void {
  try {
    const hooks = (phase: string) =>
      [(route as Record<string, unknown>)[phase]].flat().filter((h) => typeof h === 'function');
    const isGuard = (hook: unknown) => guardHooks.has(hook as object);
    if (hooks('onRequest').some(isGuard)) return;
    const at = LATE_PHASES.findIndex((phase) => hooks(phase).some(isGuard));
    const phase = LATE_PHASES[at];
    if (phase === undefined) return;
    const guardIndex = hooks(phase).findIndex(isGuard);
    const validates = VALIDATED_PARTS.some(
      (part) => (route.schema as Record<string, unknown> | undefined)?.[part] !== undefined,
    );
    const before = [
      ...LATE_PHASES.slice(0, at)
        .filter((earlier) => hooks(earlier).length > 0)
        .map((earlier) => `${earlier} hooks`),
      ...(guardIndex > 0 ? [`earlier ${phase} hooks`] : []),
      ...(phase === 'preHandler' && validates ? ['schema validation'] : []),
    ];
    const late = hooks(phase)[guardIndex] as object;
    if (before.length === 0 || warned.has(late)) return;
    warned.add(late);
    const logger = guardHooks.get(late) as Logger;
    const schemaNote = before.includes('schema validation')
      ? ' (a request that fails the schema gets a 400 describing it)'
      : '';
    logger.warn(
      `cognito-guard: the route ${String(route.method)} ${String(route.url)} runs this guard as a ${phase} hook, after its ${before.join(', ')}, which run for callers this guard refuses too${schemaNote}. Give the guard as onRequest: { onRequest: requireGroups(…) } (README, "Fastify").`,
    );
  } catch {
    // A route of another shape: nothing to say.
  }
}
